// Locking, unlocking and the passphrase, against a real daemon state in a
// temporary home whose key file is sealed: requests built with the client's
// own builders and read with its decoder. Argon2id runs inline unless a test
// gives the handler a PassphraseGate and runs an io_context.
#include <doctest/doctest.h>

#include <asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include "../test_util.h"
#include "runtime/daemon_state.h"
#include "client/control_codec.h"
#include "control/auto_lock.h"
#include "control/handler.h"
#include "control/passphrase_gate.h"
#include "control/server.h"
#include "crypto/keyfile.h"
#include "store/home.h"
#include "wire/capnp_message.h"

using namespace hearth;
using namespace std::chrono_literals;

namespace {

class Sink final : public control::ResponseSink {
 public:
  std::vector<Bytes> frames;
  void send(Bytes frame) override { frames.push_back(std::move(frame)); }
  void finish() override { open_ = false; }
  bool is_open() const override { return open_; }

 private:
  bool open_ = true;
};

client::Reply decode(const Bytes& frame) {
  auto reply = client::decode_reply(ByteView(frame).subspan(wire::kFrameHeaderBytes));
  REQUIRE(reply.is_ok());
  return std::move(reply).value();
}

const Secret& right_passphrase() {
  static const Secret s = Secret::copy_of(std::string_view("a long and private passphrase"));
  return s;
}
const Secret& wrong_passphrase() {
  static const Secret s = Secret::copy_of(std::string_view("not the passphrase"));
  return s;
}

// A home set up with (or without) a passphrase, its daemon state (locked if
// sealed) and a handler.
struct SealedHome {
  test::TempDir dir;
  HomePaths paths{dir.path() + "/home"};
  std::unique_ptr<runtime::DaemonState> state;
  std::unique_ptr<control::Handler> handler;

  explicit SealedHome(bool sealed = true) {
    auto key =
        store::init_home(paths, store::InitOptions{"Sam", sealed ? &right_passphrase() : nullptr});
    REQUIRE(key.is_ok());
    state = std::make_unique<runtime::DaemonState>(paths, *key, sealed, store::system_clock_ms);
    if (!sealed) REQUIRE(state->unlock(nullptr).is_ok());
    handler = std::make_unique<control::Handler>(*state);
  }

  // Sends a framed request; returns the sink (answered at once without a gate).
  std::shared_ptr<Sink> send(ByteView frame) {
    auto sink = std::make_shared<Sink>();
    handler->handle(frame.subspan(wire::kFrameHeaderBytes), sink);
    return sink;
  }
  client::Reply ask(ByteView frame) {
    auto sink = send(frame);
    REQUIRE(sink->frames.size() == 1);
    CHECK_FALSE(sink->is_open());
    return decode(sink->frames[0]);
  }
  client::Reply unlock(const Secret& passphrase) {
    return ask(client::request::unlock(passphrase).view());
  }
  client::Reply change(client::PassphraseChange change, const Secret* current,
                       const Secret* replacement) {
    return ask(client::request::change_passphrase(change, current, replacement).view());
  }
};

bool is_locked_status(const client::Reply& r) {
  const auto* s = std::get_if<client::StatusInfo>(&r);
  return s && s->locked;
}
bool is_unlocked_status(const client::Reply& r) {
  const auto* s = std::get_if<client::StatusInfo>(&r);
  return s && !s->locked;
}
client::DaemonErrorCode error_code(const client::Reply& r) {
  const auto* e = std::get_if<client::DaemonError>(&r);
  REQUIRE(e != nullptr);
  return e->code;
}

// Records every Secret the process releases while it lives (util/secret.h).
struct ReleasedSecrets {
  static inline std::vector<std::pair<const uint8_t*, bool>>* seen = nullptr;
  std::vector<std::pair<const uint8_t*, bool>> released;
  ReleasedSecrets() {
    seen = &released;
    testing::secret_released.store(+[](const uint8_t* data, size_t size) {
      bool zero = true;
      for (size_t i = 0; i < size; ++i) zero = zero && data[i] == 0;
      seen->push_back({data, zero});
    });
  }
  ~ReleasedSecrets() {
    testing::secret_released.store(nullptr);
    seen = nullptr;
  }
  // Whether `data` was released with every byte zero.
  bool wiped(const uint8_t* data) const {
    for (const auto& [where, zero] : released)
      if (where == data) return zero;
    return false;
  }
};

}  // namespace

