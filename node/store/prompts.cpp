#include "store/prompts.h"

#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "crypto/entity_id.h"
#include "crypto/hash.h"
#include "prompts/deck.h"

namespace hearth::store {
namespace {

constexpr std::string_view kAskPrefix = "ask-";

template <typename T>
Result<T> payload_at(Store& store, const model::EntryRef& ref) {
  HEARTH_ASSIGN_OR_RETURN(model::Entry e, store.loader().load(ref));
  if (!std::holds_alternative<T>(e.payload))
    return Status::corrupt("a prompt fact points at the wrong kind of entry");
  return std::get<T>(std::move(e.payload));
}

Secret key_of(const model::AnswerKeyBytes& bytes) {
  return Secret::copy_of(ByteView(bytes.data(), bytes.size()));
}

model::AnswerKeyBytes bytes_of(const Secret& key) {
  model::AnswerKeyBytes out{};
  std::memcpy(out.data(), key.data(), out.size());
  return out;
}

model::EntityId new_id() { return crypto::new_entity_id(system_clock_ms()); }

}  // namespace

Result<std::optional<model::EntryRef>> Prompts::own_key(const model::EntityId& answer_id) {
  return store_.views().answer_key(answer_id);
}

Result<AnswerView> Prompts::read_answer(const model::AnswerFact& fact, bool mine) {
  AnswerView out;
  out.author = fact.order.author;
  out.answer_id = fact.answer_id;
  out.at_ms = fact.wall_ms;
  HEARTH_ASSIGN_OR_RETURN(std::optional<model::RevealFact> reveal,
                          store_.views().reveal({fact.order.author, fact.answer_id}));
  out.revealed = reveal.has_value();
  std::optional<model::AnswerKeyBytes> key;
  if (mine) {
    HEARTH_ASSIGN_OR_RETURN(std::optional<model::EntryRef> ref, own_key(fact.answer_id));
    if (ref) {
      HEARTH_ASSIGN_OR_RETURN(model::AnswerKey k, payload_at<model::AnswerKey>(store_, *ref));
      key = k.key;
      out.note = std::move(k.note);
      wipe(std::span<uint8_t>(k.key));
    }
  } else if (reveal) {
    HEARTH_ASSIGN_OR_RETURN(model::AnswerReveal r, payload_at<model::AnswerReveal>(store_, reveal->ref));
    key = r.key;
    wipe(std::span<uint8_t>(r.key));
  }
  if (key) {
    HEARTH_ASSIGN_OR_RETURN(model::PromptAnswer a, payload_at<model::PromptAnswer>(store_, fact.ref));
    const Secret secret = key_of(*key);
    wipe(std::span<uint8_t>(*key));
    // A key that does not open the answer (a modified partner's) reveals nothing.
    auto words = wire::open_answer(fact.answer_id, secret, a.sealed);
    if (words) out.words = std::move(*words);
  }
  return out;
}

Result<PromptItem> Prompts::item(const model::PromptKey& key, const model::DeviceKey& partner) {
  PromptItem item;
  item.key = key;
  if (const prompts::Prompt* p = prompts::find_builtin(key.prompt_id)) {
    item.text = p->text;
    item.depth = p->depth;
    item.group = p->group;
    item.deck = prompts::deck_of(key.prompt_id)->id;
  } else {
    model::EntryRef ref{model::EntryRef::Source::kShared, 0};
    {
      // The first ask in (lamport, author) order: rows name authors by
      // number, so a tie of lamports is settled here, by the keys.
      Query st = store_.db().prepare(
          "SELECT row, author, wall_ms, lamport FROM prompt_facts WHERE kind = 0 AND"
          " prompt_id = ? ORDER BY lamport");
      st.bind_text(1, key.prompt_id);
      std::optional<model::Order> first;
      for (auto row : st.rows()) {
        HEARTH_TRY(row.status());
        HEARTH_ASSIGN_OR_RETURN(const Key32 author, store_.authors().key_of(row->int64(1)));
        const model::Order order{static_cast<uint64_t>(row->int64(3)), author};
        if (first && !(order < *first)) continue;
        first = order;
        ref.row = row->int64(0);
        item.asked_by = author;
        item.updated_ms = row->int64(2);
      }
      if (!first) return Status::not_found("no prompt has the ID " + key.prompt_id);
    }
    HEARTH_ASSIGN_OR_RETURN(model::PromptAsk ask, payload_at<model::PromptAsk>(store_, ref));
    item.text = std::move(ask.text);
    item.depth = ask.depth;
  }
  HEARTH_ASSIGN_OR_RETURN(model::PromptFacts facts, store_.views().prompt_facts(key));
  const Key32& self = store_.keys().self();
  item.status = model::status_of(facts, self, partner);
  if (const auto* a = facts.answer_of(self)) {
    HEARTH_ASSIGN_OR_RETURN(AnswerView v, read_answer(*a, true));
    item.mine = std::move(v);
  }
  if (const auto* a = facts.answer_of(partner)) {
    HEARTH_ASSIGN_OR_RETURN(AnswerView v, read_answer(*a, false));
    item.partner = std::move(v);
  }
  item.i_passed = facts.passed_by(self);
  item.partner_passed = facts.passed_by(partner);
  for (const auto& a : facts.answers) item.updated_ms = std::max(item.updated_ms, a.wall_ms);
  for (const auto& p : facts.passes) item.updated_ms = std::max(item.updated_ms, p.wall_ms);
  return item;
}

Result<std::vector<PromptItem>> Prompts::active(const model::DeviceKey& partner) {
  Query st = store_.db().prepare(
      "SELECT prompt_id, round FROM prompt_facts WHERE kind IN (0, 1, 3) AND prompt_id NOT LIKE"
      " 'ynm-%' GROUP BY prompt_id, round ORDER BY max(wall_ms) DESC, prompt_id");
  std::vector<model::PromptKey> keys;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    ByteView round = row->blob(1);
    keys.push_back({std::string(row->text(0)), Bytes(round.begin(), round.end())});
  }
  std::vector<PromptItem> out;
  for (const auto& k : keys) {
    HEARTH_ASSIGN_OR_RETURN(PromptItem item, this->item(k, partner));
    out.push_back(std::move(item));
  }
  return out;
}

