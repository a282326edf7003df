// Code pairing (schema/PROTOCOL.md §5.2): the exchange without sockets, over
// loopback TCP, and the daemon's invite rules.
#include "net/pairing_io.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "../store/store_fixtures.h"
#include "crypto/pairing_words.h"
#include "net/dialer.h"
#include "net/asio_util.h"
#include "proto/noise_stream.h"
#include "net/pairing_service.h"
#include "net_fixtures.h"
#include "store/partnership.h"
#include "store/peer_addresses.h"

using namespace hearth;
using asio::ip::tcp;
using hearth::test::NetSide;
using hearth::test::run_until;

namespace {

using net::use_tuple;

template <typename F>
void spawn_test(asio::io_context& io, F&& f) {
  asio::co_spawn(io, std::forward<F>(f), [](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      FAIL("test coroutine threw: " << ex.what());
    }
  });
}

Secret code_of(std::string_view code) { return Secret::copy_of(code); }

proto::PairingIdentity identity_of(const crypto::DeviceIdentity& id, uint16_t port,
                                 std::string name) {
  return proto::PairingIdentity{id.public_key(), port, std::move(name)};
}

bool contains_bytes(ByteView haystack, ByteView needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

// A gate over a fixed code that counts what it was asked.
struct FixedGate : net::InviteGate {
  Secret fixed;
  int admitted = 0;
  std::optional<proto::PairingResult> completed;
  explicit FixedGate(std::string_view c) : fixed(Secret::copy_of(c)) {}
  const Secret* code() override { return &fixed; }
  bool admit() override {
    ++admitted;
    return true;
  }
  Status complete(const proto::PairingResult& r) override {
    completed = r;
    return Status::ok();
  }
};

// The whole in-memory exchange; returns what each side got.
struct Exchange {
  crypto::DeviceIdentity a = crypto::DeviceIdentity::generate();  // inviter
  crypto::DeviceIdentity b = crypto::DeviceIdentity::generate();  // joiner
};

// A listener on a free loopback port whose accepted socket goes to `take`.
struct OneAccept {
  tcp::acceptor acceptor;
  explicit OneAccept(asio::io_context& io)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  net::Address address() const {
    return net::Address{"127.0.0.1", acceptor.local_endpoint().port()};
  }
};

// A pairing-capable daemon in memory: sync service (for the prelude), a
// listener and the pairing service.
struct PairingSide : NetSide {
  std::shared_ptr<net::PairingService> pairing;
  std::string at;
  int paired_calls = 0;

  void start(asio::io_context& io, net::PairingOptions options = {}) {
    make_service(io);
    at = listen(io);
    options.listen_port = listener->local_endpoints().at(0).port();
    pairing = net::PairingService::create(
        io.get_executor(), *u, [this] { ++paired_calls; }, options);
    service->set_pairing_handler([p = pairing](tcp::socket s) { p->accept(std::move(s)); });
    service->start();
  }
};

// Watches one invite.
struct InviteWatch {
  std::vector<int> failed_attempts;
  std::optional<Result<runtime::PairedPartner>> done;
  std::vector<std::string> notices;
  runtime::InviteEvents events() {
    runtime::InviteEvents e;
    e.on_failed_attempt = [this](int left) { failed_attempts.push_back(left); };
    e.on_done = [this](Result<runtime::PairedPartner> r) { done = std::move(r); };
    e.on_notice = [this](const std::string& n) { notices.push_back(n); };
    return e;
  }
  bool noticed(const std::string& needle) const {
    for (const auto& n : notices)
      if (n.find(needle) != std::string::npos) return true;
    return false;
  }
};

// A joiner at `source` (any 127.x.y.z) that runs the exchange itself.
Result<proto::PairingResult> join_from(asio::io_context& io, const std::string& source,
                                     const std::string& code, const std::string& a_at) {
  const crypto::DeviceIdentity joiner = crypto::DeviceIdentity::generate();
  auto address = net::parse_address(a_at);
  REQUIRE(address.is_ok());
  tcp::socket socket(io);
  socket.open(tcp::v4());
  socket.bind(tcp::endpoint(asio::ip::make_address(source), 0));
  socket.connect(tcp::endpoint(asio::ip::make_address(address->host), address->port));
  std::optional<Result<proto::PairingResult>> outcome;
  const Secret canonical = Secret::copy_of(code);
  // A named identity: GCC 12 mishandles a temporary passed by value to a
  // coroutine inside a co_await expression.
  const proto::PairingIdentity mine{joiner.public_key(), 0, ""};
  spawn_test(io, [&]() -> asio::awaitable<void> {
    outcome = co_await net::join_pairing(socket, joiner, mine, canonical);
  });
  REQUIRE(run_until(io, [&] { return outcome.has_value(); }));
  return std::move(*outcome);
}

// Runs one join from `b` to `a_at` and returns its outcome.
Result<runtime::PairedPartner> join(asio::io_context& io, PairingSide& b, const std::string& code,
                                const std::string& a_at) {
  std::optional<Result<runtime::PairedPartner>> outcome;
  b.pairing->join(code, a_at, false, [&](Result<runtime::PairedPartner> r) { outcome = std::move(r); });
  REQUIRE(run_until(io, [&] { return outcome.has_value(); }));
  return std::move(*outcome);
}

// A code that is not `code`: another last word.
std::string wrong_code_for(const std::string& code) {
  const size_t dash = code.rfind('-');
  const std::string_view first(crypto::pairing_words()[0]);
  const std::string_view other =
      code.substr(dash + 1) == first ? crypto::pairing_words()[1] : first;
  return code.substr(0, dash + 1) + std::string(other);
}

}  // namespace

