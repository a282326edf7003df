#include "store/reader.h"

#include <algorithm>
#include <limits>
#include <cctype>

namespace hearth::store {
namespace {

using model::EntryRef;

template <typename T>
Result<T> payload_as(Store& store, const EntryRef& ref) {
  HEARTH_ASSIGN_OR_RETURN(model::Entry e, store.loader().load(ref));
  if (!std::holds_alternative<T>(e.payload)) return Status::corrupt("a view points at the wrong kind of entry");
  return std::get<T>(std::move(e.payload));
}

// Whether a failed load means the entry's words cannot be opened here (a
// body that does not decrypt or decode, no key for it), rather than a
// failing store.
bool unopenable(const Status& st) {
  return st.code() == Code::kAuthFailed || st.code() == Code::kCorrupt ||
         st.code() == Code::kNotFound;
}

// payload_as, with what cannot be opened as `fallback` (and *unavailable set).
template <typename T>
Result<T> payload_or(Store& store, const EntryRef& ref, T fallback, bool* unavailable = nullptr) {
  auto p = payload_as<T>(store, ref);
  if (p.is_ok() || !unopenable(p.status())) return p;
  if (unavailable) *unavailable = true;
  return fallback;
}

template <typename T>
T unavailable_words() {
  T words;
  words.text = std::string(kUnavailableText);
  return words;
}

int64_t sql_limit(uint32_t limit) { return limit == 0 ? -1 : int64_t{limit}; }

// Rows the partner shared during this device's active pause (bound to :h: 1
// while holding). Entries kept in events rows only: private ones are never held.
#define HEARTH_NOT_HELD(source, row) \
  " NOT (:h AND " source " = 0 AND " row " IN (SELECT row FROM held_rows))"

// Whether an entry of `table` is in this device's archive, compared with :a
// (1: only archived ones; 0: all but those). Its author and ID together name
// it: the partner may use an ID this device used.
#define HEARTH_ARCHIVED(kind, table, id)                                                   \
  " EXISTS(SELECT 1 FROM archived x WHERE x.kind = " kind " AND x.entity_id = " table "." id \
  " AND x.author = " table ".author) = :a"

// Whether an entity ID matches the hex text bound to ?1: it starts or ends
// with it, or its last 8 hex characters (what the CLI shows) start with it.
#define HEARTH_ID_MATCHES(id)                                                   \
  " (substr(hex(" id "), 1, length(?1)) = ?1 OR substr(hex(" id "), -length(?1)) = ?1" \
  " OR substr(hex(" id "), -8, length(?1)) = ?1)"

// The (author, entity ID) keys a query of two columns (the author's
// number, the ID) returns.
template <typename Key>
Result<std::vector<Key>> author_id_keys(Authors& authors, Query& st) {
  std::vector<Key> out;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    HEARTH_ASSIGN_OR_RETURN(const Key32 author, authors.key_of(row->int64(0)));
    out.push_back({author, to_array<16>(row->blob(1))});
  }
  return out;
}

Result<bool> is_archived(Store& store, int kind, const Key32& author, ByteView id) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, store.authors().find(author));
  Query st =
      store.db().prepare("SELECT 1 FROM archived WHERE kind = ? AND author = ? AND entity_id = ?");
  st.bind(1, kind).bind(2, a).bind(3, id);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  return found;
}

EntryRef ref_of(int64_t source, int64_t row) {
  return {source == 1 ? EntryRef::Source::kPrivate : EntryRef::Source::kShared, row};
}

model::ReflectionView reflection_view_of(const Row& st, int first) {
  model::ReflectionView v;
  v.forgotten = false;
  v.shared = st.int64(first) != 0;
  v.first_lamport = static_cast<uint64_t>(st.int64(first + 1));
  v.created_ms = st.int64(first + 2);
  v.head_lamport = static_cast<uint64_t>(st.int64(first + 3));
  v.updated_ms = st.int64(first + 4);
  v.head = ref_of(st.int64(first + 5), st.int64(first + 6));
  return v;
}

}  // namespace

