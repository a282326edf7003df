// Fuzzes CPace with an attacker's share and associated data (docs/DESIGN.md
// §7.1, schema/PROTOCOL.md §5.2):
// crypto::cpace::isk_initiator_responder and isk_symmetric for a fixed
// password, channel identifier and sid, and a fixed local scalar.
//
// Input: a role byte (bit 0: this side is the initiator), a length byte N,
// N bytes of the peer's share Y, then the peer's AD (the rest).
//
// Checked: a share of the wrong length fails with kCorrupt; a share that is
// not the encoding of a group element, or is the identity, fails with
// kAuthFailed; every other share gives a 64-byte ISK, and for the genuine
// peer's share it is the ISK the genuine peer computes.
#include <sodium.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "crypto/cpace.h"
#include "fuzz_support.h"

using namespace hearth;
namespace cpace = hearth::crypto::cpace;

namespace {

struct Shares {
  cpace::Share mine = fuzz::cpace_share(fuzz::kCpaceMineTag);
  cpace::Share peer = fuzz::cpace_share(fuzz::kCpacePeerTag);  // same password
};

const Shares& shares() {
  static const Shares s;
  return s;
}

// Whether RFC 9496 decodes `y` to a group element other than the identity.
bool valid_non_identity(ByteView y) {
  if (y.size() != cpace::kPointBytes) return false;
  if ((y[cpace::kPointBytes - 1] & 0x80) != 0) return false;  // >= 2^255 > p
  if (crypto_core_ristretto255_is_valid_point(y.data()) != 1) return false;
  return !std::all_of(y.begin(), y.end(), [](uint8_t b) { return b == 0; });
}

void check(const Result<Secret>& isk, ByteView y) {
  if (y.size() != cpace::kPointBytes) {
    HEARTH_ASSERT(!isk.is_ok() && isk.status().code() == Code::kCorrupt,
                  "a CPace share of the wrong length was not refused as corrupt");
  } else if (!valid_non_identity(y)) {
    HEARTH_ASSERT(!isk.is_ok() && isk.status().code() == Code::kAuthFailed,
                  "an invalid CPace share was not refused");
  } else {
    HEARTH_ASSERT(isk.is_ok() && isk->size() == cpace::kIskBytes,
                  "a valid CPace share was refused");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::init();
  (void)shares();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const Shares& s = shares();
  const cpace::Role role = (data[0] & 1) ? cpace::Role::kInitiator : cpace::Role::kResponder;
  const cpace::Role peer_role =
      role == cpace::Role::kInitiator ? cpace::Role::kResponder : cpace::Role::kInitiator;
  const size_t n = std::min<size_t>(data[1], size - 2);
  const ByteView y(data + 2, n);
  const ByteView ad_peer(data + 2 + n, size - 2 - n);
  const ByteView ad_mine = as_bytes(fuzz::kCpaceAdMine);
  const ByteView sid = as_bytes(fuzz::kCpaceSid);

  auto isk = cpace::isk_initiator_responder(s.mine, role, ad_mine, y, ad_peer, sid);
  check(isk, y);
  auto sym = cpace::isk_symmetric(s.mine, ad_mine, y, ad_peer, sid);
  check(sym, y);

  const bool genuine =
      y.size() == cpace::kPointBytes && std::equal(y.begin(), y.end(), s.peer.y_public.begin());
  if (genuine) {
    auto theirs =
        cpace::isk_initiator_responder(s.peer, peer_role, ad_peer, s.mine.y_public, ad_mine, sid);
    HEARTH_ASSERT(theirs.is_ok() && isk.is_ok() && theirs->equals(*isk),
                  "the two sides of CPace derived different keys");
    auto theirs_sym = cpace::isk_symmetric(s.peer, ad_peer, s.mine.y_public, ad_mine, sid);
    HEARTH_ASSERT(theirs_sym.is_ok() && sym.is_ok() && theirs_sym->equals(*sym),
                  "the two sides of symmetric CPace derived different keys");
  }
  return 0;
}
