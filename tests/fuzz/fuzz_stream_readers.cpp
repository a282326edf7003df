// Fuzzes the two readers that take a length prefix off a socket before
// anything else looks at the bytes:
//   - net::read_noise_message, the 2-byte big-endian length of every Noise
//     message (handshakes, pairing, the session transport), on one end of a
//     socket pair (socket_pair.h) while the other end sends the input
//   - the control socket's request reader (control::ControlServer: a
//     4-byte length, at most kMaxRequestBytes and whole words, then the
//     request), a real ControlServer on a Unix socket in the scratch
//     directory with a handler that records the request and echoes it
//
// Input: a mode byte (mode % 4), then:
//   0  a bounds byte (k % 11: one of the ten (min, max) pairs node/ reads
//      with, or, for 10, two 2-byte BE values from the input), then the
//      bytes the peer sends; read_noise_message is called until it fails
//   1  records (2-byte BE length, bit 15 cleared, and the bytes), each sent
//      as proto::frame_noise_message frames it: read back with the widest
//      bounds they come out unchanged, then the end of the stream
//   2  the bytes a client sends to the control socket
//   3  a request body: padded to whole words, framed with its length and
//      sent; the handler gets it and the client gets the handler's frames
//
// Checked against a reference reader of the same bytes: each call's outcome
// (ok with the same message, kCorrupt for a length outside the bounds,
// kUnavailable when the stream ends first); a refused length is refused as
// soon as its prefix is in, without waiting for more bytes (the peer keeps
// the connection open then) and without resizing the caller's buffer or
// allocating for it (a sanitizer malloc hook records the largest
// allocation while the reader runs); the control server calls the handler
// exactly for a well-framed request, with exactly its bytes, sends back the
// handler's frames and closes.
//
// The allocation check needs a sanitizer's allocator (the fuzz build, and the
// corpus replay in the ASan and TSan builds); a replay in a build without one
// checks everything else.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HEARTH_MALLOC_HOOKS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define HEARTH_MALLOC_HOOKS 1
#endif
#endif
#ifndef HEARTH_MALLOC_HOOKS
#define HEARTH_MALLOC_HOOKS 0
#endif
#if HEARTH_MALLOC_HOOKS
#include <sanitizer/allocator_interface.h>
#endif
#include <unistd.h>

#include <asio/experimental/as_tuple.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "control/server.h"
#include "control_home.h"
#include "fuzz_support.h"
#include "net/asio_util.h"
#include "net/noise_io.h"
#include "proto/noise_stream.h"
#include "net/pairing_io.h"
#include "socket_pair.h"
#include "wire/capnp_message.h"

using namespace hearth;
using asio::ip::tcp;
using asio::local::stream_protocol;

