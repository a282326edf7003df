#include "control/journal_requests.h"

#include "control/responses.h"
#include "crypto/entity_id.h"

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
Result<model::ReflectionKey> resolve_reflection(app::Unlocked& u, capnp::Text::Reader prefix) {
  HEARTH_ASSIGN_OR_RETURN(auto keys, u.reader.find_reflections(text_of(prefix)));
  if (keys.empty()) return Status::not_found(no_match("reflection", text_of(prefix)));
  if (keys.size() > 1) return Status::invalid(several_match("reflection", text_of(prefix)));
  return keys.front();
}

Result<model::EntityId> resolve_boundary(app::Unlocked& u, capnp::Text::Reader prefix) {
  HEARTH_ASSIGN_OR_RETURN(auto ids, u.reader.find_boundaries(text_of(prefix)));
  if (ids.empty()) return Status::not_found(no_match("boundary", text_of(prefix)));
  if (ids.size() > 1) return Status::invalid(several_match("boundary", text_of(prefix)));
  return ids.front();
}

Bytes reflection_frame(app::Unlocked& u, const model::ReflectionKey& key, bool history) {
  auto item = u.reader.reflection(key, history);
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) { present(v, *item, r.initReflection()); });
}

Bytes boundary_frame(app::Unlocked& u, const model::EntityId& id) {
  auto item = u.reader.boundary(id);
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) { present(v, *item, r.initBoundary()); });
}

Result<store::ReflectionItem> my_reflection(app::Unlocked& u, capnp::Text::Reader prefix,
                                            const char* verb) {
  HEARTH_ASSIGN_OR_RETURN(model::ReflectionKey key, resolve_reflection(u, prefix));
  if (key.author != u.store->keys().self())
    return Status::refused(std::string("only its author can ") + verb + " a reflection");
  return u.reader.reflection(key, false);
}

}  // namespace

Viewer viewer_of(app::Unlocked& u) {
  Viewer v;
  v.self = u.store->keys().self();
  v.now_ms = u.clock_ms();
  if (auto partner = u.devices.partner()) v.partner_acked_seq = partner->acked_seq;
  return v;
}

Bytes reflect_add(app::Unlocked& u, ReflectAdd::Reader r) {
  model::ReflectionPut put;
  put.reflection_id = new_id();
  put.text = text_of(r.getText());
  put.feelings = list_of(r.getFeelings());
  put.prompt_id = text_of(r.getPromptId());
  if (r.getReplyToPrefix().size() > 0) {
    auto key = resolve_reflection(u, r.getReplyToPrefix());
    if (!key) return error_frame(key.status());
    put.reply_to.assign(key->id.begin(), key->id.end());
  }
  auto meta = u.journal.write(put, r.getShare() ? Visibility::kShared : Visibility::kPrivate);
  if (!meta) return error_frame(meta.status());
  return reflection_frame(u, {u.store->keys().self(), put.reflection_id}, false);
}

Bytes reflect_list(app::Unlocked& u, Query::Reader q) {
  auto items = u.reader.reflections(q.getLimit(), q.getWithHistory());
  if (!items) return error_frame(items.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) {
    auto list = r.initReflections(static_cast<unsigned>(items->size()));
    for (unsigned i = 0; i < items->size(); ++i) present(v, (*items)[i], list[i]);
  });
}

Bytes reflect_show(app::Unlocked& u, Target::Reader t) {
  auto key = resolve_reflection(u, t.getIdPrefix());
  if (!key) return error_frame(key.status());
  return reflection_frame(u, *key, true);
}

Bytes reflect_edit(app::Unlocked& u, ReflectEdit::Reader r) {
  auto item = my_reflection(u, r.getIdPrefix(), "edit");
  if (!item) return error_frame(item.status());
  model::ReflectionPut put = item->current;
  put.text = text_of(r.getText());
  if (!r.getKeepFeelings()) put.feelings = list_of(r.getFeelings());
  auto meta = u.journal.write(put, item->view.shared ? Visibility::kShared : Visibility::kPrivate);
  if (!meta) return error_frame(meta.status());
  return reflection_frame(u, item->key, true);
}

