#include "store/event_log.h"

namespace hearth::store {
namespace {

// Columns: row_id, seq, header, signature, body, signature_checked.
StoredEvent stored_event_of(const Statement& st) {
  StoredEvent e;
  e.row = st.int64(0);
  e.seq = static_cast<uint64_t>(st.int64(1));
  e.header.assign(st.blob(2).begin(), st.blob(2).end());
  e.signature.assign(st.blob(3).begin(), st.blob(3).end());
  if (!st.is_null(4)) e.body = Bytes(st.blob(4).begin(), st.blob(4).end());
  e.signature_checked = st.int64(5) != 0;
  return e;
}

}  // namespace

LogHead EventLog::head(const Key32& author) {
  Statement& st = db_.prepare(
      "SELECT seq, event_id, lamport FROM events WHERE author = ? ORDER BY seq DESC LIMIT 1");
  st.bind(1, author);
  LogHead h;
  auto row = st.step();
  if (row.is_ok() && *row) {
    h.seq = static_cast<uint64_t>(st.int64(0));
    h.id = to_array<32>(st.blob(1));
    h.lamport = static_cast<uint64_t>(st.int64(2));
  }
  st.reset();
  return h;
}

uint64_t EventLog::max_lamport() {
  // Lamports increase along each log, so the heads hold the greatest ones;
  // every author with events here is in `devices` (self, partner, former).
  Statement& st = db_.prepare(
      "SELECT max(coalesce((SELECT max(lamport) FROM private_entries), 0),"
      "           coalesce((SELECT max((SELECT lamport FROM events WHERE author = d.device_key"
      "                                 ORDER BY seq DESC LIMIT 1)) FROM devices d), 0))");
  uint64_t v = 0;
  auto row = st.step();
  if (row.is_ok() && *row) v = static_cast<uint64_t>(st.int64(0));
  st.reset();
  return v;
}

Result<int64_t> EventLog::insert(const wire::SealedEvent& e, bool has_body,
                                 bool signature_checked) {
  Statement& st = db_.prepare(
      "INSERT INTO events (author, seq, event_id, lamport, header, signature, body,"
      " signature_checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  // `e` outlives the statement's run and reset below: no copies.
  st.bind_borrowed(1, e.header.author)
      .bind(2, static_cast<int64_t>(e.header.seq))
      .bind_borrowed(3, e.id)
      .bind(4, static_cast<int64_t>(e.header.lamport))
      .bind_borrowed(5, e.header_bytes)
      .bind_borrowed(6, e.signature);
  if (has_body) {
    st.bind_borrowed(7, e.body);
  } else {
    st.bind_null(7);
  }
  st.bind(8, signature_checked ? 1 : 0);
  Status s = st.run();
  st.reset();
  HEARTH_TRY(s);
  return db_.last_insert_rowid();
}

Result<std::vector<StoredEvent>> EventLog::read_after(const Key32& author, uint64_t after_seq,
                                                      size_t limit, size_t max_bytes) {
  Statement& st = db_.prepare(
      "SELECT row_id, seq, header, signature, body, signature_checked FROM events "
      "WHERE author = ? AND seq > ? ORDER BY seq LIMIT ?");
  st.bind(1, author).bind(2, static_cast<int64_t>(after_seq)).bind(3, static_cast<int64_t>(limit));
  std::vector<StoredEvent> out;
  size_t bytes = 0;
  for (;;) {
    auto row = st.step();
    if (!row.is_ok()) {
      st.reset();
      return row.status();
    }
    if (!*row) break;
    StoredEvent e = stored_event_of(st);
    size_t size = e.header.size() + e.signature.size() + (e.body ? e.body->size() : 0);
    if (!out.empty() && bytes + size > max_bytes) break;
    bytes += size;
    out.push_back(std::move(e));
  }
  st.reset();
  return out;
}

Result<StoredEvent> EventLog::read_row(int64_t row_id) {
  Statement& st = db_.prepare(
      "SELECT row_id, seq, header, signature, body, signature_checked FROM events"
      " WHERE row_id = ?");
  st.bind(1, row_id);
  auto row = st.step();
  if (!row.is_ok() || !*row) {
    st.reset();
    return row.is_ok() ? Status::not_found("no such event") : row.status();
  }
  StoredEvent e = stored_event_of(st);
  st.reset();
  return e;
}

Status EventLog::set_signature(int64_t row, ByteView signature) {
  Statement& st =
      db_.prepare("UPDATE events SET signature = ?, signature_checked = 1 WHERE row_id = ?");
  st.bind(1, signature).bind(2, row);
  return st.run();
}

Status EventLog::drop_body(int64_t row) {
  db_.scrub_after_commit();
  Statement& st = db_.prepare("UPDATE events SET body = NULL WHERE row_id = ?");
  st.bind(1, row);
  return st.run();
}

std::optional<Hash32> EventLog::id_at(const Key32& author, uint64_t seq) {
  Statement& st = db_.prepare("SELECT event_id FROM events WHERE author = ? AND seq = ?");
  st.bind(1, author).bind(2, static_cast<int64_t>(seq));
  std::optional<Hash32> out;
  auto row = st.step();
  if (row.is_ok() && *row) out = to_array<32>(st.blob(0));
  st.reset();
  return out;
}

uint64_t EventLog::count(const Key32& author) { return head(author).seq; }

}  // namespace hearth::store
