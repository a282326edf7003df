// Fuzzes the responder side of Hearth's two Noise handshakes and a
// transport CipherState with attacker bytes (schema/PROTOCOL.md §3.3, §5.2). The
// responder is the fixed device of fuzz_support.h; its partner is the fixed
// partner, whose genuine messages the seeds hold. Ephemerals are fixed, so a
// genuine handshake is the same in every run and seeds can replay it.
//
// The first input byte picks the mode (modulo 5); the rest is:
//   0  message 1 of Noise_IK to proto::SessionResponder::read_first (the
//      listener's real code, partner known)
//   1  message 1 of Noise_IK to a bare HandshakeState responder
//   2  message 1 of Noise_XXpsk3 to a bare HandshakeState responder
//   3  message 3 of Noise_XXpsk3, after a genuine message 1 and the
//      responder's message 2
//   (modes 2 and 3 use a fixed psk and the prologue "hearth/pair/1" alone:
//   they fuzz the pattern's state machine; fuzz_pairing fuzzes pairing
//   itself, CPace, key confirmation and the real prologue included)
//   4  transport messages, each as a 2-byte big-endian length and the
//      bytes, to the responder's receiving CipherState after a genuine IK
//      handshake
// Nothing may crash; a failed read leaves the handshake failed and every
// later step refused; what succeeds must make sense (the partner's keys, a
// counter that moves by one per message that decrypts and not otherwise).
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "net/handshake_io.h"

using namespace hearth;
namespace noise = hearth::crypto::noise;

namespace {

struct Keys {
  crypto::DeviceIdentity self = fuzz::fixed_identity(fuzz::kSelfTag);
  Key32 partner = fuzz::fixed_identity(fuzz::kPartnerTag).public_key();
  Key32 partner_x25519 = fuzz::fixed_identity(fuzz::kPartnerTag).x25519_public();
};

const Keys& keys() {
  static const Keys k;
  return k;
}

void check_failed(noise::HandshakeState& hs) {
  HEARTH_ASSERT(hs.has_failed(), "a handshake read failed but the state is not failed");
  HEARTH_ASSERT(!hs.write_message({}).is_ok(), "a failed handshake wrote a message");
  HEARTH_ASSERT(!hs.split().is_ok(), "a failed handshake split");
  HEARTH_ASSERT(!hs.remote_static().has_value(), "a failed handshake still names a peer");
}

void session_responder(ByteView message) {
  auto responder = proto::SessionResponder::create(keys().self);
  HEARTH_ASSERT(responder.is_ok(), "cannot create a session responder");
  auto read = responder->read_first(message, keys().partner);
  if (!read) return;
  HEARTH_ASSERT(read->peer == keys().partner,
                "a session accepted from someone else than the partner");
  HEARTH_ASSERT(read->timestamp <= proto::kMaxHandshakeTimestamp,
                "a session accepted with a timestamp out of range");
  HEARTH_ASSERT(responder->second_message().is_ok(), "cannot answer an accepted message 1");
  HEARTH_ASSERT(responder->split().is_ok(), "cannot split an accepted session");
}

void ik_message1(ByteView message) {
  noise::HandshakeState hs = fuzz::session_state(false);
  auto payload = hs.read_message(message);
  if (!payload) return check_failed(hs);
  HEARTH_ASSERT(hs.remote_static().has_value(), "IK message 1 read without the initiator's key");
  HEARTH_ASSERT(hs.is_my_turn(), "IK message 1 read but it is not the responder's turn");
  auto reply = hs.write_message({});
  HEARTH_ASSERT(reply.is_ok() && hs.is_complete(), "cannot answer IK message 1");
  HEARTH_ASSERT(hs.split().is_ok(), "cannot split a complete IK handshake");
}

void xx_message1(ByteView message) {
  noise::HandshakeState hs = fuzz::pairing_state(false);
  auto payload = hs.read_message(message);
  if (!payload) return check_failed(hs);
  HEARTH_ASSERT(hs.write_message({}).is_ok(), "cannot answer XXpsk3 message 1");
}

void xx_message3(ByteView message) {
  noise::HandshakeState initiator = fuzz::pairing_state(true);
  noise::HandshakeState responder = fuzz::pairing_state(false);
  auto m1 = initiator.write_message({});
  HEARTH_ASSERT(m1.is_ok() && responder.read_message(*m1).is_ok(), "genuine message 1 failed");
  auto m2 = responder.write_message({});
  HEARTH_ASSERT(m2.is_ok(), "cannot write XXpsk3 message 2");
  auto payload = responder.read_message(message);
  if (!payload) return check_failed(responder);
  HEARTH_ASSERT(responder.is_complete(), "XXpsk3 message 3 read but the handshake is not complete");
  // Message 3 is encrypted under keys only the genuine initiator has.
  HEARTH_ASSERT(responder.remote_static() == keys().partner_x25519,
                "XXpsk3 completed with someone else than the initiator");
  HEARTH_ASSERT(responder.split().is_ok(), "cannot split a complete XXpsk3 handshake");
}

void transport(ByteView input) {
  auto session = fuzz::genuine_session();
  noise::CipherState& recv = session.second.recv;
  while (input.size() >= 2) {
    const size_t n = std::min<size_t>(get_u16_be(input.data()), input.size() - 2);
    const ByteView message = input.subspan(2, n);
    input = input.subspan(2 + n);
    const uint64_t nonce = recv.nonce();
    auto plain = recv.decrypt_with_ad({}, message);
    if (plain) {
      HEARTH_ASSERT(recv.nonce() == nonce + 1, "a decryption did not advance the counter by one");
      HEARTH_ASSERT(plain->size() + noise::kTagBytes == message.size(),
                    "a plaintext of the wrong length");
    } else {
      HEARTH_ASSERT(recv.nonce() == nonce, "a failed decryption moved the counter");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  (void)keys();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  fuzz::reset_random();
  const ByteView rest(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      session_responder(rest);
      break;
    case 1:
      ik_message1(rest);
      break;
    case 2:
      xx_message1(rest);
      break;
    case 3:
      xx_message3(rest);
      break;
    default:
      transport(rest);
      break;
  }
  return 0;
}
