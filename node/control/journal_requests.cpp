#include "control/journal_requests.h"

#include "control/responses.h"
#include "crypto/entity_id.h"
#include "store/partnership.h"
#include "util/day.h"

#include <algorithm>
#include <ctime>
#include <optional>

namespace hearth::control {
namespace {

using store::Visibility;

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

std::vector<std::string> list_of(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> out;
  for (auto t : list) out.push_back(text_of(t));
  return out;
}

model::EntityId new_id() { return crypto::new_entity_id(store::system_clock_ms()); }

// Short IDs (control.capnp `*Prefix`) match a unique start or end of an ID,
// or the start of the short ID the lists show, as the reader finds them.
std::string no_match(std::string_view what, const std::string& id) {
  return "no " + std::string(what) + " matches the ID " + id +
         "; give it as the lists show it, or the start or end of its full ID";
}
std::string several_match(std::string_view what, const std::string& id) {
  return "more than one " + std::string(what) + " matches the ID " + id + "; type more of the ID";
}

// A reflection by a short ID: exactly one must match.
Result<model::ReflectionKey> resolve_reflection(runtime::Unlocked& u, capnp::Text::Reader prefix) {
  HEARTH_ASSIGN_OR_RETURN(auto keys, u.reader.find_reflections(text_of(prefix)));
  if (keys.empty()) return Status::not_found(no_match("reflection", text_of(prefix)));
  if (keys.size() > 1) return Status::invalid(several_match("reflection", text_of(prefix)));
  return keys.front();
}

Result<model::EntityId> resolve_boundary(runtime::Unlocked& u, capnp::Text::Reader prefix) {
  HEARTH_ASSIGN_OR_RETURN(auto ids, u.reader.find_boundaries(text_of(prefix)));
  if (ids.empty()) return Status::not_found(no_match("boundary", text_of(prefix)));
  if (ids.size() > 1) return Status::invalid(several_match("boundary", text_of(prefix)));
  return ids.front();
}

Result<model::CheckInKey> resolve_check_in(runtime::Unlocked& u, capnp::Text::Reader prefix) {
  HEARTH_ASSIGN_OR_RETURN(auto keys, u.reader.find_check_ins(text_of(prefix)));
  if (keys.empty()) return Status::not_found(no_match("check-in", text_of(prefix)));
  if (keys.size() > 1) return Status::invalid(several_match("check-in", text_of(prefix)));
  return keys.front();
}

// How a message names another device: by its name when one is known.
std::string name_of(runtime::Unlocked& u, const Key32& key) {
  auto row = u.devices.get(key);
  if (row && !row->name.empty()) return row->name;
  return row && row->role == store::DeviceRole::kPartner ? "your partner" : "they";
}

Bytes reflection_frame(runtime::Unlocked& u, const model::ReflectionKey& key, bool history) {
  auto item = u.reader.reflection(key, history);
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) { present(v, *item, r.initReflection()); });
}

Bytes boundary_frame(runtime::Unlocked& u, const model::EntityId& id) {
  auto item = u.reader.boundary(id);
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) { present(v, *item, r.initBoundary()); });
}

Result<store::ReflectionItem> my_reflection(runtime::Unlocked& u, capnp::Text::Reader prefix,
                                            const char* verb) {
  HEARTH_ASSIGN_OR_RETURN(model::ReflectionKey key, resolve_reflection(u, prefix));
  if (key.author != u.store->keys().self())
    return Status::refused(std::string("only its author can ") + verb + " a reflection");
  return u.reader.reflection(key, false);
}

}  // namespace

Viewer viewer_of(runtime::Unlocked& u) {
  Viewer v;
  v.self = u.store->keys().self();
  v.now_ms = u.clock_ms();
  if (auto partner = u.devices.partner()) v.partner_acked_seq = partner->acked_seq;
  return v;
}