TEST_CASE("the identity payload round-trips and refuses malformed bytes") {
  const auto id = crypto::DeviceIdentity::generate();
  const proto::PairingIdentity mine = identity_of(id, 7420, "Sam");
  const Bytes encoded = proto::encode_identity(mine);
  CHECK(encoded.size() == 32 + 2 + 1 + 3);
  auto decoded = proto::decode_identity(encoded);
  REQUIRE(decoded.is_ok());
  CHECK(*decoded == mine);

  SUBCASE("a name length that does not match") {
    Bytes bad = encoded;
    bad[34] = 4;
    CHECK(proto::decode_identity(bad).status().code() == Code::kCorrupt);
  }
  SUBCASE("too short") {
    CHECK(proto::decode_identity(ByteView(encoded).first(34)).status().code() == Code::kCorrupt);
  }
  SUBCASE("a name that is not UTF-8") {
    Bytes bad = encoded;
    bad.back() = 0xff;
    CHECK(proto::decode_identity(bad).status().code() == Code::kCorrupt);
  }
  SUBCASE("a long name is cut to 64 bytes at a character boundary") {
    std::string name(63, 'a');
    name += "\xc3\xa9";  // 'é' would straddle the limit
    auto cut = proto::decode_identity(proto::encode_identity(identity_of(id, 1, name)));
    REQUIRE(cut.is_ok());
    CHECK(cut->name == std::string(63, 'a'));
  }
}

TEST_CASE("the exchange has the message sizes PROTOCOL.md gives and both sides agree") {
  Exchange x;
  const Secret code = code_of("maple-river-otter");
  auto joiner = proto::PairingJoiner::create(x.b, identity_of(x.b, 0, ""), code);
  REQUIRE(joiner.is_ok());
  auto inviter = proto::PairingInviter::create(x.a, identity_of(x.a, 7420, "Alex"));
  REQUIRE(inviter.is_ok());

  const Bytes p1 = joiner->p1();
  CHECK(p1.size() == 49);
  CHECK(p1[0] == 0x01);
  auto p2 = inviter->on_p1(p1, code);
  REQUIRE(p2.is_ok());
  CHECK(p2->size() == 64);
  auto p3_n1 = joiner->on_p2(*p2);
  REQUIRE(p3_n1.is_ok());
  CHECK(p3_n1->first.size() == 32);
  CHECK(p3_n1->second.size() == 48);  // e, and the tag of the empty payload
  REQUIRE(inviter->on_p3(p3_n1->first).is_ok());
  auto n2 = inviter->on_n1(p3_n1->second);
  REQUIRE(n2.is_ok());
  CHECK(n2->size() == 131 + 4);  // "Alex"
  auto n3 = joiner->on_n2(*n2);
  REQUIRE(n3.is_ok());
  CHECK(n3->size() == 99);  // no name
  auto done_a = inviter->on_n3(*n3);
  REQUIRE(done_a.is_ok());
  CHECK(done_a->second.size() == 18);
  auto done_b = joiner->on_n4(done_a->second);
  REQUIRE(done_b.is_ok());

  CHECK(done_a->first.partner == identity_of(x.b, 0, ""));
  CHECK(done_b->partner == identity_of(x.a, 7420, "Alex"));
  CHECK(done_a->first.handshake_hash == done_b->handshake_hash);
  CHECK(done_a->first.confirmation == done_b->confirmation);
  CHECK(done_b->confirmation == crypto::confirmation_phrase(done_b->handshake_hash));
}

