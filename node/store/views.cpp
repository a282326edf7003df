#include "store/views.h"

namespace hearth::store {
namespace {

using model::EntryRef;

int source_of(const EntryRef& ref) { return static_cast<int>(ref.source); }
EntryRef ref_of(int64_t source, int64_t row) {
  return {source == 1 ? EntryRef::Source::kPrivate : EntryRef::Source::kShared, row};
}
EntryRef shared_ref(int64_t row) { return {EntryRef::Source::kShared, row}; }

// boundary_facts.kind (store/sql/05-*.sql).
constexpr int kPropose = 0, kRespond = 1, kWithdraw = 2, kDrop = 3;
// prompt_facts.kind (store/sql/06-*.sql).
constexpr int kAsk = 0, kAnswer = 1, kReveal = 2, kPass = 3, kRound = 4;

}  // namespace

Status Views::apply(const model::Entry& e) {
  const model::EntryMeta& m = e.meta;
  struct Visitor {
    Views& v;
    const model::EntryMeta& m;
    Status operator()(const model::ReflectionPut& p) { return v.apply_put(m, p); }
    Status operator()(const model::ReflectionForget& p) { return v.apply_forget(m, p); }
    Status operator()(const model::BoundaryPropose& p) {
      return v.add_boundary_fact(p.boundary_id, m, {kPropose, &m.event_id, -1,
                                                    static_cast<int>(p.kind), 0});
    }
    Status operator()(const model::BoundaryRespond& p) {
      return v.add_boundary_fact(p.boundary_id, m, {kRespond, &p.revision,
                                                    static_cast<int>(p.response), -1,
                                                    p.ask_again_after_ms});
    }
    Status operator()(const model::BoundaryWithdraw& p) {
      return v.add_boundary_fact(p.boundary_id, m, {kWithdraw, nullptr, -1, -1, 0});
    }
    Status operator()(const model::BoundaryDrop& p) {
      return v.add_boundary_fact(p.boundary_id, m, {kDrop, &p.revision, -1, -1, 0});
    }
    Status operator()(const model::CheckIn& p) { return v.apply_check_in(m, p); }
    Status operator()(const model::CheckInForget& p) { return v.apply_check_in_forget(m, p); }
    Status operator()(const model::PromptAsk& p) {
      return v.add_prompt_fact(m, kAsk, p.prompt_id, {}, {});
    }
    Status operator()(const model::PromptAnswer& p) {
      return v.add_prompt_fact(m, kAnswer, p.prompt_id, p.round, p.answer_id);
    }
    Status operator()(const model::AnswerReveal& p) {
      return v.add_prompt_fact(m, kReveal, "", {}, p.answer_id);
    }
    Status operator()(const model::PromptPass& p) {
      return v.add_prompt_fact(m, kPass, p.prompt_id, p.round, {});
    }
    Status operator()(const model::YnmRound& p) {
      return v.add_prompt_fact(m, kRound, "", p.round_id, {});
    }
    Status operator()(const model::AnswerKey& p) { return v.add_answer_key(m, p); }
    Status operator()(const model::NeedReply& p) { return v.add_need_reply(m, p); }
    Status operator()(const model::PracticeInvite& p) {
      return v.add_practice_fact(m, 0, p.session_id, p.practice, p.stage, 0);
    }
    Status operator()(const model::PracticeJoin& p) {
      return v.add_practice_fact(m, 1, p.session_id, "", 0, 0);
    }
    Status operator()(const model::PracticeCheck& p) {
      return v.add_practice_fact(m, 2, p.session_id, "", 0, static_cast<int>(p.capacity));
    }
    Status operator()(const model::PracticeStop& p) {
      return v.add_practice_fact(m, 3, p.session_id, "", 0, 0);
    }
    Status operator()(const model::PracticeStage& p) {
      return v.add_practice_fact(m, 4, {}, p.practice, p.stage, 0);
    }
    Status operator()(const model::Pause& p) { return v.apply_pause(m, &p); }
    Status operator()(const model::Resume&) { return v.apply_pause(m, nullptr); }
  };
  return std::visit(Visitor{*this, m}, e.payload);
}

Status Views::clear() {
  return db_.exec(
      "DELETE FROM reflections; DELETE FROM reflection_versions; DELETE FROM boundary_facts;"
      "DELETE FROM boundaries; DELETE FROM check_ins; DELETE FROM check_in_copies;"
      "DELETE FROM pauses; DELETE FROM prompt_facts; DELETE FROM answer_keys;"
      "DELETE FROM need_replies; DELETE FROM practice_facts;");
}

// ---- reflections

Result<model::ReflectionView> Views::reflection(const model::ReflectionKey& key) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.find(key.author));
  return reflection(author, key.id);
}

