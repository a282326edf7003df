// The numbers the store gives authors (store/authors.h), and what names them.
#include "store/authors.h"

#include <doctest/doctest.h>

#include "../test_util.h"
#include "store_fixtures.h"

using namespace hearth;
using namespace hearth::store;
using hearth::test::int_of;

namespace {

Key32 key_of_byte(uint8_t b) {
  Key32 k{};
  k.fill(b);
  return k;
}

}  // namespace

TEST_CASE("an author keeps one number; finding adds none, and an unknown key matches no row") {
  auto s = test::memory_store();
  Authors& authors = s->authors();
  // This device is an author from the first open on.
  auto self = authors.find(s->keys().self());
  REQUIRE(self.is_ok());
  CHECK(*self != Authors::kNone);

  const Key32 a = key_of_byte(0xa1);
  auto none = authors.find(a);
  REQUIRE(none.is_ok());
  CHECK(*none == Authors::kNone);
  CHECK(int_of(s->db(), "SELECT count(*) FROM authors") == 1);

  auto added = authors.add(a);
  REQUIRE(added.is_ok());
  CHECK(*added != *self);
  CHECK(*authors.add(a) == *added);
  CHECK(*authors.find(a) == *added);
  CHECK(*authors.key_of(*added) == a);
  CHECK(int_of(s->db(), "SELECT count(*) FROM authors") == 2);

  // A number no row holds is a corrupt store, never a default key.
  auto missing = authors.key_of(99);
  REQUIRE_FALSE(missing.is_ok());
  CHECK(missing.status().code() == Code::kCorrupt);
}

TEST_CASE("a number taken in a transaction that rolls back is forgotten with it") {
  auto s = test::memory_store();
  Authors& authors = s->authors();
  const Key32 a = key_of_byte(0xa1), b = key_of_byte(0xb2);
  int64_t taken = 0;
  {
    auto tx = s->db().begin();
    REQUIRE(tx.is_ok());
    auto id = authors.add(a);
    REQUIRE(id.is_ok());
    taken = *id;
    CHECK(*authors.key_of(taken) == a);
  }  // rolled back
  CHECK(*authors.find(a) == Authors::kNone);
  // The number is free again; whoever takes it is who it names.
  auto id = authors.add(b);
  REQUIRE(id.is_ok());
  CHECK(*id == taken);
  CHECK(*authors.key_of(taken) == b);
  CHECK(*authors.find(a) == Authors::kNone);
}
