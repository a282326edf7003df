#include "net/sync_service.h"

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/post.hpp>

#include "net/asio_util.h"
#include "crypto/identity.h"
#include "net/address.h"
#include "net/dialer.h"
#include "net/handshake_io.h"
#include "net/link_report.h"
#include "net/spawn.h"
#include "store/handshake_clock.h"
#include "store/peer_addresses.h"
#include "util/log.h"

namespace hearth::net {
namespace {

using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

std::string endpoint_text(const tcp::endpoint& e) {
  const auto a = e.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(e.port());
}

// Message-1 timestamps as the store remembers them (store/handshake_clock.h).
class StoredReplayGuard : public proto::ReplayGuard {
 public:
  explicit StoredReplayGuard(store::Db& db) : clock_(db) {}
  Status admit(const Key32& peer, uint64_t timestamp) override {
    return clock_.accept(peer, timestamp);
  }

 private:
  store::HandshakeClock clock_;
};

}  // namespace

bool keep_new_link(const Key32& self, const Key32& partner, bool new_we_dialed,
                   bool live_we_dialed) {
  if (new_we_dialed == live_we_dialed) return true;
  const Key32& new_dialer = new_we_dialed ? self : partner;
  const Key32& live_dialer = live_we_dialed ? self : partner;
  return new_dialer < live_dialer;
}

std::shared_ptr<SyncService> SyncService::create(asio::any_io_executor executor,
                                                 runtime::Unlocked& unlocked, sync::UpdateHub& updates,
                                                 SyncOptions options) {
  return std::shared_ptr<SyncService>(
      new SyncService(std::move(executor), unlocked, updates, std::move(options)));
}

SyncService::SyncService(asio::any_io_executor executor, runtime::Unlocked& unlocked,
                         sync::UpdateHub& updates, SyncOptions options)
    : executor_(executor),
      tasks_(executor),
      u_(unlocked),
      updates_(updates),
      options_(std::move(options)),
      refusals_(options_.refusal_window),
      refusal_timer_(executor),
      wake_(executor, Clock::time_point::max()),
      stop_guard_(executor) {}

void SyncService::spawn(asio::awaitable<void> task, const char* what) {
  tasks_.spawn(std::move(task), what);
}

void SyncService::start() {
  if (started_ || stopped_) return;
  started_ = true;
  u_.journal.set_listener([weak = weak_from_this()](const model::EntryMeta&) {
    auto self = weak.lock();
    if (self && self->live_) self->live_->on_local_change();
  });
  spawn(dial_loop(), "dialing the partner");
}

void SyncService::reconnect_now() {
  poked_ = true;
  backoff_.reset();
  wake_.cancel();
}

asio::awaitable<void> SyncService::dial_loop() {
  auto self = shared_from_this();  // the lifetime of the loop
  auto sleep_until = [this](Clock::time_point when) {
    wake_.expires_at(when);
    return wake_.async_wait(use_tuple);
  };
  while (!stopped_) {
    const auto partner = u_.devices.partner();
    auto addresses = u_.store->addresses().list();
    if (!partner || !addresses.is_ok() || addresses->empty() || live_) {
      co_await sleep_until(Clock::time_point::max());
      continue;
    }
    if (!poked_ && Clock::now() < next_round_) {
      co_await sleep_until(next_round_);
      continue;
    }
    poked_ = false;
    std::erase_if(history_, [&](const auto& entry) {  // addresses no longer known
      return std::none_of(addresses->begin(), addresses->end(),
                          [&](const auto& row) { return row.address == entry.first; });
    });
    bool connected = false;
    for (const auto& row : *addresses) {
      if (stopped_ || live_) break;
      // A discovered address is a hint: until it worked, dial it seldom.
      const AddressHistory& h = history_[row.address];
      if (row.source == "discovery" && !h.ever_worked && h.dialed != Clock::time_point{} &&
          Clock::now() - h.dialed < kNewAddressDialInterval) {
        continue;
      }
      if (co_await dial(partner->key, row.address)) {
        connected = true;
        break;
      }
    }
    if (!connected && !live_ && !poked_) next_round_ = Clock::now() + backoff_.fail();
  }
}

asio::awaitable<bool> SyncService::dial(Key32 partner, std::string address) {
  addresses_[address].state = "connecting";
  history_[address].dialed = Clock::now();
  dialing_ = true;
  tcp::socket socket(executor_);
  auto parsed = parse_address(address);
  Status st = parsed.status();
  if (parsed) st = co_await connect_to(socket, *parsed);
  proto::Authenticated auth;
  if (st.is_ok()) {
    auto timestamp = store::HandshakeClock(u_.store->db())
                         .next_to_send(partner, static_cast<uint64_t>(u_.clock_ms()));
    st = timestamp.status();
    if (timestamp)
      st =
          co_await initiate_session(socket, u_.store->keys().identity(), partner, *timestamp, auth);
  }
  dialing_ = false;
  runtime::AddressState& state = addresses_[address];
  if (stopped_ || !is_partner(partner)) {
    // Stopped, or unpaired while the handshake ran: whatever it gave, there
    // is nothing to say about a former partner's address.
    state.state = "idle";
    co_return false;
  }
  if (!st.is_ok()) {
    const bool news = state.last_error != st.message();
    state = runtime::AddressState{"idle", st.message()};
    if (news) {
      u_.record("info",
                "could not connect to your partner's device at " + address + ": " + st.message() +
                    "; trying again later",
                store::ActivityBucket::kGeneral, address);
    } else {
      log::debug("dialing ", address, ": ", st.message());
    }
    co_return false;
  }
  state.last_error.clear();
  AddressHistory& h = history_[address];
  h.worked = Clock::now();
  h.ever_worked = true;
  auto link = make_link(std::move(socket), std::move(auth), true, address);
  adopt(link);
  spawn(run_link(link), "the connection with the partner's device");
  addresses_[address].state = live_ == link ? "connected" : "idle";
  co_return true;
}

void SyncService::accept(tcp::socket socket) {
  if (!started_ || stopped_) return;  // the socket closes as it goes
  spawn(inbound(std::move(socket)), "an incoming connection");
}

asio::awaitable<void> SyncService::inbound(tcp::socket socket) {
  auto self = shared_from_this();  // the lifetime of the handshake
  asio::error_code ec;
  const tcp::endpoint peer = socket.remote_endpoint(ec);
  if (ec) co_return;  // gone already
  const std::string ip = source_of(peer.address());
  const std::string remote = endpoint_text(peer);
  // Until it proved itself, it may be closed to make room (the socket
  // outlives the ticket: both live in this frame, the ticket declared last).
  PendingPool::Ticket pending = pending_.admit(ip, [&socket] {
    asio::error_code ignored;
    socket.close(ignored);
  });
  socket.set_option(tcp::no_delay(true), ec);
  const auto started = Clock::now();
  auto prelude = co_await read_prelude(socket, options_.first_bytes);
  if (!prelude) {
    log::debug("incoming connection from ", remote, " closed: ", prelude.status().to_string());
    co_return;
  }
  if (*prelude == proto::kPreludePairing) {
    pending.release();  // the pairing handler has its own pool
    if (pairing_handler_ && !stopped_) {
      pairing_handler_(std::move(socket));
    } else {
      log::debug("a pairing connection from ", remote, " closed: pairing is not available");
    }
    co_return;
  }
  if (*prelude != proto::kPreludeSession) {
    log::debug("incoming connection from ", remote, " closed: an unknown prelude byte");
    co_return;
  }
  std::optional<Key32> partner;
  if (auto row = u_.devices.partner()) partner = row->key;
  proto::Authenticated auth;
  const auto left = std::max<Clock::duration>(proto::kHandshakeTimeout - (Clock::now() - started),
                                              std::chrono::milliseconds(1));
  StoredReplayGuard guard(u_.store->db());
  Status st = co_await respond_session_after_prelude(socket, u_.store->keys().identity(), partner,
                                                     guard, auth, left);
  pending.release();  // done waiting, whatever the outcome
  if (st.is_ok() && !is_partner(auth.peer))
    st = Status::refused("unpaired from " + crypto::short_device_id(auth.peer) +
                         " during its handshake");
  if (!st.is_ok()) {
    if (st.code() == Code::kRefused) {
      record_refusal(ip, st.message());
    } else {
      log::debug("incoming connection from ", remote, " closed: ", st.to_string());
    }
    co_return;
  }
  if (stopped_) co_return;
  // Message 1 may be a recording: the link counts only once the dialer's
  // first transport message opens (PeerLink). At most one waits for that;
  // a newer one from the partner replaces it.
  auto link = make_link(std::move(socket), std::move(auth), false, remote);
  if (auto older = unproven_.lock(); older && !older->proven() && !older->is_ending())
    older->close(wire::ByeReason::kDuplicateConnection, "a newer connection from this device");
  unproven_ = link;
  link->set_on_proven([weak = weak_from_this(), link_weak = std::weak_ptr<PeerLink>(link)] {
    auto service = weak.lock();
    auto proven = link_weak.lock();
    if (service && proven) service->adopt(proven);
  });
  spawn(run_link(link), "the connection with the partner's device");
}

bool SyncService::is_partner(const Key32& peer) {
  const auto row = u_.devices.partner();
  return row && row->key == peer;
}

void SyncService::partner_changed() {
  if (live_ && !live_->is_ending() && !is_partner(live_->peer())) {
    // Unpairing is silent: the former partner's device hears nothing.
    live_->drop(wire::ByeReason::kUnpaired, "unpaired");
  }
  if (auto waiting = unproven_.lock();
      waiting && !waiting->proven() && !waiting->is_ending() && !is_partner(waiting->peer()))
    waiting->drop(wire::ByeReason::kUnpaired, "unpaired");
  auto rows = u_.store->addresses().list();
  if (rows.is_ok()) {
    std::erase_if(addresses_, [&](const auto& entry) {
      for (const auto& row : *rows)
        if (row.address == entry.first) return false;
      return entry.second.state != "connecting";
    });
    std::erase_if(history_, [&](const auto& entry) {
      for (const auto& row : *rows)
        if (row.address == entry.first) return false;
      return true;
    });
  }
  reconnect_now();
}

void SyncService::record_refusal(const std::string& source, const std::string& message) {
  const auto lines = refusals_.refused(source, message, Clock::now());
  if (lines.empty()) log::debug(message, " at ", source, " (counted)");
  for (const std::string& line : lines) u_.record("warn", line, store::ActivityBucket::kRefusals);
  if (auto end = refusals_.window_end(); end && refusal_timer_.expiry() != *end) {
    refusal_timer_.expires_at(*end);
    refusal_timer_.async_wait([weak = weak_from_this()](const asio::error_code& ec) {
      if (auto service = weak.lock(); service && !ec) service->flush_refusals();
    });
  }
}

void SyncService::flush_refusals() {
  for (const std::string& line : refusals_.flush())
    u_.record("warn", line, store::ActivityBucket::kRefusals);
}

std::shared_ptr<PeerLink> SyncService::make_link(tcp::socket socket, proto::Authenticated auth,
                                                 bool we_dialed, std::string remote) {
  return std::make_shared<PeerLink>(std::move(socket), std::move(auth.transport), auth.peer,
                                    we_dialed, std::move(remote),
                                    runtime::session_context(u_, updates_), options_.link);
}

void SyncService::adopt(const std::shared_ptr<PeerLink>& link) {
  if (stopped_) {
    link->close(wire::ByeReason::kShuttingDown, "hearthd is stopping");
  } else if (!is_partner(link->peer())) {
    link->drop(wire::ByeReason::kUnpaired, "unpaired");  // unpaired while it proved itself
  } else if (live_ && !live_->is_ending()) {
    const auto row = u_.devices.partner();
    const bool keep_new = keep_new_link(u_.store->keys().self(), row ? row->key : Key32{},
                                        link->we_dialed(), live_->we_dialed());
    const std::shared_ptr<PeerLink> loser = keep_new ? live_ : link;
    log::debug("two connections with the partner's device; closing the one with ", loser->remote());
    loser->close(wire::ByeReason::kDuplicateConnection,
                 "another connection between these two devices is kept");
    if (keep_new) install(link);
  } else {
    install(link);
  }
}

void SyncService::install(const std::shared_ptr<PeerLink>& link) {
  const bool was_connected = live_ != nullptr;
  live_ = link;
  if (was_connected) return;  // a duplicate replaced the live link: still one connection
  u_.record("info",
            "connected to your partner's device at " + link->remote() +
                (link->we_dialed() ? " (this device dialed)" : " (it dialed this device)"),
            store::ActivityBucket::kGeneral, link->remote());
  updates_.publish(sync::ConnectionChange{true});
}

asio::awaitable<void> SyncService::run_link(std::shared_ptr<PeerLink> link) {
  auto self = shared_from_this();  // the lifetime of the link
  LinkEnd end;
  try {
    end = co_await link->run();
  } catch (const std::exception& e) {
    log::error("the connection with the partner's device failed: ", e.what());
    end = LinkEnd{LinkEnd::How::kBroken, wire::ByeReason::kProtocolError, "an internal error"};
  }
  link_ended(link, end);
}

void SyncService::link_ended(const std::shared_ptr<PeerLink>& link, const LinkEnd& end) {
  if (!link->proven()) {
    // Never trusted: a message 1 that was recorded (or its dialer went away).
    u_.record("info",
              "a connection in your partner's device's name from " + link->remote() +
                  " ended before anything on it could be opened (" + end.detail + ")",
              store::ActivityBucket::kGeneral, link->remote());
    return;
  }
  if (link != live_) {
    log::debug("a second connection with ", link->remote(), " closed (",
               wire::bye_reason_name(end.reason), ")");
    return;
  }
  live_.reset();
  if (link->we_dialed()) {
    addresses_[link->remote()].state = "idle";
    history_[link->remote()].worked = Clock::now();
  }
  if (auto report = describe_end(end)) u_.record(report->level, report->message);
  updates_.publish(sync::ConnectionChange{false});
  if (stopped_) {
    finish_stop();
    return;
  }
  if (Clock::now() - link->started() >= options_.stable_session) {
    backoff_.reset();
    next_round_ = Clock::now();
  } else {
    next_round_ = Clock::now() + backoff_.fail();
  }
  wake_.cancel();
}

void SyncService::stop(std::function<void()> done) {
  if (stopped_) {
    if (done) asio::post(executor_, std::move(done));
    return;
  }
  stopped_ = true;
  stop_done_ = std::move(done);
  u_.journal.set_listener(nullptr);
  wake_.cancel();
  refusal_timer_.cancel();
  flush_refusals();
  if (auto waiting = unproven_.lock(); waiting && !waiting->proven())
    waiting->close(wire::ByeReason::kShuttingDown, "hearthd is stopping");
  if (!live_) {
    asio::post(executor_, [self = shared_from_this()] { self->finish_stop(); });
    return;
  }
  live_->close(wire::ByeReason::kShuttingDown, "hearthd is stopping");
  stop_guard_.expires_after(options_.link.close_flush + std::chrono::milliseconds(500));
  stop_guard_.async_wait([weak = weak_from_this()](const asio::error_code&) {
    if (auto self = weak.lock()) self->finish_stop();
  });
}

void SyncService::finish_stop() {
  stop_guard_.cancel();
  if (auto done = std::exchange(stop_done_, nullptr)) done();
}

runtime::ConnectionState SyncService::connection_state() const {
  if (live_ && !live_->is_ending()) return runtime::ConnectionState::kConnected;
  if (dialing_) return runtime::ConnectionState::kConnecting;
  return runtime::ConnectionState::kOffline;
}

model::SyncFigures SyncService::progress() {
  if (live_ && !live_->is_ending()) {
    if (auto figures = live_->figures()) return *figures;
  }
  return sync::stored_figures(*u_.store, u_.devices);
}

std::optional<bool> SyncService::live_we_dialed() const {
  if (!live_ || live_->is_ending()) return std::nullopt;
  return live_->we_dialed();
}

bool SyncService::worked_recently(const std::string& address) const {
  if (live_ && !live_->is_ending() && live_->we_dialed() && live_->remote() == address) return true;
  auto it = history_.find(address);
  return it != history_.end() && it->second.ever_worked &&
         Clock::now() - it->second.worked < kWorkedRecently;
}

runtime::AddressState SyncService::address_state(const std::string& address) const {
  auto it = addresses_.find(address);
  return it == addresses_.end() ? runtime::AddressState{} : it->second;
}

}  // namespace hearth::net