TEST_CASE("a wrong code fails at the key confirmation, before any device key is sent") {
  Exchange x;
  auto joiner =
      proto::PairingJoiner::create(x.b, identity_of(x.b, 0, ""), code_of("maple-river-otter"));
  REQUIRE(joiner.is_ok());
  auto inviter = proto::PairingInviter::create(x.a, identity_of(x.a, 7420, "Alex"));
  REQUIRE(inviter.is_ok());
  auto p2 = inviter->on_p1(joiner->p1(), code_of("maple-river-owl"));
  REQUIRE(p2.is_ok());
  CHECK_FALSE(contains_bytes(*p2, x.a.public_key()));
  CHECK_FALSE(contains_bytes(*p2, x.a.x25519_public()));
  auto answer = joiner->on_p2(*p2);
  CHECK(answer.status().code() == Code::kAuthFailed);
  CHECK(answer.status().message().find("does not match") != std::string::npos);

  SUBCASE("and the inviter refuses a confirmation made under another code") {
    auto inviter2 = proto::PairingInviter::create(x.a, identity_of(x.a, 7420, "Alex"));
    auto honest = proto::PairingJoiner::create(x.b, identity_of(x.b, 0, ""), code_of("a-b-c"));
    REQUIRE(honest.is_ok());
    auto p2b = inviter2->on_p1(honest->p1(), code_of("a-b-c"));
    REQUIRE(p2b.is_ok());
    CHECK(inviter2->on_p3(Bytes(32, 0x5a)).code() == Code::kAuthFailed);
  }
}

TEST_CASE("a joiner whose identity names another device is refused") {
  Exchange x;
  const auto impostor = crypto::DeviceIdentity::generate();
  const Secret code = code_of("maple-river-otter");
  // B proves its own Noise key but claims the impostor's device key.
  auto joiner = proto::PairingJoiner::create(x.b, identity_of(impostor, 0, ""), code);
  auto inviter = proto::PairingInviter::create(x.a, identity_of(x.a, 7420, ""));
  REQUIRE(joiner.is_ok());
  REQUIRE(inviter.is_ok());
  auto p2 = inviter->on_p1(joiner->p1(), code);
  REQUIRE(p2.is_ok());
  auto p3_n1 = joiner->on_p2(*p2);
  REQUIRE(p3_n1.is_ok());
  REQUIRE(inviter->on_p3(p3_n1->first).is_ok());
  auto n2 = inviter->on_n1(p3_n1->second);
  REQUIRE(n2.is_ok());
  auto n3 = joiner->on_n2(*n2);
  REQUIRE(n3.is_ok());
  CHECK(inviter->on_n3(*n3).status().code() == Code::kAuthFailed);
}

