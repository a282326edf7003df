#include "client/control_codec.h"

#include <capnp/message.h>
#include <kj/exception.h>

#include <bit>
#include <cstring>
#include <optional>

#include "schema/control.capnp.h"
#include "util/assert.h"
#include "wire/capnp_message.h"

namespace hearth::client {
namespace {

namespace ctl = ::hearth::control;
namespace ev = ::hearth::schema;

capnp::Text::Reader text(std::string_view s) { return {s.data(), s.size()}; }

void set_list(capnp::List<capnp::Text>::Builder out, const std::vector<std::string>& items) {
  for (unsigned i = 0; i < items.size(); ++i) out.set(i, text(items[i]));
}

// Builds a Request with `fill`, and frames it.
template <typename Fill>
Bytes frame(Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message.initRoot<ctl::Request>());
  return wire::to_frame(message);
}

std::string str(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }
Bytes bytes(capnp::Data::Reader d) { return Bytes(d.begin(), d.end()); }

std::vector<std::string> strings(capnp::List<capnp::Text>::Reader list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (auto t : list) out.push_back(str(t));
  return out;
}

DaemonErrorCode error_code(ctl::ErrorCode code) {
  switch (code) {
    case ctl::ErrorCode::USAGE:
      return DaemonErrorCode::kUsage;
    case ctl::ErrorCode::LOCKED:
      return DaemonErrorCode::kLocked;
    case ctl::ErrorCode::REFUSED:
      return DaemonErrorCode::kRefused;
    case ctl::ErrorCode::NOT_FOUND:
      return DaemonErrorCode::kNotFound;
    case ctl::ErrorCode::INTERNAL:
      return DaemonErrorCode::kInternal;
  }
  return DaemonErrorCode::kInternal;  // a code newer than this client
}

std::string capacity_name(ev::Capacity c) {
  switch (c) {
    case ev::Capacity::GREEN:
      return "green";
    case ev::Capacity::YELLOW:
      return "yellow";
    case ev::Capacity::RED:
      return "red";
  }
  return "unknown";
}

std::string status_name(ctl::BoundaryStatus s) {
  switch (s) {
    case ctl::BoundaryStatus::PROPOSED:
      return "proposed";
    case ctl::BoundaryStatus::AGREED:
      return "agreed";
    case ctl::BoundaryStatus::RENEGOTIATING:
      return "renegotiating";
    case ctl::BoundaryStatus::DECLINED:
      return "declined";
    case ctl::BoundaryStatus::DISCUSSING:
      return "discussing";
    case ctl::BoundaryStatus::WITHDRAWN:
      return "withdrawn";
  }
  return "unknown";
}

PauseInfo pause_of(ctl::PauseInfo::Reader r) {
  PauseInfo p;
  p.active = r.getActive();
  p.mine = r.getMine();
  p.started_at = r.getStartedAt();
  p.until = r.getUntil();
  p.minutes = r.getMinutes();
  p.note = str(r.getNote());
  p.ended_by = str(r.getEndedBy());
  return p;
}

SyncInfo sync_of(ctl::SyncInfo::Reader r) {
  SyncInfo s;
  s.my_shared_events = r.getMySharedEvents();
  s.partner_has_mine = r.getPartnerHasMine();
  s.partner_events_known = r.getPartnerEventsKnown();
  s.partner_events_offered = r.getPartnerEventsOffered();
  s.caught_up = r.getCaughtUp();
  s.connection = r.getConnection();
  return s;
}

StatusInfo status_of(ctl::StatusInfo::Reader r) {
  StatusInfo s;
  s.device_id = str(r.getDeviceId());
  s.name = str(r.getName());
  s.locked = r.getLocked();
  s.pause = pause_of(r.getPause());
  auto p = r.getPartner();
  s.partner.paired = p.getPaired();
  s.partner.device_id = str(p.getDeviceId());
  s.partner.name = str(p.getName());
  s.partner.connection = str(p.getConnection());
  s.partner.paired_at = p.getPairedAt();
  s.reflections = r.getReflections();
  s.boundaries = r.getBoundaries();
  s.check_ins = r.getCheckIns();
  s.listening = str(r.getListening());
  s.sync = sync_of(r.getSync());
  return s;
}

Reflection reflection_of(ctl::Reflection::Reader r) {
  Reflection out;
  out.id = bytes(r.getId());
  out.mine = r.getMine();
  out.shared = r.getShared();
  out.created_at = r.getCreatedAt();
  out.updated_at = r.getUpdatedAt();
  out.text = str(r.getText());
  out.feelings = strings(r.getFeelings());
  out.prompt_id = str(r.getPromptId());
  out.reply_to = bytes(r.getReplyTo());
  for (auto v : r.getHistory()) {
    out.history.push_back(
        Version{v.getAt(), str(v.getText()), strings(v.getFeelings()), v.getShared()});
  }
  out.partner_has_it = r.getPartnerHasIt();
  return out;
}

Boundary boundary_of(ctl::Boundary::Reader r) {
  Boundary b;
  b.id = bytes(r.getId());
  b.status = status_name(r.getStatus());
  b.text = str(r.getText());
  b.category = str(r.getCategory());
  b.in_force_text = str(r.getInForceText());
  b.created_at = r.getCreatedAt();
  b.updated_at = r.getUpdatedAt();
  b.proposed_by_me = r.getProposedByMe();
  for (auto v : r.getRevisions()) {
    Revision rev;
    rev.number = v.getNumber();
    rev.id = bytes(v.getId());
    rev.text = str(v.getText());
    rev.category = str(v.getCategory());
    rev.mine = v.getMine();
    rev.at = v.getAt();
    rev.my_response = str(v.getMyResponse());
    rev.partner_response = str(v.getPartnerResponse());
    rev.my_note = str(v.getMyNote());
    rev.partner_note = str(v.getPartnerNote());
    b.revisions.push_back(std::move(rev));
  }
  b.withdrawn_by_me = r.getWithdrawnByMe();
  b.withdraw_note = str(r.getWithdrawNote());
  return b;
}

CheckIn check_in_of(ctl::CheckIn::Reader r) {
  CheckIn c;
  c.id = bytes(r.getId());
  c.mine = r.getMine();
  c.shared = r.getShared();
  c.at = r.getAt();
  c.capacity = capacity_name(r.getCapacity());
  c.feelings = strings(r.getFeelings());
  c.need = str(r.getNeed());
  return c;
}

std::optional<Update> update_of(ctl::Update::Reader r) {
  Update u;
  switch (r.which()) {
    case ctl::Update::PAUSE:
      u.kind = Update::Kind::kPause;
      u.pause = pause_of(r.getPause());
      return u;
    case ctl::Update::RESUME:
      u.kind = Update::Kind::kResume;
      u.pause = pause_of(r.getResume());
      return u;
    case ctl::Update::REFLECTION:
      u.kind = Update::Kind::kReflection;
      u.reflection = reflection_of(r.getReflection());
      return u;
    case ctl::Update::BOUNDARY:
      u.kind = Update::Kind::kBoundary;
      u.boundary = boundary_of(r.getBoundary());
      return u;
    case ctl::Update::CHECK_IN:
      u.kind = Update::Kind::kCheckIn;
      u.check_in = check_in_of(r.getCheckIn());
      return u;
    case ctl::Update::FORGOTTEN:
      u.kind = Update::Kind::kForgotten;
      u.forgotten = bytes(r.getForgotten());
      return u;
    case ctl::Update::CONNECTION:
      u.kind = Update::Kind::kConnection;
      u.connection = str(r.getConnection());
      return u;
  }
  return std::nullopt;
}

template <typename T, typename R, typename F>
std::vector<T> list_of(R list, F convert) {
  std::vector<T> out;
  out.reserve(list.size());
  for (auto item : list) out.push_back(convert(item));
  return out;
}

std::optional<Reply> reply_of(ctl::Response::Reader r) {
  switch (r.which()) {
    case ctl::Response::ERROR:
      return DaemonError{error_code(r.getError().getCode()), str(r.getError().getMessage())};
    case ctl::Response::OK:
      return Ok{};
    case ctl::Response::STATUS:
      return status_of(r.getStatus());
    case ctl::Response::LOG:
      return list_of<LogEntry>(r.getLog(), [](ctl::LogEntry::Reader e) {
        return LogEntry{e.getAt(), str(e.getLevel()), str(e.getMessage())};
      });
    case ctl::Response::REFLECTION:
      return reflection_of(r.getReflection());
    case ctl::Response::REFLECTIONS:
      return list_of<Reflection>(r.getReflections(), reflection_of);
    case ctl::Response::BOUNDARY:
      return boundary_of(r.getBoundary());
    case ctl::Response::BOUNDARIES:
      return list_of<Boundary>(r.getBoundaries(), boundary_of);
    case ctl::Response::CHECK_IN:
      return check_in_of(r.getCheckIn());
    case ctl::Response::CHECK_INS:
      return list_of<CheckIn>(r.getCheckIns(), check_in_of);
    case ctl::Response::PAUSE:
      return pause_of(r.getPause());
    case ctl::Response::UPDATE: {
      std::optional<Update> u = update_of(r.getUpdate());
      if (!u) return std::nullopt;
      return std::move(*u);
    }
    case ctl::Response::PEERS:
      return list_of<PeerInfo>(r.getPeers(), [](ctl::PeerInfo::Reader p) {
        return PeerInfo{str(p.getAddress()), str(p.getSource()), str(p.getState()),
                        str(p.getLastError())};
      });
    case ctl::Response::SYNC:
      return sync_of(r.getSync());
    case ctl::Response::PAIRED: {
      auto p = r.getPaired();
      return PairedInfo{str(p.getDeviceId()), str(p.getName()), str(p.getConfirmation())};
    }
    case ctl::Response::INVITE:
      return InviteInfo{str(r.getInvite().getCode()), r.getInvite().getExpiresAt(),
                        r.getInvite().getAttemptsLeft(), str(r.getInvite().getNotice())};
    case ctl::Response::CONFIG:
      return ConfigEntry{str(r.getConfig().getKey()), str(r.getConfig().getValue())};
    case ctl::Response::UNPAIRED: {
      auto u = r.getUnpaired();
      return UnpairInfo{str(u.getFormerPartner()), u.getErasedShared(),
                        str(u.getPartnerStillHolds())};
    }
  }
  return std::nullopt;
}

ev::Response answer_of(Answer a) {
  switch (a) {
    case Answer::kAgree:
      return ev::Response::AGREE;
    case Answer::kDecline:
      return ev::Response::DECLINE;
    case Answer::kDiscuss:
      return ev::Response::DISCUSS;
  }
  return ev::Response::DISCUSS;
}

ev::Capacity capacity_of(Capacity c) {
  switch (c) {
    case Capacity::kGreen:
      return ev::Capacity::GREEN;
    case Capacity::kYellow:
      return ev::Capacity::YELLOW;
    case Capacity::kRed:
      return ev::Capacity::RED;
  }
  return ev::Capacity::GREEN;
}

}  // namespace