Bytes reflect_add(runtime::Unlocked& u, ReflectAdd::Reader r) {
  model::ReflectionPut put;
  put.reflection_id = new_id();
  put.text = text_of(r.getText());
  put.feelings = list_of(r.getFeelings());
  put.prompt_id = text_of(r.getPromptId());
  put.content_note = text_of(r.getContentNote());
  if (r.getReplyToPrefix().size() > 0) {
    auto key = resolve_reflection(u, r.getReplyToPrefix());
    if (!key) return error_frame(key.status());
    put.reply_to.assign(key->id.begin(), key->id.end());
  }
  auto meta = u.journal.write(put, r.getShare() ? Visibility::kShared : Visibility::kPrivate);
  if (!meta) return error_frame(meta.status());
  return reflection_frame(u, {u.store->keys().self(), put.reflection_id}, false);
}

namespace {

// One page of an export (control.capnp, ExportPage): a few milliseconds of
// the daemon's thread whatever the journal's size.
Bytes reflect_page(runtime::Unlocked& u, Query::Reader q) {
  constexpr uint32_t kDefaultPage = control::EXPORT_PAGE_SIZE, kMaxPage = 1000;
  const uint32_t limit = q.getLimit() == 0 ? kDefaultPage : std::min(q.getLimit(), kMaxPage);
  std::optional<store::Reader::PageCursor> after;
  auto page = q.getPage();
  if (page.getStarted()) {
    const auto id = page.getAfterId();
    if (id.size() != model::EntityId{}.size())
      return error_frame(Status::invalid("an export page's cursor needs a 16-byte ID"));
    after.emplace();
    after->created_ms = page.getAfterCreatedAt();
    std::copy(id.begin(), id.end(), after->id.begin());
    after->mine = page.getAfterMine();
  }
  auto items = u.reader.reflection_page(after, limit);
  if (!items) return error_frame(items.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) {
    auto list = r.initReflections(static_cast<unsigned>(items->size()));
    for (unsigned i = 0; i < items->size(); ++i) present(v, (*items)[i], list[i], false);
  });
}

}  // namespace

Bytes reflect_list(runtime::Unlocked& u, Query::Reader q) {
  if (q.hasPage()) return reflect_page(u, q);
  auto items = u.reader.reflections(q.getLimit(), q.getWithHistory(), q.getArchived());
  if (!items) return error_frame(items.status());
  Viewer v = viewer_of(u);
  // An export (withHistory) holds every word; a list hides those behind a
  // content note until `reflect show` opens them.
  const bool in_list = !q.getWithHistory();
  return response_frame([&](Response::Builder r) {
    auto list = r.initReflections(static_cast<unsigned>(items->size()));
    for (unsigned i = 0; i < items->size(); ++i) present(v, (*items)[i], list[i], in_list);
  });
}

Bytes reflect_show(runtime::Unlocked& u, Target::Reader t) {
  auto key = resolve_reflection(u, t.getIdPrefix());
  if (!key) return error_frame(key.status());
  return reflection_frame(u, *key, true);
}

Bytes reflect_edit(runtime::Unlocked& u, ReflectEdit::Reader r) {
  auto item = my_reflection(u, r.getIdPrefix(), "edit");
  if (!item) return error_frame(item.status());
  model::ReflectionPut put = item->current;
  put.text = text_of(r.getText());
  if (!r.getKeepFeelings()) put.feelings = list_of(r.getFeelings());
  auto meta = u.journal.write(put, item->view.shared ? Visibility::kShared : Visibility::kPrivate);
  if (!meta) return error_frame(meta.status());
  return reflection_frame(u, item->key, true);
}

Bytes reflect_share(runtime::Unlocked& u, Target::Reader t) {
  auto item = my_reflection(u, t.getIdPrefix(), "share");
  if (!item) return error_frame(item.status());
  if (!item->view.shared) {
    // The current words become a shared version; earlier private drafts
    // stay on this device as history and are never sent.
    auto meta = u.journal.write(item->current, Visibility::kShared);
    if (!meta) return error_frame(meta.status());
  }
  return reflection_frame(u, item->key, false);
}