TEST_CASE("an inviter whose identity names another device is refused by the joiner") {
  Exchange x;
  const auto impostor = crypto::DeviceIdentity::generate();
  const Secret code = code_of("maple-river-otter");
  // A proves its own Noise key but claims the impostor's device key.
  auto joiner = proto::PairingJoiner::create(x.b, identity_of(x.b, 0, ""), code);
  auto inviter = proto::PairingInviter::create(x.a, identity_of(impostor, 7420, ""));
  REQUIRE(joiner.is_ok());
  REQUIRE(inviter.is_ok());
  auto p2 = inviter->on_p1(joiner->p1(), code);
  REQUIRE(p2.is_ok());
  auto p3_n1 = joiner->on_p2(*p2);
  REQUIRE(p3_n1.is_ok());
  REQUIRE(inviter->on_p3(p3_n1->first).is_ok());
  auto n2 = inviter->on_n1(p3_n1->second);
  REQUIRE(n2.is_ok());
  auto n3 = joiner->on_n2(*n2);
  CHECK(n3.status().code() == Code::kAuthFailed);
  CHECK(n3.status().message().find("do not match") != std::string::npos);
}

TEST_CASE("a device cannot pair with itself") {
  Exchange x;
  const Secret code = code_of("maple-river-otter");
  auto joiner = proto::PairingJoiner::create(x.a, identity_of(x.a, 0, ""), code);
  auto inviter = proto::PairingInviter::create(x.a, identity_of(x.a, 7420, ""));
  REQUIRE(joiner.is_ok());
  REQUIRE(inviter.is_ok());
  auto p2 = inviter->on_p1(joiner->p1(), code);
  REQUIRE(p2.is_ok());
  auto p3_n1 = joiner->on_p2(*p2);
  REQUIRE(p3_n1.is_ok());
  REQUIRE(inviter->on_p3(p3_n1->first).is_ok());
  auto n2 = inviter->on_n1(p3_n1->second);
  REQUIRE(n2.is_ok());
  auto n3 = joiner->on_n2(*n2);
  CHECK(n3.status().code() == Code::kRefused);
  CHECK(n3.status().message().find("this device itself") != std::string::npos);
}

TEST_CASE("the exchange over loopback pairs with the right code") {
  asio::io_context io;
  Exchange x;
  OneAccept listener(io);
  FixedGate gate("maple-river-otter");
  std::optional<Result<proto::PairingResult>> a_result, b_result;
  spawn_test(io, [&]() -> asio::awaitable<void> {
    auto [ec, socket] = co_await listener.acceptor.async_accept(use_tuple);
    REQUIRE_FALSE(ec);
    uint8_t prelude = 0;
    auto [ec2, n] = co_await asio::async_read(socket, asio::buffer(&prelude, 1), use_tuple);
    REQUIRE_FALSE(ec2);
    CHECK(prelude == proto::kPreludePairing);
    a_result = co_await net::respond_pairing(socket, x.a, identity_of(x.a, 7420, "Alex"), gate);
  });
  spawn_test(io, [&]() -> asio::awaitable<void> {
    tcp::socket socket(co_await asio::this_coro::executor);
    Status st = co_await net::connect_to(socket, listener.address());
    REQUIRE(st.is_ok());
    b_result = co_await net::join_pairing(socket, x.b, identity_of(x.b, 7421, "Sam"),
                                          code_of("maple-river-otter"));
  });
  REQUIRE(run_until(io, [&] { return a_result && b_result; }));
  REQUIRE(a_result->is_ok());
  REQUIRE(b_result->is_ok());
  CHECK(gate.admitted == 1);
  REQUIRE(gate.completed);
  CHECK((*a_result)->partner == identity_of(x.b, 7421, "Sam"));
  CHECK((*b_result)->partner == identity_of(x.a, 7420, "Alex"));
  CHECK((*a_result)->confirmation == (*b_result)->confirmation);
  CHECK_FALSE((*b_result)->confirmation.empty());
}

