#include "proto/pairing.h"

#include <sodium.h>

#include "crypto/hash.h"
#include "crypto/pairing_words.h"
#include "model/payload.h"
#include "util/utf8.h"

namespace hearth::proto {
namespace {

namespace noise = crypto::noise;
namespace cpace = crypto::cpace;

constexpr std::string_view kConfirmA = "hearth/pair/confirm/A";
constexpr std::string_view kConfirmB = "hearth/pair/confirm/B";
constexpr std::string_view kPskLabel = "hearth/pair/psk/v1";

// A BLAKE2b-256 keyed by the ISK, as a Secret.
Secret keyed_by_isk(const Secret& isk, std::string_view label) {
  Hash32 h = crypto::blake2b_256_keyed(isk.view(), {as_bytes(label)});
  Secret out = Secret::copy_of(ByteView(h));
  wipe(h);
  return out;
}

bool confirm_matches(const Secret& expected, ByteView received) {
  return received.size() == expected.size() &&
         sodium_memcmp(expected.data(), received.data(), expected.size()) == 0;
}

Result<noise::HandshakeState> make_noise(const crypto::DeviceIdentity& self, bool initiator,
                                         const Secret& isk, ByteView sid, ByteView ya,
                                         ByteView yb) {
  HEARTH_ASSIGN_OR_RETURN(noise::Keypair keys, noise::Keypair::from_private(self.x25519_secret()));
  const Bytes prologue = pairing_prologue(sid, ya, yb);
  noise::HandshakeConfig config;
  config.pattern = noise::kXXpsk3;
  config.initiator = initiator;
  config.prologue = prologue;
  config.static_keypair = std::move(keys);
  config.psks.push_back(pairing_psk(isk));
  return noise::HandshakeState::create(std::move(config));  // reads the prologue here
}

// The peer's identity payload, checked against the Noise static key it proved.
Result<PairingIdentity> checked_identity(const crypto::DeviceIdentity& self,
                                         const noise::HandshakeState& hs, ByteView payload) {
  HEARTH_ASSIGN_OR_RETURN(PairingIdentity peer, decode_identity(payload));
  const std::optional<Key32> proved = hs.remote_static();
  auto derived = crypto::x25519_public_from_device(peer.device_key);
  if (!proved || !derived || *derived != *proved) {
    return Status::auth_failed(
        "the other device's keys do not match the device it claims to be; nothing was stored");
  }
  if (peer.device_key == self.public_key())
    return Status::refused("the other end of the pairing is this device itself");
  return peer;
}

}  // namespace

Secret pairing_confirm_a(const Secret& isk) { return keyed_by_isk(isk, kConfirmA); }
Secret pairing_confirm_b(const Secret& isk) { return keyed_by_isk(isk, kConfirmB); }
Secret pairing_psk(const Secret& isk) { return keyed_by_isk(isk, kPskLabel); }

Bytes pairing_channel_identifier() { return cpace::lv_cat({as_bytes(kPairingChannel)}); }

Bytes pairing_prologue(ByteView sid, ByteView ya, ByteView yb) {
  Bytes prologue;
  append(prologue, kPairingPrologue);
  append(prologue, sid);
  append(prologue, ya);
  append(prologue, yb);
  return prologue;
}

Bytes encode_identity(const PairingIdentity& identity) {
  const std::string name(utf8_prefix(identity.name, kMaxPairingNameBytes));
  Bytes out;
  out.reserve(kIdentityMinBytes + name.size());
  append(out, identity.device_key);
  put_u16_be(out, identity.listen_port);
  out.push_back(static_cast<uint8_t>(name.size()));
  append(out, name);
  return out;
}

Result<PairingIdentity> decode_identity(ByteView payload) {
  if (payload.size() < kIdentityMinBytes || payload.size() > kIdentityMaxBytes)
    return Status::corrupt("an identity of the wrong length");
  PairingIdentity out;
  out.device_key = to_array<32>(payload.subspan(0, 32));
  out.listen_port = get_u16_be(payload.data() + 32);
  const size_t name_size = payload[34];
  if (payload.size() != kIdentityMinBytes + name_size)
    return Status::corrupt("an identity whose name length does not match");
  out.name = std::string(as_chars(payload.subspan(kIdentityMinBytes)));
  if (!model::is_valid_utf8(out.name))
    return Status::corrupt("an identity whose name is not UTF-8");
  return out;
}

// ---------------------------------------------------------------- joiner

Result<PairingJoiner> PairingJoiner::create(const crypto::DeviceIdentity& self,
                                            PairingIdentity mine, const Secret& code) {
  PairingJoiner j;
  j.self_ = &self;
  j.mine_ = std::move(mine);
  j.sid_.resize(kPairingSidBytes);
  randombytes_buf(j.sid_.data(), j.sid_.size());
  HEARTH_ASSIGN_OR_RETURN(j.share_,
                          cpace::start(code.view(), pairing_channel_identifier(), j.sid_));
  return j;
}

Bytes PairingJoiner::p1() const {
  Bytes out{kPairingVersion};
  append(out, sid_);
  append(out, share_.y_public);
  return out;
}

Result<std::pair<Bytes, Bytes>> PairingJoiner::on_p2(ByteView p2) {
  if (p2.size() != kP2Bytes) return Status::corrupt("a pairing answer of the wrong length");
  yb_.assign(p2.begin(), p2.begin() + crypto::cpace::kPointBytes);
  const ByteView confirm_a = p2.subspan(crypto::cpace::kPointBytes);
  auto isk =
      cpace::isk_initiator_responder(share_, cpace::Role::kInitiator, as_bytes(kCpaceAdInitiator),
                                     yb_, as_bytes(kCpaceAdResponder), sid_);
  if (!isk) return Status::auth_failed("the code does not match");
  if (!confirm_matches(pairing_confirm_a(*isk), confirm_a)) {
    return Status::auth_failed(
        "the code does not match the one your partner's device made. Check the words with your "
        "partner and try again (an invite allows 3 attempts)");
  }
  isk_ = std::move(*isk);
  Bytes p3(kP3Bytes);
  {
    const Secret confirm_b = pairing_confirm_b(isk_);
    std::copy(confirm_b.view().begin(), confirm_b.view().end(), p3.begin());
  }
  HEARTH_ASSIGN_OR_RETURN(noise::HandshakeState hs,
                          make_noise(*self_, true, isk_, sid_, share_.y_public, yb_));
  HEARTH_ASSIGN_OR_RETURN(Bytes n1, hs.write_message({}));
  noise_.emplace(std::move(hs));
  return std::pair{std::move(p3), std::move(n1)};
}

Result<Bytes> PairingJoiner::on_n2(ByteView n2) {
  if (!noise_) return Status::internal("N2 before P2");
  auto payload = noise_->read_message(n2);
  if (!payload)
    return Status::auth_failed("your partner's device sent a message that does not verify");
  HEARTH_ASSIGN_OR_RETURN(partner_, checked_identity(*self_, *noise_, *payload));
  return noise_->write_message(encode_identity(mine_));
}

Result<PairingResult> PairingJoiner::on_n4(ByteView n4) {
  if (!noise_ || !noise_->is_complete()) return Status::internal("N4 before N3");
  PairingResult out;
  out.handshake_hash = noise_->handshake_hash();
  HEARTH_ASSIGN_OR_RETURN(noise::TransportPair transport, noise_->split());
  auto ok = transport.recv.decrypt_with_ad({}, n4);
  if (!ok || as_chars(*ok) != kPairingOk)
    return Status::auth_failed("your partner's device did not confirm the pairing");
  out.partner = partner_;
  out.confirmation = crypto::confirmation_phrase(out.handshake_hash);
  return out;
}

// ---------------------------------------------------------------- inviter

Result<PairingInviter> PairingInviter::create(const crypto::DeviceIdentity& self,
                                              PairingIdentity mine) {
  PairingInviter i;
  i.self_ = &self;
  i.mine_ = std::move(mine);
  return i;
}

Result<Bytes> PairingInviter::on_p1(ByteView p1, const Secret& code) {
  if (p1.size() != kP1Bytes) return Status::corrupt("a pairing request of the wrong length");
  if (p1[0] != kPairingVersion) return Status::corrupt("a pairing request of another version");
  sid_.assign(p1.begin() + 1, p1.begin() + 1 + kPairingSidBytes);
  ya_.assign(p1.begin() + 1 + kPairingSidBytes, p1.end());
  HEARTH_ASSIGN_OR_RETURN(cpace::Share share,
                          cpace::start(code.view(), pairing_channel_identifier(), sid_));
  HEARTH_ASSIGN_OR_RETURN(isk_, cpace::isk_initiator_responder(share, cpace::Role::kResponder,
                                                               as_bytes(kCpaceAdResponder), ya_,
                                                               as_bytes(kCpaceAdInitiator), sid_));
  yb_.assign(share.y_public.begin(), share.y_public.end());
  Bytes p2 = yb_;
  const Secret confirm_a = pairing_confirm_a(isk_);
  append(p2, confirm_a.view());
  return p2;
}

Status PairingInviter::on_p3(ByteView p3) {
  if (isk_.empty()) return Status::internal("P3 before P1");
  if (!confirm_matches(pairing_confirm_b(isk_), p3)) {
    return Status::auth_failed(
        "the other device's key confirmation does not verify: the code it "
        "used does not match");
  }
  HEARTH_ASSIGN_OR_RETURN(noise::HandshakeState hs,
                          make_noise(*self_, false, isk_, sid_, ya_, yb_));
  noise_.emplace(std::move(hs));
  return Status::ok();
}

Result<Bytes> PairingInviter::on_n1(ByteView n1) {
  if (!noise_) return Status::internal("N1 before P3");
  auto payload = noise_->read_message(n1);
  if (!payload)
    return Status::auth_failed("the other device's first handshake message does not verify");
  if (!payload->empty()) return Status::corrupt("a first handshake message with a payload");
  return noise_->write_message(encode_identity(mine_));
}

Result<std::pair<PairingResult, Bytes>> PairingInviter::on_n3(ByteView n3) {
  if (!noise_) return Status::internal("N3 before N1");
  auto payload = noise_->read_message(n3);
  if (!payload) return Status::auth_failed("the other device's handshake does not verify");
  PairingResult out;
  HEARTH_ASSIGN_OR_RETURN(out.partner, checked_identity(*self_, *noise_, *payload));
  out.handshake_hash = noise_->handshake_hash();
  out.confirmation = crypto::confirmation_phrase(out.handshake_hash);
  HEARTH_ASSIGN_OR_RETURN(noise::TransportPair transport, noise_->split());
  HEARTH_ASSIGN_OR_RETURN(Bytes n4, transport.send.encrypt_with_ad({}, as_bytes(kPairingOk)));
  return std::pair{std::move(out), std::move(n4)};
}

}  // namespace hearth::proto
