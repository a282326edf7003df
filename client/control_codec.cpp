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
    case ctl::ErrorCode::WRONG_PASSPHRASE:
      return DaemonErrorCode::kWrongPassphrase;
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
    case ctl::BoundaryStatus::IN_FORCE:
      return "in_force";
    case ctl::BoundaryStatus::RETIRED:
      return "retired";
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
  return p;
}

// The link with the partner, as the words the renderers and --json use.
std::string connection_of(ctl::ConnectionState state) {
  switch (state) {
    case ctl::ConnectionState::OFFLINE:
      return "offline";
    case ctl::ConnectionState::CONNECTING:
      return "connecting";
    case ctl::ConnectionState::CONNECTED:
      return "connected";
    case ctl::ConnectionState::UNKNOWN:
      return "";
  }
  return "unknown";
}

SyncInfo sync_of(ctl::SyncInfo::Reader r) {
  SyncInfo s;
  s.my_shared_events = r.getMySharedEvents();
  s.partner_has_mine = r.getPartnerHasMine();
  s.partner_events_known = r.getPartnerEventsKnown();
  s.partner_events_offered = r.getPartnerEventsOffered();
  s.caught_up = r.getCaughtUp();
  s.connection = connection_of(r.getConnection());
  return s;
}

// What the former partner's device keeps after an unpair, in a plain
// statement (the daemon sends the name and the count).
std::string still_holds(const std::string& name, uint64_t holds) {
  const std::string who = name.empty() ? std::string("Your former partner's device")
                                       : name + "'s device";
  std::string out;
  if (holds > 0) {
    out = who + " keeps the " +
          (holds == 1 ? std::string("entry") : std::to_string(holds) + " entries") +
          " you shared until now; Hearth cannot reach it to remove them.";
  } else {
    out = "As far as this device knows, " + who + " received none of your shared entries.";
  }
  out += " It keeps its own entries, and it cannot connect to this device any more.";
  return out;
}

StatusInfo status_of(ctl::StatusInfo::Reader r) {
  StatusInfo s;
  s.device_id = str(r.getDeviceId());
  s.name = str(r.getName());
  s.locked = r.getLocked();
  s.my_pause = pause_of(r.getMyPause());
  s.my_pause.mine = true;  // whether on or not: the slot is mine
  s.partner_pause = pause_of(r.getPartnerPause());
  s.waiting = r.getWaiting();
  s.shared_while_unpaired = r.getSharedWhileUnpaired();
  auto p = r.getPartner();
  s.partner.paired = p.getPaired();
  s.partner.device_id = str(p.getDeviceId());
  s.partner.name = str(p.getName());
  s.partner.connection = connection_of(p.getConnection());
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
  out.content_note = str(r.getContentNote());
  out.words_hidden = r.getWordsHidden();
  out.appreciation = r.getAppreciation();
  out.archived = r.getArchived();
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
  b.kind = r.getKind() == ev::BoundaryKind::LIMIT ? "limit" : "agreement";
  b.acknowledged = r.getAcknowledged();
  b.ask_again_after = r.getAskAgainAfter();
  return b;
}

Overview overview_of(ctl::Overview::Reader r) {
  Overview o;
  o.paired = r.getPaired();
  o.partner_name = str(r.getPartnerName());
  o.my_pause = pause_of(r.getMyPause());
  o.my_pause.mine = true;  // whether on or not: the slot is mine
  o.partner_pause = pause_of(r.getPartnerPause());
  o.waiting = r.getWaiting();
  o.shared_while_unpaired = r.getSharedWhileUnpaired();
  return o;
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
  for (auto reply : r.getReplies())
    c.replies.push_back(NeedReplyInfo{reply.getMine(), reply.getAt(), str(reply.getText())});
  c.archived = r.getArchived();
  return c;
}

