// The whole domain state as a pure function of a set of entries.
//
// This is the reference semantics: the store keeps the same views in SQLite
// by calling the same reducers one entity at a time, and tests check that
// both agree and that any order of the same entries gives the same State.
#pragma once

#include <map>

#include "model/boundary.h"
#include "model/checkin.h"
#include "model/pause.h"
#include "model/reflection.h"

namespace hearth::model {

struct State {
  std::map<ReflectionKey, ReflectionView> reflections;
  std::map<EntityId, BoundaryFacts> boundary_facts;
  std::map<CheckInKey, CheckInView> check_ins;
  std::map<DeviceKey, PauseView> pauses;  // by author: each partner's own

  // Applies one entry. Idempotent; commutes with every other apply().
  void apply(const Entry& entry);
  std::optional<BoundaryView> boundary(const EntityId& id) const;
  bool operator==(const State&) const = default;
};

}  // namespace hearth::model