TEST_CASE("over loopback a wrong code fails on both sides and the joiner receives only P2") {
  asio::io_context io;
  Exchange x;
  OneAccept listener(io);
  FixedGate gate("maple-river-otter");
  std::optional<Result<proto::PairingResult>> a_result;
  Bytes received;
  spawn_test(io, [&]() -> asio::awaitable<void> {
    auto [ec, socket] = co_await listener.acceptor.async_accept(use_tuple);
    REQUIRE_FALSE(ec);
    uint8_t prelude = 0;
    co_await asio::async_read(socket, asio::buffer(&prelude, 1), use_tuple);
    a_result = co_await net::respond_pairing(socket, x.a, identity_of(x.a, 7420, "Alex"), gate);
  });
  // B, played by hand: P1 under a wrong code, then everything A sends until
  // B gives up (as a real joiner does when confirm_A does not verify).
  bool b_done = false;
  Status b_status;
  spawn_test(io, [&]() -> asio::awaitable<void> {
    tcp::socket socket(co_await asio::this_coro::executor);
    REQUIRE((co_await net::connect_to(socket, listener.address())).is_ok());
    auto joiner =
        proto::PairingJoiner::create(x.b, identity_of(x.b, 0, ""), code_of("maple-river-owl"));
    REQUIRE(joiner.is_ok());
    Bytes opening{proto::kPreludePairing};
    append(opening, proto::frame_noise_message(joiner->p1()));
    co_await asio::async_write(socket, asio::buffer(opening), use_tuple);
    uint8_t buffer[512];
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(buffer), use_tuple);
    received.assign(buffer, buffer + n);
    if (received.size() == 2 + proto::kP2Bytes) {
      b_status = joiner->on_p2(ByteView(received).subspan(2)).status();
    }
    socket.close();
    b_done = true;
  });
  REQUIRE(run_until(io, [&] { return a_result && b_done; }));
  CHECK(received.size() == 2 + proto::kP2Bytes);
  CHECK(b_status.code() == Code::kAuthFailed);
  CHECK_FALSE(contains_bytes(received, x.a.public_key()));
  CHECK_FALSE(contains_bytes(received, x.a.x25519_public()));
  CHECK(a_result->status().code() == Code::kAuthFailed);
  CHECK(gate.admitted == 1);
  CHECK_FALSE(gate.completed);
}