Result<std::string> normalize_id_prefix(std::string_view text) {
  if (text.size() < 4 || text.size() > 32)
    return Status::invalid("an ID is 4 to 32 hex characters (as shown by the list commands)");
  std::string out;
  for (char c : text) {
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return Status::invalid("an ID has only the characters 0-9 and a-f");
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

Result<ReflectionItem> Reader::load_reflection(const model::ReflectionKey& key,
                                               const model::ReflectionView& view,
                                               bool with_history) {
  ReflectionItem item;
  item.key = key;
  item.view = view;
  HEARTH_ASSIGN_OR_RETURN(item.archived, is_archived(store_, 0, key.author, ByteView(key.id)));
  HEARTH_ASSIGN_OR_RETURN(
      item.current,
      payload_or(store_, view.head, unavailable_words<model::ReflectionPut>(), &item.unavailable));
  if (view.head.source == EntryRef::Source::kShared) {
    HEARTH_ASSIGN_OR_RETURN(StoredEvent head, store_.events().read_row(view.head.row));
    item.head_seq = head.seq;
  }
  if (!with_history) return item;
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, store_.authors().find(key.author));
  Query st = store_.db().prepare(
      "SELECT source, row, wall_ms FROM reflection_versions WHERE author = ? AND"
      " reflection_id = ? ORDER BY lamport");
  st.bind(1, author).bind(2, key.id);
  std::vector<std::pair<EntryRef, int64_t>> refs;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    refs.push_back({ref_of(row->int64(0), row->int64(1)), row->int64(2)});
  }
  for (const auto& [ref, wall] : refs) {
    HEARTH_ASSIGN_OR_RETURN(model::ReflectionPut put,
                            payload_or(store_, ref, unavailable_words<model::ReflectionPut>()));
    item.history.push_back({wall, ref.source == EntryRef::Source::kShared, std::move(put)});
  }
  return item;
}

Result<std::vector<ReflectionItem>> Reader::reflections(uint32_t limit, bool with_history,
                                                        bool archived) {
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  Query st = store_.db().prepare(
      "SELECT author, reflection_id, shared, first_lamport, created_ms, head_lamport,"
      " updated_ms, head_source, head_row FROM reflections WHERE forgotten = 0 AND"
      HEARTH_NOT_HELD("head_source", "head_row") " AND" HEARTH_ARCHIVED("0", "reflections", "reflection_id")
      " ORDER BY created_ms DESC, first_lamport DESC LIMIT :l");
  st.bind(1, hold ? 1 : 0).bind(2, archived ? 1 : 0).bind(3, sql_limit(limit));
  return load_reflections(st, with_history);
}

