// Fuzzes the inviter's side of code pairing (proto/pairing.h,
// schema/PROTOCOL.md §5.2): the real proto::PairingInviter, step by step or inside
// net::respond_pairing on a socket, against a joiner the input scripts. The
// joiner can be the daemon's own proto::PairingJoiner, so the fuzzer gets past
// CPace and the key confirmation into Noise_XXpsk3 and the identity
// payloads, or a forger that encrypts any payload and claims any key.
// pairing_exchange.h describes the script's layout and every check.
//
// Input: first byte with bit 7 clear: a script (pairing_exchange.h). Bit 7
// set: the rest is one identity payload for proto::decode_identity, checked
// against the reference decoder of pairing_exchange.h; one that decodes must
// come back byte for byte from proto::encode_identity.
#include <cstddef>
#include <cstdint>

#include "fuzz_support.h"
#include "pairing_exchange.h"

using namespace hearth;
namespace pairing = hearth::fuzz::pairing;

namespace {

void identity_codec(ByteView payload) {
  auto decoded = proto::decode_identity(payload);
  auto expected = pairing::reference_decode(payload);
  HEARTH_ASSERT(decoded.is_ok() == expected.has_value(),
                decoded.is_ok() ? "decode_identity accepted a malformed identity"
                                : "decode_identity refused a well-formed identity");
  if (!decoded) {
    HEARTH_ASSERT(decoded.status().code() == Code::kCorrupt,
                  "a bad identity not refused as corrupt");
    return;
  }
  HEARTH_ASSERT(*decoded == *expected, "decode_identity read an identity wrongly");
  const Bytes again = proto::encode_identity(*decoded);
  HEARTH_ASSERT(ByteView(again).size() == payload.size() &&
                    std::equal(again.begin(), again.end(), payload.begin()),
                "an identity changed through decode_identity and encode_identity");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  (void)pairing::parties();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 0 && (data[0] & 0x80)) {
    identity_codec(ByteView(data + 1, size - 1));
    return 0;
  }
  (void)pairing::run_exchange(pairing::parse_script(ByteView(data, size)));
  return 0;
}
