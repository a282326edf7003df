#include "proto/handshake.h"

namespace hearth::proto {
namespace {

namespace noise = crypto::noise;

Result<noise::HandshakeState> make_state(const crypto::DeviceIdentity& self, bool initiator,
                                         std::optional<Key32> remote_static) {
  HEARTH_ASSIGN_OR_RETURN(noise::Keypair keys, noise::Keypair::from_private(self.x25519_secret()));
  noise::HandshakeConfig config;
  config.pattern = noise::kIK;
  config.initiator = initiator;
  config.prologue = as_bytes(kSessionPrologue);
  config.static_keypair = std::move(keys);
  config.remote_static = remote_static;
  return noise::HandshakeState::create(std::move(config));
}

}  // namespace

Bytes first_payload(const Key32& device_key, uint64_t timestamp) {
  Bytes payload(device_key.begin(), device_key.end());
  put_u64_be(payload, timestamp);
  return payload;
}

Result<SessionInitiator> SessionInitiator::create(const crypto::DeviceIdentity& self,
                                                  const Key32& partner) {
  auto remote = crypto::x25519_public_from_device(partner);
  if (!remote) return Status::invalid("the partner's device key is not a valid key");
  HEARTH_ASSIGN_OR_RETURN(noise::HandshakeState hs, make_state(self, true, *remote));
  return SessionInitiator(std::move(hs), self.public_key());
}

Result<Bytes> SessionInitiator::first_message(uint64_t timestamp) {
  if (timestamp > kMaxHandshakeTimestamp)
    return Status::invalid("a handshake timestamp out of range");
  return hs_.write_message(first_payload(self_, timestamp));
}

Result<noise::TransportPair> SessionInitiator::finish(ByteView second_message) {
  if (second_message.size() != kSecondMessageBytes)
    return Status::corrupt("a session handshake reply of the wrong length");
  HEARTH_ASSIGN_OR_RETURN(Bytes payload, hs_.read_message(second_message));
  if (!payload.empty()) return Status::corrupt("a session handshake reply with a payload");
  return hs_.split();
}

Result<SessionResponder> SessionResponder::create(const crypto::DeviceIdentity& self) {
  HEARTH_ASSIGN_OR_RETURN(noise::HandshakeState hs, make_state(self, false, std::nullopt));
  return SessionResponder(std::move(hs));
}

Result<FirstMessage> SessionResponder::read_first(ByteView first_message,
                                                  const std::optional<Key32>& partner) {
  if (first_message.size() != kFirstMessageBytes)
    return Status::corrupt("a session handshake of the wrong length");
  HEARTH_ASSIGN_OR_RETURN(Bytes payload, hs_.read_message(first_message));
  if (payload.size() != kFirstPayloadBytes)
    return Status::corrupt("a session handshake without a device key and timestamp");
  const Key32 claimed = to_array<32>(ByteView(payload).first(sizeof(Key32)));
  const uint64_t timestamp = get_u64_be(payload.data() + sizeof(Key32));
  if (timestamp > kMaxHandshakeTimestamp)
    return Status::corrupt("a session handshake with a timestamp out of range");
  const std::optional<Key32> proved = hs_.remote_static();
  auto derived = crypto::x25519_public_from_device(claimed);
  if (!proved || !derived || *derived != *proved) {
    return Status::refused("refused a connection from an unknown device " +
                           crypto::short_device_id(claimed) +
                           " (its keys do not match the device it claims to be)");
  }
  if (!partner || *partner != claimed) {
    return Status::refused("refused a connection from an unknown device " +
                           crypto::short_device_id(claimed));
  }
  return FirstMessage{claimed, timestamp};
}

Result<Bytes> SessionResponder::second_message() { return hs_.write_message({}); }

Result<noise::TransportPair> SessionResponder::split() { return hs_.split(); }

}  // namespace hearth::proto