namespace request {

Bytes status() {
  return frame([](ctl::Request::Builder r) { r.setStatus(); });
}

Secret unlock(const Secret& passphrase) {
  // Root pointer, Request (1 data word + 1 pointer), Unlock (1 pointer), then
  // the passphrase: the whole message fits in one first segment that we own,
  // so the passphrase is never copied into memory that is freed unwiped.
  const size_t words = (passphrase.size() + 7) / 8 + 16;
  Secret segment(words * sizeof(capnp::word));
  Secret out;
  {
    capnp::MallocMessageBuilder message(
        kj::arrayPtr(reinterpret_cast<capnp::word*>(segment.data()), words));
    message.initRoot<ctl::Request>().initUnlock().setPassphrase(
        capnp::Data::Reader(passphrase.data(), passphrase.size()));
    auto segments = message.getSegmentsForOutput();
    HEARTH_ASSERT(segments.size() == 1 &&
                      segments[0].begin() == reinterpret_cast<capnp::word*>(segment.data()),
                  "unlock request outgrew its wiped segment");
    const size_t body = segments[0].size() * sizeof(capnp::word);
    const size_t message_bytes = 8 + body;  // one-segment table: count-1 and size
    out = Secret(4 + message_bytes);
    Bytes head;
    put_u32_be(head, static_cast<uint32_t>(message_bytes));
    std::memcpy(out.data(), head.data(), 4);
    const uint32_t table[2] = {0, static_cast<uint32_t>(segments[0].size())};
    // The segment table is little-endian (capnp's encoding), as is every host we build for.
    static_assert(std::endian::native == std::endian::little);
    std::memcpy(out.data() + 4, table, sizeof(table));
    std::memcpy(out.data() + 12, segment.data(), body);
  }
  return out;
}

Bytes log(uint32_t limit) {
  return frame([&](ctl::Request::Builder r) { r.initLog().setLimit(limit); });
}

Bytes watch() {
  return frame([](ctl::Request::Builder r) { r.setWatch(); });
}

Bytes reflect_add(const ReflectAddRequest& a) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initReflectAdd();
    b.setText(text(a.text));
    b.setShare(a.share);
    set_list(b.initFeelings(static_cast<unsigned>(a.feelings.size())), a.feelings);
    b.setPromptId(text(a.prompt_id));
    b.setReplyToPrefix(text(a.reply_to_prefix));
  });
}

