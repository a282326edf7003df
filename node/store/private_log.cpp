#include "store/private_log.h"

#include <sodium.h>

#include "wire/payload_codec.h"

namespace hearth::store {

Bytes private_entry_ad(ByteView entry_id) {
  Bytes ad;
  append(ad, std::string_view("hearth/private/v1"));
  append(ad, entry_id);
  return ad;
}

Result<int64_t> PrivateLog::insert(const model::Payload& payload, uint64_t lamport,
                                   int64_t wall_ms) {
  std::array<uint8_t, 16> entry_id{};
  randombytes_buf(entry_id.data(), entry_id.size());
  Bytes plain = wire::encode_payload(payload);
  Bytes sealed = keys_.seal_local(plain, private_entry_ad(entry_id));
  wipe(plain);
  Query st = db_.prepare(
      "INSERT INTO private_entries (entry_id, lamport, wall_ms, body) VALUES (?, ?, ?, ?)");
  st.bind(1, entry_id).bind(2, static_cast<int64_t>(lamport)).bind(3, wall_ms).bind(4, sealed);
  HEARTH_TRY(st.run());
  return db_.last_insert_rowid();
}

Result<model::Entry> PrivateLog::load(int64_t row) {
  Query st = db_.prepare(
      "SELECT entry_id, lamport, wall_ms, body FROM private_entries WHERE row_id = ?");
  st.bind(1, row);
  HEARTH_ASSIGN_OR_RETURN(bool found, st.step());
  if (!found) {
    return Status::not_found("no such private entry");
  }
  model::Entry e;
  e.meta.order = {static_cast<uint64_t>(st.int64(1)), keys_.self()};
  e.meta.wall_ms = st.int64(2);
  e.meta.ref = {model::EntryRef::Source::kPrivate, row};
  auto plain = keys_.open_local(st.blob(3), private_entry_ad(st.blob(0)));
  if (!plain) return plain.status().with_context("private entry");
  HEARTH_ASSIGN_OR_RETURN(e.payload, wire::decode_payload(plain->view()));
  return e;
}

Status PrivateLog::remove(int64_t row) {
  db_.scrub_after_commit();
  Query st = db_.prepare("DELETE FROM private_entries WHERE row_id = ?");
  st.bind(1, row);
  return st.run();
}

Result<std::vector<int64_t>> PrivateLog::all_rows() {
  return db_.prepare("SELECT row_id FROM private_entries ORDER BY lamport").all_int64();
}

}  // namespace hearth::store