Result<model::ReflectionView> Views::reflection(int64_t author, const model::EntityId& id) {
  Query st = db_.prepare(
      "SELECT forgotten, shared, first_lamport, created_ms, head_lamport, updated_ms,"
      " head_source, head_row FROM reflections WHERE author = ? AND reflection_id = ?");
  st.bind(1, author).bind_borrowed(2, id);
  model::ReflectionView v;
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) {
    v.forgotten = st.int64(0) != 0;
    v.shared = st.int64(1) != 0;
    v.first_lamport = static_cast<uint64_t>(st.int64(2));
    v.created_ms = st.int64(3);
    v.head_lamport = static_cast<uint64_t>(st.int64(4));
    v.updated_ms = st.int64(5);
    v.head = ref_of(st.int64(6), st.int64(7));
  }
  return v;
}

Status Views::save_reflection(int64_t author, const model::EntityId& id,
                              const model::ReflectionView& v) {
  Query st = db_.prepare(
      "INSERT INTO reflections (author, reflection_id, forgotten, shared,"
      " first_lamport, created_ms, head_lamport, updated_ms, head_source, head_row)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (reflection_id, author) DO UPDATE SET"
      " forgotten = excluded.forgotten, shared = excluded.shared,"
      " first_lamport = excluded.first_lamport, created_ms = excluded.created_ms,"
      " head_lamport = excluded.head_lamport, updated_ms = excluded.updated_ms,"
      " head_source = excluded.head_source, head_row = excluded.head_row");
  st.bind(1, author).bind_borrowed(2, id);
  st.bind(3, v.forgotten ? 1 : 0).bind(4, v.shared ? 1 : 0);
  st.bind(5, static_cast<int64_t>(v.first_lamport)).bind(6, v.created_ms);
  st.bind(7, static_cast<int64_t>(v.head_lamport)).bind(8, v.updated_ms);
  st.bind(9, source_of(v.head)).bind(10, v.head.row);
  return st.run();
}

Status Views::apply_put(const model::EntryMeta& m, const model::ReflectionPut& p) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(m.order.author));
  const model::EntityId& id = p.reflection_id;
  HEARTH_ASSIGN_OR_RETURN(model::ReflectionView cur, reflection(author, id));
  model::ReflectionView next = model::apply_put(cur, m);
  if (next.forgotten) return drop_words(m.ref);  // its author already forgot it
  Query st = db_.prepare(
      "INSERT OR IGNORE INTO reflection_versions (source, row, author, reflection_id, lamport,"
      " wall_ms) VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, source_of(m.ref)).bind(2, m.ref.row).bind(3, author).bind_borrowed(4, id);
  st.bind(5, static_cast<int64_t>(m.order.lamport)).bind(6, m.wall_ms);
  HEARTH_TRY(st.run());
  if (next == cur) return Status::ok();
  return save_reflection(author, id, next);
}