Bytes reflect_list(uint32_t limit, bool with_history) {
  return frame([&](ctl::Request::Builder r) {
    auto q = r.initReflectList();
    q.setLimit(limit);
    q.setWithHistory(with_history);
  });
}

Bytes reflect_show(std::string_view id_prefix) {
  return frame([&](ctl::Request::Builder r) { r.initReflectShow().setIdPrefix(text(id_prefix)); });
}

Bytes reflect_edit(const ReflectEditRequest& a) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initReflectEdit();
    b.setIdPrefix(text(a.id_prefix));
    b.setText(text(a.text));
    b.setKeepFeelings(a.keep_feelings);
    set_list(b.initFeelings(static_cast<unsigned>(a.feelings.size())), a.feelings);
  });
}

Bytes reflect_share(std::string_view id_prefix) {
  return frame([&](ctl::Request::Builder r) { r.initReflectShare().setIdPrefix(text(id_prefix)); });
}

Bytes reflect_forget(std::string_view id_prefix) {
  return frame(
      [&](ctl::Request::Builder r) { r.initReflectForget().setIdPrefix(text(id_prefix)); });
}

Bytes boundary_propose(std::string_view t, std::string_view category) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initBoundaryPropose();
    b.setText(text(t));
    b.setCategory(text(category));
  });
}

