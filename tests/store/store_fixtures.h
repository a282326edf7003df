// Stores and dumps for store tests.
#pragma once

#include <doctest/doctest.h>
#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "store/journal.h"
#include "store/store.h"
#include "wire/event_codec.h"

namespace hearth::test {

inline std::unique_ptr<store::Store> memory_store(crypto::KeyMaterial keys = crypto::KeyMaterial::generate()) {
  auto s = store::Store::open(":memory:", std::move(keys));
  REQUIRE(s.is_ok());
  return std::move(s).value();
}

// A file database with Hearth's settings and migrations.
inline std::unique_ptr<store::Db> open_db_file(const std::string& path) {
  auto db = store::Db::open(path);
  REQUIRE(db.is_ok());
  return std::move(db).value();
}

// The first column of the one row `sql` returns.
inline int64_t int_of(store::Db& db, const char* sql) {
  store::Query st = db.prepare(sql);
  auto row = st.step();
  REQUIRE(row.is_ok());
  REQUIRE(*row);
  return st.int64(0);
}

inline std::string text_of(store::Db& db, const char* sql) {
  store::Query st = db.prepare(sql);
  auto row = st.step();
  REQUIRE(row.is_ok());
  REQUIRE(*row);
  return std::string(st.text(0));
}

// The files under `dir` (the store, its -wal, -shm, anything) whose bytes
// hold `needle`.
inline std::vector<std::string> files_holding(const std::string& dir, ByteView needle) {
  std::vector<std::string> out;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const ByteView data = as_bytes(text);
    if (std::search(data.begin(), data.end(), needle.begin(), needle.end()) != data.end())
      out.push_back(entry.path().filename().string());
  }
  return out;
}

inline model::EntityId random_id() {
  model::EntityId id{};
  randombytes_buf(id.data(), id.size());
  return id;
}

// Every view row as text, with pointers written as what they point at:
// shared events as their headers (row numbers differ between stores that
// received events in different orders; a header names one event as its ID
// does), private entries as their whole row (entry ID, lamport, wall time,
// sealed body), so a view pointing at the wrong row of either kind shows. A
// pointer to no row is "none". Authors are written as their keys (each
// store numbers them its own way).
#define HEARTH_TEST_ENTRY_AS(source, row, event)                    \
  " coalesce(CASE " source                                          \
  " WHEN 0 THEN (SELECT 'event ' || hex(" event ") FROM events"     \
  " WHERE row_id = " row                                            \
  ") ELSE (SELECT 'private ' || hex(entry_id) || ' ' || lamport ||" \
  " ' ' || wall_ms || ' ' || hex(body) FROM private_entries WHERE row_id = " row ") END, 'none')"
#define HEARTH_TEST_ENTRY(source, row) HEARTH_TEST_ENTRY_AS(source, row, "header")
#define HEARTH_TEST_EVENT(row) \
  " coalesce((SELECT hex(header) FROM events WHERE row_id = " row "), 'none')"
#define HEARTH_TEST_AUTHOR(column) " (SELECT hex(key) FROM authors WHERE id = " column ")"
// Before schema 11: authors were their keys, and events had their IDs.
#define HEARTH_TEST_ENTRY_V4(source, row) HEARTH_TEST_ENTRY_AS(source, row, "event_id")
// Runs each query and joins the first column of every row, a "--" after each.
inline std::string dump_rows(store::Db& db, std::initializer_list<const char*> queries) {
  std::string out;
  for (const char* q : queries) {
    store::Query st = db.prepare(q);
    for (auto row : st.rows()) {
      REQUIRE(row.is_ok());
      out += std::string(row->text(0)) + "\n";
    }
    out += "--\n";
  }
  return out;
}