Status Views::apply_forget(const model::EntryMeta& m, const model::ReflectionForget& p) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(m.order.author));
  const model::EntityId& id = p.reflection_id;
  std::vector<EntryRef> versions;
  {
    Query st = db_.prepare(
        "SELECT source, row FROM reflection_versions WHERE author = ? AND reflection_id = ?");
    st.bind(1, author).bind(2, id);
    for (auto row : st.rows()) {
      HEARTH_TRY(row.status());
      versions.push_back(ref_of(row->int64(0), row->int64(1)));
    }
  }
  for (const auto& ref : versions) HEARTH_TRY(drop_words(ref));
  Query del = db_.prepare(
      "DELETE FROM reflection_versions WHERE author = ? AND reflection_id = ?");
  del.bind(1, author).bind(2, id);
  HEARTH_TRY(del.run());
  HEARTH_ASSIGN_OR_RETURN(model::ReflectionView cur, reflection(author, id));
  return save_reflection(author, id, model::apply_forget(cur));
}

Status Views::drop_words(const EntryRef& ref) {
  if (ref.source == EntryRef::Source::kPrivate) return privates_.remove(ref.row);
  return events_.drop_body(ref.row);
}

// ---- boundaries

Result<model::BoundaryFacts> Views::boundary_facts(const model::EntityId& id) {
  Query st = db_.prepare(
      "SELECT row, kind, author, lamport, wall_ms, revision, response, boundary_kind,"
      " ask_again_after FROM boundary_facts WHERE boundary_id = ?");
  st.bind(1, id);
  model::BoundaryFacts facts;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    HEARTH_ASSIGN_OR_RETURN(const model::Order order, order_of(row->int64(3), row->int64(2)));
    int64_t wall = row->int64(4);
    EntryRef ref = shared_ref(row->int64(0));
    switch (row->int64(1)) {
      case kPropose:
        facts.add(model::RevisionFact{to_array<32>(row->blob(5)), order, wall, ref,
                                      static_cast<model::BoundaryKind>(row->int64(7))});
        break;
      case kRespond:
        facts.add(model::ResponseFact{to_array<32>(row->blob(5)), order, wall,
                                      static_cast<model::Response>(row->int64(6)), ref,
                                      row->is_null(8) ? 0 : row->int64(8)});
        break;
      case kWithdraw:
        facts.add(model::WithdrawFact{order, wall, ref});
        break;
      default:
        facts.add(model::DropFact{to_array<32>(row->blob(5)), order, wall, ref});
        break;
    }
  }
  return facts;
}

Status Views::add_boundary_fact(const model::EntityId& id, const model::EntryMeta& m,
                                const FactRow& f) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(m.order.author));
  Query ins = db_.prepare(
      "INSERT OR IGNORE INTO boundary_facts (row, boundary_id, kind, author, lamport, wall_ms,"
      " revision, response, boundary_kind, ask_again_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, m.ref.row).bind(2, id).bind(3, f.kind).bind(4, author);
  ins.bind(5, static_cast<int64_t>(m.order.lamport)).bind(6, m.wall_ms);
  if (f.revision) {
    ins.bind(7, *f.revision);
  } else {
    ins.bind_null(7);
  }
  auto int_or_null = [&](int index, int64_t value, bool present) {
    if (present) {
      ins.bind(index, value);
    } else {
      ins.bind_null(index);
    }
  };
  int_or_null(8, f.response, f.response >= 0);
  int_or_null(9, f.boundary_kind, f.boundary_kind >= 0);
  int_or_null(10, f.ask_again_after_ms, f.ask_again_after_ms > 0);
  HEARTH_TRY(ins.run());

  HEARTH_ASSIGN_OR_RETURN(model::BoundaryFacts facts, boundary_facts(id));
  std::optional<model::BoundaryView> v = model::derive(facts);
  if (!v) return Status::ok();  // only responses so far: wait for the proposal
  HEARTH_ASSIGN_OR_RETURN(const int64_t owner, authors_.add(v->owner));
  Query st = db_.prepare(
      "INSERT INTO boundaries (boundary_id, kind, status, first_row, latest_row,"
      " in_force_row, first_proposer, created_ms, updated_ms, revisions, acknowledged)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (boundary_id) DO UPDATE SET"
      " kind = excluded.kind, status = excluded.status, first_row = excluded.first_row,"
      " latest_row = excluded.latest_row, in_force_row = excluded.in_force_row,"
      " first_proposer = excluded.first_proposer, created_ms = excluded.created_ms,"
      " updated_ms = excluded.updated_ms, revisions = excluded.revisions,"
      " acknowledged = excluded.acknowledged");
  st.bind(1, id).bind(2, static_cast<int>(v->kind)).bind(3, static_cast<int>(v->status));
  st.bind(4, v->first.row).bind(5, v->latest.row);
  if (v->in_force) {
    st.bind(6, v->in_force->row);
  } else {
    st.bind_null(6);
  }
  st.bind(7, owner).bind(8, v->created_ms).bind(9, v->updated_ms);
  st.bind(10, static_cast<int64_t>(v->revision_count)).bind(11, v->acknowledged ? 1 : 0);
  return st.run();
}

