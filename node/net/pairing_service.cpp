#include "net/pairing_service.h"

#include <asio/co_spawn.hpp>

#include "crypto/identity.h"
#include "crypto/pairing_words.h"
#include "net/address.h"
#include "net/dialer.h"
#include "net/pairing_io.h"
#include "net/spawn.h"
#include "store/config.h"
#include "store/partnership.h"
#include "util/log.h"

namespace hearth::net {
namespace {

using asio::ip::tcp;

Status expired_status() {
  return Status::refused(
      "the invite expired before your partner's device joined. Run `hearth pair invite` again "
      "for a new code");
}

Status used_up_status() {
  return Status::refused("the code was tried " + std::to_string(Invite::kMaxAttempts) +
                         " times without success, so the invite has ended. Run `hearth pair "
                         "invite` again for a new code");
}

std::string attempts_text(int n) { return std::to_string(n) + (n == 1 ? " attempt" : " attempts"); }

// "10 minutes", "45 seconds".
std::string duration_text(std::chrono::milliseconds d) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (s >= 60 && s % 60 == 0) return std::to_string(s / 60) + (s == 60 ? " minute" : " minutes");
  return std::to_string(s) + (s == 1 ? " second" : " seconds");
}

// The IP address a connection came from, as an Address host; "" if unknown.
std::string remote_ip(const tcp::socket& socket) {
  asio::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) return {};
  asio::ip::address a = peer.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
  return a.to_string();
}

// The source a connection's limits count against (net/pending_pool.h).
std::string remote_source(const tcp::socket& socket) {
  asio::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  return ec ? std::string("an unknown address") : source_of(peer.address());
}

}  // namespace

bool Invite::source_used_up(const std::string& source) const {
  auto it = by_source_.find(source);
  return it != by_source_.end() && it->second >= kMaxAttemptsPerSource;
}

bool Invite::use_attempt(int64_t now_ms, const std::string& source) {
  if (!may_answer(now_ms) || source_used_up(source)) return false;
  ++attempts_;
  ++by_source_[source];
  return true;
}

// The open invite as one pairing connection sees it.
class PairingService::Gate : public InviteGate {
 public:
  Gate(PairingService& service, uint64_t invite_id, std::string ip, std::string source,
       PendingPool::Ticket& waiting)
      : s_(service),
        id_(invite_id),
        ip_(std::move(ip)),
        source_(std::move(source)),
        waiting_(waiting) {}

  const Secret* code() override {
    if (!open() || !s_.invite_->may_answer(s_.u_.clock_ms())) return nullptr;
    if (s_.answering_) {
      turned_away = "another device's attempt was under way";
      return nullptr;
    }
    if (s_.invite_->source_used_up(source_)) {
      turned_away = "its address used " + std::to_string(Invite::kMaxAttemptsPerSource) +
                    " of the attempts already";
      return nullptr;
    }
    return &s_.invite_->code();
  }
  bool admit() override {
    admitted = open() && !s_.answering_ && s_.invite_->use_attempt(s_.u_.clock_ms(), source_);
    if (!admitted) return false;
    s_.answering_ = true;  // until answer() ends
    waiting_.release();    // the exchange now, no longer waiting for its P1
    const int n = Invite::kMaxAttempts - s_.invite_->attempts_left();
    const std::string notice = "a device at " + (ip_.empty() ? "an unknown address" : ip_) +
                               " is trying the code (attempt " + std::to_string(n) + " of " +
                               std::to_string(Invite::kMaxAttempts) + ")";
    s_.u_.record("info", notice);
    if (s_.events_.on_notice) s_.events_.on_notice(notice);
    return true;
  }
  Status complete(const proto::PairingResult& result) override {
    if (!open()) return Status::refused("the invite ended during the exchange");
    std::string address;
    if (result.partner.listen_port != 0 && !ip_.empty())
      address = Address{ip_, result.partner.listen_port}.text();
    HEARTH_TRY(s_.store_partner(result, address));
    completed = result;
    return Status::ok();
  }

