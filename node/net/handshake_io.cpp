#include "net/handshake_io.h"

#include <asio/read.hpp>
#include <asio/write.hpp>

#include "net/asio_util.h"
#include "net/noise_io.h"
#include "proto/noise_stream.h"

namespace hearth::net {
namespace {

using proto::Authenticated;
using proto::ReplayGuard;
using proto::SessionInitiator;
using proto::SessionResponder;

asio::awaitable<Status> initiate_steps(asio::ip::tcp::socket& socket,
                                       const crypto::DeviceIdentity& self, const Key32& partner,
                                       uint64_t timestamp, proto::Authenticated& out) {
  auto initiator = proto::SessionInitiator::create(self, partner);
  if (!initiator) co_return initiator.status();
  auto first = initiator->first_message(timestamp);
  if (!first) co_return first.status();
  Bytes opening{proto::kPreludeSession};
  append(opening, proto::frame_noise_message(*first));
  auto [ec, n] = co_await asio::async_write(socket, asio::buffer(opening), use_tuple);
  if (ec) co_return Status::unavailable(ec.message());
  Bytes second;
  Status st = co_await read_noise_message(socket, second, proto::kSecondMessageBytes, proto::kSecondMessageBytes);
  if (!st.is_ok()) {
    if (st.code() == Code::kUnavailable)
      co_return Status::unavailable(
          "the device there closed the connection without answering (has it paired with this "
          "device?)");
    co_return st;
  }
  auto transport = initiator->finish(second);
  if (!transport) co_return transport.status();
  out.transport = std::move(*transport);
  out.peer = partner;
  co_return Status::ok();
}

asio::awaitable<Status> read_prelude_steps(asio::ip::tcp::socket& socket, uint8_t& prelude) {
  auto [ec, n] = co_await asio::async_read(socket, asio::buffer(&prelude, 1), use_tuple);
  if (ec) co_return Status::unavailable("the connection closed before its prelude");
  co_return Status::ok();
}

asio::awaitable<Status> respond_after_prelude_steps(asio::ip::tcp::socket& socket,
                                                    const crypto::DeviceIdentity& self,
                                                    const std::optional<Key32>& partner,
                                                    proto::ReplayGuard& guard, proto::Authenticated& out) {
  Bytes first;
  Status st = co_await read_noise_message(socket, first, proto::kFirstMessageBytes, proto::kFirstMessageBytes);
  if (!st.is_ok()) co_return st;
  auto responder = proto::SessionResponder::create(self);
  if (!responder) co_return responder.status();
  auto read = responder->read_first(first, partner);
  if (!read) co_return read.status();
  st = guard.admit(read->peer, read->timestamp);
  if (st.code() == Code::kRefused) {
    co_return Status::refused(
        "refused a handshake in your partner's device's name that it sent "
        "before (a replay: its timestamp is not newer than one accepted)");
  }
  if (!st.is_ok()) co_return st;
  auto second = responder->second_message();
  if (!second) co_return second.status();
  Bytes framed = proto::frame_noise_message(*second);
  auto [ec2, n2] = co_await asio::async_write(socket, asio::buffer(framed), use_tuple);
  if (ec2) co_return Status::unavailable(ec2.message());
  auto transport = responder->split();
  if (!transport) co_return transport.status();
  out.transport = std::move(*transport);
  out.peer = read->peer;
  co_return Status::ok();
}

asio::awaitable<Status> respond_steps(asio::ip::tcp::socket& socket,
                                      const crypto::DeviceIdentity& self,
                                      const std::optional<Key32>& partner, proto::ReplayGuard& guard,
                                      proto::Authenticated& out) {
  uint8_t prelude = 0;
  Status st = co_await read_prelude_steps(socket, prelude);
  if (!st.is_ok()) co_return st;
  if (prelude == proto::kPreludePairing)
    co_return Status::unavailable("a pairing connection, not a session");
  if (prelude != proto::kPreludeSession) co_return Status::corrupt("an unknown prelude byte");
  co_return co_await respond_after_prelude_steps(socket, self, partner, guard, out);
}

// The handshake's steps, or kUnavailable once `timeout` passed.
asio::awaitable<Status> within(asio::awaitable<Status> steps,
                               std::chrono::steady_clock::duration timeout) {
  auto outcome = co_await with_deadline(std::move(steps), timeout);
  if (!outcome) co_return Status::unavailable("the handshake did not finish in time");
  co_return std::move(*outcome);
}

}  // namespace

asio::awaitable<Status> initiate_session(asio::ip::tcp::socket& socket,
                                         const crypto::DeviceIdentity& self, const Key32& partner,
                                         uint64_t timestamp, proto::Authenticated& out,
                                         std::chrono::steady_clock::duration timeout) {
  co_return co_await within(initiate_steps(socket, self, partner, timestamp, out), timeout);
}

asio::awaitable<Status> respond_session(asio::ip::tcp::socket& socket,
                                        const crypto::DeviceIdentity& self,
                                        const std::optional<Key32>& partner, proto::ReplayGuard& guard,
                                        proto::Authenticated& out,
                                        std::chrono::steady_clock::duration timeout) {
  co_return co_await within(respond_steps(socket, self, partner, guard, out), timeout);
}

asio::awaitable<Result<uint8_t>> read_prelude(asio::ip::tcp::socket& socket,
                                              std::chrono::steady_clock::duration timeout) {
  uint8_t prelude = 0;
  Status st = co_await within(read_prelude_steps(socket, prelude), timeout);
  if (!st.is_ok()) co_return st;
  co_return prelude;
}

asio::awaitable<Status> respond_session_after_prelude(asio::ip::tcp::socket& socket,
                                                      const crypto::DeviceIdentity& self,
                                                      const std::optional<Key32>& partner,
                                                      proto::ReplayGuard& guard, proto::Authenticated& out,
                                                      std::chrono::steady_clock::duration timeout) {
  co_return co_await within(respond_after_prelude_steps(socket, self, partner, guard, out),
                            timeout);
}

}  // namespace hearth::net