std::string choice_name(ev::Choice c) {
  switch (c) {
    case ev::Choice::NONE:
      return "";
    case ev::Choice::YES:
      return "yes";
    case ev::Choice::NO:
      return "no";
    case ev::Choice::MAYBE:
      return "maybe";
  }
  return "unknown";
}

AnswerInfo answer_of(ctl::AnswerInfo::Reader r) {
  AnswerInfo a;
  a.given = r.getGiven();
  a.at = r.getAt();
  a.revealed = r.getRevealed();
  a.readable = r.getReadable();
  a.text = str(r.getText());
  a.choice = choice_name(r.getChoice());
  a.note = str(r.getNote());
  return a;
}

Prompt prompt_of(ctl::Prompt::Reader r) {
  Prompt p;
  p.id = str(r.getId());
  p.round = bytes(r.getRound());
  p.text = str(r.getText());
  p.depth = r.getDepth();
  p.deck = str(r.getDeck());
  p.group = str(r.getGroup());
  p.asked_by = str(r.getAskedBy());
  p.status = str(r.getStatus());
  p.mine = answer_of(r.getMine());
  p.partner = answer_of(r.getPartner());
  p.i_passed = r.getIPassed();
  p.partner_passed = r.getPartnerPassed();
  p.updated_at = r.getUpdatedAt();
  return p;
}

PracticeInfo practice_of(ctl::PracticeInfo::Reader r) {
  PracticeInfo p;
  p.id = bytes(r.getId());
  p.practice = str(r.getPractice());
  p.minutes = r.getMinutes();
  p.in_seconds = r.getInSeconds();
  p.out_seconds = r.getOutSeconds();
  p.stage = r.getStage();
  p.invited_by_me = r.getInvitedByMe();
  p.invited_at = r.getInvitedAt();
  p.joined = r.getJoined();
  p.start_at = r.getStartAt();
  p.stopped = r.getStopped();
  p.stopped_by_me = r.getStoppedByMe();
  p.my_check = str(r.getMyCheck());
  p.partner_check = str(r.getPartnerCheck());
  p.stage_open = r.getStageOpen();
  p.over = r.getOver();
  return p;
}