Result<std::vector<ReflectionItem>> Reader::load_reflections(Query& st, bool with_history) {
  // The rows first, then each item: loading one runs other statements.
  std::vector<std::pair<model::ReflectionKey, model::ReflectionView>> rows;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    HEARTH_ASSIGN_OR_RETURN(const Key32 author, store_.authors().key_of(row->int64(0)));
    rows.push_back({{author, to_array<16>(row->blob(1))}, reflection_view_of(*row, 2)});
  }
  std::vector<ReflectionItem> out;
  out.reserve(rows.size());
  for (const auto& [key, view] : rows) {
    HEARTH_ASSIGN_OR_RETURN(ReflectionItem item, load_reflection(key, view, with_history));
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<ReflectionItem>> Reader::reflection_page(const std::optional<PageCursor>& after,
                                                            uint32_t limit) {
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  const int64_t me = store_.self_author();
  // reflections_by_created_11 is (forgotten, created_ms) and, the table being
  // WITHOUT ROWID, then its key (reflection_id, author): the range starts at
  // the cursor and is read in order, sorted only among rows of one
  // (created_ms, reflection_id), which is one row but for a collision.
  Query st = store_.db().prepare(
      "SELECT author, reflection_id, shared, first_lamport, created_ms, head_lamport,"
      " updated_ms, head_source, head_row FROM reflections WHERE forgotten = 0 AND"
      HEARTH_NOT_HELD("head_source", "head_row") " AND created_ms >= :c AND (:s = 0 OR"
      " created_ms > :c OR reflection_id > :i OR"
      " (reflection_id = :i AND (author = :me) > :m))"
      " ORDER BY created_ms, reflection_id, author = :me LIMIT :l");
  // `created_ms >= :c` is what bounds the index range; the rest orders ties.
  st.bind(1, hold ? 1 : 0);
  st.bind(2, after ? after->created_ms : std::numeric_limits<int64_t>::min());
  st.bind(3, after ? 1 : 0);
  st.bind(4, after ? ByteView(after->id) : ByteView());
  st.bind(5, me).bind(6, after && after->mine ? 1 : 0);
  st.bind(7, static_cast<int64_t>(limit));
  return load_reflections(st, true);
}

Result<ReflectionItem> Reader::reflection(const model::ReflectionKey& key, bool with_history) {
  HEARTH_ASSIGN_OR_RETURN(model::ReflectionView view, store_.views().reflection(key));
  if (!view.exists() || view.forgotten) return Status::not_found("no such reflection");
  return load_reflection(key, view, with_history);
}

Result<std::vector<model::ReflectionKey>> Reader::find_reflections(std::string_view hex_prefix) {
  HEARTH_ASSIGN_OR_RETURN(std::string prefix, normalize_id_prefix(hex_prefix));
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  Query st = store_.db().prepare(
      "SELECT author, reflection_id FROM reflections WHERE forgotten = 0 AND"
      HEARTH_ID_MATCHES("reflection_id") " AND"
      HEARTH_NOT_HELD("head_source", "head_row") " LIMIT 10");
  st.bind_text(1, prefix).bind(2, hold ? 1 : 0);
  return author_id_keys<model::ReflectionKey>(store_.authors(), st);
}

Result<BoundaryItem> Reader::boundary(const model::EntityId& id) {
  BoundaryItem item;
  item.id = id;
  HEARTH_ASSIGN_OR_RETURN(item.facts, store_.views().boundary_facts(id));
  auto view = model::derive(item.facts);
  if (!view) return Status::not_found("no such boundary");
  item.view = *view;
  for (const model::RevisionFact* f : model::counted_revisions(item.facts)) {
    HEARTH_ASSIGN_OR_RETURN(model::BoundaryPropose words,
                            payload_or(store_, f->ref, unavailable_words<model::BoundaryPropose>()));
    item.revisions.push_back({*f, std::move(words)});
  }
  for (const auto& f : item.facts.responses) {
    HEARTH_ASSIGN_OR_RETURN(model::BoundaryRespond r,
                            payload_or(store_, f.ref, model::BoundaryRespond{}));
    if (!r.note.empty()) item.notes[f.ref] = std::move(r.note);
  }
  for (const auto& f : item.facts.withdrawals) {
    HEARTH_ASSIGN_OR_RETURN(model::BoundaryWithdraw w,
                            payload_or(store_, f.ref, model::BoundaryWithdraw{}));
    if (!w.note.empty()) item.notes[f.ref] = std::move(w.note);
  }
  return item;
}

Result<std::vector<BoundaryItem>> Reader::boundaries(uint32_t limit, bool with_history) {
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  Query st = store_.db().prepare(
      "SELECT boundary_id, kind, status, first_proposer FROM boundaries WHERE"
      HEARTH_NOT_HELD("0", "first_row") " ORDER BY created_ms DESC, boundary_id");
  st.bind(1, hold ? 1 : 0);
  // The group each boundary is listed in (docs/DESIGN.md §5.4).
  struct Listed {
    int group;
    model::EntityId id;
  };
  const int64_t self = store_.self_author();
  std::vector<Listed> listed;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    const auto status = static_cast<model::BoundaryStatus>(row->int64(2));
    const bool limit_kind = row->int64(1) == static_cast<int>(model::BoundaryKind::kLimit);
    int group;
    if (model::is_history(status)) {
      if (!with_history) continue;
      group = 5;
    } else if (limit_kind) {
      group = row->int64(3) == self ? 0 : 1;
    } else if (status == model::BoundaryStatus::kAgreed ||
               status == model::BoundaryStatus::kRenegotiating) {
      group = 2;
    } else {
      group = 3;
    }
    listed.push_back({group, to_array<16>(row->blob(0))});
  }
  std::stable_sort(listed.begin(), listed.end(),
                   [](const Listed& a, const Listed& b) { return a.group < b.group; });
  if (limit != 0 && listed.size() > limit) listed.resize(limit);
  std::vector<BoundaryItem> out;
  out.reserve(listed.size());
  for (const auto& l : listed) {
    HEARTH_ASSIGN_OR_RETURN(BoundaryItem item, boundary(l.id));
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<model::EntityId>> Reader::find_boundaries(std::string_view hex_prefix) {
  HEARTH_ASSIGN_OR_RETURN(std::string prefix, normalize_id_prefix(hex_prefix));
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  Query st = store_.db().prepare(
      "SELECT boundary_id FROM boundaries WHERE" HEARTH_ID_MATCHES("boundary_id") " AND"
      HEARTH_NOT_HELD("0", "first_row") " LIMIT 10");
  st.bind_text(1, prefix).bind(2, hold ? 1 : 0);
  std::vector<model::EntityId> out;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    out.push_back(to_array<16>(row->blob(0)));
  }
  return out;
}

Result<std::vector<CheckInItem>> Reader::check_ins(uint32_t limit, bool archived) {
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  Query st = store_.db().prepare(
      "SELECT author, check_in_id FROM check_ins WHERE forgotten = 0 AND"
      HEARTH_NOT_HELD("head_source", "head_row") " AND" HEARTH_ARCHIVED("1", "check_ins", "check_in_id")
      " ORDER BY created_ms DESC, first_lamport DESC LIMIT :l");
  st.bind(1, hold ? 1 : 0).bind(2, archived ? 1 : 0).bind(3, sql_limit(limit));
  std::vector<std::pair<model::DeviceKey, model::EntityId>> keys;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    HEARTH_ASSIGN_OR_RETURN(const Key32 author, store_.authors().key_of(row->int64(0)));
    keys.push_back({author, to_array<16>(row->blob(1))});
  }
  std::vector<CheckInItem> out;
  for (const auto& [author, id] : keys) {
    auto item = check_in(author, id);
    if (!item.is_ok() && unopenable(item.status())) continue;  // its capacity is unknown here
    HEARTH_TRY(item.status());
    out.push_back(std::move(*item));
  }
  return out;
}

