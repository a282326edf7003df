#include "store/handshake_clock.h"

#include <algorithm>
#include <limits>

namespace hearth::store {
namespace {

// SQLite's INTEGER is signed: larger values are refused before they are bound.
constexpr uint64_t kMaxStored = std::numeric_limits<int64_t>::max();

}  // namespace

Result<uint64_t> HandshakeClock::next_to_send(const Key32& peer, uint64_t now_ms) {
  HEARTH_ASSIGN_OR_RETURN(
      const int64_t sent,
      db_.prepare("SELECT coalesce(max(last_sent), 0) FROM handshake_clock WHERE device_key = ?")
          .bind(1, peer)
          .single_int64());
  const uint64_t next = std::max(now_ms, static_cast<uint64_t>(sent) + 1);
  if (next > kMaxStored) return Status::internal("the handshake clock is exhausted");
  Query st = db_.prepare(
      "INSERT INTO handshake_clock (device_key, last_sent) VALUES (?1, ?2)"
      " ON CONFLICT (device_key) DO UPDATE SET last_sent = excluded.last_sent");
  st.bind(1, peer).bind(2, static_cast<int64_t>(next));
  HEARTH_TRY(st.run());
  return next;
}

Status HandshakeClock::accept(const Key32& peer, uint64_t timestamp) {
  if (timestamp == 0 || timestamp > kMaxStored)
    return Status::refused("a handshake timestamp out of range");
  Query st = db_.prepare(
      "INSERT INTO handshake_clock (device_key, last_accepted) VALUES (?1, ?2)"
      " ON CONFLICT (device_key) DO UPDATE SET last_accepted = excluded.last_accepted"
      " WHERE last_accepted < excluded.last_accepted");
  st.bind(1, peer).bind(2, static_cast<int64_t>(timestamp));
  HEARTH_TRY(st.run());
  if (db_.changes() == 0)
    return Status::refused("a handshake timestamp not newer than one accepted before");
  return Status::ok();
}

Result<uint64_t> HandshakeClock::last_accepted(const Key32& peer) {
  HEARTH_ASSIGN_OR_RETURN(
      const int64_t v,
      db_.prepare("SELECT coalesce(max(last_accepted), 0) FROM handshake_clock WHERE device_key = ?")
          .bind(1, peer)
          .single_int64());
  return static_cast<uint64_t>(v);
}

}  // namespace hearth::store