// ---- check-ins

Result<model::CheckInView> Views::check_in(const model::CheckInKey& key) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.find(key.author));
  return check_in(author, key);
}

Result<model::CheckInView> Views::check_in(int64_t author, const model::CheckInKey& key) {
  Query st = db_.prepare(
      "SELECT forgotten, first_lamport, created_ms, head_lamport, head_ms, head_source,"
      " head_row FROM check_ins WHERE author = ? AND check_in_id = ?");
  st.bind(1, author).bind_borrowed(2, key.id);
  model::CheckInView v;
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) {
    v.forgotten = st.int64(0) != 0;
    if (!v.forgotten) {
      v.first.order = {static_cast<uint64_t>(st.int64(1)), key.author};
      v.first.wall_ms = st.int64(2);
      v.head.order = {static_cast<uint64_t>(st.int64(3)), key.author};
      v.head.wall_ms = st.int64(4);
      v.head.ref = ref_of(st.int64(5), st.int64(6));
    }
  }
  return v;
}

Status Views::save_check_in(int64_t author, const model::EntityId& id,
                            const model::CheckInView& v) {
  Query st = db_.prepare(
      "INSERT INTO check_ins (author, check_in_id, forgotten, first_lamport,"
      " created_ms, head_lamport, head_ms, head_source, head_row)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (check_in_id, author) DO UPDATE SET"
      " forgotten = excluded.forgotten, first_lamport = excluded.first_lamport,"
      " created_ms = excluded.created_ms, head_lamport = excluded.head_lamport,"
      " head_ms = excluded.head_ms, head_source = excluded.head_source,"
      " head_row = excluded.head_row");
  st.bind(1, author).bind_borrowed(2, id).bind(3, v.forgotten ? 1 : 0);
  st.bind(4, static_cast<int64_t>(v.first.order.lamport)).bind(5, v.first.wall_ms);
  st.bind(6, static_cast<int64_t>(v.head.order.lamport)).bind(7, v.head.wall_ms);
  st.bind(8, source_of(v.head.ref)).bind(9, v.head.ref.row);
  return st.run();
}

Status Views::apply_check_in(const model::EntryMeta& m, const model::CheckIn& p) {
  const model::CheckInKey key{m.order.author, p.check_in_id};
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(key.author));
  HEARTH_ASSIGN_OR_RETURN(model::CheckInView cur, check_in(author, key));
  model::CheckInView next = model::apply_check_in(cur, m);
  if (next.forgotten) return drop_words(m.ref);  // its author already forgot it
  Query st = db_.prepare(
      "INSERT OR IGNORE INTO check_in_copies (author, check_in_id, source, row)"
      " VALUES (?, ?, ?, ?)");
  st.bind(1, author).bind_borrowed(2, key.id);
  st.bind(3, source_of(m.ref)).bind(4, m.ref.row);
  HEARTH_TRY(st.run());
  if (next == cur) return Status::ok();
  return save_check_in(author, key.id, next);
}