RoundInfo round_of(ctl::RoundInfo::Reader r) {
  return RoundInfo{bytes(r.getId()), r.getStartedAt(), r.getStartedByMe()};
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
    case ctl::Update::LINKED:
      u.kind = Update::Kind::kConnection;
      u.connection = r.getLinked() ? "connected" : "disconnected";
      return u;
    case ctl::Update::PROMPT:
      u.kind = Update::Kind::kPrompt;
      u.prompt = prompt_of(r.getPrompt());
      return u;
    case ctl::Update::PRACTICE:
      u.kind = Update::Kind::kPractice;
      u.practice = practice_of(r.getPractice());
      return u;
    case ctl::Update::OBSOLETE_CONNECTION:  // retired: see LINKED
      return std::nullopt;
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
                        still_holds(str(u.getFormerName()), u.getPartnerHolds())};
    }
    case ctl::Response::OVERVIEW:
      return overview_of(r.getOverview());
    case ctl::Response::PROMPT:
      return prompt_of(r.getPrompt());
    case ctl::Response::PROMPTS:
      return list_of<Prompt>(r.getPrompts(), prompt_of);
    case ctl::Response::DECKS:
      return list_of<DeckInfo>(r.getDecks(), [](ctl::DeckInfo::Reader d) {
        DeckInfo out{str(d.getId()), d.getVersion(), str(d.getTitle()), str(d.getAbout()),
                     d.getPrompts(), {}};
        for (auto n : d.getDepths()) out.depths.push_back(n);
        return out;
      });
    case ctl::Response::PRACTICE:
      return practice_of(r.getPractice());
    case ctl::Response::CARE:
      return CareInfo{r.getCare().getShow()};
    case ctl::Response::DRAFT: {
      auto d = r.getDraft();
      return DraftInfo{str(d.getName()), str(d.getText()), d.getUpdatedAt()};
    }
    case ctl::Response::TODAY: {
      auto t = r.getToday();
      TodayInfo out;
      out.overview = overview_of(t.getOverview());
      out.since = t.getSince();
      out.new_reflections = list_of<Reflection>(t.getNewReflections(), reflection_of);
      out.revealed = list_of<Prompt>(t.getRevealed(), prompt_of);
      out.boundaries_waiting = list_of<Boundary>(t.getBoundariesWaiting(), boundary_of);
      if (t.getHasPartnerCheckIn()) out.partner_check_in = check_in_of(t.getPartnerCheckIn());
      out.checked_in_today = t.getCheckedInToday();
      if (t.getHasPrompt()) out.prompt = prompt_of(t.getPrompt());
      out.practice = practice_of(t.getPractice());
      out.care_line = t.getCareLine();
      return out;
    }
    case ctl::Response::YNM: {
      auto y = r.getYnm();
      YnmInfo out;
      out.rounds = list_of<RoundInfo>(y.getRounds(), round_of);
      if (y.hasRound()) out.round = round_of(y.getRound());
      out.items = list_of<Prompt>(y.getItems(), prompt_of);
      return out;
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
    case Answer::kAcknowledge:
      return ev::Response::ACKNOWLEDGE;
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

namespace {

// A request frame that carries secrets: built in one first segment of wiped
// memory, big enough for `secret_bytes` of them plus the structure, so no
// secret is ever copied into memory that is freed unwiped. The frame is a
// Secret too.
template <typename Fill>
Secret secret_frame(size_t secret_bytes, Fill&& fill) {
  // Root pointer, Request, its struct and pointers: 32 words is ample; each
  // Data blob rounds up to a word.
  const size_t words = (secret_bytes + 7) / 8 + 32;
  Secret segment(words * sizeof(capnp::word));
  Secret out;
  {
    capnp::MallocMessageBuilder message(
        kj::arrayPtr(reinterpret_cast<capnp::word*>(segment.data()), words));
    fill(message.initRoot<ctl::Request>());
    auto segments = message.getSegmentsForOutput();
    HEARTH_ASSERT(segments.size() == 1 &&
                      segments[0].begin() == reinterpret_cast<capnp::word*>(segment.data()),
                  "a request with secrets outgrew its wiped segment");
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

capnp::Data::Reader data_of(const Secret& s) { return capnp::Data::Reader(s.data(), s.size()); }

}  // namespace

Secret unlock(const Secret& passphrase) {
  return secret_frame(passphrase.size(), [&](ctl::Request::Builder r) {
    r.initUnlock().setPassphrase(data_of(passphrase));
  });
}

Secret unlock_with_key(const Secret& key) {
  return secret_frame(key.size(), [&](ctl::Request::Builder r) {
    r.initUnlockWithKey().setKey(data_of(key));
  });
}

Bytes lock() {
  return frame([](ctl::Request::Builder r) { r.setLock(); });
}

Secret change_passphrase(PassphraseChange change, const Secret* current,
                         const Secret* replacement) {
  const size_t bytes =
      (current ? current->size() + 8 : 0) + (replacement ? replacement->size() + 8 : 0);
  return secret_frame(bytes, [&](ctl::Request::Builder r) {
    auto c = r.initChangePassphrase();
    switch (change) {
      case PassphraseChange::kSet:
        c.setAction(ctl::PassphraseAction::SET);
        break;
      case PassphraseChange::kChange:
        c.setAction(ctl::PassphraseAction::CHANGE);
        break;
      case PassphraseChange::kRemove:
        c.setAction(ctl::PassphraseAction::REMOVE);
        break;
    }
    if (current) c.setCurrent(data_of(*current));
    if (replacement) c.setReplacement(data_of(*replacement));
  });
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
    b.setContentNote(text(a.content_note));
  });
}

Bytes reflect_list(uint32_t limit, bool with_history, bool archived) {
  return frame([&](ctl::Request::Builder r) {
    auto q = r.initReflectList();
    q.setLimit(limit);
    q.setWithHistory(with_history);
    q.setArchived(archived);
  });
}

static_assert(kExportPageSize == ctl::EXPORT_PAGE_SIZE);

Bytes reflect_page(const Reflection* after, uint32_t limit) {
  return frame([&](ctl::Request::Builder r) {
    auto q = r.initReflectList();
    q.setLimit(limit);
    q.setWithHistory(true);
    auto page = q.initPage();
    if (after == nullptr) return;
    page.setStarted(true);
    page.setAfterCreatedAt(after->created_at);
    page.setAfterId(capnp::Data::Reader(after->id.data(), after->id.size()));
    page.setAfterMine(after->mine);
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

Bytes boundary_set(std::string_view t, std::string_view category) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initBoundarySet();
    b.setText(text(t));
    b.setCategory(text(category));
  });
}

Bytes boundary_drop(std::string_view id_prefix) {
  return frame([&](ctl::Request::Builder r) { r.initBoundaryDrop().setIdPrefix(text(id_prefix)); });
}

Bytes boundary_revise(std::string_view id_prefix, std::string_view t) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initBoundaryRevise();
    b.setIdPrefix(text(id_prefix));
    b.setText(text(t));
  });
}