  bool admitted = false;
  std::string turned_away;                 // why a P1 was not answered, if the owner should know
  std::optional<proto::PairingResult> completed;  // stored as the partner

 private:
  bool open() const { return s_.invite_ && s_.invite_->id() == id_; }
  PairingService& s_;
  uint64_t id_;
  std::string ip_;
  std::string source_;
  PendingPool::Ticket& waiting_;
};

std::shared_ptr<PairingService> PairingService::create(asio::any_io_executor executor,
                                                       runtime::Unlocked& unlocked,
                                                       std::function<void()> on_paired,
                                                       PairingOptions options) {
  return std::shared_ptr<PairingService>(
      new PairingService(std::move(executor), unlocked, std::move(on_paired), options));
}

PairingService::PairingService(asio::any_io_executor executor, runtime::Unlocked& unlocked,
                               std::function<void()> on_paired, PairingOptions options)
    : executor_(executor),
      tasks_(executor),
      u_(unlocked),
      on_paired_(std::move(on_paired)),
      options_(options),
      expiry_(executor) {}

void PairingService::spawn(asio::awaitable<void> task, const char* what) {
  tasks_.spawn(std::move(task), what);
}

proto::PairingIdentity PairingService::my_identity() {
  proto::PairingIdentity mine;
  mine.device_key = u_.store->keys().self();
  mine.listen_port = options_.listen_port;
  if (auto me = u_.devices.get(mine.device_key)) mine.name = me->name;
  return mine;
}

Result<runtime::InviteTicket> PairingService::invite(runtime::InviteEvents events) {
  if (stopped_) return Status::unavailable("hearthd is stopping");
  if (auto partner = u_.devices.partner()) {
    return Status::refused("this device is already paired with " +
                           crypto::short_device_id(partner->key) +
                           "; run `hearth unpair` first to pair with another device");
  }
  if (invite_) {
    return Status::refused(
        "an invite is already open in another `hearth pair invite`; finish or stop that one "
        "first");
  }
  if (joining_) return Status::refused("a `hearth pair join` is in progress on this device");
  if (options_.listen_port == 0) {
    return Status::refused(
        "hearthd does not accept connections, so your partner's device could not reach it. "
        "Start hearthd with --listen HOST:PORT (for example --listen 0.0.0.0:7420) and try "
        "again");
  }
  const int64_t expires = u_.clock_ms() + options_.invite_ttl.count();
  runtime::InviteTicket ticket{next_invite_id_++, crypto::make_pairing_code(), expires,
                           Invite::kMaxAttempts};
  invite_.emplace(ticket.id, ticket.code, expires);
  send_earlier_ = events.send_earlier;
  events_ = std::move(events);
  turned_away_.clear();
  expiry_.expires_after(options_.invite_ttl);
  expiry_.async_wait([weak = weak_from_this(), id = ticket.id](const asio::error_code& ec) {
    if (ec) return;
    if (auto self = weak.lock()) self->on_expiry_timer(id);
  });
  u_.record("info", "opened a pairing invite, valid for " + duration_text(options_.invite_ttl) +
                        " and " + attempts_text(Invite::kMaxAttempts));
  invite_changed(true);
  return ticket;
}

void PairingService::invite_changed(bool open) {
  if (open && u_.store->config().discovery_enabled() && !options_.announce.targets.empty()) {
    if (!announcer_) announcer_ = InviteAnnouncer::create(executor_, options_.announce);
    announcer_->start(options_.listen_port);
    u_.record("info", "announcing on the local network that an invite is open on port " +
                          std::to_string(options_.listen_port) + " (the code is never sent)");
  } else if (!open && announcer_) {
    announcer_->stop();
  }
  if (options_.on_invite_change) options_.on_invite_change(open);
}

void PairingService::cancel_invite(uint64_t id) {
  if (!invite_ || invite_->id() != id) return;
  invite_.reset();
  events_ = {};
  expiry_.cancel();
  u_.record("info", "the pairing invite was closed before anyone joined");
  invite_changed(false);
}

