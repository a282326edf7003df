#include "model/prompt.h"

#include <algorithm>

namespace hearth::model {
namespace {

template <typename T>
void insert_sorted_unique(std::vector<T>& v, const T& f) {
  for (const auto& existing : v)
    if (existing.ref == f.ref) return;
  v.insert(std::lower_bound(v.begin(), v.end(), f), f);
}

}  // namespace

void PromptFacts::add(const AnswerFact& f) { insert_sorted_unique(answers, f); }
void PromptFacts::add(const PassFact& f) { insert_sorted_unique(passes, f); }

const AnswerFact* PromptFacts::answer_of(const DeviceKey& author) const {
  for (const auto& a : answers)
    if (a.order.author == author) return &a;  // in order: the first is theirs
  return nullptr;
}

bool PromptFacts::passed_by(const DeviceKey& author) const {
  return std::any_of(passes.begin(), passes.end(),
                     [&](const PassFact& p) { return p.order.author == author; });
}

RevealFact apply_reveal(const std::optional<RevealFact>& current, const RevealFact& f) {
  return current && *current <= f ? *current : f;
}

StatedFact first_of(const std::optional<StatedFact>& current, const StatedFact& f) {
  return current && *current <= f ? *current : f;
}

const char* prompt_status_name(PromptStatus s) {
  switch (s) {
    case PromptStatus::kOpen: return "open";
    case PromptStatus::kWaitingForMe: return "waiting_for_you";
    case PromptStatus::kWaitingForPartner: return "waiting_for_partner";
    case PromptStatus::kBothAnswered: return "both_answered";
  }
  return "open";
}

PromptStatus status_of(const PromptFacts& facts, const DeviceKey& me, const DeviceKey& partner) {
  const bool mine = facts.answer_of(me) != nullptr;
  const bool theirs = facts.answer_of(partner) != nullptr;
  if (mine && theirs) return PromptStatus::kBothAnswered;
  if (mine) return PromptStatus::kWaitingForPartner;
  if (theirs) return PromptStatus::kWaitingForMe;
  return PromptStatus::kOpen;
}

}  // namespace hearth::model