Bytes reflect_forget(runtime::Unlocked& u, Target::Reader t) {
  auto item = my_reflection(u, t.getIdPrefix(), "forget");
  if (!item) return error_frame(item.status());
  auto meta = u.journal.write(model::ReflectionForget{item->key.id},
                              item->view.shared ? Visibility::kShared : Visibility::kPrivate);
  if (!meta) return error_frame(meta.status());
  return ok_frame();
}

namespace {

// An agreement with these words that the partner declined, asking to be
// asked again only after a day still to come: that day (0: none).
Result<int64_t> ask_again_after(runtime::Unlocked& u, std::string_view text) {
  HEARTH_ASSIGN_OR_RETURN(auto items, u.reader.boundaries(0, true));
  int64_t after = 0;
  for (const auto& b : items) {
    if (b.view.kind != model::BoundaryKind::kAgreement ||
        b.view.status != model::BoundaryStatus::kDeclined || b.revisions.empty())
      continue;
    const auto& latest = b.revisions.back();
    if (latest.words.text != text) continue;
    for (const auto& r : b.facts.responses)
      if (r.revision == latest.fact.id && r.response == model::Response::kDecline &&
          r.order.author != u.store->keys().self())
        after = std::max(after, r.ask_again_after_ms);
  }
  return after > u.clock_ms() ? after : 0;
}

Bytes state_boundary(runtime::Unlocked& u, BoundaryPropose::Reader r, model::BoundaryKind kind) {
  model::BoundaryPropose p{new_id(), text_of(r.getText()), text_of(r.getCategory()), kind};
  if (kind == model::BoundaryKind::kAgreement) {
    auto after = ask_again_after(u, p.text);
    if (!after) return error_frame(after.status());
    if (*after != 0) {
      return error_frame(Status::refused(
          name_of(u, u.devices.partner() ? u.devices.partner()->key : Key32{}) +
          " asked to be asked again about this after " + utc_day(*after) +
          "; until then it waits. A limit of your own (`hearth boundary set`) needs nobody's "
          "agreement"));
    }
  }
  auto meta = u.journal.write(p, Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return boundary_frame(u, p.boundary_id);
}

// A boundary by short ID, with the rule that only a limit's author changes it.
Result<store::BoundaryItem> boundary_to_change(runtime::Unlocked& u, capnp::Text::Reader prefix,
                                               const char* verb) {
  HEARTH_ASSIGN_OR_RETURN(model::EntityId id, resolve_boundary(u, prefix));
  HEARTH_ASSIGN_OR_RETURN(store::BoundaryItem item, u.reader.boundary(id));
  const auto& view = item.view;
  if (view.kind == model::BoundaryKind::kLimit && view.owner != u.store->keys().self()) {
    const std::string owner = name_of(u, view.owner);
    return Status::refused("this is " + owner + "'s own limit: only " + owner + " can " + verb +
                           " it. You can acknowledge it with `hearth boundary ack`");
  }
  return item;
}

const store::BoundaryItem::Revision* latest_revision(const store::BoundaryItem& item) {
  for (const auto& rev : item.revisions)
    if (rev.fact.ref == item.view.latest) return &rev;
  return nullptr;
}

}  // namespace

Bytes boundary_propose(runtime::Unlocked& u, BoundaryPropose::Reader r) {
  return state_boundary(u, r, model::BoundaryKind::kAgreement);
}

Bytes boundary_set(runtime::Unlocked& u, BoundaryPropose::Reader r) {
  return state_boundary(u, r, model::BoundaryKind::kLimit);
}

Bytes boundary_revise(runtime::Unlocked& u, BoundaryRevise::Reader r) {
  auto item = boundary_to_change(u, r.getIdPrefix(), "change");
  if (!item) return error_frame(item.status());
  const auto status = item->view.status;
  if (status == model::BoundaryStatus::kWithdrawn)
    return error_frame(Status::refused("this agreement was left; propose a new one instead"));
  if (status == model::BoundaryStatus::kRetired)
    return error_frame(Status::refused("this limit was retired; set a new one instead"));
  const auto* latest = latest_revision(*item);
  if (latest == nullptr) return error_frame(Status::internal("boundary without its latest revision"));
  if (status == model::BoundaryStatus::kDeclined && latest->words.text == text_of(r.getText())) {
    // The same words again, while the decline asks to wait: as a proposal would be.
    auto after = ask_again_after(u, latest->words.text);
    if (!after) return error_frame(after.status());
    if (*after != 0) {
      return error_frame(Status::refused(
          "the answer was to be asked again only after " + utc_day(*after) +
          "; until then these words wait. Different words can be proposed"));
    }
  }
  auto meta = u.journal.write(model::BoundaryPropose{item->id, text_of(r.getText()),
                                                     latest->words.category, item->view.kind},
                              Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return boundary_frame(u, item->id);
}

Bytes boundary_respond(runtime::Unlocked& u, BoundaryRespond::Reader r) {
  auto id = resolve_boundary(u, r.getIdPrefix());
  if (!id) return error_frame(id.status());
  auto item = u.reader.boundary(*id);
  if (!item) return error_frame(item.status());
  const Key32& self = u.store->keys().self();
  auto response = static_cast<uint16_t>(r.getResponse());
  if (response > 3) return error_frame(Status::invalid("unknown response"));
  const bool ack = response == static_cast<uint16_t>(model::Response::kAcknowledge);
  const auto status = item->view.status;
  if (status == model::BoundaryStatus::kWithdrawn || status == model::BoundaryStatus::kRetired)
    return error_frame(Status::refused("this boundary is no longer in force; there is nothing to answer"));
  const auto* latest = latest_revision(*item);
  if (latest == nullptr) return error_frame(Status::internal("boundary without its latest revision"));
  if (item->view.kind == model::BoundaryKind::kLimit) {
    if (!ack)
      return error_frame(Status::refused(
          "a limit needs nobody's agreement: it is in force as it is. You can acknowledge it "
          "with `hearth boundary ack`"));
    if (item->view.owner == self)
      return error_frame(Status::refused("this is your own limit; there is nothing to acknowledge"));
  } else {
    if (ack)
      return error_frame(Status::refused(
          "only a limit is acknowledged; an agreement is answered with agree, decline or discuss"));
    if (latest->fact.order.author == self) {
      return error_frame(Status::refused(
          "you proposed the latest wording, so you already agree to it; to change it, revise "
          "it, drop the revision, or leave the agreement"));
    }
  }
  int64_t ask_again = r.getAskAgainAfter();
  if (ask_again != 0 && response != static_cast<uint16_t>(model::Response::kDecline))
    return error_frame(Status::invalid("only a decline can say when to ask again"));
  if (ask_again < 0) return error_frame(Status::invalid("the date to ask again is not valid"));
  model::BoundaryRespond p{*id, latest->fact.id, static_cast<model::Response>(response),
                           text_of(r.getNote()), ask_again};
  auto meta = u.journal.write(p, Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return boundary_frame(u, *id);
}

Bytes boundary_withdraw(runtime::Unlocked& u, BoundaryWithdraw::Reader r) {
  auto item = boundary_to_change(u, r.getIdPrefix(), "retire");
  if (!item) return error_frame(item.status());
  const auto status = item->view.status;
  if (status != model::BoundaryStatus::kWithdrawn && status != model::BoundaryStatus::kRetired) {
    auto meta = u.journal.write(model::BoundaryWithdraw{item->id, text_of(r.getNote())},
                                Visibility::kShared);
    if (!meta) return error_frame(meta.status());
  }
  return boundary_frame(u, item->id);
}

Bytes boundary_drop(runtime::Unlocked& u, Target::Reader t) {
  auto id = resolve_boundary(u, t.getIdPrefix());
  if (!id) return error_frame(id.status());
  auto item = u.reader.boundary(*id);
  if (!item) return error_frame(item.status());
  if (item->view.kind != model::BoundaryKind::kAgreement)
    return error_frame(Status::refused(
        "a limit has no revision waiting: each change to it is in force at once"));
  const auto* latest = latest_revision(*item);
  if (latest == nullptr || item->revisions.size() < 2 ||
      latest->fact.order.author != u.store->keys().self() ||
      item->view.status == model::BoundaryStatus::kAgreed ||
      item->view.status == model::BoundaryStatus::kWithdrawn) {
    return error_frame(Status::refused(
        "there is no revision of yours waiting for an answer; to end the agreement, leave it"));
  }
  auto meta = u.journal.write(model::BoundaryDrop{*id, latest->fact.id}, Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return boundary_frame(u, *id);
}

Bytes boundary_list(runtime::Unlocked& u, Query::Reader q) {
  auto items = u.reader.boundaries(q.getLimit(), q.getWithHistory());
  if (!items) return error_frame(items.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) {
    auto list = r.initBoundaries(static_cast<unsigned>(items->size()));
    for (unsigned i = 0; i < items->size(); ++i) present(v, (*items)[i], list[i]);
  });
}

Bytes check_in(runtime::Unlocked& u, CheckInAdd::Reader r) {
  auto capacity = static_cast<uint16_t>(r.getCapacity());
  if (capacity > 2) return error_frame(Status::invalid("capacity is green, yellow or red"));
  model::CheckIn c{new_id(), static_cast<model::Capacity>(capacity), list_of(r.getFeelings()),
                   text_of(r.getNeed())};
  auto meta = u.journal.write(c, r.getShare() ? Visibility::kShared : Visibility::kPrivate);
  if (!meta) return error_frame(meta.status());
  auto item = u.reader.check_in(u.store->keys().self(), c.check_in_id);
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder resp) { present(v, *item, resp.initCheckIn()); });
}

Bytes check_in_list(runtime::Unlocked& u, Query::Reader q) {
  auto items = u.reader.check_ins(q.getLimit(), q.getArchived());
  if (!items) return error_frame(items.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) {
    auto list = r.initCheckIns(static_cast<unsigned>(items->size()));
    for (unsigned i = 0; i < items->size(); ++i) present(v, (*items)[i], list[i]);
  });
}

