#include "store/event_log.h"

namespace hearth::store {
namespace {

// Columns: row_id, seq, header, signature, body, signature_checked.
StoredEvent stored_event_of(const Row& st) {
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

Result<LogHead> EventLog::head(const Key32& author) {
  Query st = db_.prepare(
      "SELECT seq, event_id, lamport FROM events WHERE author = ? ORDER BY seq DESC LIMIT 1");
  st.bind(1, author);
  LogHead h;
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) {
    h.seq = static_cast<uint64_t>(st.int64(0));
    h.id = to_array<32>(st.blob(1));
    h.lamport = static_cast<uint64_t>(st.int64(2));
  }
  return h;
}

Result<uint64_t> EventLog::max_lamport() {
  // Lamports increase along each log, so the heads hold the greatest ones;
  // every author with events here is in `devices` (self, partner, former).
  HEARTH_ASSIGN_OR_RETURN(
      int64_t v,
      db_.prepare(
             "SELECT max(coalesce((SELECT max(lamport) FROM private_entries), 0),"
             "           coalesce((SELECT max((SELECT lamport FROM events WHERE author = d.device_key"
             "                                 ORDER BY seq DESC LIMIT 1)) FROM devices d), 0))")
          .single_int64());
  return static_cast<uint64_t>(v);
}

Result<int64_t> EventLog::insert(const wire::SealedEvent& e, bool has_body,
                                 bool signature_checked) {
  Query st = db_.prepare(
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
  HEARTH_TRY(s);
  return db_.last_insert_rowid();
}

Result<std::vector<StoredEvent>> EventLog::read_after(const Key32& author, uint64_t after_seq,
                                                      size_t limit, size_t max_bytes) {
  Query st = db_.prepare(
      "SELECT row_id, seq, header, signature, body, signature_checked FROM events "
      "WHERE author = ? AND seq > ? ORDER BY seq LIMIT ?");
  st.bind(1, author).bind(2, static_cast<int64_t>(after_seq)).bind(3, static_cast<int64_t>(limit));
  std::vector<StoredEvent> out;
  size_t bytes = 0;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    StoredEvent e = stored_event_of(*row);
    size_t size = e.header.size() + e.signature.size() + (e.body ? e.body->size() : 0);
    if (!out.empty() && bytes + size > max_bytes) break;
    bytes += size;
    out.push_back(std::move(e));
  }
  return out;
}

Result<StoredEvent> EventLog::read_row(int64_t row_id) {
  Query st = db_.prepare(
      "SELECT row_id, seq, header, signature, body, signature_checked FROM events"
      " WHERE row_id = ?");
  st.bind(1, row_id);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found) return Status::not_found("no such event");
  return stored_event_of(st);
}

Status EventLog::set_signature(int64_t row, ByteView signature) {
  Query st =
      db_.prepare("UPDATE events SET signature = ?, signature_checked = 1 WHERE row_id = ?");
  st.bind(1, signature).bind(2, row);
  return st.run();
}

Status EventLog::drop_body(int64_t row) {
  db_.scrub_after_commit();
  Query st = db_.prepare("UPDATE events SET body = NULL WHERE row_id = ?");
  st.bind(1, row);
  return st.run();
}

Status EventLog::erase_all_but(const Key32& kept) {
  db_.scrub_after_commit();
  Query st = db_.prepare("DELETE FROM events WHERE author != ?");
  st.bind(1, ByteView(kept));
  return st.run();
}

Status EventLog::drop_bodies_of(const Key32& author) {
  db_.scrub_after_commit();
  Query st = db_.prepare("UPDATE events SET body = NULL WHERE author = ? AND body IS NOT NULL");
  st.bind(1, ByteView(author));
  return st.run();
}

Result<std::vector<int64_t>> EventLog::rows_with_body_after(int64_t after_row, int limit) {
  return db_
      .prepare("SELECT row_id FROM events WHERE row_id > ? AND body IS NOT NULL"
               " ORDER BY row_id LIMIT ?")
      .bind(1, after_row)
      .bind(2, static_cast<int64_t>(limit))
      .all_int64();
}

Result<std::optional<Hash32>> EventLog::id_at(const Key32& author, uint64_t seq) {
  Query st = db_.prepare("SELECT event_id FROM events WHERE author = ? AND seq = ?");
  st.bind(1, author).bind(2, static_cast<int64_t>(seq));
  std::optional<Hash32> out;
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) out = to_array<32>(st.blob(0));
  return out;
}

Result<uint64_t> EventLog::count(const Key32& author) {
  HEARTH_ASSIGN_OR_RETURN(LogHead h, head(author));
  return h.seq;
}

}  // namespace hearth::store