TEST_CASE("unlock checks the passphrase even when the daemon is already unlocked") {
  SealedHome home;
  CHECK(error_code(home.unlock(wrong_passphrase())) == client::DaemonErrorCode::kWrongPassphrase);
  CHECK(home.state->unlocked() == nullptr);
  REQUIRE(is_unlocked_status(home.unlock(right_passphrase())));

  // Already unlocked: a wrong passphrase is still refused, never "unlocked".
  client::Reply again = home.unlock(wrong_passphrase());
  CHECK(error_code(again) == client::DaemonErrorCode::kWrongPassphrase);
  CHECK(std::get<client::DaemonError>(again).message ==
        "that passphrase does not open this device's keys");
  CHECK(home.state->unlocked() != nullptr);  // and it stays unlocked
  CHECK(is_unlocked_status(home.unlock(right_passphrase())));
}

TEST_CASE("lock wipes every key from memory and refuses what needs them until unlock") {
  SealedHome home;
  REQUIRE(is_unlocked_status(home.unlock(right_passphrase())));
  client::ReflectAddRequest add{"words kept while locked", false, {}, "", ""};
  REQUIRE(std::holds_alternative<client::Reflection>(home.ask(client::request::reflect_add(add))));

  // Where the unlocked state keeps its keys.
  store::Keyring& keys = home.state->unlocked()->store->keys();
  const uint8_t* device_secret = keys.identity().secret_key().data();
  const uint8_t* log_key = keys.own_log_key().data();
  const uint8_t* local_key = keys.local_key().data();

  ReleasedSecrets released;
  client::Reply locked = home.ask(client::request::lock());
  CHECK(is_locked_status(locked));
  CHECK(home.state->unlocked() == nullptr);
  CHECK_FALSE(home.state->locking());
  // Each key Secret was released, and zero when it was.
  CHECK(released.wiped(device_secret));
  CHECK(released.wiped(log_key));
  CHECK(released.wiped(local_key));

  CHECK(error_code(home.ask(client::request::reflect_list(0, false))) ==
        client::DaemonErrorCode::kLocked);
  CHECK(is_locked_status(home.ask(client::request::status())));
  // Locking again is fine and changes nothing.
  CHECK(is_locked_status(home.ask(client::request::lock())));

  REQUIRE(is_unlocked_status(home.unlock(right_passphrase())));
  auto list = home.ask(client::request::reflect_list(0, false));
  REQUIRE(std::holds_alternative<std::vector<client::Reflection>>(list));
  CHECK(std::get<std::vector<client::Reflection>>(list).size() == 1);
}

TEST_CASE("lock is refused gently when the keys have no passphrase to unlock them with") {
  SealedHome home(/*sealed=*/false);
  client::Reply r = home.ask(client::request::lock());
  CHECK(error_code(r) == client::DaemonErrorCode::kRefused);
  CHECK(std::get<client::DaemonError>(r).message.find("hearth passphrase set") !=
        std::string::npos);
  CHECK(home.state->unlocked() != nullptr);
}

TEST_CASE("a watch stream ends with `locked` when the daemon locks") {
  SealedHome home;
  REQUIRE(is_unlocked_status(home.unlock(right_passphrase())));
  auto watch = home.send(client::request::watch());
  REQUIRE(watch->frames.size() == 1);  // the pause comes first
  CHECK(watch->is_open());
  REQUIRE(is_locked_status(home.ask(client::request::lock())));
  REQUIRE(watch->frames.size() == 2);
  CHECK(error_code(decode(watch->frames[1])) == client::DaemonErrorCode::kLocked);
  CHECK_FALSE(watch->is_open());
  CHECK(home.state->updates().subscriber_count() == 0);
}

TEST_CASE("the passphrase can be changed and removed through the daemon, locked or unlocked") {
  SealedHome home;
  const Secret next = Secret::copy_of(std::string_view("the next passphrase"));
  // Locked: a wrong current passphrase is refused and changes nothing.
  CHECK(error_code(home.change(client::PassphraseChange::kChange, &wrong_passphrase(), &next)) ==
        client::DaemonErrorCode::kWrongPassphrase);
  CHECK(std::holds_alternative<client::Ok>(
      home.change(client::PassphraseChange::kChange, &right_passphrase(), &next)));
  CHECK(home.state->unlocked() == nullptr);  // still locked
  CHECK(error_code(home.unlock(right_passphrase())) == client::DaemonErrorCode::kWrongPassphrase);
  REQUIRE(is_unlocked_status(home.unlock(next)));

  // Unlocked: removing it keeps the daemon unlocked, and then it cannot lock.
  CHECK(std::holds_alternative<client::Ok>(
      home.change(client::PassphraseChange::kRemove, &next, nullptr)));
  CHECK_FALSE(home.state->sealed());
  CHECK(home.state->unlocked() != nullptr);
  CHECK(error_code(home.ask(client::request::lock())) == client::DaemonErrorCode::kRefused);
  CHECK(error_code(home.change(client::PassphraseChange::kRemove, &next, nullptr)) ==
        client::DaemonErrorCode::kRefused);

  // Set again: now it can lock.
  CHECK(std::holds_alternative<client::Ok>(
      home.change(client::PassphraseChange::kSet, nullptr, &right_passphrase())));
  CHECK(home.state->sealed());
  CHECK(is_locked_status(home.ask(client::request::lock())));
}

