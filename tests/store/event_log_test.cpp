// How the events table keeps a header (store/event_log.h): without the
// author's key where a header of this version holds it, whole otherwise,
// and always given back exactly as signed.
#include "store/event_log.h"

#include <doctest/doctest.h>

#include "../sync/accept.h"
#include "../test_util.h"
#include "store/partnership.h"
#include "store_fixtures.h"
#include "wire/event_codec.h"

using namespace hearth;
using namespace hearth::store;

TEST_CASE("a header with a field this version does not know is kept whole and given back as signed") {
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  crypto::KeyMaterial partner_keys = crypto::KeyMaterial::generate();
  const Key32 partner = partner_keys.identity.public_key();
  auto s = test::memory_store(keys.clone());
  REQUIRE(pair_partner(*s, NewPartner{partner, "Alex", "", "manual"}, 1).is_ok());
  REQUIRE(s->keys().store_log_key(s->db(), partner, 1, partner_keys.log_key).is_ok());

  // The partner's first event, its header written with a new field.
  wire::SealedEvent e = wire::seal_event(partner_keys.identity, partner_keys.log_key, 1, {}, 5,
                                         1'800'000'000'000,
                                         model::ReflectionPut{test::random_id(), "hello", {}, "", {}});
  const Bytes extended = test::header_with_a_new_field(e.header, {1, 2, 3, 4, 5, 6, 7, 8});
  REQUIRE(extended.size() == 168);
  auto decoded = wire::decode_header(extended);
  const std::string why_not_decoded = decoded.is_ok() ? std::string() : decoded.status().to_string();
  INFO(why_not_decoded);
  REQUIRE(decoded.is_ok());  // an older peer accepts it (PROTOCOL §9)
  CHECK(*decoded == e.header);
  const auto signature = wire::sign_event_header(partner_keys.identity, extended);

  auto accepted = test::accept(*s, partner, {wire::WireEvent{extended, Bytes(signature.begin(), signature.end()), e.body}});
  const std::string why_not_accepted =
      accepted.is_ok() ? std::string() : accepted.status().to_string();
  INFO(why_not_accepted);
  REQUIRE(accepted.is_ok());

  // Every read gives the bytes the partner signed, and the ID they hash to.
  auto log = s->events().read_after(partner, 0, 10, 1 << 20);
  REQUIRE(log.is_ok());
  REQUIRE(log->size() == 1);
  CHECK((*log)[0].header == extended);
  CHECK(wire::verify_event_signature(partner, (*log)[0].header, (*log)[0].signature));
  auto row = s->events().read_row((*log)[0].row);
  REQUIRE(row.is_ok());
  CHECK(row->header == extended);
  auto head = s->events().head(partner);
  REQUIRE(head.is_ok());
  CHECK(head->id == wire::event_id(extended));
  auto id = s->events().id_at(partner, 1);
  REQUIRE(id.is_ok());
  REQUIRE(id->has_value());
  CHECK(**id == wire::event_id(extended));

  // A header of this version is kept without the key, and read back whole.
  auto mine = s->events().head(keys.identity.public_key());
  REQUIRE(mine.is_ok());
  const wire::SealedEvent own = wire::seal_event(keys.identity, keys.log_key, mine->seq + 1,
                                                 mine->id, 9, 1'800'000'000'000,
                                                 model::Pause{10, ""});
  int64_t own_row = 0;
  {
    auto tx = s->db().begin();
    REQUIRE(tx.is_ok());
    auto inserted = s->events().insert(own, true);
    REQUIRE(inserted.is_ok());
    own_row = *inserted;
    REQUIRE(tx->commit().is_ok());
  }
  const std::string stored_length =
      "SELECT length(header) FROM events WHERE row_id = " + std::to_string(own_row);
  CHECK(test::int_of(s->db(), stored_length.c_str()) ==
        static_cast<int64_t>(own.header_bytes.size()) - 32);
  auto back = s->events().read_after(keys.identity.public_key(), mine->seq, 10, 1 << 20);
  REQUIRE(back.is_ok());
  REQUIRE(back->size() == 1);
  CHECK((*back)[0].header == own.header_bytes);
}