TEST_CASE("an invite allows three answered attempts, two from one address, and expires") {
  net::Invite invite(1, "maple-river-otter", 1'000'000);
  CHECK(invite.attempts_left() == 3);
  CHECK(invite.use_attempt(10, "10.0.0.7"));
  CHECK(invite.use_attempt(20, "10.0.0.7"));
  CHECK(invite.source_used_up("10.0.0.7"));
  CHECK_FALSE(invite.use_attempt(25, "10.0.0.7"));  // its address used its share
  CHECK(invite.attempts_left() == 1);
  CHECK(invite.may_answer(999'999));
  CHECK_FALSE(invite.may_answer(1'000'000));
  CHECK_FALSE(invite.use_attempt(1'000'000, "10.0.0.8"));  // expired: nothing counted
  CHECK(invite.attempts_left() == 1);
  CHECK(invite.use_attempt(30, "10.0.0.8"));
  CHECK(invite.attempts_left() == 0);
  CHECK_FALSE(invite.use_attempt(40, "10.0.0.9"));  // a fourth attempt
  CHECK(invite.code().chars() == "maple-river-otter");
}

TEST_CASE("two daemons pair by code: both store the other, its address and the same phrase") {
  asio::io_context io;
  PairingSide a, b;
  a.start(io);
  b.start(io);
  InviteWatch watch;
  auto ticket = a.pairing->invite(watch.events());
  REQUIRE(ticket.is_ok());
  CHECK(ticket->attempts == 3);
  CHECK(ticket->code.size() >= 5);

  auto joined = join(io, b, ticket->code, a.at);
  REQUIRE(joined.is_ok());
  REQUIRE(run_until(io, [&] { return watch.done.has_value(); }));
  REQUIRE(watch.done->is_ok());
  CHECK((*watch.done)->device_key == b.self());
  CHECK(joined->device_key == a.self());
  CHECK(joined->name == "me");
  CHECK(joined->confirmation == (*watch.done)->confirmation);
  CHECK(a.paired_calls == 1);
  CHECK(b.paired_calls == 1);

  REQUIRE(a.u->devices.partner());
  CHECK(a.u->devices.partner()->key == b.self());
  CHECK(a.u->devices.partner()->share_from == 1);
  REQUIRE(b.u->devices.partner());
  CHECK(b.u->devices.partner()->key == a.self());
  auto a_addresses = a.u->store->addresses().list();
  REQUIRE(a_addresses.is_ok());
  REQUIRE(a_addresses->size() == 1);
  CHECK((*a_addresses)[0].address == b.at);  // the IP it came from, its listen port
  CHECK((*a_addresses)[0].source == "pairing");
  auto b_addresses = b.u->store->addresses().list();
  REQUIRE(b_addresses.is_ok());
  REQUIRE(b_addresses->size() == 1);
  CHECK((*b_addresses)[0].address == a.at);
  CHECK(a.logged("paired with " + crypto::short_device_id(b.self()) + " by code"));
  CHECK_FALSE(a.pairing->invite_open());

  SUBCASE("the invite is single-use, and a paired device refuses new invites and joins") {
    CHECK(a.pairing->invite(InviteWatch().events()).status().code() == Code::kRefused);
    auto again = join(io, b, ticket->code, a.at);
    CHECK(again.status().code() == Code::kRefused);
  }
}

TEST_CASE("connections that send nothing do not keep the partner from joining") {
  asio::io_context io;
  PairingSide a, b;
  a.start(io);
  b.start(io);
  InviteWatch watch;
  auto ticket = a.pairing->invite(watch.events());
  REQUIRE(ticket.is_ok());
  // Three connections that say "pairing" and then nothing: they wait for
  // their P1, which never comes, and cost the invite nothing.
  auto address = net::parse_address(a.at);
  REQUIRE(address.is_ok());
  std::vector<tcp::socket> silent;
  silent.reserve(3);
  for (int i = 0; i < 3; ++i) {
    silent.emplace_back(io);
    bool sent = false;
    spawn_test(io, [&, i]() -> asio::awaitable<void> {
      REQUIRE((co_await net::connect_to(silent[static_cast<size_t>(i)], *address)).is_ok());
      const uint8_t prelude = proto::kPreludePairing;
      co_await asio::async_write(silent[static_cast<size_t>(i)], asio::buffer(&prelude, 1),
                                 use_tuple);
      sent = true;
    });
    REQUIRE(run_until(io, [&] { return sent; }));
  }
  auto joined = join(io, b, ticket->code, a.at);
  REQUIRE(joined.is_ok());
  REQUIRE(run_until(io, [&] { return watch.done.has_value(); }));
  CHECK(watch.done->is_ok());
  CHECK(watch.failed_attempts.empty());
}

TEST_CASE("a wrong code counts as an attempt and the right one still pairs") {
  asio::io_context io;
  PairingSide a, b;
  a.start(io);
  b.start(io);
  InviteWatch watch;
  auto ticket = a.pairing->invite(watch.events());
  REQUIRE(ticket.is_ok());
  auto wrong = join(io, b, wrong_code_for(ticket->code), a.at);
  CHECK(wrong.status().code() == Code::kAuthFailed);
  CHECK(wrong.status().message().find("does not match") != std::string::npos);
  REQUIRE(run_until(io, [&] { return !watch.failed_attempts.empty(); }));
  CHECK(watch.failed_attempts == std::vector<int>{2});
  CHECK(a.logged("a pairing attempt from 127.0.0.1 failed"));
  CHECK_FALSE(a.u->devices.partner());
  CHECK_FALSE(b.u->devices.partner());
  CHECK(b.logged("pairing with the device at " + a.at + " failed"));

  auto right = join(io, b, ticket->code, a.at);
  REQUIRE(right.is_ok());
  REQUIRE(run_until(io, [&] { return watch.done.has_value(); }));
  CHECK(watch.done->is_ok());
}

TEST_CASE("after three wrong codes the invite ends and a fourth attempt is refused unanswered") {
  asio::io_context io;
  PairingSide a, b;
  a.start(io);
  b.start(io);
  InviteWatch watch;
  auto ticket = a.pairing->invite(watch.events());
  REQUIRE(ticket.is_ok());
  for (int i = 0; i < 3; ++i) {
    // From three addresses: one address alone may use only two attempts.
    auto wrong =
        join_from(io, "127.0.0." + std::to_string(2 + i), wrong_code_for(ticket->code), a.at);
    CHECK(wrong.status().code() == Code::kAuthFailed);
  }
  REQUIRE(run_until(io, [&] { return watch.done.has_value(); }));
  CHECK(watch.failed_attempts == std::vector<int>{2, 1});
  CHECK(watch.done->status().code() == Code::kRefused);
  CHECK(watch.done->status().message().find("3 times") != std::string::npos);
  auto fourth = join(io, b, ticket->code, a.at);
  CHECK(fourth.status().code() == Code::kRefused);
  CHECK(fourth.status().message().find("no invite is open") != std::string::npos);
  CHECK_FALSE(a.u->devices.partner());
  CHECK_FALSE(b.u->devices.partner());
}

TEST_CASE("an expired invite answers nothing and tells its client") {
  asio::io_context io;
  PairingSide a, b;
  int64_t now = 1'700'000'000'000;
  a.u->clock_ms = [&now] { return now; };
  a.start(io);
  b.start(io);

  SUBCASE("an attempt after the expiry time") {
    InviteWatch watch;
    auto ticket = a.pairing->invite(watch.events());
    REQUIRE(ticket.is_ok());
    CHECK(ticket->expires_at_ms == now + 600'000);
    now += 600'000;
    auto late = join(io, b, ticket->code, a.at);
    CHECK(late.status().code() == Code::kRefused);
    REQUIRE(run_until(io, [&] { return watch.done.has_value(); }));
    CHECK(watch.done->status().message().find("expired") != std::string::npos);
    CHECK_FALSE(a.u->devices.partner());
  }
  SUBCASE("the invite's timer") {
    PairingSide c;
    net::PairingOptions quick;
    quick.invite_ttl = std::chrono::milliseconds(50);
    c.start(io, quick);
    InviteWatch watch;
    auto ticket = c.pairing->invite(watch.events());
    REQUIRE(ticket.is_ok());
    REQUIRE(run_until(io, [&] { return watch.done.has_value(); }));
    CHECK(watch.done->status().message().find("expired") != std::string::npos);
    CHECK(join(io, b, ticket->code, c.at).status().code() == Code::kRefused);
  }
}

TEST_CASE("a cancelled invite is closed, and an invite needs a listening daemon") {
  asio::io_context io;
  PairingSide a, b;
  a.start(io);
  b.start(io);
  InviteWatch watch;
  auto ticket = a.pairing->invite(watch.events());
  REQUIRE(ticket.is_ok());
  a.pairing->cancel_invite(ticket->id);
  CHECK_FALSE(a.pairing->invite_open());
  CHECK_FALSE(watch.done.has_value());  // its client went away: nobody to tell
  CHECK(join(io, b, ticket->code, a.at).status().code() == Code::kRefused);

  auto deaf = net::PairingService::create(io.get_executor(), *b.u, nullptr, {});
  auto refused = deaf->invite(InviteWatch().events());
  CHECK(refused.status().code() == Code::kRefused);
  CHECK(refused.status().message().find("--listen") != std::string::npos);
}

TEST_CASE("unpairing ends the live link at once without a word; the former partner is refused") {
  asio::io_context io;
  NetSide a, b;
  a.pair_with(b);
  b.pair_with(a);
  a.make_service(io);
  b.make_service(io);
  const std::string a_at = a.listen(io);
  b.add_address(a_at);
  a.service->start();
  b.service->start();
  REQUIRE(run_until(io, [&] { return a.caught_up() && b.caught_up(); }));
  const uint64_t b_had = b.head_of(a.self());

  REQUIRE(store::unpair(*a.u->store, false).is_ok());
  a.service->partner_changed();
  CHECK_FALSE(a.connected());  // at once, before the loop runs again
  REQUIRE(run_until(io, [&] { return !b.connected(); }));
  CHECK(a.logged("closed the connection with the former partner's device without a word"));
  // b heard no Bye: its stream just ended.
  CHECK(b.logged("the connection with your partner's device ended"));
  CHECK_FALSE(b.logged("unpaired"));
  // b dials again and a refuses it like any unknown device.
  REQUIRE(run_until(io, [&] {
    return a.logged("refused a connection from an unknown device " +
                    crypto::short_device_id(b.self()));
  }));
  auto m = a.u->journal.write(model::ReflectionPut{test::random_id(), "after", {}, "", {}},
                              store::Visibility::kShared);
  REQUIRE(m.is_ok());
  run_until(
      io, [] { return false; }, std::chrono::milliseconds(300));
  CHECK(b.head_of(a.self()) == b_had);
  CHECK_FALSE(a.connected());
}

TEST_CASE("the inviter sees each attempt at once, with the joiner's address") {
  asio::io_context io;
  PairingSide a, b;
  a.start(io);
  b.start(io);
  InviteWatch watch;
  auto ticket = a.pairing->invite(watch.events());
  REQUIRE(ticket.is_ok());
  auto wrong = join_from(io, "127.0.0.5", wrong_code_for(ticket->code), a.at);
  CHECK(wrong.status().code() == Code::kAuthFailed);
  CHECK(watch.noticed("a device at 127.0.0.5 is trying the code (attempt 1 of 3)"));
  REQUIRE(run_until(io, [&] { return watch.failed_attempts.size() == 1; }));
  CHECK(a.logged("a device at 127.0.0.5 is trying the code"));
}

TEST_CASE("one address cannot use up the invite; the inviter hears it was turned away") {
  asio::io_context io;
  PairingSide a, b;
  a.start(io);
  b.start(io);
  InviteWatch watch;
  auto ticket = a.pairing->invite(watch.events());
  REQUIRE(ticket.is_ok());
  for (int i = 0; i < 2; ++i)
    CHECK(join_from(io, "127.0.0.6", wrong_code_for(ticket->code), a.at).status().code() ==
          Code::kAuthFailed);
  auto third = join_from(io, "127.0.0.6", wrong_code_for(ticket->code), a.at);
  CHECK(third.status().code() == Code::kRefused);  // closed unanswered
  REQUIRE(run_until(io, [&] { return watch.noticed("turned away a device at 127.0.0.6"); }));
  CHECK_FALSE(watch.done.has_value());
  // The partner, elsewhere, still has its attempt.
  auto right = join(io, b, ticket->code, a.at);
  REQUIRE(right.is_ok());
}

TEST_CASE("a joiner that goes quiet after the inviter's answer frees the invite within seconds") {
  asio::io_context io;
  PairingSide a, b;
  a.start(io);
  b.start(io);
  InviteWatch watch;
  auto ticket = a.pairing->invite(watch.events());
  REQUIRE(ticket.is_ok());
  // A bare P1 with the prelude, and nothing after it.
  auto quiet_id = crypto::DeviceIdentity::generate();
  const Secret any_code = Secret::copy_of(std::string_view("maple-river-otter"));
  auto joiner = proto::PairingJoiner::create(quiet_id, {quiet_id.public_key(), 0, ""}, any_code);
  REQUIRE(joiner.is_ok());
  Bytes opening{proto::kPreludePairing};
  append(opening, proto::frame_noise_message(joiner->p1()));
  tcp::socket quiet(io);
  quiet.open(tcp::v4());
  quiet.bind(tcp::endpoint(asio::ip::make_address("127.0.0.7"), 0));
  auto address = net::parse_address(a.at);
  REQUIRE(address.is_ok());
  quiet.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), address->port));
  asio::write(quiet, asio::buffer(opening));
  REQUIRE(run_until(
      io, [&] { return watch.noticed("a device at 127.0.0.7 is trying the code"); },
      std::chrono::seconds(2)));
  // The partner joins right after; the quiet one holds the exchange for
  // seconds, not for the whole 30.
  const auto started = std::chrono::steady_clock::now();
  Result<runtime::PairedPartner> joined = Status::internal("not joined");
  for (int i = 0; i < 20 && !joined.is_ok(); ++i) {
    joined = join(io, b, ticket->code, a.at);
    if (!joined.is_ok())
      run_until(
          io, [] { return false; }, std::chrono::milliseconds(500));
  }
  REQUIRE(joined.is_ok());
  CHECK(std::chrono::steady_clock::now() - started <
        proto::kPairingReplyTimeout + std::chrono::seconds(2));
  CHECK(watch.failed_attempts == std::vector<int>{2});
  CHECK(
      watch.noticed("turned away a device at 127.0.0.1 without using an attempt: another "
                    "device's attempt was under way"));
}
