// The handshake_clock table: per device, the newest session handshake
// timestamps (PROTOCOL.md §3.3) this device sent to it and accepted from it.
//
// A listener answers a message 1 only if its timestamp is greater than every
// one it accepted from that device before, and remembers it durably before
// it answers: a recorded message 1 replayed later, even after a restart,
// is refused. A dialer never sends the same timestamp twice, even when its
// clock is set back: it sends one more than the last it sent.
#pragma once

#include "store/db.h"

namespace hearth::store {

class HandshakeClock {
 public:
  explicit HandshakeClock(Db& db) : db_(db) {}

  // The timestamp of this device's next message 1 to `peer`: now_ms, or one
  // more than the last sent to it if that is not smaller; recorded (durably,
  // outside any transaction) before it is returned.
  Result<uint64_t> next_to_send(const Key32& peer, uint64_t now_ms);
  // Records `timestamp` as the newest accepted from `peer`. kRefused, and
  // nothing changed, unless it is greater than every one accepted before.
  Status accept(const Key32& peer, uint64_t timestamp);
  // The newest accepted from `peer`; 0 if none.
  Result<uint64_t> last_accepted(const Key32& peer);

 private:
  Db& db_;
};

}  // namespace hearth::store
