// Fakes and helpers for the client tests: a Daemon that records requests and
// answers from a queue, a Context around it, and request/response codecs.
#pragma once

#include <capnp/message.h>
#include <doctest/doctest.h>

#include <cstdlib>
#include <deque>
#include <sstream>
#include <string>

#include "../test_util.h"
#include "client/commands.h"
#include "client/control_client.h"
#include "schema/control.capnp.h"
#include "util/bytes.h"
#include "wire/capnp_message.h"

namespace hearth::client::test {

// Sets (or, with nullptr, unsets) an environment variable for a scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old, had_ = true;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      ::setenv(name_.c_str(), old_.c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::string old_;
  bool had_ = false;
};

// 2026-11-24T16:32:00.123Z.
inline constexpr int64_t kNow = 1795537920123;

// Whether a frame holds an `overview` request.
inline bool is_overview(ByteView frame) {
  if (frame.size() <= wire::kFrameHeaderBytes) return false;
  auto reader =
      wire::MessageReader::parse(frame.subspan(wire::kFrameHeaderBytes), size_t{1} << 20);
  return reader.is_ok() &&
         reader->root<hearth::control::Request>().which() == hearth::control::Request::OVERVIEW;
}

class FakeDaemon final : public Daemon {
 public:
  std::vector<Bytes> requests;
  std::deque<Result<Reply>> replies;
  // `overview` requests (asked around lists and writes) are answered with
  // this, outside the queue, and counted rather than kept in `requests`.
  Overview overview;
  int overview_requests = 0;

  void answer(Reply reply) { replies.emplace_back(std::move(reply)); }
  void fail_with(Status status) { replies.emplace_back(std::move(status)); }

  Result<Reply> call(ByteView request, Wait) override {
    if (is_overview(request)) {
      ++overview_requests;
      return Reply{overview};
    }
    requests.emplace_back(request.begin(), request.end());
    if (replies.empty()) return Status::internal("the fake daemon has no reply queued");
    Result<Reply> r = std::move(replies.front());
    replies.pop_front();
    return r;
  }

  Status stream(ByteView request, const std::function<bool(Reply&&)>& on_reply) override {
    requests.emplace_back(request.begin(), request.end());
    while (!replies.empty()) {
      Result<Reply> r = std::move(replies.front());
      replies.pop_front();
      if (!r) return r.status();
      if (!on_reply(std::move(*r))) return Status::ok();
    }
    return Status::unavailable("hearthd closed the connection; it may have stopped");
  }
};

// A Context writing into strings, with no terminal, in a temporary home.
struct Harness {
  explicit Harness(bool json = false)
      : ctx{GlobalOptions{home.path(), json},
            HomePaths{home.path()},
            daemon,
            out,
            err,
            Terminal{},
            kNow} {}

  hearth::test::TempDir home;
  FakeDaemon daemon;
  std::ostringstream out;
  std::ostringstream err;
  Context ctx;
};

// The Request in a frame built by request::*.
inline wire::MessageReader parse_request(const Bytes& frame) {
  REQUIRE(frame.size() > wire::kFrameHeaderBytes);
  auto length = wire::frame_length(frame.data(), size_t{1} << 20);
  REQUIRE(length.is_ok());
  REQUIRE(*length == frame.size() - wire::kFrameHeaderBytes);
  auto reader =
      wire::MessageReader::parse(ByteView(frame).subspan(wire::kFrameHeaderBytes), size_t{1} << 20);
  REQUIRE(reader.is_ok());
  return std::move(reader).value();
}

inline Bytes bytes_of(std::initializer_list<uint8_t> b) { return Bytes(b); }

inline Bytes id_bytes(uint8_t fill, size_t n = 16) { return Bytes(n, fill); }

}  // namespace hearth::client::test
