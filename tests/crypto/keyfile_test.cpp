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
