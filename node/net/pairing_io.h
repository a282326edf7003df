// Code pairing on a TCP socket: the socket drivers of proto/pairing.h's
// proto::PairingJoiner and proto::PairingInviter (schema/PROTOCOL.md §5.2), with their
// deadlines.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>

#include "crypto/identity.h"
#include "proto/pairing.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::net {

// The inviter's view of its invite while it answers one joiner.
class InviteGate {
 public:
  virtual ~InviteGate() = default;
  // The code of the open invite; nullptr when none may be answered (none
  // open, expired, attempts used up): the connection closes unanswered.
  virtual const Secret* code() = 0;
  // P2 is about to go out: true counts it as an attempt; false closes the
  // connection unanswered instead.
  virtual bool admit() = 0;
  // N3 verified: the joiner is known. Stores it as the partner; a failure
  // closes the connection without N4.
  virtual Status complete(const proto::PairingResult& result) = 0;
};

// Dials nothing: runs the joiner's side on a connected socket, prelude
// included, within `timeout`.
//   kRefused: the inviter closed without answering (no open invite there)
//   kAuthFailed: a wrong code, or a device that is not what it claims
//   kUnavailable: the connection failed or the time ran out
asio::awaitable<Result<proto::PairingResult>> join_pairing(
    asio::ip::tcp::socket& socket, const crypto::DeviceIdentity& self, proto::PairingIdentity mine,
    const Secret& code, std::chrono::steady_clock::duration timeout = proto::kPairingTimeout);

// Runs the inviter's side on an accepted socket whose prelude (0x02) was
// read, within `timeout`. Failures as the joiner's; kRefused also when the
// gate closed it unanswered; the gate's own failure from complete().
asio::awaitable<Result<proto::PairingResult>> respond_pairing(
    asio::ip::tcp::socket& socket, const crypto::DeviceIdentity& self, proto::PairingIdentity mine,
    InviteGate& gate, std::chrono::steady_clock::duration timeout = proto::kPairingTimeout);

}  // namespace hearth::net
