#include "model/practice.h"

#include <algorithm>

namespace hearth::model {

void PracticeFacts::add(const PracticeFact& f) {
  for (const auto& existing : facts)
    if (existing.ref == f.ref) return;
  facts.insert(std::lower_bound(facts.begin(), facts.end(), f), f);
}

bool PracticeView::checks_allow(const DeviceKey& a, const DeviceKey& b) const {
  auto ok = [&](const DeviceKey& who) {
    auto it = checks.find(who);
    return it != checks.end() && it->second != Capacity::kRed;
  };
  return ok(a) && ok(b);
}

PracticeView derive_practice(const PracticeFacts& facts) {
  PracticeView v;
  for (const PracticeFact& f : facts.facts)  // in (lamport, author) order
    if (f.kind == PracticeFactKind::kInvite && !v.invite) v.invite = f;
  for (const PracticeFact& f : facts.facts) {
    switch (f.kind) {
      case PracticeFactKind::kInvite:
        break;
      case PracticeFactKind::kJoin:
        // Only the invited partner joins; the inviter is in already.
        if (!v.join && v.invite && f.order.author != v.invite->order.author) v.join = f;
        break;
      case PracticeFactKind::kCheck:
        v.checks[f.order.author] = f.capacity;  // in order: the latest stays
        break;
      case PracticeFactKind::kStop:
        if (!v.stop) v.stop = f;
        break;
    }
  }
  return v;
}

}  // namespace hearth::model
