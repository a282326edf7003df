#include "net/pairing_io.h"

#include <vector>

#include "net/asio_util.h"
#include "net/noise_io.h"
#include "proto/handshake.h"
#include "proto/noise_stream.h"

namespace hearth::net {
namespace {

std::vector<Bytes> framed(ByteView a, ByteView b = {}) {
  std::vector<Bytes> out;
  out.push_back(proto::frame_noise_message(a));
  if (!b.empty()) out.push_back(proto::frame_noise_message(b));
  return out;
}

// The exchange's steps, or kUnavailable once `timeout` passed.
asio::awaitable<Result<proto::PairingResult>> within(asio::awaitable<Result<proto::PairingResult>> steps,
                                              std::chrono::steady_clock::duration timeout) {
  auto outcome = co_await with_deadline(std::move(steps), timeout);
  if (!outcome) co_return Status::unavailable("the pairing did not finish within the time allowed");
  co_return std::move(*outcome);
}

asio::awaitable<Result<proto::PairingResult>> join_steps(asio::ip::tcp::socket& socket,
                                                  const crypto::DeviceIdentity& self,
                                                  proto::PairingIdentity mine, const Secret& code) {
  auto joiner = proto::PairingJoiner::create(self, std::move(mine), code);
  if (!joiner) co_return joiner.status();
  std::vector<Bytes> opening = framed(joiner->p1());
  opening.front().insert(opening.front().begin(), proto::kPreludePairing);
  Status st = co_await write_framed(socket, opening);
  if (!st.is_ok()) co_return st;

  Bytes p2;
  st = co_await read_noise_message(socket, p2, proto::kP2Bytes, proto::kP2Bytes);
  if (st.code() == Code::kUnavailable) {
    co_return Status::refused(
        "your partner's device did not answer: no invite is open there (it may have expired, "
        "been used, or run out of attempts), or it is busy with another attempt. Ask your "
        "partner to run `hearth pair invite` again");
  }
  if (!st.is_ok()) co_return st;
  auto answer = joiner->on_p2(p2);
  if (!answer) co_return answer.status();
  const std::vector<Bytes> p3_n1 = framed(answer->first, answer->second);
  st = co_await write_framed(socket, p3_n1);
  if (!st.is_ok()) co_return st;

  Bytes n2;
  st = co_await read_noise_message(socket, n2, proto::kN2MinBytes, proto::kN2MaxBytes);
  if (!st.is_ok()) co_return st;
  auto n3 = joiner->on_n2(n2);
  if (!n3) co_return n3.status();
  const std::vector<Bytes> n3_out = framed(*n3);
  st = co_await write_framed(socket, n3_out);
  if (!st.is_ok()) co_return st;

  Bytes n4;
  st = co_await read_noise_message(socket, n4, proto::kN4Bytes, proto::kN4Bytes);
  if (!st.is_ok()) {
    if (st.code() == Code::kUnavailable) {
      co_return Status::unavailable(
          "your partner's device closed the connection before the pairing completed");
    }
    co_return st;
  }
  co_return joiner->on_n4(n4);
}

// Reads one framed message of min..max bytes within `limit`; *late says
// whether the time ran out (kUnavailable, `late` as its message).
asio::awaitable<Status> read_within(asio::ip::tcp::socket& socket, Bytes& out, size_t min_bytes,
                                    size_t max_bytes, std::chrono::steady_clock::duration limit,
                                    const char* late, bool* timed_out = nullptr) {
  auto outcome =
      co_await with_deadline(read_noise_message(socket, out, min_bytes, max_bytes), limit);
  if (timed_out) *timed_out = !outcome;
  if (!outcome) co_return Status::unavailable(late);
  co_return *outcome;
}

asio::awaitable<Status> read_p1(asio::ip::tcp::socket& socket, Bytes& p1) {
  co_return co_await read_within(socket, p1, proto::kP1Bytes, proto::kP1Bytes, proto::kPairingRequestTimeout,
                                 "no pairing request arrived in time");
}

asio::awaitable<Result<proto::PairingResult>> respond_steps(asio::ip::tcp::socket& socket,
                                                     const crypto::DeviceIdentity& self,
                                                     proto::PairingIdentity mine, InviteGate& gate) {
  Bytes p1;
  Status st = co_await read_p1(socket, p1);
  if (!st.is_ok()) co_return st;
  const Secret* code = gate.code();
  if (code == nullptr) co_return Status::refused("no invite is open");
  auto inviter = proto::PairingInviter::create(self, std::move(mine));
  if (!inviter) co_return inviter.status();
  auto p2 = inviter->on_p1(p1, *code);
  if (!p2) co_return p2.status();
  if (!gate.admit()) co_return Status::refused("the invite cannot take another attempt");
  const std::vector<Bytes> p2_out = framed(*p2);
  st = co_await write_framed(socket, p2_out);
  if (!st.is_ok()) co_return st;

  Bytes p3;
  bool quiet = false;
  st = co_await read_within(socket, p3, proto::kP3Bytes, proto::kP3Bytes, proto::kPairingReplyTimeout,
                            "the other device went quiet after this device's answer", &quiet);
  if (st.code() == Code::kUnavailable && !quiet) {
    co_return Status::auth_failed(
        "the other device closed the connection after the key exchange: the code it used "
        "does not match");
  }
  if (!st.is_ok()) co_return st;
  st = inviter->on_p3(p3);
  if (!st.is_ok()) co_return st;

  Bytes n1;
  st = co_await read_within(socket, n1, proto::kN1Bytes, proto::kN1Bytes, proto::kPairingReplyTimeout,
                            "the other device went quiet during the pairing");
  if (!st.is_ok()) co_return st;
  auto n2 = inviter->on_n1(n1);
  if (!n2) co_return n2.status();
  const std::vector<Bytes> n2_out = framed(*n2);
  st = co_await write_framed(socket, n2_out);
  if (!st.is_ok()) co_return st;

  Bytes n3;
  st = co_await read_within(socket, n3, proto::kN3MinBytes, proto::kN3MaxBytes, proto::kPairingReplyTimeout,
                            "the other device went quiet during the pairing");
  if (!st.is_ok()) co_return st;
  auto done = inviter->on_n3(n3);
  if (!done) co_return done.status();
  st = gate.complete(done->first);
  if (!st.is_ok()) co_return st;
  const std::vector<Bytes> n4_out = framed(done->second);
  st = co_await write_framed(socket, n4_out);
  if (!st.is_ok()) co_return st;
  co_return std::move(done->first);
}

}  // namespace

// ---------------------------------------------------------------- sockets

asio::awaitable<Result<proto::PairingResult>> join_pairing(asio::ip::tcp::socket& socket,
                                                    const crypto::DeviceIdentity& self,
                                                    proto::PairingIdentity mine, const Secret& code,
                                                    std::chrono::steady_clock::duration timeout) {
  co_return co_await within(join_steps(socket, self, std::move(mine), code), timeout);
}

asio::awaitable<Result<proto::PairingResult>> respond_pairing(
    asio::ip::tcp::socket& socket, const crypto::DeviceIdentity& self, proto::PairingIdentity mine,
    InviteGate& gate, std::chrono::steady_clock::duration timeout) {
  co_return co_await within(respond_steps(socket, self, std::move(mine), gate), timeout);
}

}  // namespace hearth::net