Bytes boundary_respond(std::string_view id_prefix, Answer answer, std::string_view note,
                       int64_t ask_again_after_ms) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initBoundaryRespond();
    b.setIdPrefix(text(id_prefix));
    b.setResponse(answer_of(answer));
    b.setNote(text(note));
    b.setAskAgainAfter(ask_again_after_ms);
  });
}

Bytes boundary_withdraw(std::string_view id_prefix, std::string_view note) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initBoundaryWithdraw();
    b.setIdPrefix(text(id_prefix));
    b.setNote(text(note));
  });
}

Bytes boundary_list(uint32_t limit, bool with_history) {
  return frame([&](ctl::Request::Builder r) {
    auto q = r.initBoundaryList();
    q.setLimit(limit);
    q.setWithHistory(with_history);
  });
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

Bytes check_in_list(uint32_t limit, bool archived) {
  return frame([&](ctl::Request::Builder r) {
    auto q = r.initCheckInList();
    q.setLimit(limit);
    q.setArchived(archived);
  });
}

Bytes check_in_share(std::string_view id_prefix) {
  return frame([&](ctl::Request::Builder r) { r.initCheckInShare().setIdPrefix(text(id_prefix)); });
}

Bytes check_in_forget(std::string_view id_prefix) {
  return frame(
      [&](ctl::Request::Builder r) { r.initCheckInForget().setIdPrefix(text(id_prefix)); });
}

Bytes overview() {
  return frame([](ctl::Request::Builder r) { r.setOverview(); });
}

namespace {

kj::ArrayPtr<const kj::byte> data(ByteView b) { return {b.data(), b.size()}; }

template <typename B>
void set_ref(B b, std::string_view prompt_id, ByteView round) {
  b.setPromptId(text(prompt_id));
  b.setRound(data(round));
}

}  // namespace

Bytes prompt_today(std::string_view local_date, uint8_t max_depth) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPromptToday();
    b.setDate(text(local_date));
    b.setMaxDepth(max_depth);
  });
}

Bytes prompt_decks() {
  return frame([](ctl::Request::Builder r) { r.setPromptDecks(); });
}

Bytes prompt_list(uint32_t limit) {
  return frame([&](ctl::Request::Builder r) { r.initPromptList().setLimit(limit); });
}

Bytes prompt_show(std::string_view prompt_id, ByteView round) {
  return frame([&](ctl::Request::Builder r) { set_ref(r.initPromptShow(), prompt_id, round); });
}

Bytes prompt_answer(const PromptAnswerRequest& a) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPromptAnswer();
    set_ref(b, a.prompt_id, a.round);
    b.setText(text(a.text));
    b.setChoice(static_cast<ev::Choice>(a.choice));
    b.setNote(text(a.note));
  });
}