// Every view row, with what each points at, and the log's rows: equal dumps
// mean equal views (the current schema).
inline std::string dump_views(store::Db& db) {
#define HEARTH_A(column) HEARTH_TEST_AUTHOR(column)
  static const char* kReflections =
      "SELECT" HEARTH_A("author") " || ' ' || hex(reflection_id) || ' f' || forgotten || ' s' ||"
      " shared || ' ' || first_lamport || ' ' || created_ms || ' ' || head_lamport || ' ' ||"
      " updated_ms || ' ' ||" HEARTH_TEST_ENTRY("head_source", "head_row")
      " FROM reflections ORDER BY 1";
  static const char* kVersions =
      "SELECT" HEARTH_A("author") " || ' ' || hex(reflection_id) || ' ' || lamport || ' ' ||"
      " wall_ms || ' ' ||" HEARTH_TEST_ENTRY("source", "row")
      " FROM reflection_versions ORDER BY 1";
  return dump_rows(db, {
      kReflections, kVersions,
      "SELECT hex(boundary_id) || ' k' || kind || ' ' || status || ' ' ||" HEARTH_TEST_EVENT("first_row")
      " || ' ' ||" HEARTH_TEST_EVENT("latest_row") " || ' ' ||" HEARTH_TEST_EVENT("in_force_row")
      " || ' ' ||" HEARTH_A("first_proposer") " || ' ' || created_ms || ' ' || updated_ms || ' ' ||"
      " revisions || ' a' || acknowledged FROM boundaries ORDER BY 1",
      "SELECT" HEARTH_TEST_EVENT("row") " || ' ' || hex(boundary_id) || ' ' || kind || ' ' ||"
      " lamport || ' ' || coalesce(hex(revision), '-') || ' ' || coalesce(response, '-') || ' ' ||"
      " coalesce(boundary_kind, '-') || ' ' || coalesce(ask_again_after, '-')"
      " FROM boundary_facts ORDER BY 1",
      "SELECT" HEARTH_A("author") " || ' ' || hex(check_in_id) || ' f' || forgotten || ' ' ||"
      " first_lamport || ' ' || created_ms || ' ' || head_lamport || ' ' || head_ms || ' ' ||"
      HEARTH_TEST_ENTRY("head_source", "head_row") " FROM check_ins ORDER BY 1",
      "SELECT" HEARTH_A("author") " || ' ' || hex(check_in_id) || ' ' ||"
      HEARTH_TEST_ENTRY("source", "row") " FROM check_in_copies ORDER BY 1",
      "SELECT" HEARTH_A("author") " || ' ' || lamport || ' ' || paused || ' ' || started_ms ||"
      " ' ' || minutes || ' ' ||" HEARTH_TEST_EVENT("row") " FROM pauses ORDER BY 1",
      "SELECT" HEARTH_A("author") " || ' ' || seq || ' ' || hex(header) || ' ' ||"
      " (body IS NULL) FROM events ORDER BY 1",
      "SELECT hex(entry_id) || ' ' || lamport FROM private_entries ORDER BY 1",
  });
#undef HEARTH_A
}

// The reflection and check-in views as schemas 3 and 4 laid them out (the
// same columns in both), for the test of migration 4.
inline std::string dump_views_v4(store::Db& db) {
  return dump_rows(db, {
      "SELECT hex(author) || ' ' || hex(reflection_id) || ' f' || forgotten || ' s' || shared"
      " || ' ' || first_lamport || ' ' || created_ms || ' ' || head_lamport || ' ' || updated_ms"
      " || ' ' ||" HEARTH_TEST_ENTRY_V4("head_source", "head_row") " FROM reflections ORDER BY 1",
      "SELECT hex(author) || ' ' || hex(reflection_id) || ' ' || lamport || ' ' || wall_ms || ' ' ||"
      HEARTH_TEST_ENTRY_V4("source", "row") " FROM reflection_versions ORDER BY 1",
      "SELECT hex(author) || ' ' || hex(check_in_id) || ' ' || lamport || ' ' || wall_ms || ' ' ||"
      HEARTH_TEST_ENTRY_V4("source", "row") " FROM check_ins ORDER BY 1",
      "SELECT hex(event_id) || ' ' || (body IS NULL) FROM events ORDER BY 1",
      "SELECT hex(entry_id) || ' ' || lamport FROM private_entries ORDER BY 1",
  });
}

#undef HEARTH_TEST_ENTRY_AS
#undef HEARTH_TEST_ENTRY
#undef HEARTH_TEST_EVENT
#undef HEARTH_TEST_AUTHOR
#undef HEARTH_TEST_ENTRY_V4

inline void put_u64_le(Bytes& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// A pointer to a list of `count` bytes starting `words_ahead` words after
// the pointer's own word ends (the Cap'n Proto encoding).
inline uint64_t byte_list_pointer(uint32_t words_ahead, uint32_t count) {
  return 1 | (uint64_t{words_ahead} << 2) | (uint64_t{2} << 32) | (uint64_t{count} << 35);
}

// The canonical header a later version could write with one more field
// (schema/PROTOCOL.md §9): `h`'s fields and, after bodyHash, a fourth
// pointer to the 8 bytes of `extra`. The author's key is then 128 bytes
// from the end, not 96.
inline Bytes header_with_a_new_field(const wire::EventHeader& h, const std::array<uint8_t, 8>& extra) {
  Bytes out;
  // Root: a struct of 3 data words and 4 pointers, right after it.
  put_u64_le(out, (uint64_t{3} << 32) | (uint64_t{4} << 48));
  put_u64_le(out, h.seq);
  put_u64_le(out, h.lamport);
  put_u64_le(out, static_cast<uint64_t>(h.wall_ms));
  // Pointers at words 4..7; blobs at words 8, 12, 16 and 20.
  put_u64_le(out, byte_list_pointer(3, 32));  // author: word 4 + 1 + 3 = 8
  put_u64_le(out, byte_list_pointer(6, 32));  // prev: word 5 + 1 + 6 = 12
  put_u64_le(out, byte_list_pointer(9, 32));  // bodyHash: word 6 + 1 + 9 = 16
  put_u64_le(out, byte_list_pointer(12, 8));  // the new field: word 7 + 1 + 12 = 20
  out.insert(out.end(), h.author.begin(), h.author.end());
  out.insert(out.end(), h.prev.begin(), h.prev.end());
  out.insert(out.end(), h.body_hash.begin(), h.body_hash.end());
  out.insert(out.end(), extra.begin(), extra.end());
  return out;
}

}  // namespace hearth::test
