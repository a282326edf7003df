#include "control/handler.h"

#include <kj/exception.h>

#include "control/journal_requests.h"
#include "control/key_requests.h"
#include "control/practice_requests.h"
#include "control/prompt_requests.h"
#include "control/responses.h"
#include "crypto/identity.h"
#include "util/log.h"

namespace hearth::control {

Bytes status_frame(app::DaemonState& state) {
  app::Unlocked* u = state.unlocked();
  return response_frame([&](Response::Builder r) {
    auto s = r.initStatus();
    s.setDeviceId(crypto::format_device_id(state.device_key()));
    s.setLocked(u == nullptr);
    if (u == nullptr) return;
    Viewer v = viewer_of(*u);
    if (auto self = u->devices.get(state.device_key())) s.setName(self->name);
    if (auto o = overview_of(*u)) {
      present(v, o->mine, s.initMyPause());
      auto partner_pause = s.initPartnerPause();
      if (o->partner) present(v, *o->partner, partner_pause);
      s.setWaiting(o->waiting);
      s.setSharedWhileUnpaired(static_cast<uint32_t>(o->shared_while_unpaired));
    }
    if (auto counts = u->reader.counts()) {
      s.setReflections(counts->reflections);
      s.setBoundaries(counts->boundaries);
      s.setCheckIns(counts->check_ins);
    }
    app::NetworkStatus* net = state.network();
    if (net) s.setListening(net->listening());
    auto sync = s.initSync();
    sync.setMySharedEvents(u->store->events().head(v.self).seq);
    auto partner = s.initPartner();
    if (auto p = u->devices.partner()) {
      partner.setPaired(true);
      partner.setDeviceId(crypto::format_device_id(p->key));
      partner.setName(p->name);
      partner.setPairedAt(p->added_ms);
      partner.setConnection(net ? app::connection_state_name(net->connection_state()) : "offline");
      if (net) {
        const app::SyncFigures f = net->progress();
        sync.setPartnerHasMine(f.partner_has_mine);
        sync.setPartnerEventsKnown(f.partner_events_known);
        sync.setPartnerEventsOffered(f.partner_events_offered);
        sync.setCaughtUp(f.caught_up);
      } else {
        sync.setPartnerHasMine(p->acked_seq);
        sync.setPartnerEventsKnown(u->store->events().head(p->key).seq);
        sync.setPartnerEventsOffered(p->offered_seq);
      }
    }
  });
}

namespace {

Bytes log_frame(app::Unlocked& u, Query::Reader q) {
  auto entries = u.activity.newest(q.getLimit());
  if (!entries) return error_frame(entries.status());
  return response_frame([&](Response::Builder r) {
    auto list = r.initLog(static_cast<unsigned>(entries->size()));
    for (unsigned i = 0; i < entries->size(); ++i) {
      list[i].setAt((*entries)[i].at_ms);
      list[i].setLevel((*entries)[i].level);
      list[i].setMessage((*entries)[i].message);
    }
  });
}

// One partner change as a watch update; nullopt when there is nothing to show
// (e.g. the entity is already gone again).
std::optional<Bytes> entry_frame(app::Unlocked& u, const model::Entry& e) {
  Viewer v = viewer_of(u);
  const Key32& author = e.meta.order.author;
  if (const auto* put = std::get_if<model::ReflectionPut>(&e.payload)) {
    auto item = u.reader.reflection({author, put->reflection_id}, false);
    if (!item) return std::nullopt;
    return response_frame(
        [&](Response::Builder r) { present(v, *item, r.initUpdate().initReflection()); });
  }
  if (const auto* f = std::get_if<model::ReflectionForget>(&e.payload)) {
    return response_frame([&](Response::Builder r) {
      r.initUpdate().setForgotten(kj::arrayPtr(f->reflection_id.data(), f->reflection_id.size()));
    });
  }
  const model::EntityId* boundary = nullptr;
  if (const auto* p = std::get_if<model::BoundaryPropose>(&e.payload)) boundary = &p->boundary_id;
  if (const auto* p = std::get_if<model::BoundaryRespond>(&e.payload)) boundary = &p->boundary_id;
  if (const auto* p = std::get_if<model::BoundaryWithdraw>(&e.payload)) boundary = &p->boundary_id;
  if (const auto* p = std::get_if<model::BoundaryDrop>(&e.payload)) boundary = &p->boundary_id;
  if (boundary) {
    auto item = u.reader.boundary(*boundary);
    if (!item) return std::nullopt;
    return response_frame(
        [&](Response::Builder r) { present(v, *item, r.initUpdate().initBoundary()); });
  }
  if (const auto* c = std::get_if<model::CheckIn>(&e.payload)) {
    auto item = u.reader.check_in(author, c->check_in_id);
    if (!item) return std::nullopt;
    return response_frame(
        [&](Response::Builder r) { present(v, *item, r.initUpdate().initCheckIn()); });
  }
  if (const auto* reply = std::get_if<model::NeedReply>(&e.payload)) {
    // The partner answered one of this device's check-ins.
    auto item = u.reader.check_in(v.self, reply->check_in_id);
    if (!item) return std::nullopt;
    return response_frame(
        [&](Response::Builder r) { present(v, *item, r.initUpdate().initCheckIn()); });
  }
  const bool practice = std::holds_alternative<model::PracticeInvite>(e.payload) ||
                        std::holds_alternative<model::PracticeJoin>(e.payload) ||
                        std::holds_alternative<model::PracticeCheck>(e.payload) ||
                        std::holds_alternative<model::PracticeStop>(e.payload);
  if (practice) {
    auto session = u.practices.session_of_row(e.meta.ref.row);
    if (!session || !*session) return std::nullopt;
    auto partner = u.devices.partner();
    auto item = u.practices.item(**session, partner ? partner->key : model::DeviceKey{});
    if (!item) return std::nullopt;
    return response_frame(
        [&](Response::Builder r) { present_practice(u, *item, r.initUpdate().initPractice()); });
  }
  std::optional<model::PromptKey> prompt;
  if (const auto* p = std::get_if<model::PromptAsk>(&e.payload)) prompt = model::PromptKey{p->prompt_id, {}};
  if (const auto* p = std::get_if<model::PromptAnswer>(&e.payload)) prompt = model::PromptKey{p->prompt_id, p->round};
  if (const auto* p = std::get_if<model::PromptPass>(&e.payload)) prompt = model::PromptKey{p->prompt_id, p->round};
  if (const auto* p = std::get_if<model::AnswerReveal>(&e.payload)) {
    if (auto key = u.prompts.prompt_of_answer(p->answer_id); key && *key) prompt = **key;
  }
  if (prompt) {
    auto partner = u.devices.partner();
    auto item = u.prompts.item(*prompt, partner ? partner->key : model::DeviceKey{});
    if (!item) return std::nullopt;
    return response_frame(
        [&](Response::Builder r) { present(v, *item, r.initUpdate().initPrompt()); });
  }
  const bool is_pause = std::holds_alternative<model::Pause>(e.payload);
  if (!is_pause && !std::holds_alternative<model::Resume>(e.payload)) return std::nullopt;
  auto pause = u.reader.pause(author);
  if (!pause) return std::nullopt;
  return response_frame([&](Response::Builder r) {
    auto up = r.initUpdate();
    present(v, *pause, is_pause ? up.initPause() : up.initResume());
  });
}

// This device's pause ended: says so, then shows what waited for it, in the
// order it arrived.
void send_released(app::Unlocked& u, ResponseSink& out) {
  Viewer v = viewer_of(u);
  auto mine = u.reader.pause(v.self);
  if (mine) {
    out.send(response_frame(
        [&](Response::Builder r) { present(v, *mine, r.initUpdate().initResume()); }));
  }
  auto rows = u.store->arrivals().held_rows();
  if (!rows) return;
  for (int64_t row : *rows) {
    auto e = u.store->loader().load({model::EntryRef::Source::kShared, row});
    if (!e) continue;  // forgotten since
    if (auto frame = entry_frame(u, *e)) out.send(std::move(*frame));
  }
}

void watch(app::DaemonState& state, app::Unlocked& u, const std::shared_ptr<ResponseSink>& out) {
  // The partner's pause comes first: it is what a partner most needs to see.
  Viewer v = viewer_of(u);
  auto partner = u.devices.partner();
  Result<store::PauseItem> pause = store::PauseItem{};
  if (partner) pause = u.reader.pause(partner->key);
  if (!pause) {
    out->send(error_frame(pause.status()));
    out->finish();
    return;
  }
  out->send(response_frame(
      [&](Response::Builder r) { present(v, *pause, r.initUpdate().initPause()); }));
  state.updates().subscribe(
      [&u, out](const app::Update& update) {
        if (!out->is_open()) return false;
        if (const auto* c = std::get_if<app::ConnectionChange>(&update)) {
          out->send(response_frame([&](Response::Builder r) {
            r.initUpdate().setConnection(c->connected ? "connected" : "disconnected");
          }));
        } else if (std::holds_alternative<app::OwnPauseEnded>(update)) {
          send_released(u, *out);
        } else if (auto frame = entry_frame(u, std::get<app::PartnerChange>(update).entry)) {
          out->send(std::move(*frame));
        }
        return true;
      },
      [out] {  // the daemon locked: the stream ends
        out->send(error_frame(ErrorCode::LOCKED,
                              "hearthd was locked; unlock it with `hearth unlock` to watch again"));
        out->finish();
      });
}

}  // namespace

Handler::Handler(app::DaemonState& state)
    : state_(state), keys_(std::make_unique<KeyRequests>(state)) {}

Handler::~Handler() = default;

void Handler::set_passphrase_gate(PassphraseGate* gate) { keys_->set_gate(gate); }

void Handler::handle(ByteView request, std::shared_ptr<ResponseSink> out) {
  auto parsed = wire::MessageReader::parse(request, kMaxRequestBytes);
  if (!parsed) {
    out->send(error_frame(ErrorCode::USAGE, "the request is not a valid control message"));
    out->finish();
    return;
  }
  if (on_request_) on_request_();
  std::optional<Bytes> reply;
  bool streaming = false;
  kj::Maybe<kj::Exception> failure = kj::runCatchingExceptions([&]() {
    Request::Reader req = parsed->root<Request>();
    auto which = req.which();
    switch (which) {
      case Request::STATUS: reply = status_frame(state_); return;
      // These answer on `out` themselves, maybe later (Argon2id, locking).
      case Request::UNLOCK: streaming = true; keys_->unlock(req.getUnlock(), out); return;
      case Request::UNLOCK_WITH_KEY:
        streaming = true;
        keys_->unlock_with_key(req.getUnlockWithKey(), out);
        return;
      case Request::LOCK: streaming = true; keys_->lock(out); return;
      case Request::CHANGE_PASSPHRASE:
        streaming = true;
        keys_->change_passphrase(req.getChangePassphrase(), out);
        return;
      default: break;
    }
    app::Unlocked* u = state_.unlocked();
    if (u == nullptr) {
      reply = error_frame(ErrorCode::LOCKED,
                          "hearthd is locked; unlock it with `hearth unlock` and try again");
      return;
    }
    switch (which) {
      case Request::LOG: reply = log_frame(*u, req.getLog()); return;
      case Request::WATCH: watch(state_, *u, out); streaming = true; return;
      case Request::REFLECT_ADD: reply = reflect_add(*u, req.getReflectAdd()); return;
      case Request::REFLECT_LIST: reply = reflect_list(*u, req.getReflectList()); return;
      case Request::REFLECT_SHOW: reply = reflect_show(*u, req.getReflectShow()); return;
      case Request::REFLECT_EDIT: reply = reflect_edit(*u, req.getReflectEdit()); return;
      case Request::REFLECT_SHARE: reply = reflect_share(*u, req.getReflectShare()); return;
      case Request::REFLECT_FORGET: reply = reflect_forget(*u, req.getReflectForget()); return;
      case Request::BOUNDARY_PROPOSE: reply = boundary_propose(*u, req.getBoundaryPropose()); return;
      case Request::BOUNDARY_REVISE: reply = boundary_revise(*u, req.getBoundaryRevise()); return;
      case Request::BOUNDARY_RESPOND: reply = boundary_respond(*u, req.getBoundaryRespond()); return;
      case Request::BOUNDARY_WITHDRAW: reply = boundary_withdraw(*u, req.getBoundaryWithdraw()); return;
      case Request::BOUNDARY_LIST: reply = boundary_list(*u, req.getBoundaryList()); return;
      case Request::CHECK_IN: reply = check_in(*u, req.getCheckIn()); return;
      case Request::CHECK_IN_LIST: reply = check_in_list(*u, req.getCheckInList()); return;
      case Request::PAUSE:
        reply = pause(*u, req.getPause());
        state_.own_pause_changed();
        return;
      case Request::RESUME:
        reply = resume(*u);
        state_.own_pause_changed();
        return;
      case Request::OVERVIEW: reply = overview(*u); return;
      case Request::BOUNDARY_SET: reply = boundary_set(*u, req.getBoundarySet()); return;
      case Request::BOUNDARY_DROP: reply = boundary_drop(*u, req.getBoundaryDrop()); return;
      case Request::CHECK_IN_SHARE: reply = check_in_share(*u, req.getCheckInShare()); return;
      case Request::CHECK_IN_FORGET: reply = check_in_forget(*u, req.getCheckInForget()); return;
      case Request::PROMPT_TODAY: reply = prompt_today(*u, req.getPromptToday()); return;
      case Request::PROMPT_DECKS: reply = prompt_decks(); return;
      case Request::PROMPT_LIST: reply = prompt_list(*u, req.getPromptList()); return;
      case Request::PROMPT_SHOW: reply = prompt_show(*u, req.getPromptShow()); return;
      case Request::PROMPT_ANSWER: reply = prompt_answer(*u, req.getPromptAnswer()); return;
      case Request::PROMPT_PASS: reply = prompt_pass(*u, req.getPromptPass()); return;
      case Request::PROMPT_ASK: reply = prompt_ask(*u, req.getPromptAsk()); return;
      case Request::PROMPT_REVEAL: reply = prompt_reveal(*u, req.getPromptReveal()); return;
      case Request::YNM_SHOW: reply = ynm_show(*u, req.getYnmShow()); return;
      case Request::YNM_START: reply = ynm_start(*u); return;
      case Request::APPRECIATE: reply = appreciate(*u, req.getAppreciate()); return;
      case Request::NEED_REPLY: reply = need_reply(*u, req.getNeedReply()); return;
      case Request::ARCHIVE: reply = archive(*u, req.getArchive()); return;
      case Request::PRACTICE_INVITE: reply = practice_invite(*u, req.getPracticeInvite()); return;
      case Request::PRACTICE_JOIN: reply = practice_join(*u, req.getPracticeJoin()); return;
      case Request::PRACTICE_CURRENT: reply = practice_current(*u); return;
      case Request::PRACTICE_STOP: reply = practice_stop(*u); return;
      case Request::PRACTICE_STAGE: reply = practice_stage(*u, req.getPracticeStage()); return;
      case Request::TODAY: reply = today(*u, req.getToday()); return;
      case Request::CARE_LINE: reply = care_line(*u); return;
      case Request::REBUILD_VIEWS: {
        Status st = u->journal.rebuild_views();
        reply = st.is_ok() ? ok_frame() : error_frame(st);
        return;
      }
      default: break;
    }
    if (network_ != nullptr) {
      network_->handle(request, out);
      streaming = true;  // the network layer answers on `out` itself
      return;
    }
    reply = error_frame(ErrorCode::REFUSED, "this request is not available in this version of hearthd");
  });
  if (failure != nullptr) {
    log::warn("control: malformed request refused");
    out->send(error_frame(ErrorCode::USAGE, "the request is malformed"));
    out->finish();
    return;
  }
  if (streaming) return;
  if (reply) out->send(std::move(*reply));
  out->finish();
}

}  // namespace hearth::control