Bytes check_in_share(runtime::Unlocked& u, Target::Reader t) {
  auto key = resolve_check_in(u, t.getIdPrefix());
  if (!key) return error_frame(key.status());
  if (key->author != u.store->keys().self())
    return error_frame(Status::refused("only its author can share a check-in"));
  auto item = u.reader.check_in(key->author, key->id);
  if (!item) return error_frame(item.status());
  if (!item->view.shared()) {
    // The same check-in, its same words, as a shared event.
    auto meta = u.journal.write(item->words, Visibility::kShared);
    if (!meta) return error_frame(meta.status());
    item = u.reader.check_in(key->author, key->id);
    if (!item) return error_frame(item.status());
  }
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder resp) { present(v, *item, resp.initCheckIn()); });
}

Bytes check_in_forget(runtime::Unlocked& u, Target::Reader t) {
  auto key = resolve_check_in(u, t.getIdPrefix());
  if (!key) return error_frame(key.status());
  if (key->author != u.store->keys().self())
    return error_frame(Status::refused("only its author can forget a check-in"));
  auto item = u.reader.check_in(key->author, key->id);
  if (!item) return error_frame(item.status());
  auto meta = u.journal.write(model::CheckInForget{key->id},
                              item->view.shared() ? Visibility::kShared : Visibility::kPrivate);
  if (!meta) return error_frame(meta.status());
  return ok_frame();
}

