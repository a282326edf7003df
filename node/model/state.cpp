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
    void operator()(const PromptAsk& p) {
      auto it = s.asked.find(p.prompt_id);
      StatedFact f{m.order, m.wall_ms, m.ref};
      s.asked[p.prompt_id] =
          first_of(it == s.asked.end() ? std::nullopt : std::optional(it->second), f);
    }
    void operator()(const PromptAnswer& p) {
      s.prompts[{p.prompt_id, p.round}].add(AnswerFact{p.answer_id, m.order, m.wall_ms, m.ref});
    }
    void operator()(const AnswerReveal& p) {
      const RevealKey key{m.order.author, p.answer_id};
      auto it = s.reveals.find(key);
      s.reveals[key] = apply_reveal(it == s.reveals.end() ? std::nullopt : std::optional(it->second),
                                    RevealFact{m.order, m.ref});
    }
    void operator()(const PromptPass& p) {
      s.prompts[{p.prompt_id, p.round}].add(PassFact{m.order, m.wall_ms, m.ref});
    }
    void operator()(const YnmRound& p) {
      auto it = s.rounds.find(p.round_id);
      s.rounds[p.round_id] = first_of(
          it == s.rounds.end() ? std::nullopt : std::optional(it->second),
          StatedFact{m.order, m.wall_ms, m.ref});
    }
    void operator()(const AnswerKey& p) {
      // Only a private entry of this device's own holds an answer's key.
      if (m.is_private()) s.answer_keys[p.answer_id] = m.ref;
    }
    void operator()(const NeedReply& p) {
      auto& replies = s.need_replies[p.check_in_id];
      auto it = replies.find(p.reply_id);
      replies[p.reply_id] = first_of(
          it == replies.end() ? std::nullopt : std::optional(it->second),
          StatedFact{m.order, m.wall_ms, m.ref});
    }
    void operator()(const PracticeInvite& p) { fact(p.session_id, PracticeFactKind::kInvite); }
    void operator()(const PracticeJoin& p) { fact(p.session_id, PracticeFactKind::kJoin); }
    void operator()(const PracticeCheck& p) {
      fact(p.session_id, PracticeFactKind::kCheck, p.capacity);
    }
    void operator()(const PracticeStop& p) { fact(p.session_id, PracticeFactKind::kStop); }
    void operator()(const PracticeStage& p) { s.stages[{p.practice, p.stage}].insert(m.order.author); }
    void fact(const EntityId& session, PracticeFactKind kind, Capacity c = Capacity::kGreen) {
      s.practices[session].add(PracticeFact{kind, m.order, m.wall_ms, m.ref, c});
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
