#include "store/reader.h"

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

model::ReflectionView reflection_view_of(const Statement& st, int first) {
  model::ReflectionView v;
  v.forgotten = false;
  v.shared = st.int64(first) != 0;
  v.first_lamport = static_cast<uint64_t>(st.int64(first + 1));
  v.created_ms = st.int64(first + 2);
  v.head_lamport = static_cast<uint64_t>(st.int64(first + 3));
  v.updated_ms = st.int64(first + 4);
  v.head = {st.int64(first + 5) == 1 ? EntryRef::Source::kPrivate : EntryRef::Source::kShared,
            st.int64(first + 6)};
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
  HEARTH_ASSIGN_OR_RETURN(
      item.current,
      payload_or(store_, view.head, unavailable_words<model::ReflectionPut>(), &item.unavailable));
  if (view.head.source == EntryRef::Source::kShared) {
    HEARTH_ASSIGN_OR_RETURN(StoredEvent head, store_.events().read_row(view.head.row));
    item.head_seq = head.seq;
  }
  if (!with_history) return item;
  Statement& st = store_.db().prepare(
      "SELECT source, row, wall_ms FROM reflection_versions WHERE author = ? AND"
      " reflection_id = ? ORDER BY lamport");
  st.bind(1, key.author).bind(2, key.id);
  std::vector<std::pair<EntryRef, int64_t>> refs;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    refs.push_back({{st.int64(0) == 1 ? EntryRef::Source::kPrivate : EntryRef::Source::kShared,
                     st.int64(1)},
                    st.int64(2)});
  }
  st.reset();
  for (const auto& [ref, wall] : refs) {
    HEARTH_ASSIGN_OR_RETURN(model::ReflectionPut put,
                            payload_or(store_, ref, unavailable_words<model::ReflectionPut>()));
    item.history.push_back({wall, ref.source == EntryRef::Source::kShared, std::move(put)});
  }
  return item;
}

Result<std::vector<ReflectionItem>> Reader::reflections(uint32_t limit, bool with_history) {
  Statement& st = store_.db().prepare(
      "SELECT author, reflection_id, shared, first_lamport, created_ms, head_lamport,"
      " updated_ms, head_source, head_row FROM reflections WHERE forgotten = 0"
      " ORDER BY created_ms DESC, first_lamport DESC LIMIT ?");
  st.bind(1, sql_limit(limit));
  std::vector<std::pair<model::ReflectionKey, model::ReflectionView>> rows;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    rows.push_back({{to_array<32>(st.blob(0)), to_array<16>(st.blob(1))}, reflection_view_of(st, 2)});
  }
  st.reset();
  std::vector<ReflectionItem> out;
  out.reserve(rows.size());
  for (const auto& [key, view] : rows) {
    HEARTH_ASSIGN_OR_RETURN(ReflectionItem item, load_reflection(key, view, with_history));
    out.push_back(std::move(item));
  }
  return out;
}

Result<ReflectionItem> Reader::reflection(const model::ReflectionKey& key, bool with_history) {
  HEARTH_ASSIGN_OR_RETURN(model::ReflectionView view, store_.views().reflection(key));
  if (!view.exists() || view.forgotten) return Status::not_found("no such reflection");
  return load_reflection(key, view, with_history);
}

Result<std::vector<model::ReflectionKey>> Reader::find_reflections(std::string_view hex_prefix) {
  HEARTH_ASSIGN_OR_RETURN(std::string prefix, normalize_id_prefix(hex_prefix));
  Statement& st = store_.db().prepare(
      "SELECT author, reflection_id FROM reflections WHERE forgotten = 0 AND"
      " (substr(hex(reflection_id), 1, length(?1)) = ?1 OR"
      "  substr(hex(reflection_id), -length(?1)) = ?1 OR"
      "  substr(hex(reflection_id), -8, length(?1)) = ?1) LIMIT 10");
  st.bind_text(1, prefix);
  std::vector<model::ReflectionKey> out;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back({to_array<32>(st.blob(0)), to_array<16>(st.blob(1))});
  }
  st.reset();
  return out;
}

