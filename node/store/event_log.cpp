#include "store/event_log.h"

#include <algorithm>

namespace hearth::store {
namespace {

// A header of this version ends with three 32-byte blobs: author, prev and
// bodyHash (schema/PROTOCOL.md §2.1). A row keeps such a header without the
// author's key, which it names by number. A header with more fields than
// this version knows (PROTOCOL §9) may hold its blobs elsewhere: the row
// keeps it whole, and says so (header_whole).
constexpr size_t kBlobs = 96;

struct KeptHeader {
  Bytes bytes;
  bool whole = false;
};

// The header as a row keeps it.
KeptHeader kept_header(ByteView header, const Key32& author) {
  KeptHeader out;
  if (header.size() < kBlobs ||
      !std::equal(author.begin(), author.end(), header.end() - kBlobs)) {
    out.bytes.assign(header.begin(), header.end());
    out.whole = true;
    return out;
  }
  out.bytes.assign(header.begin(), header.end() - kBlobs);
  out.bytes.insert(out.bytes.end(), header.end() - kBlobs + 32, header.end());
  return out;
}

// The header as its author signed it: the kept bytes, with the key put
// back unless they are whole.
Result<Bytes> signed_header(ByteView kept, bool whole, const Key32& author) {
  if (whole) return Bytes(kept.begin(), kept.end());
  if (kept.size() < kBlobs - 32) return Status::corrupt("a stored header too short to be one");
  Bytes out;
  out.reserve(kept.size() + 32);
  out.insert(out.end(), kept.begin(), kept.end() - 64);
  out.insert(out.end(), author.begin(), author.end());
  out.insert(out.end(), kept.end() - 64, kept.end());
  return out;
}

// Columns: row_id, seq, header, signature, body, signature_checked, header_whole.
Result<StoredEvent> stored_event_of(const Row& st, const Key32& author) {
  StoredEvent e;
  e.row = st.int64(0);
  e.seq = static_cast<uint64_t>(st.int64(1));
  HEARTH_ASSIGN_OR_RETURN(e.header, signed_header(st.blob(2), st.int64(6) != 0, author));
  e.signature.assign(st.blob(3).begin(), st.blob(3).end());
  if (!st.is_null(4)) e.body = Bytes(st.blob(4).begin(), st.blob(4).end());
  e.signature_checked = st.int64(5) != 0;
  return e;
}

}  // namespace

Result<LogHead> EventLog::head(const Key32& author) {
  LogHead h;
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, authors_.find(author));
  if (a == Authors::kNone) return h;
  Query st = db_.prepare(
      "SELECT seq, header, lamport, header_whole FROM events WHERE author = ? ORDER BY seq DESC"
      " LIMIT 1");
  st.bind(1, a);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) {
    h.seq = static_cast<uint64_t>(st.int64(0));
    HEARTH_ASSIGN_OR_RETURN(const Bytes header,
                            signed_header(st.blob(1), st.int64(3) != 0, author));
    h.id = wire::event_id(header);
    h.lamport = static_cast<uint64_t>(st.int64(2));
  }
  return h;
}

Result<uint64_t> EventLog::max_lamport() {
  // Lamports increase along each log, so the heads hold the greatest ones;
  // every author with events here is numbered in `authors`.
  HEARTH_ASSIGN_OR_RETURN(
      int64_t v,
      db_.prepare(
             "SELECT max(coalesce((SELECT max(lamport) FROM private_entries), 0),"
             "           coalesce((SELECT max((SELECT lamport FROM events WHERE author = a.id"
             "                                 ORDER BY seq DESC LIMIT 1)) FROM authors a), 0))")
          .single_int64());
  return static_cast<uint64_t>(v);
}

Result<int64_t> EventLog::insert(const wire::SealedEvent& e, bool has_body,
                                 bool signature_checked) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t author, authors_.add(e.header.author));
  const KeptHeader header = kept_header(e.header_bytes, e.header.author);
  Query st = db_.prepare(
      "INSERT INTO events (author, seq, lamport, header, signature, body, signature_checked,"
      " header_whole) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  // `e` and `header` outlive the statement's run and reset below: no copies.
  st.bind(1, author)
      .bind(2, static_cast<int64_t>(e.header.seq))
      .bind(3, static_cast<int64_t>(e.header.lamport))
      .bind_borrowed(4, header.bytes)
      .bind_borrowed(5, e.signature);
  if (has_body) {
    st.bind_borrowed(6, e.body);
  } else {
    st.bind_null(6);
  }
  st.bind(7, signature_checked ? 1 : 0);
  st.bind(8, header.whole ? 1 : 0);
  Status s = st.run();
  HEARTH_TRY(s);
  return db_.last_insert_rowid();
}

Result<std::vector<StoredEvent>> EventLog::read_after(const Key32& author, uint64_t after_seq,
                                                      size_t limit, size_t max_bytes) {
  std::vector<StoredEvent> out;
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, authors_.find(author));
  if (a == Authors::kNone) return out;
  Query st = db_.prepare(
      "SELECT row_id, seq, header, signature, body, signature_checked, header_whole FROM events "
      "WHERE author = ? AND seq > ? ORDER BY seq LIMIT ?");
  st.bind(1, a).bind(2, static_cast<int64_t>(after_seq)).bind(3, static_cast<int64_t>(limit));
  size_t bytes = 0;
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    HEARTH_ASSIGN_OR_RETURN(StoredEvent e, stored_event_of(*row, author));
    size_t size = e.header.size() + e.signature.size() + (e.body ? e.body->size() : 0);
    if (!out.empty() && bytes + size > max_bytes) break;
    bytes += size;
    out.push_back(std::move(e));
  }
  return out;
}

Result<StoredEvent> EventLog::read_row(int64_t row_id) {
  Query st = db_.prepare(
      "SELECT row_id, seq, header, signature, body, signature_checked, header_whole, author"
      " FROM events"
      " WHERE row_id = ?");
  st.bind(1, row_id);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found) return Status::not_found("no such event");
  HEARTH_ASSIGN_OR_RETURN(const Key32 author, authors_.key_of(st.int64(7)));
  return stored_event_of(st, author);
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
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, authors_.find(kept));
  db_.scrub_after_commit();
  Query st = db_.prepare("DELETE FROM events WHERE author != ?");
  st.bind(1, a);
  return st.run();
}

Status EventLog::drop_bodies_of(const Key32& author) {
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, authors_.find(author));
  if (a == Authors::kNone) return Status::ok();
  db_.scrub_after_commit();
  Query st = db_.prepare("UPDATE events SET body = NULL WHERE author = ? AND body IS NOT NULL");
  st.bind(1, a);
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
  std::optional<Hash32> out;
  HEARTH_ASSIGN_OR_RETURN(const int64_t a, authors_.find(author));
  if (a == Authors::kNone) return out;
  Query st = db_.prepare("SELECT header, header_whole FROM events WHERE author = ? AND seq = ?");
  st.bind(1, a).bind(2, static_cast<int64_t>(seq));
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (found) {
    HEARTH_ASSIGN_OR_RETURN(const Bytes header,
                            signed_header(st.blob(0), st.int64(1) != 0, author));
    out = wire::event_id(header);
  }
  return out;
}

Result<uint64_t> EventLog::count(const Key32& author) {
  HEARTH_ASSIGN_OR_RETURN(LogHead h, head(author));
  return h.seq;
}

}  // namespace hearth::store
