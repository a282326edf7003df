// Practices done together (docs/DESIGN.md §5.7): an invitation, the other
// partner's joining, capacity checks before a staged practice, stops, and
// agreements to go on to a next stage, as sets of facts whose meaning does
// not depend on the order they arrive in. Pure.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/entry.h"

namespace hearth::model {

enum class PracticeFactKind : uint8_t { kInvite = 0, kJoin = 1, kCheck = 2, kStop = 3 };

struct PracticeFact {
  PracticeFactKind kind = PracticeFactKind::kInvite;
  Order order;
  int64_t wall_ms = 0;
  EntryRef ref;
  Capacity capacity = Capacity::kGreen;  // kCheck
  auto operator<=>(const PracticeFact&) const = default;
};

struct PracticeFacts {
  std::vector<PracticeFact> facts;  // in order
  void add(const PracticeFact& f);
  bool operator==(const PracticeFacts&) const = default;
};

// One session as its facts say.
struct PracticeView {
  std::optional<PracticeFact> invite;  // the first invitation
  std::optional<PracticeFact> join;    // the first join by the other partner
  std::map<DeviceKey, Capacity> checks;  // each partner's latest check
  std::optional<PracticeFact> stop;    // the first stop, by either partner
  // A staged practice may begin: both checked in and neither is red.
  bool checks_allow(const DeviceKey& a, const DeviceKey& b) const;
};
PracticeView derive_practice(const PracticeFacts& facts);

// A stage is open once both partners agreed to go on to it (stage 1 always is).
struct StageKey {
  std::string practice;
  uint8_t stage = 0;
  auto operator<=>(const StageKey&) const = default;
};
using StageAgreements = std::map<StageKey, std::set<DeviceKey>>;

}  // namespace hearth::model