Bytes prompt_pass(std::string_view prompt_id, ByteView round) {
  return frame([&](ctl::Request::Builder r) { set_ref(r.initPromptPass(), prompt_id, round); });
}

Bytes prompt_ask(std::string_view t, uint8_t depth) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPromptAsk();
    b.setText(text(t));
    b.setDepth(depth);
  });
}

Bytes prompt_reveal(std::string_view prompt_id, ByteView round) {
  return frame([&](ctl::Request::Builder r) { set_ref(r.initPromptReveal(), prompt_id, round); });
}

Bytes ynm_show(std::string_view round_id_prefix) {
  return frame([&](ctl::Request::Builder r) {
    r.initYnmShow().setRoundIdPrefix(text(round_id_prefix));
  });
}

Bytes ynm_start() {
  return frame([](ctl::Request::Builder r) { r.setYnmStart(); });
}

Bytes appreciate(std::string_view t) {
  return frame([&](ctl::Request::Builder r) { r.initAppreciate().setText(text(t)); });
}

Bytes need_reply(std::string_view check_in_prefix, std::string_view t) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initNeedReply();
    b.setIdPrefix(text(check_in_prefix));
    b.setText(text(t));
  });
}

Bytes practice_invite(const PracticeInviteRequest& a) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPracticeInvite();
    b.setPractice(text(a.practice));
    b.setMinutes(a.minutes);
    b.setInSeconds(a.in_seconds);
    b.setOutSeconds(a.out_seconds);
    b.setStage(a.stage);
    b.setCheck(a.check.has_value());
    if (a.check) b.setCapacity(capacity_of(*a.check));
  });
}

Bytes practice_join(std::optional<Capacity> check) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPracticeJoin();
    b.setCheck(check.has_value());
    if (check) b.setCapacity(capacity_of(*check));
  });
}

Bytes practice_current() {
  return frame([](ctl::Request::Builder r) { r.setPracticeCurrent(); });
}

Bytes practice_stop() {
  return frame([](ctl::Request::Builder r) { r.setPracticeStop(); });
}

Bytes practice_stage(std::string_view practice, uint8_t stage) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPracticeStage();
    b.setPractice(text(practice));
    b.setStage(stage);
  });
}

Bytes today(std::string_view local_date, bool mark) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initToday();
    b.setDate(text(local_date));
    b.setMark(mark);
  });
}

Bytes care_line() {
  return frame([](ctl::Request::Builder r) { r.setCareLine(); });
}

Bytes draft_put(std::string_view name, std::string_view words) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initDraftPut();
    b.setName(text(name));
    b.setText(text(words));
  });
}

Bytes draft_get(std::string_view name) {
  return frame([&](ctl::Request::Builder r) { r.initDraftGet().setName(text(name)); });
}

Bytes draft_discard(std::string_view name) {
  return frame([&](ctl::Request::Builder r) { r.initDraftDiscard().setName(text(name)); });
}

Bytes archive(std::string_view kind, std::string_view id_prefix, bool archived) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initArchive();
    b.setKind(text(kind));
    b.setIdPrefix(text(id_prefix));
    b.setArchived(archived);
  });
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

Bytes pair_add(std::string_view device_id, std::string_view address, bool send_earlier) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPairAdd();
    b.setDeviceId(text(device_id));
    b.setAddress(text(address));
    b.setSendEarlier(send_earlier);
  });
}

Bytes pair_invite(bool send_earlier) {
  return frame(
      [&](ctl::Request::Builder r) { r.initPairInvite().setSendEarlier(send_earlier); });
}

Bytes pair_join(std::string_view code, std::string_view address, bool send_earlier) {
  return frame([&](ctl::Request::Builder r) {
    auto b = r.initPairJoin();
    b.setCode(text(code));
    b.setAddress(text(address));
    b.setSendEarlier(send_earlier);
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
