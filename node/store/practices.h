// Practices done together (docs/DESIGN.md §5.7, PROTOCOL.md §2.5): inviting,
// joining, capacity checks, stopping, and agreeing to a next stage; and the
// session as this device sees it, its start placed on this device's clock.
#pragma once

#include <optional>
#include <string>

#include "model/practice.h"
#include "store/journal.h"

namespace hearth::store {

// How long an invitation waits for the partner to join.
inline constexpr int64_t kPracticeInviteMs = 10 * 60 * 1000;
// How far ahead of joining both pacers begin: time for the partner's device
// to hear of it on a slow link, not long enough to feel like waiting.
inline constexpr int64_t kPracticeLeadMs = 3000;

struct PracticeItem {
  model::EntityId id{};
  std::string practice;
  uint16_t minutes = 0;
  uint8_t in_seconds = 0;
  uint8_t out_seconds = 0;
  uint8_t stage = 0;
  model::DeviceKey inviter{};
  int64_t invited_ms = 0;
  bool joined = false;
  int64_t start_ms = 0;  // on this device's clock; 0 until joined
  bool stopped = false;
  model::DeviceKey stopped_by{};
  std::optional<model::Capacity> my_check;
  std::optional<model::Capacity> partner_check;
  // Over: stopped, its minutes run out, or an invitation nobody joined in time.
  bool over_at(int64_t now_ms) const;
};

class Practices {
 public:
  Practices(Store& store, Journal& journal) : store_(store), journal_(journal) {}

  // Invites the partner. kRefused: a stage both have not agreed to yet.
  Result<PracticeItem> invite(const model::PracticeInvite& invite,
                              const model::DeviceKey& partner);
  // Joins the partner's newest open invitation: both pacers begin at
  // now + kPracticeLeadMs. kNotFound: no open invitation.
  Result<PracticeItem> join(const model::DeviceKey& partner, int64_t now_ms);
  Status check(const model::EntityId& session, model::Capacity capacity);
  Status stop(const model::EntityId& session);
  Status agree_stage(std::string_view practice, uint8_t stage);
  // Whether both partners agreed to go on to `stage` (stage 1 always is).
  Result<bool> stage_open(std::string_view practice, uint8_t stage,
                          const model::DeviceKey& partner);

  Result<PracticeItem> item(const model::EntityId& session, const model::DeviceKey& partner);
  // The newest session that is not over at now_ms; nullopt when none.
  Result<std::optional<PracticeItem>> current(const model::DeviceKey& partner, int64_t now_ms);
  // The newest session, over or not; nullopt when there never was one.
  Result<std::optional<PracticeItem>> newest(const model::DeviceKey& partner);
  // The session an event of it belongs to (a partner's fact, for `watch`).
  Result<std::optional<model::EntityId>> session_of_row(int64_t row);

 private:
  Store& store_;
  Journal& journal_;
};

}  // namespace hearth::store