namespace {

using net::use_tuple;

// ---------------------------------------------------------------- allocations

// The largest single allocation since arm(), while armed.
std::atomic<bool> armed{false};
std::atomic<size_t> largest{0};

[[maybe_unused]] void on_malloc(const volatile void*, size_t size) {
  if (!armed.load(std::memory_order_relaxed)) return;
  size_t seen = largest.load(std::memory_order_relaxed);
  while (size > seen && !largest.compare_exchange_weak(seen, size)) {
  }
}
[[maybe_unused]] void on_free(const volatile void*) {}

struct Armed {
  Armed() {
    largest = 0;
    armed = true;
  }
  ~Armed() { armed = false; }
};

// What asio, the coroutine frames and the reader itself allocate around a
// message, at most: far below the lengths the checks care about.
constexpr size_t kSlack = 16 * 1024;

asio::io_context& io() {
  static asio::io_context context;
  return context;
}

// ---------------------------------------------------------------- Noise framing

struct Bounds {
  size_t min, max;
};

// The bounds node/ reads Noise messages with: pairing (proto/pairing.h), the
// session handshake (net/handshake.cpp: message 1 is 128 bytes, message 2
// 48), the transport (net/peer_link.cpp).
constexpr Bounds kCallSites[] = {
    {proto::kP1Bytes, proto::kP1Bytes},
    {proto::kP2Bytes, proto::kP2Bytes},
    {proto::kP3Bytes, proto::kP3Bytes},
    {proto::kN1Bytes, proto::kN1Bytes},
    {proto::kN2MinBytes, proto::kN2MaxBytes},
    {proto::kN3MinBytes, proto::kN3MaxBytes},
    {proto::kN4Bytes, proto::kN4Bytes},
    {128, 128},
    {48, 48},
    {crypto::noise::kTagBytes, crypto::noise::kMaxMessage},
};
constexpr size_t kCallSiteCount = sizeof kCallSites / sizeof kCallSites[0];

struct Read {
  Code code;
  Bytes message;      // when ok
  size_t length = 0;  // the length prefix, if it was within the bounds
};

// What a plain reader makes of `stream`: one entry per call, the last one
// the failure.
std::vector<Read> reference_reads(ByteView stream, Bounds b) {
  std::vector<Read> out;
  for (;;) {
    if (stream.size() < proto::kNoiseLengthBytes) {
      out.push_back({Code::kUnavailable, {}});
      return out;
    }
    const size_t n = get_u16_be(stream.data());
    if (n < b.min || n > b.max) {
      out.push_back({Code::kCorrupt, {}});
      return out;
    }
    if (stream.size() < proto::kNoiseLengthBytes + n) {
      out.push_back({Code::kUnavailable, {}, n});
      return out;
    }
    out.push_back(
        {Code::kOk, Bytes(stream.begin() + 2, stream.begin() + 2 + static_cast<ptrdiff_t>(n)), n});
    stream = stream.subspan(proto::kNoiseLengthBytes + n);
  }
}

void noise_reader(ByteView stream, Bounds b) {
  const std::vector<Read> expected = reference_reads(stream, b);
  // The peer ends the stream only if the reader needs that to stop; after a
  // refused length it keeps the connection open, as an attacker would.
  const bool peer_closes = expected.back().code == Code::kUnavailable;
  size_t largest_accepted = 0;
  for (const Read& r : expected) largest_accepted = std::max(largest_accepted, r.length);

  auto sockets = fuzz::tcp_socket_pair(io());
  tcp::socket& reader = sockets.first;
  tcp::socket& peer = sockets.second;
  bool read_done = false, write_done = false;
  std::vector<Read> got;
  std::vector<bool> untouched;   // a refused read left the buffer as it was
  got.reserve(expected.size());  // so that only the reader allocates below
  untouched.reserve(expected.size());
  {
    Armed armed_scope;
    fuzz::spawn_checked(io(), [&]() -> asio::awaitable<void> {
      auto [ec, n] =
          co_await asio::async_write(peer, asio::buffer(stream.data(), stream.size()), use_tuple);
      // A write error: the reader stopped at a refused length and closed.
      if (!ec && peer_closes) peer.shutdown(tcp::socket::shutdown_send, ec);
      write_done = true;
    });
    fuzz::spawn_checked(io(), [&]() -> asio::awaitable<void> {
      for (;;) {
        Bytes buffer{0xA5, 0x5A, 0xA5};
        const Status st = co_await net::read_noise_message(reader, buffer, b.min, b.max);
        got.push_back({st.code(), st.is_ok() ? buffer : Bytes{}});
        untouched.push_back(buffer == Bytes{0xA5, 0x5A, 0xA5});
        if (!st.is_ok()) break;
      }
      read_done = true;
    });
    HEARTH_ASSERT(fuzz::run_until(io(), [&] { return read_done; }),
                  "read_noise_message waited for bytes beyond a length it must refuse");
  }
  asio::error_code ignored;
  reader.close(ignored);
  HEARTH_ASSERT(fuzz::run_until(io(), [&] { return write_done; }), "the peer cannot finish");
  peer.close(ignored);
  HEARTH_ASSERT(got.size() == expected.size(),
                "read_noise_message read a different number of messages");
  for (size_t i = 0; i < got.size(); ++i) {
    HEARTH_ASSERT(got[i].code == expected[i].code,
                  "read_noise_message and the reference disagree on a message");
    HEARTH_ASSERT(got[i].message == expected[i].message, "read_noise_message read other bytes");
    if (got[i].code == Code::kCorrupt)
      HEARTH_ASSERT(untouched[i], "read_noise_message resized its buffer for a refused length");
  }
  HEARTH_ASSERT(largest <= largest_accepted + kSlack,
                "read_noise_message allocated more than the lengths it accepted");
}

void noise_round_trip(ByteView input) {
  Bytes stream;
  std::vector<Bytes> messages;
  while (input.size() >= 2) {
    const size_t n = std::min<size_t>(get_u16_be(input.data()) & 0x7fff, input.size() - 2);
    messages.emplace_back(input.begin() + 2, input.begin() + 2 + static_cast<ptrdiff_t>(n));
    input = input.subspan(2 + n);
    const Bytes framed = proto::frame_noise_message(messages.back());
    HEARTH_ASSERT(framed.size() == n + 2 && get_u16_be(framed.data()) == n,
                  "frame_noise_message framed a message wrongly");
    append(stream, framed);
  }
  const std::vector<Read> expected = reference_reads(stream, {0, crypto::noise::kMaxMessage});
  HEARTH_ASSERT(expected.size() == messages.size() + 1, "the reference lost a frame");
  for (size_t i = 0; i < messages.size(); ++i)
    HEARTH_ASSERT(expected[i].message == messages[i], "the reference changed a frame");
  noise_reader(stream, {0, crypto::noise::kMaxMessage});
}

// ---------------------------------------------------------------- control socket

// Records the request and answers with two frames: the request, then its
// length as 8 bytes.
class EchoHandler : public control::RequestHandler {
 public:
  void handle(ByteView request, std::shared_ptr<control::ResponseSink> out) override {
    ++calls;
    last.assign(request.begin(), request.end());
    out->send(frames_for(request));
    out->finish();
  }
  static Bytes frames_for(ByteView request) {
    Bytes out;
    put_u32_be(out, static_cast<uint32_t>(request.size()));
    append(out, request);
    put_u32_be(out, 8);
    put_u64_be(out, request.size());
    return out;
  }
  int calls = 0;
  Bytes last;
};

struct Control {
  EchoHandler handler;
  std::string path;
  std::unique_ptr<control::ControlServer> server;