void PairingService::on_expiry_timer(uint64_t id) {
  if (!invite_ || invite_->id() != id) return;
  if (answering_) return;  // the exchange in progress decides when it ends
  u_.record("info", "the pairing invite expired");
  end_invite(id, expired_status());
}

void PairingService::end_invite(uint64_t id, Result<runtime::PairedPartner> outcome) {
  if (!invite_ || invite_->id() != id) return;
  invite_.reset();
  expiry_.cancel();
  invite_changed(false);
  runtime::InviteEvents events = std::move(events_);
  events_ = {};
  if (events.on_done) events.on_done(std::move(outcome));
}

void PairingService::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (invite_) end_invite(invite_->id(), Status::unavailable("hearthd is stopping"));
}

void PairingService::accept(tcp::socket socket) {
  if (stopped_ || !invite_) {
    log::debug("a pairing connection closed unanswered: no invite is open");
    return;  // the socket closes as it goes
  }
  spawn(answer(std::move(socket)), "a pairing connection");
}

void PairingService::turned_away(const std::string& source, const std::string& why) {
  if (!invite_ || turned_away_.contains(source) || turned_away_.size() >= kMaxTurnedAwayNotices)
    return;
  turned_away_.insert(source);
  const std::string notice =
      "turned away a device at " + source + " without using an attempt: " + why;
  u_.record("warn", notice);
  if (events_.on_notice) events_.on_notice(notice);
}

asio::awaitable<void> PairingService::answer(tcp::socket socket) {
  auto self = shared_from_this();  // the lifetime of the exchange
  const uint64_t id = invite_ ? invite_->id() : 0;
  const std::string ip = remote_ip(socket);
  const std::string from = ip.empty() ? std::string("an unknown address") : ip;
  const std::string source = remote_source(socket);
  // Until its P1 is answered it may be closed to make room (the socket
  // outlives the ticket: both live in this frame, the ticket declared last).
  PendingPool::Ticket waiting = waiting_.admit(
      source,
      [&socket] {
        asio::error_code ignored;
        socket.close(ignored);
      },
      [this](const std::string& evicted) {
        turned_away(evicted, "more pairing connections were waiting than this device takes");
      });
  Gate gate(*this, id, ip, source, waiting);
  auto result = co_await respond_pairing(socket, u_.store->keys().identity(), my_identity(), gate,
                                         options_.exchange_timeout);
  asio::error_code ignored;
  socket.close(ignored);
  waiting.release();
  if (gate.admitted) answering_ = false;
  if (!gate.turned_away.empty() && invite_ && invite_->id() == id)
    turned_away(source, gate.turned_away);
  if (gate.completed) {
    // Stored before N4: paired, even if N4 did not get through.
    const proto::PairingResult& r = *gate.completed;
    end_invite(id, runtime::PairedPartner{r.partner.device_key, r.partner.name, r.confirmation});
    co_return;
  }
  const bool open = invite_ && invite_->id() == id;
  if (!gate.admitted) {
    log::debug("a pairing connection from ", from,
               " closed unanswered: ", result.status().to_string());
  } else if (open) {
    const int left = invite_->attempts_left();
    u_.record("warn", "a pairing attempt from " + from + " failed (" + result.status().message() +
                          "); " + attempts_text(left) + " left");
    if (left == 0) {
      end_invite(id, used_up_status());
      co_return;
    }
  }
  if (!invite_ || invite_->id() != id) co_return;
  if (invite_->expired(u_.clock_ms())) {
    u_.record("info", "the pairing invite expired");
    end_invite(id, expired_status());
  } else if (gate.admitted && events_.on_failed_attempt) {
    events_.on_failed_attempt(invite_->attempts_left());
  }
}

