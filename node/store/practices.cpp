#include "store/practices.h"

#include <algorithm>

#include "crypto/entity_id.h"

namespace hearth::store {
namespace {

template <typename T>
Result<T> payload_at(Store& store, const model::EntryRef& ref) {
  HEARTH_ASSIGN_OR_RETURN(model::Entry e, store.loader().load(ref));
  if (!std::holds_alternative<T>(e.payload))
    return Status::corrupt("a practice fact points at the wrong kind of entry");
  return std::get<T>(std::move(e.payload));
}

}  // namespace

bool PracticeItem::over_at(int64_t now_ms) const {
  if (stopped) return true;
  if (!joined) return now_ms >= invited_ms + kPracticeInviteMs;
  return now_ms >= start_ms + int64_t{minutes} * 60'000;
}

Result<PracticeItem> Practices::item(const model::EntityId& session,
                                     const model::DeviceKey& partner) {
  HEARTH_ASSIGN_OR_RETURN(model::PracticeFacts facts, store_.views().practice_facts(session));
  const model::PracticeView v = model::derive_practice(facts);
  if (!v.invite) return Status::not_found("no such practice session");
  HEARTH_ASSIGN_OR_RETURN(model::PracticeInvite inv,
                          payload_at<model::PracticeInvite>(store_, v.invite->ref));
  PracticeItem out;
  out.id = session;
  out.practice = inv.practice;
  out.minutes = inv.minutes;
  out.in_seconds = inv.in_seconds;
  out.out_seconds = inv.out_seconds;
  out.stage = inv.stage;
  out.inviter = v.invite->order.author;
  out.invited_ms = v.invite->wall_ms;
  const Key32& self = store_.keys().self();
  if (out.inviter != self) {
    // On this device's clock, never after it arrived (as a pause is placed).
    HEARTH_ASSIGN_OR_RETURN(model::PauseClock c, store_.arrivals().clock_of(v.invite->ref.row));
    out.invited_ms += c.offset_ms;
    if (c.arrived_ms) out.invited_ms = std::min(out.invited_ms, *c.arrived_ms);
  }
  if (v.join) {
    HEARTH_ASSIGN_OR_RETURN(model::PracticeJoin join,
                            payload_at<model::PracticeJoin>(store_, v.join->ref));
    out.joined = true;
    out.start_ms = join.start_at_ms;
    if (v.join->order.author != self) {
      HEARTH_ASSIGN_OR_RETURN(model::PauseClock c, store_.arrivals().clock_of(v.join->ref.row));
      out.start_ms += c.offset_ms;
    }
  }
  if (v.stop) {
    out.stopped = true;
    out.stopped_by = v.stop->order.author;
  }
  if (auto it = v.checks.find(self); it != v.checks.end()) out.my_check = it->second;
  if (auto it = v.checks.find(partner); it != v.checks.end()) out.partner_check = it->second;
  return out;
}

Result<bool> Practices::stage_open(std::string_view practice, uint8_t stage,
                                   const model::DeviceKey& partner) {
  if (stage <= 1) return true;
  HEARTH_ASSIGN_OR_RETURN(auto agreed, store_.views().stage_agreed(practice, stage));
  return agreed.count(store_.keys().self()) == 1 && agreed.count(partner) == 1;
}

Result<PracticeItem> Practices::invite(const model::PracticeInvite& invite,
                                       const model::DeviceKey& partner) {
  HEARTH_ASSIGN_OR_RETURN(bool open, stage_open(invite.practice, invite.stage, partner));
  if (!open) {
    return Status::refused("stage " + std::to_string(invite.stage) +
                           " opens once you have both agreed to go on to it "
                           "(`hearth practice stage " + invite.practice + " " +
                           std::to_string(invite.stage) + "`); there is no hurry");
  }
  model::PracticeInvite inv = invite;
  inv.session_id = crypto::new_entity_id(system_clock_ms());
  HEARTH_TRY(journal_.write(inv, Visibility::kShared).status());
  return item(inv.session_id, partner);
}

Result<PracticeItem> Practices::join(const model::DeviceKey& partner, int64_t now_ms) {
  HEARTH_ASSIGN_OR_RETURN(std::optional<PracticeItem> open, current(partner, now_ms));
  if (!open || open->inviter != partner || open->joined)
    return Status::not_found("there is no invitation to join just now");
  HEARTH_TRY(journal_.write(model::PracticeJoin{open->id, now_ms + kPracticeLeadMs},
                            Visibility::kShared)
                 .status());
  return item(open->id, partner);
}

Status Practices::check(const model::EntityId& session, model::Capacity capacity) {
  return journal_.write(model::PracticeCheck{session, capacity}, Visibility::kShared).status();
}

Status Practices::stop(const model::EntityId& session) {
  return journal_.write(model::PracticeStop{session}, Visibility::kShared).status();
}

Status Practices::agree_stage(std::string_view practice, uint8_t stage) {
  return journal_.write(model::PracticeStage{std::string(practice), stage}, Visibility::kShared)
      .status();
}

Result<std::optional<PracticeItem>> Practices::current(const model::DeviceKey& partner,
                                                       int64_t now_ms) {
  // The few newest invitations; an older one is over in any case.
  Query st = store_.db().prepare(
      "SELECT session_id FROM practice_facts WHERE kind = 0 ORDER BY wall_ms DESC, lamport DESC"
      " LIMIT 4");
  std::vector<model::EntityId> sessions;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    if (row->blob(0).size() == 16) sessions.push_back(to_array<16>(row->blob(0)));
  }
  for (const auto& id : sessions) {
    HEARTH_ASSIGN_OR_RETURN(PracticeItem it, item(id, partner));
    if (!it.over_at(now_ms)) return std::optional<PracticeItem>(std::move(it));
  }
  return std::optional<PracticeItem>();
}

Result<std::optional<PracticeItem>> Practices::newest(const model::DeviceKey& partner) {
  std::optional<model::EntityId> id;
  {
    Query st = store_.db().prepare(
        "SELECT session_id FROM practice_facts WHERE kind = 0 ORDER BY wall_ms DESC, lamport DESC"
        " LIMIT 1");
    HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
    if (found && st.blob(0).size() == 16) id = to_array<16>(st.blob(0));
  }
  if (!id) return std::optional<PracticeItem>();
  HEARTH_ASSIGN_OR_RETURN(PracticeItem it, item(*id, partner));
  return std::optional<PracticeItem>(std::move(it));
}

Result<std::optional<model::EntityId>> Practices::session_of_row(int64_t row) {
  Query st = store_.db().prepare("SELECT session_id FROM practice_facts WHERE row = ?");
  st.bind(1, row);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  std::optional<model::EntityId> out;
  if (found && st.blob(0).size() == 16) out = to_array<16>(st.blob(0));
  return out;
}

}  // namespace hearth::store
