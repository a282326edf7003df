// The events table: every author's signed, hash-chained log (docs/DESIGN.md §4.1).
// Callers hold a transaction around writes; nothing here commits.
//
// A row names its author by number (store/authors.h) and keeps the header
// without the author's key, which it puts back on read (a header with more
// fields than this version knows, whose key is elsewhere, is kept whole);
// an event's ID is not stored but computed from the header
// (schema/PROTOCOL.md §2.1).
#pragma once

#include <optional>
#include <vector>

#include "store/authors.h"
#include "store/db.h"
#include "wire/event_codec.h"

namespace hearth::store {

struct LogHead {
  uint64_t seq = 0;      // 0: no events from this author
  Hash32 id{};           // event ID at seq
  uint64_t lamport = 0;  // lamport of the event at seq
  bool operator==(const LogHead&) const = default;
};

struct StoredEvent {
  int64_t row = 0;
  uint64_t seq = 0;
  Bytes header;
  Bytes signature;
  std::optional<Bytes> body;  // nullopt: forgotten
  // Whether the signature was verified (or made) here. A received batch is
  // authenticated by its last signature and the hash chain; the signatures
  // before it are stored as received, unchecked (PROTOCOL.md §4.3).
  bool signature_checked = true;
};

class EventLog {
 public:
  EventLog(Db& db, Authors& authors) : db_(db), authors_(authors) {}

  // The newest event of `author` (seq 0: none).
  Result<LogHead> head(const Key32& author);
  // The greatest lamport of any entry stored here, shared or private.
  Result<uint64_t> max_lamport();
  // Inserts an event whose chain was already checked; returns its row.
  // has_body false stores it forgotten; signature_checked false says its
  // signature was not verified. A duplicate (author, seq) is kRefused. Its
  // author is numbered in `authors` if it is new.
  Result<int64_t> insert(const wire::SealedEvent& event, bool has_body,
                         bool signature_checked = true);
  // Stores a signature found (or made) valid for the event at `row`.
  Status set_signature(int64_t row, ByteView signature);
  // Events of `author` with seq > after_seq, in seq order, at most `limit`
  // of them and at most `max_bytes` in total (at least one if any exist).
  Result<std::vector<StoredEvent>> read_after(const Key32& author, uint64_t after_seq,
                                              size_t limit, size_t max_bytes);
  Result<StoredEvent> read_row(int64_t row);
  // Drops the words of an event; its header stays so the chain still verifies.
  Status drop_body(int64_t row);
  // Every event of other authors than `kept` goes (unpairing with erasure).
  Status erase_all_but(const Key32& kept);
  // Drops the words of every event of `author`; the headers stay.
  Status drop_bodies_of(const Key32& author);
  // Rows after `after_row` whose words are kept, in row order, at most `limit`.
  Result<std::vector<int64_t>> rows_with_body_after(int64_t after_row, int limit);
  // The event ID at (author, seq), if stored.
  Result<std::optional<Hash32>> id_at(const Key32& author, uint64_t seq);
  // How many events of `author` are stored (its head's seq).
  Result<uint64_t> count(const Key32& author);

 private:
  Db& db_;
  Authors& authors_;
};

}  // namespace hearth::store
