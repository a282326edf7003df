#include "store/views.h"

namespace hearth::store {
namespace {

using model::EntryRef;

int source_of(const EntryRef& ref) { return static_cast<int>(ref.source); }
EntryRef ref_of(int64_t source, int64_t row) {
  return {source == 1 ? EntryRef::Source::kPrivate : EntryRef::Source::kShared, row};
}
EntryRef shared_ref(int64_t row) { return {EntryRef::Source::kShared, row}; }

}  // namespace

Status Views::apply(const model::Entry& e) {
  const model::EntryMeta& m = e.meta;
  struct Visitor {
    Views& v;
    const model::EntryMeta& m;
    Status operator()(const model::ReflectionPut& p) { return v.apply_put(m, p); }
    Status operator()(const model::ReflectionForget& p) { return v.apply_forget(m, p); }
    Status operator()(const model::BoundaryPropose& p) {
      return v.add_boundary_fact(p.boundary_id, m, 0, &m.event_id, -1);
    }
    Status operator()(const model::BoundaryRespond& p) {
      return v.add_boundary_fact(p.boundary_id, m, 1, &p.revision, static_cast<int>(p.response));
    }
    Status operator()(const model::BoundaryWithdraw& p) {
      return v.add_boundary_fact(p.boundary_id, m, 2, nullptr, -1);
    }
    Status operator()(const model::CheckIn& p) { return v.apply_check_in(m, p); }
    Status operator()(const model::Pause& p) {
      HEARTH_ASSIGN_OR_RETURN(model::PauseView cur, v.pause());
      return v.save_pause(model::apply_pause(cur, m, p));
    }
    Status operator()(const model::Resume&) {
      HEARTH_ASSIGN_OR_RETURN(model::PauseView cur, v.pause());
      return v.save_pause(model::apply_resume(cur, m));
    }
  };
  return std::visit(Visitor{*this, m}, e.payload);
}

Status Views::clear() {
  return db_.exec(
      "DELETE FROM reflections; DELETE FROM reflection_versions; DELETE FROM boundary_facts;"
      "DELETE FROM boundaries; DELETE FROM check_ins; DELETE FROM pause_state;");
}

// ---- reflections

Result<model::ReflectionView> Views::reflection(const model::ReflectionKey& key) {
  Statement& st = db_.prepare(
      "SELECT forgotten, shared, first_lamport, created_ms, head_lamport, updated_ms,"
      " head_source, head_row FROM reflections WHERE author = ? AND reflection_id = ?");
  st.bind_borrowed(1, key.author).bind_borrowed(2, key.id);
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
  st.reset();
  return v;
}

Status Views::save_reflection(const model::ReflectionKey& key, const model::ReflectionView& v) {
  Statement& st = db_.prepare(
      "INSERT OR REPLACE INTO reflections (author, reflection_id, forgotten, shared,"
      " first_lamport, created_ms, head_lamport, updated_ms, head_source, head_row)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind_borrowed(1, key.author).bind_borrowed(2, key.id);
  st.bind(3, v.forgotten ? 1 : 0).bind(4, v.shared ? 1 : 0);
  st.bind(5, static_cast<int64_t>(v.first_lamport)).bind(6, v.created_ms);
  st.bind(7, static_cast<int64_t>(v.head_lamport)).bind(8, v.updated_ms);
  st.bind(9, source_of(v.head)).bind(10, v.head.row);
  return st.run();
}

Status Views::apply_put(const model::EntryMeta& m, const model::ReflectionPut& p) {
  model::ReflectionKey key{m.order.author, p.reflection_id};
  HEARTH_ASSIGN_OR_RETURN(model::ReflectionView cur, reflection(key));
  model::ReflectionView next = model::apply_put(cur, m);
  if (next.forgotten) return drop_words(m.ref);  // its author already forgot it
  Statement& st = db_.prepare(
      "INSERT OR IGNORE INTO reflection_versions (source, row, author, reflection_id, lamport,"
      " wall_ms) VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, source_of(m.ref)).bind(2, m.ref.row).bind_borrowed(3, key.author).bind_borrowed(4, key.id);
  st.bind(5, static_cast<int64_t>(m.order.lamport)).bind(6, m.wall_ms);
  HEARTH_TRY(st.run());
  if (next == cur) return Status::ok();
  return save_reflection(key, next);
}

Status Views::apply_forget(const model::EntryMeta& m, const model::ReflectionForget& p) {
  model::ReflectionKey key{m.order.author, p.reflection_id};
  std::vector<EntryRef> versions;
  {
    Statement& st = db_.prepare(
        "SELECT source, row FROM reflection_versions WHERE author = ? AND reflection_id = ?");
    st.bind(1, key.author).bind(2, key.id);
    for (;;) {
      HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      versions.push_back(ref_of(st.int64(0), st.int64(1)));
    }
    st.reset();
  }
  for (const auto& ref : versions) HEARTH_TRY(drop_words(ref));
  Statement& del = db_.prepare(
      "DELETE FROM reflection_versions WHERE author = ? AND reflection_id = ?");
  del.bind(1, key.author).bind(2, key.id);
  HEARTH_TRY(del.run());
  HEARTH_ASSIGN_OR_RETURN(model::ReflectionView cur, reflection(key));
  return save_reflection(key, model::apply_forget(cur));
}

Status Views::drop_words(const EntryRef& ref) {
  if (ref.source == EntryRef::Source::kPrivate) return privates_.remove(ref.row);
  return events_.drop_body(ref.row);
}

// ---- boundaries

Result<model::BoundaryFacts> Views::boundary_facts(const model::EntityId& id) {
  Statement& st = db_.prepare(
      "SELECT row, kind, author, lamport, wall_ms, revision, response FROM boundary_facts"
      " WHERE boundary_id = ?");
  st.bind(1, id);
  model::BoundaryFacts facts;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    model::Order order{static_cast<uint64_t>(st.int64(3)), to_array<32>(st.blob(2))};
    int64_t wall = st.int64(4);
    EntryRef ref = shared_ref(st.int64(0));
    switch (st.int64(1)) {
      case 0:
        facts.add(model::RevisionFact{to_array<32>(st.blob(5)), order, wall, ref});
        break;
      case 1:
        facts.add(model::ResponseFact{to_array<32>(st.blob(5)), order, wall,
                                      static_cast<model::Response>(st.int64(6)), ref});
        break;
      default:
        facts.add(model::WithdrawFact{order, wall, ref});
        break;
    }
  }
  st.reset();
  return facts;
}

Status Views::add_boundary_fact(const model::EntityId& id, const model::EntryMeta& m, int kind,
                                const model::EventId* revision, int response) {
  Statement& ins = db_.prepare(
      "INSERT OR IGNORE INTO boundary_facts (row, boundary_id, kind, author, lamport, wall_ms,"
      " revision, response) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  ins.bind(1, m.ref.row).bind(2, id).bind(3, kind).bind(4, m.order.author);
  ins.bind(5, static_cast<int64_t>(m.order.lamport)).bind(6, m.wall_ms);
  if (revision) {
    ins.bind(7, *revision);
  } else {
    ins.bind_null(7);
  }
  if (response >= 0) {
    ins.bind(8, response);
  } else {
    ins.bind_null(8);
  }
  HEARTH_TRY(ins.run());

  HEARTH_ASSIGN_OR_RETURN(model::BoundaryFacts facts, boundary_facts(id));
  std::optional<model::BoundaryView> v = model::derive(facts);
  if (!v) return Status::ok();  // only responses so far: wait for the proposal
  Statement& st = db_.prepare(
      "INSERT OR REPLACE INTO boundaries (boundary_id, status, first_row, latest_row,"
      " in_force_row, first_proposer, created_ms, updated_ms, revisions)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  st.bind(1, id).bind(2, static_cast<int>(v->status)).bind(3, v->first.row);
  st.bind(4, v->latest.row);
  if (v->in_force) {
    st.bind(5, v->in_force->row);
  } else {
    st.bind_null(5);
  }
  st.bind(6, v->first_proposer).bind(7, v->created_ms).bind(8, v->updated_ms);
  st.bind(9, static_cast<int64_t>(v->revision_count));
  return st.run();
}

// ---- check-ins and the pause

Status Views::apply_check_in(const model::EntryMeta& m, const model::CheckIn& p) {
  Statement& get = db_.prepare(
      "SELECT lamport, wall_ms, source, row FROM check_ins WHERE author = ? AND check_in_id = ?");
  get.bind(1, m.order.author).bind(2, p.check_in_id);
  model::CheckInView cur;
  HEARTH_ASSIGN_OR_RETURN(bool found, get.step());
  if (found) {
    cur.meta.order = {static_cast<uint64_t>(get.int64(0)), m.order.author};
    cur.meta.wall_ms = get.int64(1);
    cur.meta.ref = ref_of(get.int64(2), get.int64(3));
  }
  get.reset();
  model::CheckInView next = model::apply_check_in(cur, m);
  if (next == cur) return Status::ok();
  Statement& st = db_.prepare(
      "INSERT OR REPLACE INTO check_ins (author, check_in_id, lamport, wall_ms, source, row)"
      " VALUES (?, ?, ?, ?, ?, ?)");
  st.bind(1, m.order.author).bind(2, p.check_in_id);
  st.bind(3, static_cast<int64_t>(next.meta.order.lamport)).bind(4, next.meta.wall_ms);
  st.bind(5, source_of(next.meta.ref)).bind(6, next.meta.ref.row);
  return st.run();
}

Result<model::PauseView> Views::pause() {
  Statement& st = db_.prepare(
      "SELECT author, lamport, paused, started_ms, minutes, row FROM pause_state");
  model::PauseView v;
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) {
    v.order = {static_cast<uint64_t>(st.int64(1)), to_array<32>(st.blob(0))};
    v.paused = st.int64(2) != 0;
    v.started_ms = st.int64(3);
    v.minutes = static_cast<uint16_t>(st.int64(4));
    v.ref = shared_ref(st.int64(5));
  }
  st.reset();
  return v;
}

Status Views::save_pause(const model::PauseView& v) {
  Statement& st = db_.prepare(
      "INSERT OR REPLACE INTO pause_state (singleton, author, lamport, paused, started_ms,"
      " minutes, row) VALUES (1, ?, ?, ?, ?, ?, ?)");
  st.bind(1, v.order.author).bind(2, static_cast<int64_t>(v.order.lamport));
  st.bind(3, v.paused ? 1 : 0).bind(4, v.started_ms).bind(5, int64_t{v.minutes});
  st.bind(6, v.ref.row);
  return st.run();
}

}  // namespace hearth::store
