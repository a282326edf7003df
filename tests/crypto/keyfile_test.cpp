#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "crypto/keyfile.h"
#include "util/files.h"
#include "../test_util.h"

using namespace hearth;
using namespace hearth::crypto;

TEST_CASE("an unsealed key file round-trips and is private to the user") {
  test::TempDir dir;
  auto keys = KeyMaterial::generate();
  std::string path = dir.path() + "/keys";
  REQUIRE(write_key_file(path, keys, nullptr).is_ok());
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto info = read_key_file_info(path);
  REQUIRE(info.is_ok());
  CHECK_FALSE(info->sealed);
  CHECK(info->public_key == keys.identity.public_key());
  auto back = unlock_key_file(path, nullptr);
  REQUIRE(back.is_ok());
  CHECK(back->identity.public_key() == keys.identity.public_key());
  CHECK(back->log_key.equals(keys.log_key));
  CHECK(back->local_key.equals(keys.local_key));
}

TEST_CASE("a sealed key file opens with the passphrase only") {
  test::TempDir dir;
  auto keys = KeyMaterial::generate();
  std::string path = dir.path() + "/keys";
  Secret pass = Secret::copy_of(std::string_view("correct horse"));
  REQUIRE(write_key_file(path, keys, &pass).is_ok());
  auto info = read_key_file_info(path);
  REQUIRE(info.is_ok());
  CHECK(info->sealed);
  CHECK(info->public_key == keys.identity.public_key());

  CHECK(unlock_key_file(path, nullptr).status().code() == Code::kLocked);
  Secret wrong = Secret::copy_of(std::string_view("correct horsf"));
  CHECK(unlock_key_file(path, &wrong).status().code() == Code::kAuthFailed);
  auto back = unlock_key_file(path, &pass);
  REQUIRE(back.is_ok());
  CHECK(back->local_key.equals(keys.local_key));
}

TEST_CASE("a key file is never overwritten") {
  test::TempDir dir;
  std::string path = dir.path() + "/keys";
  REQUIRE(write_key_file(path, KeyMaterial::generate(), nullptr).is_ok());
  CHECK(write_key_file(path, KeyMaterial::generate(), nullptr).code() == Code::kRefused);
}

TEST_CASE("a damaged key file is refused, not trusted") {
  test::TempDir dir;
  std::string path = dir.path() + "/keys";
  auto keys = KeyMaterial::generate();
  REQUIRE(write_key_file(path, keys, nullptr).is_ok());
  auto data = read_small_file(path, 4096);
  REQUIRE(data.is_ok());

  SUBCASE("truncated") {
    Bytes cut(data->begin(), data->end() - 1);
    REQUIRE(write_file_atomically(path, cut, 0600, true).is_ok());
    CHECK(read_key_file_info(path).status().code() == Code::kCorrupt);
  }
  SUBCASE("public key swapped") {
    Bytes changed = *data;
    changed[12] ^= 0x01;
    REQUIRE(write_file_atomically(path, changed, 0600, true).is_ok());
    CHECK_FALSE(unlock_key_file(path, nullptr).is_ok());
  }
  SUBCASE("absurd key-derivation limits") {
    Secret pass = Secret::copy_of(std::string_view("pw"));
    std::string sealed = dir.path() + "/sealed";
    REQUIRE(write_key_file(sealed, keys, &pass).is_ok());
    auto raw = read_small_file(sealed, 4096);
    REQUIRE(raw.is_ok());
    Bytes changed = *raw;
    changed[66] = 0x7f;  // memlimit's top byte: petabytes
    REQUIRE(write_file_atomically(sealed, changed, 0600, true).is_ok());
    CHECK(unlock_key_file(sealed, &pass).status().code() == Code::kCorrupt);
  }
}

