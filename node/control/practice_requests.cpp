#include "control/practice_requests.h"

#include "control/journal_requests.h"
#include "control/prompt_requests.h"
#include "control/responses.h"
#include "store/care.h"
#include "store/config.h"
#include "util/day.h"

namespace hearth::control {
namespace {

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

const char* check_name(const std::optional<model::Capacity>& c) {
  return c ? model::capacity_name(*c) : "";
}

Bytes practice_frame(runtime::Unlocked& u, const std::optional<store::PracticeItem>& item) {
  return response_frame([&](Response::Builder r) {
    auto out = r.initPractice();
    if (item) present_practice(u, *item, out);
  });
}

Result<model::Capacity> capacity_of(hearth::schema::Capacity c) {
  auto v = static_cast<uint16_t>(c);
  if (v > 2) return Status::invalid("capacity is green, yellow or red");
  return static_cast<model::Capacity>(v);
}

// The session's frame, once my capacity check (if one came) is written.
Bytes checked_in(runtime::Unlocked& u, const model::EntityId& session, bool check,
                 hearth::schema::Capacity capacity) {
  if (check) {
    auto cap = capacity_of(capacity);
    if (!cap) return error_frame(cap.status());
    if (Status st = u.practices.check(session, *cap); !st.is_ok()) return error_frame(st);
  }
  auto fresh = u.practices.item(session, partner_key(u));
  if (!fresh) return error_frame(fresh.status());
  return practice_frame(u, *fresh);
}

}  // namespace

void present_practice(runtime::Unlocked& u, const store::PracticeItem& item,
                      PracticeInfo::Builder out) {
  const Key32& self = u.store->keys().self();
  out.setId(kj::arrayPtr(item.id.data(), item.id.size()));
  out.setPractice(item.practice);
  out.setMinutes(item.minutes);
  out.setInSeconds(item.in_seconds);
  out.setOutSeconds(item.out_seconds);
  out.setStage(item.stage);
  out.setInvitedByMe(item.inviter == self);
  out.setInvitedAt(item.invited_ms);
  out.setJoined(item.joined);
  out.setStartAt(item.start_ms);
  out.setStopped(item.stopped);
  out.setStoppedByMe(item.stopped && item.stopped_by == self);
  out.setMyCheck(check_name(item.my_check));
  out.setPartnerCheck(check_name(item.partner_check));
  auto open = u.practices.stage_open(item.practice, item.stage, partner_key(u));
  out.setStageOpen(open && *open);
  out.setOver(item.over_at(u.clock_ms()));
}

Bytes practice_invite(runtime::Unlocked& u, PracticeInvite::Reader r) {
  if (!u.devices.partner())
    return error_frame(Status::refused("this device is not paired, so there is nobody to invite; "
                                       "practices work alone too, without --together"));
  model::PracticeInvite inv;
  inv.practice = text_of(r.getPractice());
  inv.minutes = r.getMinutes();
  inv.in_seconds = r.getInSeconds();
  inv.out_seconds = r.getOutSeconds();
  inv.stage = r.getStage();
  auto current = u.practices.current(partner_key(u), u.clock_ms());
  if (!current) return error_frame(current.status());
  if (*current)
    return error_frame(Status::refused(
        "a practice is already in progress or waiting; `hearth practice stop` ends it first"));
  auto item = u.practices.invite(inv, partner_key(u));
  if (!item) return error_frame(item.status());
  return checked_in(u, item->id, r.getCheck(), r.getCapacity());
}

Bytes practice_join(runtime::Unlocked& u, PracticeJoin::Reader r) {
  auto item = u.practices.join(partner_key(u), u.clock_ms());
  if (!item) return error_frame(item.status());
  return checked_in(u, item->id, r.getCheck(), r.getCapacity());
}

Bytes practice_current(runtime::Unlocked& u) {
  auto newest = u.practices.newest(partner_key(u));
  if (!newest) return error_frame(newest.status());
  return practice_frame(u, *newest);
}

Bytes practice_stop(runtime::Unlocked& u) {
  auto current = u.practices.current(partner_key(u), u.clock_ms());
  if (!current) return error_frame(current.status());
  if (!*current) return practice_frame(u, std::nullopt);
  if (Status st = u.practices.stop((*current)->id); !st.is_ok()) return error_frame(st);
  auto fresh = u.practices.item((*current)->id, partner_key(u));
  if (!fresh) return error_frame(fresh.status());
  return practice_frame(u, *fresh);
}

Bytes practice_stage(runtime::Unlocked& u, PracticeStage::Reader r) {
  const std::string practice = text_of(r.getPractice());
  if (Status st = u.practices.agree_stage(practice, r.getStage()); !st.is_ok())
    return error_frame(st);
  auto open = u.practices.stage_open(practice, r.getStage(), partner_key(u));
  if (!open) return error_frame(open.status());
  return response_frame([&](Response::Builder resp) {
    auto out = resp.initPractice();
    out.setPractice(practice);
    out.setStage(r.getStage());
    out.setStageOpen(*open);
  });
}

Bytes care_line(runtime::Unlocked& u) {
  auto show = store::offer_care_line(*u.store, u.clock_ms());
  if (!show) return error_frame(show.status());
  return response_frame([&](Response::Builder r) { r.initCare().setShow(*show); });
}

Bytes today(runtime::Unlocked& u, Today::Reader r) {
  const std::string date = text_of(r.getDate());
  if (date.size() != 10) return error_frame(Status::invalid("the date is YYYY-MM-DD"));
  const Key32& self = u.store->keys().self();
  const model::DeviceKey partner = partner_key(u);
  const int64_t now = u.clock_ms();
  store::Config& config = u.store->config();
  int64_t since = 0;
  if (auto seen = config.get("today-seen"); seen && *seen) {
    since = std::strtoll((*seen)->c_str(), nullptr, 10);
  }
  auto o = overview_of(u);
  if (!o) return error_frame(o.status());
  auto reflections = u.reader.reflections(0, false);
  if (!reflections) return error_frame(reflections.status());
  auto prompts = u.prompts.active(partner);
  if (!prompts) return error_frame(prompts.status());
  auto boundaries = u.reader.boundaries(0, false);
  if (!boundaries) return error_frame(boundaries.status());
  auto check_ins = u.reader.check_ins(0);
  if (!check_ins) return error_frame(check_ins.status());
  auto todays = u.prompts.today(partner, date, prompt_depth_setting(u));
  if (!todays) return error_frame(todays.status());
  std::optional<store::PromptItem> prompt;
  if (*todays) {
    auto item = u.prompts.item({**todays, {}}, partner);
    if (!item) return error_frame(item.status());
    prompt = std::move(*item);
  }
  auto practice = u.practices.current(partner, now);
  if (!practice) return error_frame(practice.status());
  auto care = store::offer_care_line(*u.store, now);
  if (!care) return error_frame(care.status());

  std::vector<const store::ReflectionItem*> fresh;
  for (const auto& item : *reflections)
    if (item.key.author != self && item.view.updated_ms > since && fresh.size() < 20)
      fresh.push_back(&item);
  std::vector<const store::PromptItem*> revealed;
  for (const auto& item : *prompts)
    if (item.status == model::PromptStatus::kBothAnswered && item.partner &&
        item.partner->words && item.updated_ms > since)
      revealed.push_back(&item);
  std::vector<const store::BoundaryItem*> waiting;
  for (const auto& item : *boundaries) {
    if (item.view.kind != model::BoundaryKind::kAgreement || item.revisions.empty()) continue;
    const auto& latest = item.revisions.back().fact;
    if (latest.order.author != self && !model::position_of(item.facts, latest, self))
      waiting.push_back(&item);
  }
  const store::CheckInItem* partner_check = nullptr;
  bool checked_today = false;
  for (const auto& c : *check_ins) {
    if (c.author != self && c.view.shared() && partner_check == nullptr) partner_check = &c;
    if (c.author == self && local_day(c.view.first.wall_ms) == date) checked_today = true;
  }

  if (r.getMark()) {
    if (Status st = config.set("today-seen", std::to_string(now)); !st.is_ok())
      return error_frame(st);
  }
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder resp) {
    auto t = resp.initToday();
    auto ov = t.initOverview();
    ov.setPaired(o->paired);
    ov.setPartnerName(o->partner_name);
    present(v, o->mine, ov.initMyPause());
    auto pp = ov.initPartnerPause();
    if (o->partner) present(v, *o->partner, pp);
    ov.setWaiting(o->waiting);
    ov.setSharedWhileUnpaired(static_cast<uint32_t>(o->shared_while_unpaired));
    t.setSince(since);
    auto refl = t.initNewReflections(static_cast<unsigned>(fresh.size()));
    for (unsigned i = 0; i < fresh.size(); ++i) present(v, *fresh[i], refl[i], true);
    auto rev = t.initRevealed(static_cast<unsigned>(revealed.size()));
    for (unsigned i = 0; i < revealed.size(); ++i) present(v, *revealed[i], rev[i]);
    auto wb = t.initBoundariesWaiting(static_cast<unsigned>(waiting.size()));
    for (unsigned i = 0; i < waiting.size(); ++i) present(v, *waiting[i], wb[i]);
    if (partner_check) {
      t.setHasPartnerCheckIn(true);
      present(v, *partner_check, t.initPartnerCheckIn());
    }
    t.setCheckedInToday(checked_today);
    if (prompt) {
      t.setHasPrompt(true);
      present(v, *prompt, t.initPrompt());
    }
    if (*practice && (*practice)->inviter != self && !(*practice)->joined)
      present_practice(u, **practice, t.initPractice());
    t.setCareLine(*care);
  });
}

}  // namespace hearth::control
