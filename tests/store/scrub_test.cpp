// What a forget, an erase or an unpairing deletes leaves no copy in any file
// of the store: the WAL's older page images included (store/db.h scrub).
#include <doctest/doctest.h>

#include "../test_util.h"
#include "store/devices.h"
#include "store/journal.h"
#include "store/partnership.h"
#include "store/peer_addresses.h"
#include "store_fixtures.h"
#include "sync/batch.h"
#include "../sync/accept.h"
#include "wire/event_codec.h"

using namespace hearth;
using namespace hearth::store;
using hearth::test::files_holding;
using hearth::test::random_id;
using hearth::test::TempDir;

namespace {

int64_t clock_ms() {
  static int64_t now = 1'700'000'000'000;
  return now += 10;
}

// The sealed blob of one row, as stored.
Bytes blob_of(Db& db, const std::string& sql) {
  auto st = db.prepare(sql.c_str());
  auto row = st.step();
  REQUIRE(row.is_ok());
  REQUIRE(*row);
  Bytes out(st.blob(0).begin(), st.blob(0).end());
  return out;
}

struct FileStore {
  TempDir dir;
  std::unique_ptr<Store> store;
  explicit FileStore(crypto::KeyMaterial keys = crypto::KeyMaterial::generate()) {
    auto s = Store::open(dir.path() + "/hearth.db", std::move(keys));
    REQUIRE(s.is_ok());
    store = std::move(s).value();
  }
  // The files holding the ciphertext part of `sealed` (past its nonce).
  std::vector<std::string> holding(const Bytes& sealed) {
    return files_holding(dir.path(), ByteView(sealed).subspan(24, 32));
  }
};

}  // namespace

TEST_CASE("a forgotten reflection, shared or private, leaves no sealed copy in any file") {
  FileStore f;
  Journal journal(*f.store, clock_ms);
  const auto shared = random_id(), priv = random_id();
  REQUIRE(
      journal.write(model::ReflectionPut{shared, "shared words", {}, "", {}}, Visibility::kShared)
          .is_ok());
  REQUIRE(
      journal.write(model::ReflectionPut{priv, "private words", {}, "", {}}, Visibility::kPrivate)
          .is_ok());
  const Bytes shared_body = blob_of(f.store->db(), "SELECT body FROM events WHERE seq = 1");
  const Bytes private_body = blob_of(f.store->db(), "SELECT body FROM private_entries");
  // Written: in the WAL (nothing checkpointed it yet).
  CHECK(f.holding(shared_body) == std::vector<std::string>{"hearth.db-wal"});
  CHECK(f.holding(private_body) == std::vector<std::string>{"hearth.db-wal"});
  REQUIRE(journal.write(model::ReflectionForget{shared}, Visibility::kShared).is_ok());
  REQUIRE(journal.write(model::ReflectionForget{priv}, Visibility::kPrivate).is_ok());
  CHECK(f.holding(shared_body).empty());
  CHECK(f.holding(private_body).empty());
  // Later writes go on as before.
  REQUIRE(journal.write(model::ReflectionPut{random_id(), "more", {}, "", {}}, Visibility::kShared)
              .is_ok());
}

TEST_CASE("unpairing with --erase-shared leaves no copy of the partner's entries, key or address") {
  FileStore f;
  auto partner_keys = crypto::KeyMaterial::generate();
  const Key32 partner = partner_keys.identity.public_key();
  REQUIRE(
      pair_partner(*f.store, NewPartner{partner, "Alex", "192.0.2.77:7420", "manual"}, 1)
          .is_ok());
  REQUIRE(f.store->keys().store_log_key(f.store->db(), partner, 1, partner_keys.log_key).is_ok());
  const Bytes sealed_key = blob_of(f.store->db(),
                                   "SELECT key_sealed FROM log_keys WHERE first_seq = 1"
                                   " AND author != (SELECT device_key FROM devices"
                                   " WHERE role = 'self')");
  // One event of the partner's, as a batch brings it.
  auto e = wire::seal_event(partner_keys.identity, partner_keys.log_key, 1, Hash32{}, 1, 1,
                            model::ReflectionPut{random_id(), "their words", {}, "", {}});
  std::vector<wire::WireEvent> batch{
      {e.header_bytes, Bytes(e.signature.begin(), e.signature.end()), e.body}};
  REQUIRE(test::accept(*f.store, partner, batch).is_ok());
  CHECK_FALSE(f.holding(e.body).empty());
  CHECK_FALSE(f.holding(sealed_key).empty());
  CHECK_FALSE(files_holding(f.dir.path(), as_bytes("192.0.2.77:7420")).empty());
  REQUIRE(unpair(*f.store, true).is_ok());
  CHECK(f.holding(e.body).empty());
  CHECK(f.holding(sealed_key).empty());
  CHECK(files_holding(f.dir.path(), as_bytes("192.0.2.77:7420")).empty());
}

TEST_CASE("a forget received from the partner leaves no copy of its words either") {
  FileStore f;
  auto partner_keys = crypto::KeyMaterial::generate();
  const Key32 partner = partner_keys.identity.public_key();
  REQUIRE(pair_partner(*f.store, NewPartner{partner, "", "", "manual"}, 1).is_ok());
  REQUIRE(f.store->keys().store_log_key(f.store->db(), partner, 1, partner_keys.log_key).is_ok());
  const auto id = random_id();
  auto put = wire::seal_event(partner_keys.identity, partner_keys.log_key, 1, Hash32{}, 1, 1,
                              model::ReflectionPut{id, "their words", {}, "", {}});
  auto forget = wire::seal_event(partner_keys.identity, partner_keys.log_key, 2, put.id, 2, 2,
                                 model::ReflectionForget{id});
  auto wire_of = [](const wire::SealedEvent& x) {
    return wire::WireEvent{x.header_bytes, Bytes(x.signature.begin(), x.signature.end()), x.body};
  };
  REQUIRE(test::accept(*f.store, partner, {wire_of(put)}).is_ok());
  CHECK_FALSE(f.holding(put.body).empty());
  REQUIRE(test::accept(*f.store, partner, {wire_of(forget)}).is_ok());
  CHECK(f.holding(put.body).empty());
}