namespace {

Secret pass(std::string_view text) { return Secret::copy_of(text); }

// Opens the key file with `passphrase` (null: unsealed) and checks it holds `keys`.
bool opens_with(const std::string& path, const Secret* passphrase, const KeyMaterial& keys) {
  auto opened = unlock_key_file(path, passphrase);
  return opened.is_ok() && opened->identity.public_key() == keys.identity.public_key() &&
         opened->log_key.equals(keys.log_key) && opened->local_key.equals(keys.local_key);
}

}  // namespace

TEST_CASE("a passphrase can be set, changed and removed, and the keys stay the same") {
  test::TempDir dir;
  const std::string path = dir.path() + "/keys";
  auto keys = KeyMaterial::generate();
  REQUIRE(write_key_file(path, keys, nullptr).is_ok());
  const Secret first = pass("a first passphrase"), second = pass("a second passphrase");

  REQUIRE(change_passphrase(path, PassphraseAction::kSet, nullptr, &first).is_ok());
  CHECK(read_key_file_info(path)->sealed);
  CHECK(opens_with(path, &first, keys));

  REQUIRE(change_passphrase(path, PassphraseAction::kChange, &first, &second).is_ok());
  CHECK(unlock_key_file(path, &first).status().code() == Code::kAuthFailed);
  CHECK(opens_with(path, &second, keys));

  REQUIRE(change_passphrase(path, PassphraseAction::kRemove, &second, nullptr).is_ok());
  CHECK_FALSE(read_key_file_info(path)->sealed);
  CHECK(opens_with(path, nullptr, keys));
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_FALSE(path_exists(path + ".tmp"));
}

TEST_CASE("a passphrase change that does not fit the key file changes nothing") {
  test::TempDir dir;
  const std::string path = dir.path() + "/keys";
  auto keys = KeyMaterial::generate();
  const Secret right = pass("the right passphrase"), wrong = pass("the wrong passphrase");
  const Secret empty;
  REQUIRE(write_key_file(path, keys, &right).is_ok());
  auto before = read_small_file(path, 4096);
  REQUIRE(before.is_ok());

  CHECK(change_passphrase(path, PassphraseAction::kChange, &wrong, &wrong).code() ==
        Code::kAuthFailed);
  CHECK(change_passphrase(path, PassphraseAction::kRemove, &wrong, nullptr).code() ==
        Code::kAuthFailed);
  CHECK(change_passphrase(path, PassphraseAction::kSet, nullptr, &wrong).code() == Code::kRefused);
  CHECK(change_passphrase(path, PassphraseAction::kChange, &right, &empty).code() ==
        Code::kInvalidArgument);
  CHECK(change_passphrase(path, PassphraseAction::kChange, nullptr, &wrong).code() ==
        Code::kInvalidArgument);
  CHECK(*read_small_file(path, 4096) == *before);

  const std::string unsealed = dir.path() + "/unsealed";
  REQUIRE(write_key_file(unsealed, keys, nullptr).is_ok());
  CHECK(change_passphrase(unsealed, PassphraseAction::kChange, &right, &wrong).code() ==
        Code::kRefused);
  CHECK(change_passphrase(unsealed, PassphraseAction::kRemove, &right, nullptr).code() ==
        Code::kRefused);
}

TEST_CASE("an atomic write interrupted at any step leaves the old file or the new one, whole") {
  const WriteStep steps[] = {WriteStep::kTempCreated, WriteStep::kTempWritten,
                             WriteStep::kTempSynced, WriteStep::kReplaced, WriteStep::kDirSynced};
  const Bytes old_data(202, 0x11), new_data(242, 0x22);
  for (WriteStep crash_at : steps) {
    CAPTURE(static_cast<int>(crash_at));
    test::TempDir dir;
    const std::string path = dir.path() + "/keys";
    REQUIRE(write_file_atomically(path, old_data, 0600, false).is_ok());
    Status st = write_file_atomically(path, new_data, 0600, true, [&](WriteStep step) {
      return step == crash_at ? Status::io("simulated crash") : Status::ok();
    });
    CHECK_FALSE(st.is_ok());
    auto now = read_small_file(path, 4096);
    REQUIRE(now.is_ok());
    CHECK(*now == (crash_at >= WriteStep::kReplaced ? new_data : old_data));
    // A stale temporary file does not stand in the way of the next write.
    REQUIRE(write_file_atomically(path, old_data, 0600, true).is_ok());
    CHECK(*read_small_file(path, 4096) == old_data);
    CHECK_FALSE(path_exists(path + ".tmp"));
  }
}

