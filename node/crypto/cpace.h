// CPace, the balanced PAKE of draft-irtf-cfrg-cpace-21, cipher suite
// CPACE-RISTR255-SHA512 (group ristretto255, hash SHA-512). Used by code pairing
// (docs/DESIGN.md §7.1): both sides run it over the pairing code; the resulting ISK keys
// the Noise_XXpsk3 handshake that follows, which is the key confirmation.
//
// One run, for either party:
//   1. share = start(prs, ci, sid)           send share.y_public and ad_mine
//   2. receive the peer's Y and AD
//   3. isk = isk_initiator_responder(share, role, ad_mine, y_peer, ad_peer, sid)
//      (or isk_symmetric when neither side is the initiator)
// The ISKs match iff PRS, CI and sid match and both saw the same Ya, ADa, Yb, ADb.
// A share is for one run only: never reuse it.
//
// Secrets: the PRS (the password) is borrowed and never copied outside a Secret;
// the generator g (from which PRS guesses can be tested offline), the scalar y,
// the point K and the ISK all live in Secrets and are wiped. Y, AD, CI, sid and
// the transcripts are public.
//
// The building blocks below the protocol functions are exposed for the draft's
// test vectors (tests/vectors/pake/).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "util/bytes.h"
#include "util/secret.h"
#include "util/status.h"

namespace hearth::crypto::cpace {

inline constexpr std::string_view kDsi = "CPaceRistretto255";         // G.DSI
inline constexpr std::string_view kDsiIsk = "CPaceRistretto255_ISK";  // G.DSI || "_ISK"
inline constexpr std::string_view kSidOutputPrefix = "CPaceSidOutput";
inline constexpr size_t kHashBlockBytes = 128;  // H.s_in_bytes of SHA-512
inline constexpr size_t kPointBytes = 32;       // encoded ristretto255 element
inline constexpr size_t kScalarBytes = 32;      // little-endian scalar
inline constexpr size_t kIskBytes = 64;         // SHA-512 output
inline constexpr size_t kSidOutputBytes = 64;

using Point = std::array<uint8_t, kPointBytes>;
using SidOutput = std::array<uint8_t, kSidOutputBytes>;

enum class Role { kInitiator, kResponder };

// One party's half of a run: the secret scalar y and the public share Y = encode(y * g).
struct Share {
  Secret scalar;   // kScalarBytes; never leaves this process
  Point y_public;  // sent to the peer
};

// --- protocol ---

// Derives g from (prs, ci, sid) and samples a fresh scalar
// (crypto_core_ristretto255_scalar_random: uniform in [1, L-1], as §8.3 allows).
Result<Share> start(ByteView prs, ByteView ci, ByteView sid);

// As start(), with the scalar given (kScalarBytes, little-endian): for test vectors
// only. Fails with kInvalidArgument on a wrong size or a scalar that is 0 mod L.
Result<Share> start_with_scalar(ByteView prs, ByteView ci, ByteView sid, ByteView scalar);

// ISK in the initiator-responder setting: H(lv_cat(DSI_ISK, sid, K) ||
// transcript_ir(Ya, ADa, Yb, ADb)), where the initiator is A. Fails with kCorrupt
// if y_peer is not kPointBytes long, and kAuthFailed if it does not decode or
// K = y * Y_peer is the identity (§7.2: the party MUST abort).
Result<Secret> isk_initiator_responder(const Share& mine, Role role, ByteView ad_mine,
                                       ByteView y_peer, ByteView ad_peer, ByteView sid);

// ISK in the symmetric (parallel) setting, with transcript_oc; both parties call it
// the same way. §10.1: the ADs should then be unique per session (e.g. random).
// Fails as isk_initiator_responder.
Result<Secret> isk_symmetric(const Share& mine, ByteView ad_mine, ByteView y_peer, ByteView ad_peer,
                             ByteView sid);

// Public session identifiers (§10.6): H("CPaceSidOutput" || transcript), from the
// shares and ADs of A (initiator) and B (responder).
SidOutput sid_output_ir(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b);
SidOutput sid_output_oc(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b);

// --- building blocks (§6.3, §8.1, §8.3, Appendix A) ---

// LEB128(len(data)) || data.
Bytes prepend_len(ByteView data);
// prepend_len(a0) || prepend_len(a1) || ...
Bytes lv_cat(std::initializer_list<ByteView> parts);
// "oc" || the lexicographically larger of a, b || the other.
Bytes o_cat(ByteView a, ByteView b);
// lv_cat(Ya, ADa) || lv_cat(Yb, ADb).
Bytes transcript_ir(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b);
// o_cat(lv_cat(Ya, ADa), lv_cat(Yb, ADb)).
Bytes transcript_oc(ByteView ya, ByteView ad_a, ByteView yb, ByteView ad_b);

// len_zpad = max(0, s_in_bytes - len(prepend_len(PRS)) - len(prepend_len(DSI)) - 1).
size_t zero_pad_length(size_t prs_size);
// lv_cat(DSI, PRS, zero_bytes(len_zpad), CI, sid). A Secret: it holds the PRS.
Secret generator_string(ByteView prs, ByteView ci, ByteView sid);
// encode(element_derivation(SHA-512(generator_string))), i.e.
// crypto_core_ristretto255_from_hash. Fails (kInternal) only if g is the identity.
Result<Secret> calculate_generator(ByteView prs, ByteView ci, ByteView sid);

// encode(scalar * decode(point)). Fails with kAuthFailed if point does not decode
// or the result is the identity (G.I); kCorrupt on a wrong size. The protocol
// never returns K to callers (§10.3); this is here for the conformance vectors.
Result<Secret> scalar_mult_vfy(const Secret& scalar, ByteView point);

}  // namespace hearth::crypto::cpace
