// hearth_test_peer: a hostile device for integration tests.
//
//   hearth_test_peer strangers --peer-home HOME --to HOST:PORT --count N [--from IP]
//       N session handshakes with the device of HOME (its device key is no
//       secret), each from a freshly made device, so each is refused as an
//       unknown device. Prints "answered A of N" and exits 0.
//   hearth_test_peer ping-flood --as HOME --peer-home HOME --to HOST:PORT --seconds S
//       The device of the first home (its daemon stopped, no passphrase)
//       dials its partner, the device of the second home, at HOST:PORT,
//       sends Hello and then Pings as fast as it can for S seconds, never
//       reading a byte. Prints "sent N pings; the connection ended after T s"
//       or "sent N pings; the connection was still open".
//
// --from binds the dialing side to that local address (127.0.0.2: another
// source address on loopback).
#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "crypto/keyfile.h"
#include "crypto/sodium.h"
#include "net/address.h"
#include "net/handshake_io.h"
#include "proto/noise_stream.h"
#include "util/files.h"
#include "wire/peer_codec.h"

namespace {

using namespace hearth;
using asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string mode, to, from, as, peer_home;
  long count = 0;
  double seconds = 0;
};

int usage() {
  std::fprintf(
      stderr,
      "usage: hearth_test_peer strangers --peer-home HOME --to HOST:PORT --count N [--from IP]\n"
      "       hearth_test_peer ping-flood --as HOME --peer-home HOME --to HOST:PORT "
      "--seconds S\n");
  return 1;
}

uint64_t now_ms() {
  using namespace std::chrono;
  return static_cast<uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

tcp::endpoint endpoint_of(const std::string& text) {
  auto a = net::parse_address(text);
  if (!a) {
    std::fprintf(stderr, "%s\n", a.status().to_string().c_str());
    std::exit(1);
  }
  return tcp::endpoint(asio::ip::make_address(a->host), a->port);
}

bool connect(tcp::socket& socket, const Args& args) {
  asio::error_code ec;
  const tcp::endpoint to = endpoint_of(args.to);
  socket.open(to.protocol(), ec);
  if (!args.from.empty()) socket.bind(tcp::endpoint(asio::ip::make_address(args.from), 0), ec);
  if (!ec) socket.connect(to, ec);
  return !ec;
}

// One handshake with a device made for it; true if the daemon answered.
bool stranger(asio::io_context& io, const Args& args, const Key32& listener) {
  tcp::socket socket(io);
  if (!connect(socket, args)) return false;
  auto me = crypto::DeviceIdentity::generate();
  proto::Authenticated auth;
  std::optional<Status> result;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        result = co_await net::initiate_session(socket, me, listener, now_ms(), auth,
                                                std::chrono::seconds(5));
      },
      [](std::exception_ptr) {});
  io.restart();
  io.run();
  return result && result->is_ok();
}

int strangers(const Args& args) {
  auto peer = crypto::read_key_file_info(HomePaths{args.peer_home}.keys());
  if (!peer) {
    std::fprintf(stderr, "cannot read the key file\n");
    return 2;
  }
  asio::io_context io;
  long answered = 0;
  for (long i = 0; i < args.count; ++i) answered += stranger(io, args, peer->public_key) ? 1 : 0;
  std::printf("answered %ld of %ld\n", answered, args.count);
  return 0;
}

int ping_flood(const Args& args) {
  auto keys = crypto::unlock_key_file(HomePaths{args.as}.keys(), nullptr);
  auto peer = crypto::read_key_file_info(HomePaths{args.peer_home}.keys());
  if (!keys || !peer) {
    std::fprintf(stderr, "cannot read the key files\n");
    return 2;
  }
  asio::io_context io;
  tcp::socket socket(io);
  if (!connect(socket, args)) {
    std::fprintf(stderr, "cannot connect\n");
    return 2;
  }
  proto::Authenticated auth;
  std::optional<Status> result;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        result = co_await net::initiate_session(socket, keys->identity, peer->public_key, now_ms(),
                                                auth);
      },
      [](std::exception_ptr) {});
  io.run();
  if (!result || !result->is_ok()) {
    std::fprintf(stderr, "handshake failed: %s\n", result ? result->to_string().c_str() : "");
    return 2;
  }
  proto::StreamSealer sealer(std::move(auth.transport.send));
  std::vector<Bytes> framed;
  (void)sealer.seal(std::vector<Bytes>{wire::encode_peer_message(wire::Hello{})}, framed);
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(args.seconds));
  long pings = 0;
  bool ended = false;
  asio::error_code ec;
  for (const Bytes& f : framed) asio::write(socket, asio::buffer(f), ec);
  // 256 Pings per write: a few KiB, as fast as the daemon reads them.
  while (!ec && Clock::now() < end) {
    std::vector<Bytes> messages;
    for (int i = 0; i < 256; ++i)
      messages.push_back(wire::encode_peer_message(wire::Ping{uint64_t(pings + i)}));
    framed.clear();
    (void)sealer.seal(messages, framed);
    for (const Bytes& f : framed) {
      asio::write(socket, asio::buffer(f), ec);
      if (ec) break;
    }
    if (!ec) pings += 256;
  }
  ended = static_cast<bool>(ec);
  const double took = std::chrono::duration<double>(Clock::now() - start).count();
  if (ended) {
    std::printf("sent %ld pings; the connection ended after %.1f s\n", pings, took);
  } else {
    std::printf("sent %ld pings; the connection was still open\n", pings);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  crypto::sodium_ready();
  if (argc < 2) return usage();
  Args args;
  args.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--to")
      args.to = value;
    else if (flag == "--from")
      args.from = value;
    else if (flag == "--as")
      args.as = value;
    else if (flag == "--peer-home")
      args.peer_home = value;
    else if (flag == "--count")
      args.count = std::atol(value.c_str());
    else if (flag == "--seconds")
      args.seconds = std::atof(value.c_str());
    else
      return usage();
  }
  if (args.mode == "strangers" && !args.to.empty() && !args.peer_home.empty() && args.count > 0)
    return strangers(args);
  if (args.mode == "ping-flood" && !args.to.empty() && !args.as.empty() &&
      !args.peer_home.empty() && args.seconds > 0)
    return ping_flood(args);
  return usage();
}
