#include "control/handler.h"

#include <kj/exception.h>

#include "control/draft_requests.h"
#include "control/journal_requests.h"
#include "control/key_requests.h"
#include "control/network_requests.h"
#include "control/practice_requests.h"
#include "control/prompt_requests.h"
#include "control/responses.h"
#include "crypto/identity.h"
#include "sync/session.h"
#include "util/log.h"
#include "util/secret.h"

namespace hearth::control {

Bytes status_frame(runtime::DaemonState& state) {
  runtime::Unlocked* u = state.unlocked();
  // What the store answers, read before the frame is built: a read that
  // fails answers with its error rather than with a figure left out.
  std::optional<store::DeviceRow> self, partner;
  Result<OverviewFacts> overview = OverviewFacts{};
  store::Counts counts;
  if (u != nullptr) {
    Status read = [&]() -> Status {
      auto me = u->devices.get(state.device_key());
      if (me) self = std::move(*me);
      if (!me && me.status().code() != Code::kNotFound) return me.status();
      HEARTH_ASSIGN_OR_RETURN(partner, u->devices.find_partner());
      HEARTH_ASSIGN_OR_RETURN(counts, u->reader.counts());
      overview = overview_of(*u);
      return overview.status();
    }();
    if (!read.is_ok()) return error_frame(read);
  }
  return response_frame([&](Response::Builder r) {
    auto s = r.initStatus();
    s.setDeviceId(crypto::format_device_id(state.device_key()));
    s.setLocked(u == nullptr);
    if (u == nullptr) return;
    Viewer v = viewer_of(*u);
    if (self) s.setName(self->name);
    present(v, overview->mine, s.initMyPause());
    auto partner_pause = s.initPartnerPause();
    if (overview->partner) present(v, *overview->partner, partner_pause);
    s.setWaiting(overview->waiting);
    s.setSharedWhileUnpaired(static_cast<uint32_t>(overview->shared_while_unpaired));
    s.setReflections(counts.reflections);
    s.setBoundaries(counts.boundaries);
    s.setCheckIns(counts.check_ins);
    runtime::NetworkStatus* net = state.network();
    if (net) s.setListening(net->listening());
    // Without the network services, the store's figures: never caught up.
    const model::SyncFigures f =
        net ? net->progress() : sync::stored_figures(*u->store, u->devices);
    auto sync = s.initSync();
    sync.setMySharedEvents(f.my_shared_events);
    auto p = s.initPartner();
    if (partner) {
      p.setPaired(true);
      p.setDeviceId(crypto::format_device_id(partner->key));
      p.setName(partner->name);
      p.setPairedAt(partner->added_ms);
      p.setConnection(
          connection_state_of(net ? net->connection_state() : runtime::ConnectionState::kOffline));
      sync.setPartnerHasMine(f.partner_has_mine);
      sync.setPartnerEventsKnown(f.partner_events_known);
      sync.setPartnerEventsOffered(f.partner_events_offered);
      sync.setCaughtUp(f.caught_up);
    }
  });
}

namespace {

std::string text_of(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

// A passphrase from a request, in wiped memory; shared by the job that
// checks it and its completion, and wiped when both are done.
std::shared_ptr<Secret> secret_of(capnp::Data::Reader data) {
  return std::make_shared<Secret>(Secret::copy_of(ByteView(data.begin(), data.size())));
}

Bytes log_frame(runtime::Unlocked& u, Query::Reader q) {
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
std::optional<Bytes> entry_frame(runtime::Unlocked& u, const model::Entry& e) {
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
void send_released(runtime::Unlocked& u, ResponseSink& out) {
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

void watch(runtime::DaemonState& state, runtime::Unlocked& u, const std::shared_ptr<ResponseSink>& out) {
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
      [&u, out](const sync::Update& update) {
        if (!out->is_open()) return false;
        if (const auto* c = std::get_if<sync::ConnectionChange>(&update)) {
          out->send(response_frame(
              [&](Response::Builder r) { r.initUpdate().setLinked(c->connected); }));
        } else if (std::holds_alternative<sync::OwnPauseEnded>(update)) {
          send_released(u, *out);
        } else if (auto frame = entry_frame(u, std::get<sync::PartnerChange>(update).entry)) {
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

Handler::Handler(runtime::DaemonState& state)
    : state_(state), keys_(std::make_unique<KeyRequests>(state)) {}

Handler::~Handler() = default;

void Handler::set_passphrase_gate(PassphraseGate* gate) { keys_->set_gate(gate); }

// How one request is answered: `reply`, one frame after which the connection
// ends, or `stream`, which answers on the sink itself (now or later). Every
// field a stream needs is read from the request before `stream` is set, so a
// malformed request always gets its `usage` error and nothing else.
struct Handler::Dispatch {
  Handler& h;
  const std::shared_ptr<ResponseSink>& out;
  std::optional<Bytes> reply = std::nullopt;
  std::function<void()> stream = nullptr;

  void operator()(Request::Reader req);
  // The requests served while unlocked; false if `req` is none of them.
  bool unlocked(runtime::Unlocked& u, Request::Reader req);
  // The partner and network requests; false if `req` is none of them.
  bool network(Request::Reader req);
};

void Handler::Dispatch::operator()(Request::Reader req) {
  switch (req.which()) {
    case Request::STATUS:
      reply = status_frame(h.state_);
      return;
    // These answer on `out` themselves, maybe later (Argon2id, locking).
    case Request::UNLOCK: {
      auto passphrase = secret_of(req.getUnlock().getPassphrase());
      stream = [this, passphrase, sink = out] { h.keys_->unlock(passphrase, sink); };
      return;
    }
    case Request::UNLOCK_WITH_KEY: {
      auto key = secret_of(req.getUnlockWithKey().getKey());
      stream = [this, key, sink = out] { h.keys_->unlock_with_key(key, sink); };
      return;
    }
    case Request::LOCK:
      stream = [this, sink = out] { h.keys_->lock(sink); };
      return;
    case Request::CHANGE_PASSPHRASE: {
      auto r = req.getChangePassphrase();
      crypto::PassphraseAction action = crypto::PassphraseAction::kSet;
      switch (r.getAction()) {
        case PassphraseAction::SET:
          action = crypto::PassphraseAction::kSet;
          break;
        case PassphraseAction::CHANGE:
          action = crypto::PassphraseAction::kChange;
          break;
        case PassphraseAction::REMOVE:
          action = crypto::PassphraseAction::kRemove;
          break;
        default:
          reply = error_frame(ErrorCode::USAGE, "unknown passphrase action");
          return;
      }
      auto current = secret_of(r.getCurrent());
      auto replacement = secret_of(r.getReplacement());
      stream = [this, action, current, replacement, sink = out] {
        h.keys_->change_passphrase(action, current, replacement, sink);
      };
      return;
    }
    default:
      break;
  }
  runtime::Unlocked* u = h.state_.unlocked();
  if (u == nullptr) {
    reply = error_frame(ErrorCode::LOCKED,
                        "hearthd is locked; unlock it with `hearth unlock` and try again");
    return;
  }
  if (unlocked(*u, req) || network(req)) return;
  // A request of a newer client (schema/PROTOCOL.md §7), or a network
  // request while the network services are not there (tests, fuzzing).
  reply = error_frame(ErrorCode::REFUSED, "this request is not available in this version of hearthd");
}

bool Handler::Dispatch::unlocked(runtime::Unlocked& u, Request::Reader req) {
  switch (req.which()) {
    case Request::LOG: reply = log_frame(u, req.getLog()); return true;
    case Request::WATCH:
      stream = [this, &u, sink = out] { watch(h.state_, u, sink); };
      return true;
    case Request::REFLECT_ADD: reply = reflect_add(u, req.getReflectAdd()); return true;
    case Request::REFLECT_LIST: reply = reflect_list(u, req.getReflectList()); return true;
    case Request::REFLECT_SHOW: reply = reflect_show(u, req.getReflectShow()); return true;
    case Request::REFLECT_EDIT: reply = reflect_edit(u, req.getReflectEdit()); return true;
    case Request::REFLECT_SHARE: reply = reflect_share(u, req.getReflectShare()); return true;
    case Request::REFLECT_FORGET: reply = reflect_forget(u, req.getReflectForget()); return true;
    case Request::BOUNDARY_PROPOSE: reply = boundary_propose(u, req.getBoundaryPropose()); return true;
    case Request::BOUNDARY_REVISE: reply = boundary_revise(u, req.getBoundaryRevise()); return true;
    case Request::BOUNDARY_RESPOND: reply = boundary_respond(u, req.getBoundaryRespond()); return true;
    case Request::BOUNDARY_WITHDRAW: reply = boundary_withdraw(u, req.getBoundaryWithdraw()); return true;
    case Request::BOUNDARY_LIST: reply = boundary_list(u, req.getBoundaryList()); return true;
    case Request::CHECK_IN: reply = check_in(u, req.getCheckIn()); return true;
    case Request::CHECK_IN_LIST: reply = check_in_list(u, req.getCheckInList()); return true;
    case Request::PAUSE:
      reply = pause(u, req.getPause());
      h.state_.own_pause_changed();
      return true;
    case Request::RESUME:
      reply = resume(u);
      h.state_.own_pause_changed();
      return true;
    case Request::OVERVIEW: reply = overview(u); return true;
    case Request::BOUNDARY_SET: reply = boundary_set(u, req.getBoundarySet()); return true;
    case Request::BOUNDARY_DROP: reply = boundary_drop(u, req.getBoundaryDrop()); return true;
    case Request::CHECK_IN_SHARE: reply = check_in_share(u, req.getCheckInShare()); return true;
    case Request::CHECK_IN_FORGET: reply = check_in_forget(u, req.getCheckInForget()); return true;
    case Request::PROMPT_TODAY: reply = prompt_today(u, req.getPromptToday()); return true;
    case Request::PROMPT_DECKS: reply = prompt_decks(); return true;
    case Request::PROMPT_LIST: reply = prompt_list(u, req.getPromptList()); return true;
    case Request::PROMPT_SHOW: reply = prompt_show(u, req.getPromptShow()); return true;
    case Request::PROMPT_ANSWER: reply = prompt_answer(u, req.getPromptAnswer()); return true;
    case Request::PROMPT_PASS: reply = prompt_pass(u, req.getPromptPass()); return true;
    case Request::PROMPT_ASK: reply = prompt_ask(u, req.getPromptAsk()); return true;
    case Request::PROMPT_REVEAL: reply = prompt_reveal(u, req.getPromptReveal()); return true;
    case Request::YNM_SHOW: reply = ynm_show(u, req.getYnmShow()); return true;
    case Request::YNM_START: reply = ynm_start(u); return true;
    case Request::APPRECIATE: reply = appreciate(u, req.getAppreciate()); return true;
    case Request::NEED_REPLY: reply = need_reply(u, req.getNeedReply()); return true;
    case Request::ARCHIVE: reply = archive(u, req.getArchive()); return true;
    case Request::PRACTICE_INVITE: reply = practice_invite(u, req.getPracticeInvite()); return true;
    case Request::PRACTICE_JOIN: reply = practice_join(u, req.getPracticeJoin()); return true;
    case Request::PRACTICE_CURRENT: reply = practice_current(u); return true;
    case Request::PRACTICE_STOP: reply = practice_stop(u); return true;
    case Request::PRACTICE_STAGE: reply = practice_stage(u, req.getPracticeStage()); return true;
    case Request::TODAY: reply = today(u, req.getToday()); return true;
    case Request::CARE_LINE: reply = care_line(u); return true;
    case Request::DRAFT_PUT: reply = draft_put(u, req.getDraftPut()); return true;
    case Request::DRAFT_GET: reply = draft_get(u, req.getDraftGet()); return true;
    case Request::DRAFT_DISCARD: reply = draft_discard(u, req.getDraftDiscard()); return true;
    case Request::REBUILD_VIEWS: {
      Status st = u.journal.rebuild_views();
      reply = st.is_ok() ? ok_frame() : error_frame(st);
      return true;
    }
    default:
      return false;
  }
}

bool Handler::Dispatch::network(Request::Reader req) {
  NetworkRequests* n = h.network_;
  if (n == nullptr) return false;
  switch (req.which()) {
    case Request::PAIR_ADD: reply = n->pair_add(req.getPairAdd()); return true;
    case Request::PAIR_INVITE: {
      const bool send_earlier = req.getPairInvite().getSendEarlier();
      stream = [n, send_earlier, sink = out] { n->pair_invite(send_earlier, sink); };
      return true;
    }
    case Request::PAIR_JOIN: {
      auto r = req.getPairJoin();
      std::string code = text_of(r.getCode());
      std::string address = text_of(r.getAddress());
      const bool send_earlier = r.getSendEarlier();
      stream = [n, code = std::move(code), address = std::move(address), send_earlier,
                sink = out]() mutable {
        n->pair_join(code, address, send_earlier, sink);
        wipe(code);
      };
      return true;
    }
    case Request::UNPAIR: reply = n->unpair(req.getUnpair()); return true;
    case Request::CONFIG_GET: reply = n->config_get(req.getConfigGet()); return true;
    case Request::CONFIG_SET: reply = n->config_set(req.getConfigSet()); return true;
    case Request::PEER_ADD: reply = n->peer_add(req.getPeerAdd()); return true;
    case Request::PEER_REMOVE: reply = n->peer_remove(req.getPeerRemove()); return true;
    case Request::PEER_LIST: reply = n->peer_list(); return true;
    case Request::SYNC_PROGRESS: reply = n->sync_progress(false); return true;
    case Request::SYNC_NOW: reply = n->sync_progress(true); return true;
    default:
      return false;
  }
}

void Handler::handle(ByteView request, std::shared_ptr<ResponseSink> out) {
  auto parsed = wire::MessageReader::parse(request, kMaxRequestBytes);
  if (!parsed) {
    out->send(error_frame(ErrorCode::USAGE, "the request is not a valid control message"));
    out->finish();
    return;
  }
  if (on_request_) on_request_();
  Dispatch dispatch{*this, out};
  kj::Maybe<kj::Exception> failure =
      kj::runCatchingExceptions([&]() { dispatch(parsed->root<Request>()); });
  if (failure != nullptr) {
    log::warn("control: malformed request refused");
    out->send(error_frame(ErrorCode::USAGE, "the request is malformed"));
    out->finish();
    return;
  }
  if (dispatch.stream) {
    // Reads nothing more from the request. A failure here is Hearth's own
    // (building a response), never the client's bytes.
    failure = kj::runCatchingExceptions([&]() { dispatch.stream(); });
    if (failure != nullptr) {
      log::error("control: a request failed while it was being answered");
      if (out->is_open()) {
        out->send(error_frame(ErrorCode::INTERNAL, "hearthd could not answer this request"));
        out->finish();
      }
    }
    return;
  }
  if (dispatch.reply) out->send(std::move(*dispatch.reply));
  out->finish();
}

}  // namespace hearth::control
