#include "control/handler.h"

#include <kj/exception.h>

#include "control/journal_requests.h"
#include "control/key_requests.h"
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
    if (auto pause = u->reader.pause()) present(v, *pause, s.initPause());
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
std::optional<Bytes> update_frame(app::Unlocked& u, const app::Update& update) {
  if (const auto* c = std::get_if<app::ConnectionChange>(&update)) {
    return response_frame([&](Response::Builder r) {
      r.initUpdate().setConnection(c->connected ? "connected" : "disconnected");
    });
  }
  const model::Entry& e = std::get<app::PartnerChange>(update).entry;
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
  auto pause = u.reader.pause();
  if (!pause) return std::nullopt;
  bool resumed = std::holds_alternative<model::Resume>(e.payload);
  return response_frame([&](Response::Builder r) {
    auto up = r.initUpdate();
    present(v, *pause, resumed ? up.initResume() : up.initPause());
  });
}

void watch(app::DaemonState& state, app::Unlocked& u, const std::shared_ptr<ResponseSink>& out) {
  // The pause comes first: it is what a partner most needs to see.
  auto pause = u.reader.pause();
  if (!pause) {
    out->send(error_frame(pause.status()));
    out->finish();
    return;
  }
  Viewer v = viewer_of(u);
  out->send(response_frame(
      [&](Response::Builder r) { present(v, *pause, r.initUpdate().initPause()); }));
  state.updates().subscribe(
      [&u, out](const app::Update& update) {
        if (!out->is_open()) return false;
        if (auto frame = update_frame(u, update)) out->send(std::move(*frame));
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
      case Request::PAUSE: reply = pause(*u, req.getPause()); return;
      case Request::RESUME: reply = resume(*u); return;
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