Result<std::string> Prompts::ask(std::string_view text, uint8_t depth) {
  uint8_t random[8];
  randombytes_buf(random, sizeof random);
  std::string id = std::string(kAskPrefix) + to_hex(ByteView(random, sizeof random));
  for (char& c : id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  HEARTH_TRY(journal_.write(model::PromptAsk{id, std::string(text), depth}, Visibility::kShared)
                 .status());
  return id;
}

Result<model::EntityId> Prompts::answer(const model::PromptKey& key,
                                        const wire::AnswerWords& words, std::string_view note,
                                        const model::DeviceKey& partner) {
  HEARTH_ASSIGN_OR_RETURN(PromptItem current, item(key, partner));
  const bool ynm = prompts::deck_of(key.prompt_id) != nullptr &&
                   prompts::deck_of(key.prompt_id)->is_ynm();
  if (ynm != !key.round.empty())
    return Status::invalid(ynm ? "a yes / no / maybe item is answered within a round"
                               : "only a yes / no / maybe item has a round");
  if (ynm && words.choice == model::Choice::kNone)
    return Status::invalid("answer a yes / no / maybe item with yes, no or maybe");
  if (!ynm && (words.choice != model::Choice::kNone || words.text.empty()))
    return Status::invalid("answer a prompt in words");
  if (words.text.size() > model::kMaxAnswerText)
    return Status::invalid("an answer is at most 16 KiB");
  if (current.mine)
    return Status::refused(
        "you have answered this one already; an answer is sealed as it was written and is not "
        "changed");
  const model::EntityId answer_id = new_id();
  wire::SealedAnswer sealed = wire::seal_answer(answer_id, words);
  model::AnswerKey private_key{answer_id, bytes_of(sealed.key), std::string(note)};
  std::vector<Journal::Write> writes;
  writes.push_back({private_key, Visibility::kPrivate});
  writes.push_back({model::PromptAnswer{key.prompt_id, answer_id, key.round, std::move(sealed.sealed)},
                    Visibility::kShared});
  wipe(std::span<uint8_t>(private_key.key));
  auto written = journal_.write_all(writes);
  if (auto* k = std::get_if<model::AnswerKey>(&writes.front().payload))
    wipe(std::span<uint8_t>(k->key));
  HEARTH_TRY(written.status());
  HEARTH_TRY(reveal_due(partner).status());
  return answer_id;
}

Status Prompts::pass(const model::PromptKey& key) {
  HEARTH_ASSIGN_OR_RETURN(model::PromptFacts facts, store_.views().prompt_facts(key));
  if (facts.answer_of(store_.keys().self()) != nullptr)
    return Status::refused("you have answered this one already");
  if (facts.passed_by(store_.keys().self())) return Status::ok();
  return journal_.write(model::PromptPass{key.prompt_id, key.round}, Visibility::kShared).status();
}

Status Prompts::reveal_now(const model::PromptKey& key) {
  HEARTH_ASSIGN_OR_RETURN(model::PromptFacts facts, store_.views().prompt_facts(key));
  const Key32& self = store_.keys().self();
  const model::AnswerFact* mine = facts.answer_of(self);
  if (mine == nullptr) return Status::refused("you have not answered this one; there is nothing to show");
  HEARTH_ASSIGN_OR_RETURN(std::optional<model::RevealFact> done,
                          store_.views().reveal({self, mine->answer_id}));
  if (done) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(std::optional<model::EntryRef> ref, own_key(mine->answer_id));
  if (!ref) return Status::internal("this device no longer holds the key of its answer");
  HEARTH_ASSIGN_OR_RETURN(model::AnswerKey k, payload_at<model::AnswerKey>(store_, *ref));
  model::AnswerReveal reveal{mine->answer_id, k.key};
  wipe(std::span<uint8_t>(k.key));
  Status st = journal_.write(reveal, Visibility::kShared).status();
  wipe(std::span<uint8_t>(reveal.key));
  return st;
}

Result<int> Prompts::reveal_due(const model::DeviceKey& partner) {
  const int64_t self = store_.self_author();
  HEARTH_ASSIGN_OR_RETURN(const int64_t theirs, store_.authors().find(partner));
  Query st = store_.db().prepare(
      "SELECT DISTINCT mine.prompt_id, mine.round FROM prompt_facts mine"
      " JOIN prompt_facts theirs ON theirs.kind = 1 AND theirs.author = ?2"
      "  AND theirs.prompt_id = mine.prompt_id AND theirs.round = mine.round"
      " WHERE mine.kind = 1 AND mine.author = ?1 AND NOT EXISTS (SELECT 1 FROM prompt_facts r"
      "  WHERE r.kind = 2 AND r.author = ?1 AND r.answer_id = mine.answer_id)");
  st.bind(1, self).bind(2, theirs);
  std::vector<model::PromptKey> due;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    ByteView round = row->blob(1);
    due.push_back({std::string(row->text(0)), Bytes(round.begin(), round.end())});
  }
  for (const auto& key : due) HEARTH_TRY(reveal_now(key));
  return static_cast<int>(due.size());
}

