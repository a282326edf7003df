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
#include "model/practice.h"
#include "model/prompt.h"
#include "model/reflection.h"

namespace hearth::model {

struct State {
  std::map<ReflectionKey, ReflectionView> reflections;
  std::map<EntityId, BoundaryFacts> boundary_facts;
  std::map<CheckInKey, CheckInView> check_ins;
  std::map<DeviceKey, PauseView> pauses;  // by author: each partner's own
  std::map<PromptKey, PromptFacts> prompts;
  std::map<RevealKey, RevealFact> reveals;
  std::map<std::string, StatedFact> asked;  // by prompt ID
  std::map<EntityId, StatedFact> rounds;    // yes / no / maybe rounds
  std::map<EntityId, EntryRef> answer_keys;  // private: this device's own answers' keys
  // Replies to a check-in's need, by the check-in's ID, each by its own ID.
  // A reply counts under a check-in of the other author (checked on read).
  std::map<EntityId, std::map<EntityId, StatedFact>> need_replies;
  std::map<EntityId, PracticeFacts> practices;  // by session
  StageAgreements stages;

  // Applies one entry. Idempotent; commutes with every other apply().
  void apply(const Entry& entry);
  std::optional<BoundaryView> boundary(const EntityId& id) const;
  bool operator==(const State&) const = default;
};

}  // namespace hearth::model