Result<CheckInItem> Reader::check_in(const model::DeviceKey& author, const model::EntityId& id) {
  CheckInItem item;
  item.author = author;
  HEARTH_ASSIGN_OR_RETURN(item.view, store_.views().check_in({author, id}));
  if (!item.view.exists() || item.view.forgotten) return Status::not_found("no such check-in");
  HEARTH_ASSIGN_OR_RETURN(item.words, payload_as<model::CheckIn>(store_, item.view.head.ref));
  HEARTH_ASSIGN_OR_RETURN(item.archived, is_archived(store_, 1, author, ByteView(id)));
  // Replies count only from the other partner; each reply ID once (its first).
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, store_.authors().find(author));
  Query st = store_.db().prepare(
      "SELECT row, author, wall_ms FROM need_replies WHERE check_in_id = ? AND author != ?"
      " GROUP BY reply_id HAVING lamport = min(lamport) ORDER BY wall_ms, lamport");
  st.bind(1, id).bind(2, a);
  std::vector<std::pair<int64_t, CheckInItem::Reply>> rows;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    HEARTH_ASSIGN_OR_RETURN(const Key32 by, store_.authors().key_of(row->int64(1)));
    rows.push_back({row->int64(0), {by, row->int64(2), {}}});
  }
  for (auto& [row, reply] : rows) {
    auto words = payload_as<model::NeedReply>(store_, {EntryRef::Source::kShared, row});
    if (!words) continue;  // a reply whose words cannot be read is left out
    reply.text = std::move(words->text);
    item.replies.push_back(std::move(reply));
  }
  return item;
}