  Control() {
    path = fuzz::scratch_dir() + "/hearth-fuzz-control-" + std::to_string(::getpid()) + ".sock";
    server = std::make_unique<control::ControlServer>(io(), path, handler);
    HEARTH_ASSERT(server->start().is_ok(), "cannot start the control server");
  }
  ~Control() { server.reset(); }
};

Control& control() {
  static Control c;
  return c;
}

void control_request(ByteView sent) {
  Control& c = control();
  // The reference: what the server must do with `sent`.
  enum class Expect { kNeedsEof, kRefused, kHandled } expect;
  uint32_t n = 0;
  if (sent.size() < wire::kFrameHeaderBytes) {
    expect = Expect::kNeedsEof;
  } else {
    n = get_u32_be(sent.data());
    if (n == 0 || n > control::kMaxRequestBytes || n % 8 != 0) {
      expect = Expect::kRefused;
    } else if (sent.size() - wire::kFrameHeaderBytes < n) {
      expect = Expect::kNeedsEof;
    } else {
      expect = Expect::kHandled;
    }
  }
  const bool length_accepted = sent.size() >= 4 && expect != Expect::kRefused;
  const bool trailing = expect == Expect::kHandled && sent.size() > wire::kFrameHeaderBytes + n;

  const int calls_before = c.handler.calls;
  bool done = false;
  Bytes received;
  {
    Armed armed_scope;
    fuzz::spawn_checked(io(), [&]() -> asio::awaitable<void> {
      stream_protocol::socket s(io());
      auto [ec] = co_await s.async_connect(stream_protocol::endpoint(c.path), use_tuple);
      HEARTH_ASSERT(!ec, "cannot connect to the control server");
      // After a refused length the server may be gone before all is written.
      auto [ec2, written] =
          co_await asio::async_write(s, asio::buffer(sent.data(), sent.size()), use_tuple);
      (void)written;
      // The client ends its side only if the server needs that to stop.
      if (!ec2 && expect == Expect::kNeedsEof)
        s.shutdown(stream_protocol::socket::shutdown_send, ec);
      uint8_t buf[4096];
      for (;;) {
        auto [ec3, got] = co_await s.async_read_some(asio::buffer(buf), use_tuple);
        received.insert(received.end(), buf, buf + got);
        if (ec3) break;
      }
      done = true;
    });
    HEARTH_ASSERT(fuzz::run_until(io(), [&] { return done; }),
                  "the control server waited for bytes beyond a request it must refuse or answer");
  }
  if (expect != Expect::kHandled) {
    HEARTH_ASSERT(c.handler.calls == calls_before, "the control server handled a bad frame");
    HEARTH_ASSERT(received.empty(), "the control server answered a bad frame");
  } else {
    const ByteView body = sent.subspan(wire::kFrameHeaderBytes, n);
    HEARTH_ASSERT(c.handler.calls == calls_before + 1, "a well-framed request was not handled");
    HEARTH_ASSERT(ByteView(c.handler.last).size() == n &&
                      std::equal(body.begin(), body.end(), c.handler.last.begin()),
                  "the handler got other bytes than the request");
    const Bytes frames = EchoHandler::frames_for(body);
    if (!trailing) {
      HEARTH_ASSERT(received == frames, "the client did not get the handler's frames");
    } else {
      // Bytes after the request mean the client left: the answer may be cut.
      HEARTH_ASSERT(received.size() <= frames.size() &&
                        std::equal(received.begin(), received.end(), frames.begin()),
                    "the client got other bytes than the handler's frames");
    }
  }
  const size_t allowed = std::max<size_t>(length_accepted ? n : 0, 2 * (sent.size() + 16));
  HEARTH_ASSERT(largest <= allowed + kSlack,
                "the control server allocated more than the request it accepted");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
#if HEARTH_MALLOC_HOOKS
  HEARTH_ASSERT(__sanitizer_install_malloc_and_free_hooks(&on_malloc, &on_free) != 0,
                "cannot install the allocation hook");
#endif
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView rest(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: {
      if (rest.empty()) return 0;
      const uint8_t k = rest[0] % (kCallSiteCount + 1);
      ByteView stream = rest.subspan(1);
      Bounds b{0, 0};
      if (k < kCallSiteCount) {
        b = kCallSites[k];
      } else {
        if (stream.size() < 4) return 0;
        b = {get_u16_be(stream.data()), get_u16_be(stream.data() + 2)};
        stream = stream.subspan(4);
      }
      noise_reader(stream, b);
      break;
    }
    case 1:
      noise_round_trip(rest);
      break;
    case 2:
      control_request(rest);
      break;
    default: {
      Bytes framed;
      Bytes body(rest.begin(), rest.end());
      if (body.empty()) body.push_back(0);
      body.resize((body.size() + 7) / 8 * 8);
      put_u32_be(framed, static_cast<uint32_t>(body.size()));
      append(framed, body);
      control_request(framed);
      break;
    }
  }
  return 0;
}