void PairingService::join(std::string code, std::string address, bool send_earlier,
                          std::function<void(Result<runtime::PairedPartner>)> done) {
  if (stopped_) return done(Status::unavailable("hearthd is stopping"));
  if (auto partner = u_.devices.partner()) {
    return done(Status::refused("this device is already paired with " +
                                crypto::short_device_id(partner->key) +
                                "; run `hearth unpair` first to pair with another device"));
  }
  if (invite_) {
    return done(Status::refused(
        "an invite is open on this device (`hearth pair invite`); a device either invites or "
        "joins. Stop the invite first"));
  }
  if (joining_) return done(Status::refused("another `hearth pair join` is in progress"));
  joining_ = true;  // until run_join() ends
  send_earlier_ = send_earlier;
  spawn(run_join(std::move(code), std::move(address), std::move(done)), "pairing by code");
}

asio::awaitable<void> PairingService::run_join(
    std::string typed_code, std::string typed_address,
    std::function<void(Result<runtime::PairedPartner>)> done) {
  auto self = shared_from_this();  // the lifetime of the join
  struct Joining {
    bool& flag;
    ~Joining() { flag = false; }
  } joining{joining_};
  auto canonical = crypto::normalize_pairing_code(typed_code);
  wipe(typed_code);
  if (!canonical) co_return done(canonical.status());
  const Secret code = Secret::copy_of(*canonical);
  wipe(*canonical);
  std::vector<Address> candidates;
  if (typed_address.empty()) {
    // No address: the inviters announcing on the local network, tried in
    // the order heard until one pairs (net/invite_announce.h).
    if (!u_.store->config().discovery_enabled())
      co_return done(Status::refused(
          "finding your partner's invite on the local network is off (`hearth config set "
          "discovery on`); or give the address of your partner's computer with --address"));
    u_.record("info", "pairing: looking for an open invite on the local network");
    auto found = co_await find_inviters(options_.announce);
    if (stopped_) co_return done(Status::unavailable("hearthd is stopping"));
    if (!found) {
      u_.record("info", "pairing: " + found.status().message());
      co_return done(found.status());
    }
    candidates = std::move(found).value();
  } else {
    auto address = parse_address(typed_address);
    if (!address) co_return done(address.status());
    candidates.push_back(*address);
  }

  Status last = Status::unavailable("no device to pair with");
  for (const Address& address : candidates) {
    tcp::socket socket(executor_);
    Status st = co_await connect_to(socket, address);
    if (stopped_) co_return done(Status::unavailable("hearthd is stopping"));
    if (!st.is_ok()) {
      u_.record("info", "pairing: could not reach " + address.text() + ": " + st.message());
      last = Status::unavailable("cannot reach " + address.text() + ": " + st.message());
      continue;
    }
    auto result = co_await join_pairing(socket, u_.store->keys().identity(), my_identity(), code,
                                        options_.exchange_timeout);
    asio::error_code ignored;
    socket.close(ignored);
    if (stopped_) co_return done(Status::unavailable("hearthd is stopping"));
    if (!result) {
      u_.record("warn", "pairing with the device at " + address.text() +
                            " failed: " + result.status().message());
      last = result.status();
      continue;  // another inviter heard on the network may be the partner's
    }
    st = store_partner(*result, address.text());
    if (!st.is_ok()) co_return done(st);
    co_return done(
        runtime::PairedPartner{result->partner.device_key, result->partner.name, result->confirmation});
  }
  co_return done(last);
}

Status PairingService::store_partner(const proto::PairingResult& result, const std::string& address) {
  store::NewPartner p{result.partner.device_key, result.partner.name, address, "pairing",
                      send_earlier_};
  auto paired = store::pair_partner(*u_.store, p, u_.clock_ms());
  if (!paired) return paired.status();
  std::string line = "paired with " + crypto::short_device_id(p.key) + " by code";
  if (!address.empty()) line += "; its address: " + address;
  u_.record("info", line, store::ActivityBucket::kGeneral, address);
  if (on_paired_) on_paired_();
  return Status::ok();
}

}  // namespace hearth::net
