#include "model/state.h"

namespace hearth::model {

void State::apply(const Entry& e) {
  const EntryMeta& m = e.meta;
  struct Visitor {
    State& s;
    const EntryMeta& m;
    void operator()(const ReflectionPut& p) {
      auto& v = s.reflections[{m.order.author, p.reflection_id}];
      v = apply_put(v, m);
    }
    void operator()(const ReflectionForget& p) {
      auto& v = s.reflections[{m.order.author, p.reflection_id}];
      v = apply_forget(v);
    }
    void operator()(const BoundaryPropose& p) {
      s.boundary_facts[p.boundary_id].add(
          RevisionFact{m.event_id, m.order, m.wall_ms, m.ref, p.kind});
    }
    void operator()(const BoundaryRespond& p) {
      s.boundary_facts[p.boundary_id].add(
          ResponseFact{p.revision, m.order, m.wall_ms, p.response, m.ref, p.ask_again_after_ms});
    }
    void operator()(const BoundaryWithdraw& p) {
      s.boundary_facts[p.boundary_id].add(WithdrawFact{m.order, m.wall_ms, m.ref});
    }
    void operator()(const BoundaryDrop& p) {
      s.boundary_facts[p.boundary_id].add(DropFact{p.revision, m.order, m.wall_ms, m.ref});
    }
    void operator()(const CheckIn& p) {
      auto& v = s.check_ins[{m.order.author, p.check_in_id}];
      v = apply_check_in(v, m);
    }
    void operator()(const CheckInForget& p) {
      auto& v = s.check_ins[{m.order.author, p.check_in_id}];
      v = apply_check_in_forget(v);
    }
    void operator()(const Pause& p) {
      auto& v = s.pauses[m.order.author];
      v = apply_pause(v, m, p);
    }
    void operator()(const Resume&) {
      auto& v = s.pauses[m.order.author];
      v = apply_resume(v, m);
    }
  };
  std::visit(Visitor{*this, m}, e.payload);
}

std::optional<BoundaryView> State::boundary(const EntityId& id) const {
  auto it = boundary_facts.find(id);
  if (it == boundary_facts.end()) return std::nullopt;
  return derive(it->second);
}

}  // namespace hearth::model