TEST_CASE("re-sealing interrupted before the rename keeps the old passphrase, after it the new") {
  const Secret old_pass = pass("the old passphrase"), new_pass = pass("the new passphrase");
  for (WriteStep crash_at : {WriteStep::kTempSynced, WriteStep::kReplaced}) {
    CAPTURE(static_cast<int>(crash_at));
    test::TempDir dir;
    const std::string path = dir.path() + "/keys";
    auto keys = KeyMaterial::generate();
    REQUIRE(write_key_file(path, keys, &old_pass).is_ok());
    auto before = read_small_file(path, 4096);
    REQUIRE(before.is_ok());
    Status st = change_passphrase(
        path, PassphraseAction::kChange, &old_pass, &new_pass, [&](WriteStep step) {
          return step == crash_at ? Status::io("simulated crash") : Status::ok();
        });
    CHECK_FALSE(st.is_ok());
    if (crash_at == WriteStep::kTempSynced) {
      CHECK(*read_small_file(path, 4096) == *before);  // the old file, byte for byte
    } else {
      CHECK(opens_with(path, &new_pass, keys));
    }
  }
}

TEST_CASE("the unlock key kept in the desktop keyring opens the file, and no longer after a change") {
  test::TempDir dir;
  auto keys = KeyMaterial::generate();
  std::string path = dir.path() + "/keys";
  Secret pass = Secret::copy_of(std::string_view("correct horse"));
  REQUIRE(write_key_file(path, keys, &pass).is_ok());

  Secret wrong = Secret::copy_of(std::string_view("wrong horse"));
  auto refused = derive_unlock_key(path, wrong);
  REQUIRE(!refused.is_ok());
  CHECK(refused.status().code() == Code::kAuthFailed);

  auto key = derive_unlock_key(path, pass);
  REQUIRE(key.is_ok());
  CHECK(key->size() == 32);
  auto opened = unlock_key_file_with_key(path, *key);
  REQUIRE(opened.is_ok());
  CHECK(opened->identity.public_key() == keys.identity.public_key());
  CHECK(opened->local_key.equals(keys.local_key));

  Secret other = Secret::copy_of(std::string(32, 'x'));
  auto not_it = unlock_key_file_with_key(path, other);
  REQUIRE(!not_it.is_ok());
  CHECK(not_it.status().code() == Code::kAuthFailed);
  Secret short_key = Secret::copy_of(std::string(16, 'x'));
  CHECK(!unlock_key_file_with_key(path, short_key).is_ok());

  // A new passphrase re-seals with a new salt: the stored key no longer opens it.
  Secret next = Secret::copy_of(std::string_view("battery staple"));
  REQUIRE(change_passphrase(path, PassphraseAction::kChange, &pass, &next).is_ok());
  auto stale = unlock_key_file_with_key(path, *key);
  REQUIRE(!stale.is_ok());
  CHECK(stale.status().code() == Code::kAuthFailed);
}

TEST_CASE("a key file without a passphrase gives no unlock key to keep") {
  test::TempDir dir;
  auto keys = KeyMaterial::generate();
  std::string path = dir.path() + "/keys";
  REQUIRE(write_key_file(path, keys, nullptr).is_ok());
  Secret pass = Secret::copy_of(std::string_view("anything"));
  auto key = derive_unlock_key(path, pass);
  REQUIRE(!key.is_ok());
  CHECK(key.status().code() == Code::kRefused);
}