Bytes reflect_share(app::Unlocked& u, Target::Reader t) {
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

Bytes reflect_forget(app::Unlocked& u, Target::Reader t) {
  auto item = my_reflection(u, t.getIdPrefix(), "forget");
  if (!item) return error_frame(item.status());
  auto meta = u.journal.write(model::ReflectionForget{item->key.id},
                              item->view.shared ? Visibility::kShared : Visibility::kPrivate);
  if (!meta) return error_frame(meta.status());
  return ok_frame();
}

Bytes boundary_propose(app::Unlocked& u, BoundaryPropose::Reader r) {
  model::BoundaryPropose p{new_id(), text_of(r.getText()), text_of(r.getCategory())};
  auto meta = u.journal.write(p, Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return boundary_frame(u, p.boundary_id);
}

Bytes boundary_revise(app::Unlocked& u, BoundaryRevise::Reader r) {
  auto id = resolve_boundary(u, r.getIdPrefix());
  if (!id) return error_frame(id.status());
  auto item = u.reader.boundary(*id);
  if (!item) return error_frame(item.status());
  if (item->view.status == model::BoundaryStatus::kWithdrawn)
    return error_frame(Status::refused("this boundary was withdrawn; propose a new one instead"));
  std::string category;
  for (const auto& rev : item->revisions)
    if (rev.fact.ref == item->view.latest) category = rev.words.category;
  auto meta = u.journal.write(model::BoundaryPropose{*id, text_of(r.getText()), category},
                              Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return boundary_frame(u, *id);
}

Bytes boundary_respond(app::Unlocked& u, BoundaryRespond::Reader r) {
  auto id = resolve_boundary(u, r.getIdPrefix());
  if (!id) return error_frame(id.status());
  auto item = u.reader.boundary(*id);
  if (!item) return error_frame(item.status());
  if (item->view.status == model::BoundaryStatus::kWithdrawn)
    return error_frame(Status::refused("this boundary was withdrawn; there is nothing to answer"));
  const store::BoundaryItem::Revision* latest = nullptr;
  for (const auto& rev : item->revisions)
    if (rev.fact.ref == item->view.latest) latest = &rev;
  if (latest == nullptr) return error_frame(Status::internal("boundary without its latest revision"));
  if (latest->fact.order.author == u.store->keys().self()) {
    return error_frame(Status::refused(
        "you proposed the latest wording, so you already agree to it; to change it, revise or "
        "withdraw the boundary"));
  }
  auto response = static_cast<uint16_t>(r.getResponse());
  if (response > 2) return error_frame(Status::invalid("unknown response"));
  model::BoundaryRespond p{*id, latest->fact.id, static_cast<model::Response>(response),
                           text_of(r.getNote())};
  auto meta = u.journal.write(p, Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return boundary_frame(u, *id);
}

Bytes boundary_withdraw(app::Unlocked& u, BoundaryWithdraw::Reader r) {
  auto id = resolve_boundary(u, r.getIdPrefix());
  if (!id) return error_frame(id.status());
  auto item = u.reader.boundary(*id);
  if (!item) return error_frame(item.status());
  if (item->view.status != model::BoundaryStatus::kWithdrawn) {
    auto meta = u.journal.write(model::BoundaryWithdraw{*id, text_of(r.getNote())},
                                Visibility::kShared);
    if (!meta) return error_frame(meta.status());
  }
  return boundary_frame(u, *id);
}

Bytes boundary_list(app::Unlocked& u, Query::Reader q) {
  auto items = u.reader.boundaries(q.getLimit());
  if (!items) return error_frame(items.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) {
    auto list = r.initBoundaries(static_cast<unsigned>(items->size()));
    for (unsigned i = 0; i < items->size(); ++i) present(v, (*items)[i], list[i]);
  });
}

Bytes check_in(app::Unlocked& u, CheckInAdd::Reader r) {
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

Bytes check_in_list(app::Unlocked& u, Query::Reader q) {
  auto items = u.reader.check_ins(q.getLimit());
  if (!items) return error_frame(items.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) {
    auto list = r.initCheckIns(static_cast<unsigned>(items->size()));
    for (unsigned i = 0; i < items->size(); ++i) present(v, (*items)[i], list[i]);
  });
}

Bytes pause_frame(app::Unlocked& u) {
  auto item = u.reader.pause();
  if (!item) return error_frame(item.status());
  Viewer v = viewer_of(u);
  return response_frame([&](Response::Builder r) { present(v, *item, r.initPause()); });
}

Bytes pause(app::Unlocked& u, PauseSet::Reader r) {
  auto meta = u.journal.write(model::Pause{r.getMinutes(), text_of(r.getNote())},
                              Visibility::kShared);
  if (!meta) return error_frame(meta.status());
  return pause_frame(u);
}

Bytes resume(app::Unlocked& u) {
  auto item = u.reader.pause();
  if (!item) return error_frame(item.status());
  // Resuming when nothing is paused writes nothing: there is nothing to end.
  if (item->view.active_at(u.clock_ms())) {
    auto meta = u.journal.write(model::Resume{}, Visibility::kShared);
    if (!meta) return error_frame(meta.status());
  }
  return pause_frame(u);
}

}  // namespace hearth::control