Result<BoundaryItem> Reader::boundary(const model::EntityId& id) {
  BoundaryItem item;
  item.id = id;
  HEARTH_ASSIGN_OR_RETURN(item.facts, store_.views().boundary_facts(id));
  auto view = model::derive(item.facts);
  if (!view) return Status::not_found("no such boundary");
  item.view = *view;
  for (const auto& f : item.facts.revisions) {
    HEARTH_ASSIGN_OR_RETURN(model::BoundaryPropose words,
                            payload_or(store_, f.ref, unavailable_words<model::BoundaryPropose>()));
    item.revisions.push_back({f, std::move(words)});
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

Result<std::vector<BoundaryItem>> Reader::boundaries(uint32_t limit) {
  Statement& st = store_.db().prepare(
      "SELECT boundary_id FROM boundaries ORDER BY created_ms DESC, boundary_id LIMIT ?");
  st.bind(1, sql_limit(limit));
  std::vector<model::EntityId> ids;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    ids.push_back(to_array<16>(st.blob(0)));
  }
  st.reset();
  std::vector<BoundaryItem> out;
  for (const auto& id : ids) {
    HEARTH_ASSIGN_OR_RETURN(BoundaryItem item, boundary(id));
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::vector<model::EntityId>> Reader::find_boundaries(std::string_view hex_prefix) {
  HEARTH_ASSIGN_OR_RETURN(std::string prefix, normalize_id_prefix(hex_prefix));
  Statement& st = store_.db().prepare(
      "SELECT boundary_id FROM boundaries WHERE substr(hex(boundary_id), 1, length(?1)) = ?1"
      " OR substr(hex(boundary_id), -length(?1)) = ?1"
      " OR substr(hex(boundary_id), -8, length(?1)) = ?1 LIMIT 10");
  st.bind_text(1, prefix);
  std::vector<model::EntityId> out;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back(to_array<16>(st.blob(0)));
  }
  st.reset();
  return out;
}

Result<std::vector<CheckInItem>> Reader::check_ins(uint32_t limit) {
  Statement& st = store_.db().prepare(
      "SELECT author, check_in_id FROM check_ins ORDER BY wall_ms DESC, lamport DESC LIMIT ?");
  st.bind(1, sql_limit(limit));
  std::vector<std::pair<model::DeviceKey, model::EntityId>> keys;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    keys.push_back({to_array<32>(st.blob(0)), to_array<16>(st.blob(1))});
  }
  st.reset();
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
  Statement& st = store_.db().prepare(
      "SELECT lamport, wall_ms, source, row FROM check_ins WHERE author = ? AND check_in_id = ?");
  st.bind(1, author).bind(2, id);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found) {
    st.reset();
    return Status::not_found("no such check-in");
  }
  CheckInItem item;
  item.author = author;
  item.view.meta.order = {static_cast<uint64_t>(st.int64(0)), author};
  item.view.meta.wall_ms = st.int64(1);
  item.view.meta.ref = {st.int64(2) == 1 ? EntryRef::Source::kPrivate : EntryRef::Source::kShared,
                        st.int64(3)};
  st.reset();
  HEARTH_ASSIGN_OR_RETURN(item.words, payload_as<model::CheckIn>(store_, item.view.meta.ref));
  return item;
}

Result<PauseItem> Reader::pause() {
  PauseItem item;
  HEARTH_ASSIGN_OR_RETURN(item.view, store_.views().pause());
  if (item.view.order.lamport != 0 && item.view.paused) {
    HEARTH_ASSIGN_OR_RETURN(model::Pause p, payload_or(store_, item.view.ref, model::Pause{}));
    item.note = std::move(p.note);
  }
  return item;
}

Result<Counts> Reader::counts() {
  Statement& st = store_.db().prepare(
      "SELECT (SELECT count(*) FROM reflections WHERE forgotten = 0),"
      " (SELECT count(*) FROM boundaries), (SELECT count(*) FROM check_ins)");
  HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
  Counts c;
  if (row) {
    c.reflections = static_cast<uint32_t>(st.int64(0));
    c.boundaries = static_cast<uint32_t>(st.int64(1));
    c.check_ins = static_cast<uint32_t>(st.int64(2));
  }
  st.reset();
  return c;
}

}  // namespace hearth::store