Bytes boundary_revise(std::string_view id_prefix, std::string_view t) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initBoundaryRevise();
    b.setIdPrefix(text(id_prefix));
    b.setText(text(t));
  });
}

Bytes boundary_respond(std::string_view id_prefix, Answer answer, std::string_view note) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initBoundaryRespond();
    b.setIdPrefix(text(id_prefix));
    b.setResponse(answer_of(answer));
    b.setNote(text(note));
  });
}

Bytes boundary_withdraw(std::string_view id_prefix, std::string_view note) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initBoundaryWithdraw();
    b.setIdPrefix(text(id_prefix));
    b.setNote(text(note));
  });
}

Bytes boundary_list(uint32_t limit) {
  return frame([&](ctl::Request::Builder r) { r.initBoundaryList().setLimit(limit); });
}

Bytes check_in(const CheckInRequest& a) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initCheckIn();
    b.setCapacity(capacity_of(a.capacity));
    set_list(b.initFeelings(static_cast<unsigned>(a.feelings.size())), a.feelings);
    b.setNeed(text(a.need));
    b.setShare(a.share);
  });
}

Bytes check_in_list(uint32_t limit) {
  return frame([&](ctl::Request::Builder r) { r.initCheckInList().setLimit(limit); });
}

Bytes pause(uint16_t minutes, std::string_view note) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPause();
    b.setMinutes(minutes);
    b.setNote(text(note));
  });
}

Bytes resume() {
  return frame([](ctl::Request::Builder r) { r.setResume(); });
}

Bytes pair_add(std::string_view device_id, std::string_view address) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPairAdd();
    b.setDeviceId(text(device_id));
    b.setAddress(text(address));
  });
}

Bytes pair_invite() {
  return frame([](ctl::Request::Builder r) { r.setPairInvite(); });
}

Bytes pair_join(std::string_view code, std::string_view address) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPairJoin();
    b.setCode(text(code));
    b.setAddress(text(address));
  });
}

Bytes unpair(bool erase_shared) {
  return frame([&](ctl::Request::Builder r) { r.initUnpair().setEraseShared(erase_shared); });
}

Bytes peer_add(std::string_view address) {
  return frame([&](ctl::Request::Builder r) { r.initPeerAdd().setAddress(text(address)); });
}

Bytes peer_remove(std::string_view address) {
  return frame([&](ctl::Request::Builder r) { r.initPeerRemove().setAddress(text(address)); });
}

Bytes peer_list() {
  return frame([](ctl::Request::Builder r) { r.setPeerList(); });
}

Bytes sync_progress() {
  return frame([](ctl::Request::Builder r) { r.setSyncProgress(); });
}

Bytes sync_now() {
  return frame([](ctl::Request::Builder r) { r.setSyncNow(); });
}

Bytes rebuild_views() {
  return frame([](ctl::Request::Builder r) { r.setRebuildViews(); });
}

Bytes config_get(std::string_view key) {
  return frame([&](ctl::Request::Builder r) { r.initConfigGet().setKey(text(key)); });
}

Bytes config_set(std::string_view key, std::string_view value) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initConfigSet();
    b.setKey(text(key));
    b.setValue(text(value));
  });
}

}  // namespace request

Result<Reply> decode_reply(ByteView message) {
  HEARTH_ASSIGN_OR_RETURN(wire::MessageReader reader,
                          wire::MessageReader::parse(message, kMaxResponseBytes));
  std::optional<Reply> reply;
  // Reading an untrusted message throws when it breaks the traversal or
  // nesting limits, or points outside its segments.
  kj::Maybe<kj::Exception> failure =
      kj::runCatchingExceptions([&]() { reply = reply_of(reader.root<ctl::Response>()); });
  if (failure != nullptr) return Status::corrupt("hearthd sent a malformed response");
  if (!reply) return Status::corrupt("hearthd sent a response this version of hearth cannot read");
  return std::move(*reply);
}

}  // namespace hearth::client