Bytes appreciate(runtime::Unlocked& u, Appreciate::Reader r) {
  model::ReflectionPut put;
  put.reflection_id = new_id();
  put.text = text_of(r.getText());
  put.appreciation = true;
  auto meta = u.journal.write(put, Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return reflection_frame(u, {u.store->keys().self(), put.reflection_id}, false);
}

Bytes need_reply(runtime::Unlocked& u, NeedReply::Reader r) {
  auto key = resolve_check_in(u, r.getIdPrefix());
  if (!key) return error_frame(key.status());
  if (key->author == u.store->keys().self())
    return error_frame(Status::refused("this is your own check-in; a reply is for your partner's"));
  auto item = u.reader.check_in(key->author, key->id);
  if (!item) return error_frame(item.status());
  if (!item->view.shared()) return error_frame(Status::refused("that check-in is not shared"));
  auto meta = u.journal.write(model::NeedReply{key->id, new_id(), text_of(r.getText())},
                              Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  item = u.reader.check_in(key->author, key->id);
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder resp) { present(v, *item, resp.initCheckIn()); });
}

Bytes archive(runtime::Unlocked& u, Archive::Reader r) {
  const std::string kind = text_of(r.getKind());
  if (kind == "reflection") {
    auto key = resolve_reflection(u, r.getIdPrefix());
    if (!key) return error_frame(key.status());
    Status st = u.store->archive().set(store::ArchiveKind::kReflection, key->author, key->id,
                                       r.getArchived(), u.clock_ms());
    if (!st.is_ok()) return error_frame(st);
    return reflection_frame(u, *key, false);
  }
  if (kind == "checkin") {
    auto key = resolve_check_in(u, r.getIdPrefix());
    if (!key) return error_frame(key.status());
    Status st = u.store->archive().set(store::ArchiveKind::kCheckIn, key->author, key->id,
                                       r.getArchived(), u.clock_ms());
    if (!st.is_ok()) return error_frame(st);
    auto item = u.reader.check_in(key->author, key->id);
    if (!item) return error_frame(item.status());
    Viewer v = viewer_of(u);
    return response_frame([&](Response::Builder resp) { present(v, *item, resp.initCheckIn()); });
  }
  return error_frame(Status::invalid("archive a reflection or a check-in"));
}

