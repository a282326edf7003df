#include "store/arrivals.h"

namespace hearth::store {
namespace {

// The entries a pause holds back: the partner's words and new boundaries.
// Pauses are never held (the partner's pause is what most needs showing),
// nor answers and changes to boundaries already shown: they change what is
// in force.
bool may_be_held(const model::Payload& p) {
  return std::holds_alternative<model::ReflectionPut>(p) ||
         std::holds_alternative<model::CheckIn>(p) ||
         std::holds_alternative<model::BoundaryPropose>(p);
}

// A boundary's first statement starts it; a later one changes one already shown.
Result<bool> starts_a_boundary(Views& views, const model::Entry& e) {
  const auto* p = std::get_if<model::BoundaryPropose>(&e.payload);
  if (p == nullptr) return true;
  HEARTH_ASSIGN_OR_RETURN(model::BoundaryFacts facts, views.boundary_facts(p->boundary_id));
  return !facts.revisions.empty() && facts.revisions.front().ref == e.meta.ref;
}

}  // namespace

Result<bool> Arrivals::note(const model::Entry& e, const Receipt& r) {
  if (r.at_ms == 0 || e.meta.order.author == self_ || e.meta.is_private()) return false;
  // The partner's clock matters for a pause and for when a practice begins.
  const bool timed = std::holds_alternative<model::Pause>(e.payload) ||
                     std::holds_alternative<model::Resume>(e.payload) ||
                     std::holds_alternative<model::PracticeInvite>(e.payload) ||
                     std::holds_alternative<model::PracticeJoin>(e.payload);
  if (timed) {
    Query st = db_.prepare(
        "INSERT OR IGNORE INTO pause_arrivals (row, arrived_ms, offset_ms) VALUES (?, ?, ?)");
    st.bind(1, e.meta.ref.row).bind(2, r.at_ms).bind(3, r.offset_ms);
    HEARTH_TRY(st.run());
    return false;
  }
  if (!r.holding || !may_be_held(e.payload)) return false;
  HEARTH_ASSIGN_OR_RETURN(bool new_boundary, starts_a_boundary(views_, e));
  if (!new_boundary) return false;
  Query st = db_.prepare("INSERT OR IGNORE INTO held_rows (row, arrived_ms) VALUES (?, ?)");
  st.bind(1, e.meta.ref.row).bind(2, r.at_ms);
  HEARTH_TRY(st.run());
  return true;
}

Result<Receipt> Arrivals::for_batch(Receipt r) {
  if (r.at_ms != 0) {
    HEARTH_ASSIGN_OR_RETURN(r.holding, own_pause_active(r.at_ms));
  }
  return r;
}

Status Arrivals::clear_held() { return db_.exec("DELETE FROM held_rows"); }

Status Arrivals::drop_orphans() {
  return db_.exec(
      "DELETE FROM held_rows WHERE row NOT IN (SELECT row_id FROM events);"
      "DELETE FROM pause_arrivals WHERE row NOT IN (SELECT row_id FROM events);");
}

Result<model::PauseClock> Arrivals::clock_of(int64_t row) {
  Query st = db_.prepare("SELECT arrived_ms, offset_ms FROM pause_arrivals WHERE row = ?");
  st.bind(1, row);
  model::PauseClock clock;
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) {
    clock.arrived_ms = st.int64(0);
    clock.offset_ms = st.int64(1);
  }
  return clock;
}

Result<bool> Arrivals::own_pause_active(int64_t now_ms) {
  HEARTH_ASSIGN_OR_RETURN(model::PauseView own, views_.pause(self_));
  return model::window_of(own, {}).active_at(now_ms);
}

Result<std::vector<int64_t>> Arrivals::held_rows() {
  return db_.prepare("SELECT row FROM held_rows ORDER BY arrived_ms, row").all_int64();
}

}  // namespace hearth::store