TEST_CASE("Argon2id runs beside the event loop: status is answered while a passphrase is checked") {
  SealedHome home;
  asio::io_context io;
  WorkerThread worker;
  control::PassphraseGate gate(io.get_executor(), worker);
  home.handler->set_passphrase_gate(&gate);

  const auto sent = std::chrono::steady_clock::now();
  auto unlocking = home.send(client::request::unlock(wrong_passphrase()).view());
  CHECK(unlocking->frames.empty());  // the worker has it
  const auto asked = std::chrono::steady_clock::now();
  CHECK(asked - sent < 100ms);  // Argon2id alone takes several times that
  // Answered at once, without running the loop, while Argon2id runs.
  CHECK(is_locked_status(home.ask(client::request::status())));
  CHECK(std::chrono::steady_clock::now() - asked < 100ms);
  while (unlocking->frames.empty() && std::chrono::steady_clock::now() - asked < 20s) {
    if (io.stopped()) io.restart();
    io.run_for(5ms);
  }
  REQUIRE(unlocking->frames.size() == 1);
  CHECK(error_code(decode(unlocking->frames[0])) == client::DaemonErrorCode::kWrongPassphrase);
  CHECK(gate.failures_in_a_row() == 1);
}

TEST_CASE("the auto-lock setting takes off or 1 minute to 24 hours") {
  using control::format_auto_lock;
  using control::parse_auto_lock;
  CHECK(parse_auto_lock("off")->has_value() == false);
  CHECK(parse_auto_lock("OFF")->has_value() == false);
  CHECK(**parse_auto_lock("30m") == 30min);
  CHECK(**parse_auto_lock("1h 30m") == 90min);
  CHECK(**parse_auto_lock("2H") == 120min);
  CHECK(**parse_auto_lock("1m") == 1min);
  CHECK(**parse_auto_lock("24h") == 24h);
  for (const char* bad : {"", "0m", "25h", "30", "30s", "m", "1h1h", "30m1h", "-5m", "never"}) {
    CAPTURE(bad);
    auto r = parse_auto_lock(bad);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == Code::kInvalidArgument);
    CHECK(r.status().message().find("or `off`") != std::string::npos);
  }
  CHECK(format_auto_lock(std::nullopt) == "off");
  CHECK(format_auto_lock(30min) == "30m");
  CHECK(format_auto_lock(60min) == "1h");
  CHECK(format_auto_lock(90min) == "1h30m");
}

TEST_CASE("auto-lock locks after the idle time, and only control requests count as activity") {
  SealedHome home;
  REQUIRE(is_unlocked_status(home.unlock(right_passphrase())));
  asio::io_context io;
  auto now = std::chrono::steady_clock::now();
  control::AutoLock auto_lock(io.get_executor(), *home.state, [&now] { return now; });
  home.handler->on_request([&auto_lock] { auto_lock.touch(); });
  auto_lock.set_limit(30min);

  now += 29min;
  auto_lock.check();
  CHECK(home.state->unlocked() != nullptr);
  // A request (any: here status) starts the idle time again.
  REQUIRE(is_unlocked_status(home.ask(client::request::status())));
  now += 29min;
  auto_lock.check();
  CHECK(home.state->unlocked() != nullptr);
  now += 1min;
  auto_lock.check();
  CHECK(home.state->unlocked() == nullptr);

  SUBCASE("off: never") {
    REQUIRE(is_unlocked_status(home.unlock(right_passphrase())));
    auto_lock.set_limit(std::nullopt);
    now += 48h;
    auto_lock.check();
    CHECK(home.state->unlocked() != nullptr);
  }
}

TEST_CASE("auto-lock leaves keys without a passphrase unlocked") {
  SealedHome home(/*sealed=*/false);
  asio::io_context io;
  auto now = std::chrono::steady_clock::now();
  control::AutoLock auto_lock(io.get_executor(), *home.state, [&now] { return now; });
  auto_lock.set_limit(1min);
  now += 2h;
  auto_lock.check();
  CHECK(home.state->unlocked() != nullptr);
}