Bytes pause_frame(runtime::Unlocked& u) {
  auto item = u.reader.pause(u.store->keys().self());
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) { present(v, *item, r.initPause()); });
}

Bytes pause(runtime::Unlocked& u, PauseSet::Reader r) {
  auto meta = u.journal.write(model::Pause{r.getMinutes(), text_of(r.getNote())},
                              Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return pause_frame(u);
}

Bytes resume(runtime::Unlocked& u) {
  auto item = u.reader.pause(u.store->keys().self());
  if (!item) return error_frame(item.status());
  // Only one's own pause can be ended; with none running there is nothing to end.
  if (item->window.active_at(u.clock_ms())) {
    auto meta = u.journal.write(model::Resume{}, Visibility::kShared);
    if (!meta) return error_frame(meta.status());
  }
  return pause_frame(u);
}

Result<OverviewFacts> overview_of(runtime::Unlocked& u) {
  OverviewFacts o;
  HEARTH_ASSIGN_OR_RETURN(o.mine, u.reader.pause(u.store->keys().self()));
  if (auto partner = u.devices.partner()) {
    o.paired = true;
    o.partner_name = partner->name;
    HEARTH_ASSIGN_OR_RETURN(store::PauseItem theirs, u.reader.pause(partner->key));
    o.partner = std::move(theirs);
  } else {
    HEARTH_ASSIGN_OR_RETURN(o.shared_while_unpaired, store::shared_while_unpaired(*u.store));
  }
  HEARTH_ASSIGN_OR_RETURN(o.waiting, u.reader.waiting());
  return o;
}

Bytes overview(runtime::Unlocked& u) {
  auto o = overview_of(u);
  if (!o) return error_frame(o.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) {
    auto b = r.initOverview();
    b.setPaired(o->paired);
    b.setPartnerName(o->partner_name);
    present(v, o->mine, b.initMyPause());
    auto partner = b.initPartnerPause();
    if (o->partner) present(v, *o->partner, partner);
    b.setWaiting(o->waiting);
    b.setSharedWhileUnpaired(static_cast<uint32_t>(o->shared_while_unpaired));
  });
}

}  // namespace hearth::control