Result<std::vector<model::CheckInKey>> Reader::find_check_ins(std::string_view hex_prefix) {
  HEARTH_ASSIGN_OR_RETURN(std::string prefix, normalize_id_prefix(hex_prefix));
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  Query st = store_.db().prepare(
      "SELECT author, check_in_id FROM check_ins WHERE forgotten = 0 AND"
      HEARTH_ID_MATCHES("check_in_id") " AND"
      HEARTH_NOT_HELD("head_source", "head_row") " LIMIT 10");
  st.bind_text(1, prefix).bind(2, hold ? 1 : 0);
  return author_id_keys<model::CheckInKey>(store_.authors(), st);
}

Result<PauseItem> Reader::pause(const model::DeviceKey& author) {
  PauseItem item;
  item.author = author;
  HEARTH_ASSIGN_OR_RETURN(item.view, store_.views().pause(author));
  model::PauseClock clock;
  if (author != store_.keys().self() && item.view.order.lamport != 0) {
    HEARTH_ASSIGN_OR_RETURN(clock, store_.arrivals().clock_of(item.view.ref.row));
  }
  item.window = model::window_of(item.view, clock);
  if (item.view.order.lamport != 0 && item.view.paused) {
    HEARTH_ASSIGN_OR_RETURN(model::Pause p, payload_or(store_, item.view.ref, model::Pause{}));
    item.note = std::move(p.note);
  }
  return item;
}

Result<bool> Reader::holding() {
  if (!clock_) return false;
  return store_.arrivals().own_pause_active(clock_());
}

Result<Counts> Reader::counts() {
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  if (!hold) {
    // Kept as the views change (store/sql/10-counts.sql): O(1) at any size.
    Query kept = store_.db().prepare(
        "SELECT (SELECT n FROM view_counts WHERE kind = 0),"
        " (SELECT n FROM view_counts WHERE kind = 1), (SELECT n FROM view_counts WHERE kind = 2)");
    HEARTH_ASSIGN_OR_RETURN(bool row, kept.step());
    if (!row) return Status::internal("no counts");
    Counts c;
    c.reflections = static_cast<uint32_t>(kept.int64(0));
    c.boundaries = static_cast<uint32_t>(kept.int64(1));
    c.check_ins = static_cast<uint32_t>(kept.int64(2));
    return c;
  }
  // During this device's own pause the partner's entries that arrived since
  // are held back from every count: counted row by row.
  Query st = store_.db().prepare(
      "SELECT (SELECT count(*) FROM reflections WHERE forgotten = 0 AND"
      HEARTH_NOT_HELD("head_source", "head_row") "),"
      " (SELECT count(*) FROM boundaries WHERE" HEARTH_NOT_HELD("0", "first_row") "),"
      " (SELECT count(*) FROM check_ins WHERE forgotten = 0 AND"
      HEARTH_NOT_HELD("head_source", "head_row") ")");
  st.bind(1, hold ? 1 : 0);
  HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
  Counts c;
  if (row) {
    c.reflections = static_cast<uint32_t>(st.int64(0));
    c.boundaries = static_cast<uint32_t>(st.int64(1));
    c.check_ins = static_cast<uint32_t>(st.int64(2));
  }
  return c;
}

Result<uint32_t> Reader::waiting() {
  HEARTH_ASSIGN_OR_RETURN(bool hold, holding());
  if (!hold) return uint32_t{0};
  Query st = store_.db().prepare(
      "SELECT (SELECT count(*) FROM reflections WHERE forgotten = 0 AND head_source = 0 AND"
      "        head_row IN (SELECT row FROM held_rows))"
      " + (SELECT count(*) FROM boundaries WHERE first_row IN (SELECT row FROM held_rows))"
      " + (SELECT count(*) FROM check_ins WHERE forgotten = 0 AND head_source = 0 AND"
      "    head_row IN (SELECT row FROM held_rows))");
  HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
  uint32_t n = row ? static_cast<uint32_t>(st.int64(0)) : 0;
  return n;
}

}  // namespace hearth::store