Status Views::apply_check_in_forget(const model::EntryMeta& m, const model::CheckInForget& p) {
  const model::CheckInKey key{m.order.author, p.check_in_id};
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(key.author));
  std::vector<EntryRef> copies;
  {
    Query st = db_.prepare(
        "SELECT source, row FROM check_in_copies WHERE author = ? AND check_in_id = ?");
    st.bind(1, author).bind(2, key.id);
    for (auto row : st.rows()) {
      HEARTH_TRY(row.status());
      copies.push_back(ref_of(row->int64(0), row->int64(1)));
    }
  }
  for (const auto& ref : copies) HEARTH_TRY(drop_words(ref));
  Query del = db_.prepare("DELETE FROM check_in_copies WHERE author = ? AND check_in_id = ?");
  del.bind(1, author).bind(2, key.id);
  HEARTH_TRY(del.run());
  HEARTH_ASSIGN_OR_RETURN(model::CheckInView cur, check_in(author, key));
  return save_check_in(author, key.id, model::apply_check_in_forget(cur));
}

// ---- pauses

Result<model::PauseView> Views::pause(const model::DeviceKey& author) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, authors_.find(author));
  Query st = db_.prepare(
      "SELECT lamport, paused, started_ms, minutes, row FROM pauses WHERE author = ?");
  st.bind(1, a);
  model::PauseView v;
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) {
    v.order = {static_cast<uint64_t>(st.int64(0)), author};
    v.paused = st.int64(1) != 0;
    v.started_ms = st.int64(2);
    v.minutes = static_cast<uint16_t>(st.int64(3));
    v.ref = shared_ref(st.int64(4));
  }
  return v;
}

Status Views::apply_pause(const model::EntryMeta& m, const model::Pause* pause) {
  HEARTH_ASSIGN_OR_RETURN(model::PauseView cur, this->pause(m.order.author));
  model::PauseView next = pause ? model::apply_pause(cur, m, *pause) : model::apply_resume(cur, m);
  if (next == cur) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(m.order.author));
  return save_pause(author, next);
}

Status Views::save_pause(int64_t author, const model::PauseView& v) {
  Query st = db_.prepare(
      "INSERT OR REPLACE INTO pauses (author, lamport, paused, started_ms, minutes, row)"
      " VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, author).bind(2, static_cast<int64_t>(v.order.lamport));
  st.bind(3, v.paused ? 1 : 0).bind(4, v.started_ms).bind(5, int64_t{v.minutes});
  st.bind(6, v.ref.row);
  return st.run();
}

// ---- prompts and need replies

Status Views::add_prompt_fact(const model::EntryMeta& m, int kind, std::string_view prompt_id,
                              ByteView round, ByteView answer_id) {
  if (m.is_private()) return Status::ok();  // prompts are always shared
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(m.order.author));
  Query st = db_.prepare(
      "INSERT OR IGNORE INTO prompt_facts (row, kind, prompt_id, round, answer_id, author,"
      " lamport, wall_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, m.ref.row).bind(2, kind).bind_text(3, prompt_id).bind(4, round).bind(5, answer_id);
  st.bind(6, author).bind(7, static_cast<int64_t>(m.order.lamport)).bind(8, m.wall_ms);
  return st.run();
}

Status Views::add_answer_key(const model::EntryMeta& m, const model::AnswerKey& k) {
  // Only this device's private entries hold keys (model::may_be_shared).
  if (!m.is_private()) return Status::ok();
  Query st =
      db_.prepare("INSERT OR IGNORE INTO answer_keys (answer_id, row) VALUES (?, ?)");
  st.bind(1, k.answer_id).bind(2, m.ref.row);
  return st.run();
}

Status Views::add_need_reply(const model::EntryMeta& m, const model::NeedReply& r) {
  if (m.is_private()) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(m.order.author));
  Query st = db_.prepare(
      "INSERT OR IGNORE INTO need_replies (row, check_in_id, reply_id, author, lamport, wall_ms)"
      " VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, m.ref.row).bind(2, r.check_in_id).bind(3, r.reply_id).bind(4, author);
  st.bind(5, static_cast<int64_t>(m.order.lamport)).bind(6, m.wall_ms);
  return st.run();
}

Result<model::PromptFacts> Views::prompt_facts(const model::PromptKey& key) {
  Query st = db_.prepare(
      "SELECT row, kind, answer_id, author, lamport, wall_ms FROM prompt_facts"
      " WHERE prompt_id = ? AND round = ? AND kind IN (1, 3)");
  st.bind_text(1, key.prompt_id).bind(2, key.round);
  model::PromptFacts facts;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    HEARTH_ASSIGN_OR_RETURN(const model::Order order, order_of(row->int64(4), row->int64(3)));
    if (row->int64(1) == kAnswer) {
      facts.add(model::AnswerFact{to_array<16>(row->blob(2)), order, row->int64(5),
                                  shared_ref(row->int64(0))});
    } else {
      facts.add(model::PassFact{order, row->int64(5), shared_ref(row->int64(0))});
    }
  }
  return facts;
}

