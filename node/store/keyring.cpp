#include "store/keyring.h"

#include "crypto/aead.h"
#include "util/assert.h"
#include "util/log.h"

namespace hearth::store {
namespace {

Bytes log_key_ad(const Key32& author, uint64_t first_seq) {
  Bytes ad;
  append(ad, std::string_view("hearth/logkey/v1"));
  append(ad, author);
  put_u64_be(ad, first_seq);
  return ad;
}

}  // namespace

Keyring::Keyring(crypto::KeyMaterial keys) : keys_(std::move(keys)) {
  log_keys_.emplace(std::make_pair(self(), uint64_t{1}), Secret::copy_of(keys_.log_key.view()));
}

Status Keyring::load(Db& db) {
  std::map<std::pair<Key32, uint64_t>, Secret> loaded;
  Query st = db.prepare("SELECT author, first_seq, key_sealed FROM log_keys");
  for (auto row : st.rows()) {
    HEARTH_TRY(row.status());
    if (row->blob(0).size() != 32) {
      return Status::corrupt("a stored log key names no device");
    }
    Key32 author = to_array<32>(row->blob(0));
    auto first_seq = static_cast<uint64_t>(row->int64(1));
    auto key = open_local(row->blob(2), log_key_ad(author, first_seq));
    if (!key.is_ok() || key->size() != 32) {
      return key.is_ok() ? Status::corrupt("a stored log key has the wrong length") : key.status();
    }
    loaded.insert_or_assign({author, first_seq}, std::move(*key));
  }
  const bool seeded = loaded.contains({self(), 1});
  log_keys_ = std::move(loaded);
  if (seeded) return Status::ok();
  return store_log_key(db, self(), 1, keys_.log_key);
}

Status Keyring::store_log_key(Db& db, const Key32& author, uint64_t first_seq, const Secret& key) {
  if (key.size() != 32) return Status::invalid("a log key is 32 bytes");
  auto it = log_keys_.find({author, first_seq});
  if (it != log_keys_.end() && !it->second.equals(key))
    return Status::refused("a different log key is already known for this device");
  Query st = db.prepare(
      "INSERT INTO log_keys (author, first_seq, key_sealed) VALUES (?, ?, ?) "
      "ON CONFLICT DO NOTHING");
  st.bind(1, author).bind(2, static_cast<int64_t>(first_seq));
  st.bind(3, seal_local(key.view(), log_key_ad(author, first_seq)));
  HEARTH_TRY(st.run());
  log_keys_.insert_or_assign({author, first_seq}, Secret::copy_of(key.view()));
  return Status::ok();
}

Status Keyring::replace_log_key(Db& db, const Key32& author, uint64_t first_seq,
                                const Secret& key) {
  if (key.size() != 32) return Status::invalid("a log key is 32 bytes");
  db.scrub_after_commit();  // the key it replaces goes for good
  Query st = db.prepare(
      "INSERT INTO log_keys (author, first_seq, key_sealed) VALUES (?, ?, ?) "
      "ON CONFLICT (author, first_seq) DO UPDATE SET key_sealed = excluded.key_sealed");
  st.bind(1, author).bind(2, static_cast<int64_t>(first_seq));
  st.bind(3, seal_local(key.view(), log_key_ad(author, first_seq)));
  HEARTH_TRY(st.run());
  log_keys_.insert_or_assign({author, first_seq}, Secret::copy_of(key.view()));
  // Outside a transaction the statement committed on its own.
  if (!db.in_transaction()) {
    Status scrubbed = db.scrub();
    if (!scrubbed.is_ok()) log::warn(scrubbed.to_string());
  }
  return Status::ok();
}

Status Keyring::write_new_epoch(Db& db, uint64_t first_seq) const {
  HEARTH_ASSERT(first_seq >= own_log_key_first_seq(), "an epoch cannot start inside an older one");
  Secret key = Secret::random(32);
  db.scrub_after_commit();  // a re-keyed empty epoch's old key goes for good
  Query st = db.prepare(
      "INSERT INTO log_keys (author, first_seq, key_sealed) VALUES (?, ?, ?) "
      "ON CONFLICT (author, first_seq) DO UPDATE SET key_sealed = excluded.key_sealed");
  st.bind(1, self()).bind(2, static_cast<int64_t>(first_seq));
  st.bind(3, seal_local(key.view(), log_key_ad(self(), first_seq)));
  return st.run();
}

Status Keyring::delete_other_log_keys(Db& db) const {
  db.scrub_after_commit();
  Query st = db.prepare("DELETE FROM log_keys WHERE author != ?");
  st.bind(1, self());
  return st.run();
}

bool Keyring::holds_log_key(const Key32& author, uint64_t first_seq, const Secret& key) const {
  auto it = log_keys_.find({author, first_seq});
  return it != log_keys_.end() && it->second.equals(key);
}

const Secret* Keyring::log_key_for(const Key32& author, uint64_t seq) const {
  // The key with the greatest first_seq <= seq.
  auto it = log_keys_.upper_bound({author, seq});
  if (it == log_keys_.begin()) return nullptr;
  --it;
  if (it->first.first != author) return nullptr;
  return &it->second;
}

std::vector<std::pair<uint64_t, const Secret*>> Keyring::log_keys_of(const Key32& author) const {
  std::vector<std::pair<uint64_t, const Secret*>> out;
  for (auto it = log_keys_.lower_bound({author, 0}); it != log_keys_.end() && it->first.first == author;
       ++it) {
    out.push_back({it->first.second, &it->second});
  }
  return out;
}

const Secret& Keyring::own_log_key() const {
  const Secret* key = log_key_for(self(), UINT64_MAX);
  return key ? *key : keys_.log_key;
}

uint64_t Keyring::own_log_key_first_seq() const {
  auto it = log_keys_.upper_bound({self(), UINT64_MAX});
  --it;  // (self, 1) is always present
  return it->first.second;
}

Bytes Keyring::seal_local(ByteView plain, ByteView ad) const {
  return crypto::seal(keys_.local_key, plain, ad);
}

Result<Secret> Keyring::open_local(ByteView sealed, ByteView ad) const {
  return crypto::open(keys_.local_key, sealed, ad);
}

}  // namespace hearth::store