Result<std::optional<std::string>> Prompts::today(const model::DeviceKey& partner,
                                                  std::string_view local_date,
                                                  uint8_t max_depth) {
  // Done for both: answered by both, or passed by either.
  Query st = store_.db().prepare(
      "SELECT prompt_id FROM prompt_facts WHERE round = x'' AND kind = 3"
      " UNION SELECT prompt_id FROM prompt_facts WHERE round = x'' AND kind = 1"
      " GROUP BY prompt_id HAVING count(DISTINCT author) >= 2");
  std::vector<std::string> done;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    done.emplace_back(row->text(0));
  }
  std::vector<const prompts::Prompt*> candidates;
  for (const prompts::Deck& deck : prompts::builtin_decks()) {
    if (deck.is_ynm()) continue;
    for (const prompts::Prompt& p : deck.prompts)
      if (p.depth <= max_depth && std::find(done.begin(), done.end(), p.id) == done.end())
        candidates.push_back(&p);
  }
  if (candidates.empty()) return std::optional<std::string>();
  // The pair's two keys in a fixed order, so both devices hash the same bytes.
  const Key32& self = store_.keys().self();
  const Key32& low = std::min(self, partner), &high = std::max(self, partner);
  constexpr std::string_view kLabel = "hearth/today/v1";
  const uint8_t depth = max_depth;
  const Hash32 h = crypto::blake2b_256(
      {ByteView(reinterpret_cast<const uint8_t*>(kLabel.data()), kLabel.size()), low, high,
       ByteView(reinterpret_cast<const uint8_t*>(local_date.data()), local_date.size()),
       ByteView(&depth, 1)});
  uint64_t pick = 0;
  std::memcpy(&pick, h.data(), sizeof pick);
  return std::optional<std::string>(candidates[pick % candidates.size()]->id);
}

Result<std::optional<model::PromptKey>> Prompts::prompt_of_answer(const model::EntityId& answer_id) {
  Query st = store_.db().prepare(
      "SELECT prompt_id, round FROM prompt_facts WHERE kind = 1 AND answer_id = ? LIMIT 1");
  st.bind(1, answer_id);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  std::optional<model::PromptKey> out;
  if (found) {
    ByteView round = st.blob(1);
    out = model::PromptKey{std::string(st.text(0)), Bytes(round.begin(), round.end())};
  }
  return out;
}

Result<std::vector<Round>> Prompts::rounds() {
  Query st = store_.db().prepare(
      "SELECT round, author, wall_ms FROM prompt_facts WHERE kind = 4"
      " ORDER BY wall_ms DESC, lamport DESC");
  std::vector<Round> out;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    if (row->blob(0).size() != 16) continue;
    HEARTH_ASSIGN_OR_RETURN(const Key32 author, store_.authors().key_of(row->int64(1)));
    out.push_back({to_array<16>(row->blob(0)), row->int64(2), author});
  }
  return out;
}

Result<model::EntityId> Prompts::start_round() {
  const model::EntityId id = new_id();
  HEARTH_TRY(journal_.write(model::YnmRound{id}, Visibility::kShared).status());
  return id;
}

}  // namespace hearth::store