Result<std::optional<model::RevealFact>> Views::reveal(const model::RevealKey& key) {
  Query st = db_.prepare(
      "SELECT row, lamport FROM prompt_facts WHERE answer_id = ? AND kind = 2 AND author = ?"
      " ORDER BY lamport, row LIMIT 1");
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.find(key.author));
  st.bind(1, key.answer_id).bind(2, author);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  std::optional<model::RevealFact> out;
  if (found)
    out = model::RevealFact{{static_cast<uint64_t>(st.int64(1)), key.author}, shared_ref(st.int64(0))};
  return out;
}

Status Views::add_practice_fact(const model::EntryMeta& m, int kind, ByteView session_id,
                                std::string_view practice, int stage, int capacity) {
  if (m.is_private()) return Status::ok();
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(m.order.author));
  Query st = db_.prepare(
      "INSERT OR IGNORE INTO practice_facts (row, kind, session_id, practice, stage, capacity,"
      " author, lamport, wall_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, m.ref.row).bind(2, kind).bind(3, session_id).bind_text(4, practice).bind(5, stage);
  st.bind(6, capacity).bind(7, author).bind(8, static_cast<int64_t>(m.order.lamport));
  st.bind(9, m.wall_ms);
  return st.run();
}

Result<model::PracticeFacts> Views::practice_facts(const model::EntityId& session_id) {
  Query st = db_.prepare(
      "SELECT row, kind, capacity, author, lamport, wall_ms FROM practice_facts"
      " WHERE session_id = ? AND kind IN (0, 1, 2, 3)");
  st.bind(1, session_id);
  model::PracticeFacts facts;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    model::PracticeFact f;
    f.kind = static_cast<model::PracticeFactKind>(row->int64(1));
    f.capacity = static_cast<model::Capacity>(row->int64(2));
    HEARTH_ASSIGN_OR_RETURN(f.order, order_of(row->int64(4), row->int64(3)));
    f.wall_ms = row->int64(5);
    f.ref = shared_ref(row->int64(0));
    facts.add(f);
  }
  return facts;
}

Result<std::set<model::DeviceKey>> Views::stage_agreed(std::string_view practice, uint8_t stage) {
  Query st = db_.prepare(
      "SELECT DISTINCT author FROM practice_facts WHERE kind = 4 AND practice = ? AND stage = ?");
  st.bind_text(1, practice).bind(2, int64_t{stage});
  std::set<model::DeviceKey> out;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    HEARTH_ASSIGN_OR_RETURN(const Key32 author, authors_.key_of(row->int64(0)));
    out.insert(author);
  }
  return out;
}

Result<model::Order> Views::order_of(int64_t lamport, int64_t author) {
  HEARTH_ASSIGN_OR_RETURN(const Key32 key, authors_.key_of(author));
  return model::Order{static_cast<uint64_t>(lamport), key};
}

Result<std::optional<model::EntryRef>> Views::answer_key(const model::EntityId& answer_id) {
  Query st = db_.prepare("SELECT row FROM answer_keys WHERE answer_id = ?");
  st.bind(1, answer_id);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  std::optional<model::EntryRef> out;
  if (found) out = model::EntryRef{model::EntryRef::Source::kPrivate, st.int64(0)};
  return out;
}

}  // namespace hearth::store
