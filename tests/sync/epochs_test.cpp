// Pairing and unpairing in the store and the sync session
// (schema/PROTOCOL.md §5.4): epochs of log keys, what a later partner
// receives, erasing shared entries.
#include <doctest/doctest.h>

#include <deque>

#include "../store/store_fixtures.h"
#include "../test_util.h"
#include "store/peer_addresses.h"
#include "two_devices.h"

using namespace hearth;
using hearth::test::random_id;

using hearth::test::Device;
using hearth::test::sync_pair;

TEST_CASE("unpairing makes the partner a former one, forgets its addresses and starts a new key") {
  test::TempDir dir;
  Device a(dir.path() + "/a.db"), b;
  a.pair_with(b, "192.0.2.7:7420");
  b.pair_with(a);
  a.reflect("one");
  a.reflect("two");
  REQUIRE_FALSE(sync_pair(a, b));
  const Secret first_key = Secret::copy_of(a.u->store->keys().own_log_key().view());

  const store::UnpairSummary summary = a.unpair();
  CHECK(summary.former.key == b.self());
  CHECK(summary.new_epoch == 3);
  CHECK(summary.partner_holds == 2);
  CHECK(summary.erased_entries == 0);
  CHECK_FALSE(a.u->devices.partner());
  REQUIRE(a.u->devices.get(b.self()));
  CHECK(a.u->devices.get(b.self())->role == store::DeviceRole::kFormer);
  auto addresses = a.u->store->addresses().list();
  REQUIRE(addresses.is_ok());
  CHECK(addresses->empty());
  CHECK(a.u->store->keys().own_log_key_first_seq() == 3);
  CHECK_FALSE(a.u->store->keys().own_log_key().equals(first_key));
  // Still readable here: the copies b shared and a's own.
  CHECK(a.reflection_texts() == std::vector<std::string>{"one", "two"});

  SUBCASE("the epochs survive a restart, and later entries use the new key") {
    a.reflect("three");
    a.open();
    CHECK(a.u->store->keys().own_log_key_first_seq() == 3);
    CHECK(a.reflection_texts() == std::vector<std::string>{"one", "three", "two"});
    CHECK(a.u->store->keys().log_key_for(a.self(), 2)->equals(first_key));
    CHECK_FALSE(a.u->store->keys().log_key_for(a.self(), 3)->equals(first_key));
  }
  SUBCASE("unpairing when not paired is refused") {
    CHECK(store::unpair(*a.u->store, false).status().code() == Code::kRefused);
  }
}

TEST_CASE("a message about the partner's address that comes after unpairing does not name it") {
  test::TempDir dir;
  Device a(dir.path() + "/a.db"), b;
  a.pair_with(b, "192.0.2.7:7420");
  const std::string failed =
      "could not connect to your partner's device at 192.0.2.7:7420: refused; trying again later";
  auto newest = [&a] {
    auto entries = a.u->activity.newest(1);
    REQUIRE(entries.is_ok());
    REQUIRE(entries->size() == 1);
    return entries->front().message;
  };
  // While paired, the address is said, and tagged for unpairing to forget.
  a.u->record("info", failed, store::ActivityBucket::kGeneral, "192.0.2.7:7420");
  CHECK(newest() == failed);
  a.unpair();
  CHECK(newest().find("192.0.2.7") == std::string::npos);
  // A dial that ran while unpairing ends: its failure comes after.
  a.u->record("info", failed, store::ActivityBucket::kGeneral, "192.0.2.7:7420");
  CHECK(newest() ==
        "could not connect to your partner's device at (a former partner's address): refused; "
        "trying again later");
  auto all = a.u->activity.newest(0);
  REQUIRE(all.is_ok());
  for (const auto& e : *all) CHECK(e.message.find("192.0.2.7") == std::string::npos);
}

TEST_CASE("unpairing before any shared entry re-keys the first epoch, and the store reopens") {
  test::TempDir dir;
  Device a(dir.path() + "/a.db"), b;
  a.pair_with(b);
  const store::UnpairSummary summary = a.unpair();
  CHECK(summary.new_epoch == 1);
  CHECK(summary.partner_holds == 0);
  CHECK_FALSE(a.u->store->keys().own_log_key().equals(a.keys.log_key));
  a.reflect("after");
  a.open();  // the key file still holds the first key; the store's wins
  CHECK_FALSE(a.u->store->keys().own_log_key().equals(a.keys.log_key));
  CHECK(a.reflection_texts() == std::vector<std::string>{"after"});
}

TEST_CASE("a later partner gets the current epoch's key only and earlier events without bodies") {
  Device a, b, c;
  a.pair_with(b);
  b.pair_with(a);
  a.reflect("for b only");
  b.reflect("b's own");
  REQUIRE_FALSE(sync_pair(a, b));
  CHECK(b.reflection_texts() == std::vector<std::string>{"b's own", "for b only"});

  a.unpair();
  a.reflect("shared while unpaired");  // seq 2, the new epoch
  a.pair_with(c, "", /*send_earlier=*/true);  // its author said to send it
  c.pair_with(a);
  REQUIRE(a.u->devices.partner());
  CHECK(a.u->devices.partner()->share_from == 2);
  c.reflect("c's own");
  REQUIRE_FALSE(sync_pair(a, c));

  // c holds a's whole chain, but the words only from the epoch it may read.
  CHECK(c.events_of(a.self()) == std::vector<std::pair<uint64_t, bool>>{{1, false}, {2, true}});
  const auto keys = c.u->store->keys().log_keys_of(a.self());
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].first == 2);
  CHECK(c.reflection_texts() == std::vector<std::string>{"c's own", "shared while unpaired"});
  // Nothing of b's reached c.
  CHECK(c.head_of(b.self()) == 0);
  CHECK(c.u->store->keys().log_keys_of(b.self()).empty());

  SUBCASE("and entries written while paired with c reach it live") {
    a.session->on_local_change();
    a.reflect("for c");
    a.session->on_local_change();
    while (!a.outbox.messages.empty()) {
      Bytes m = std::move(a.outbox.messages.front());
      a.outbox.messages.pop_front();
      REQUIRE_FALSE(c.session->on_message(m));
    }
    CHECK(c.reflection_texts() ==
          std::vector<std::string>{"c's own", "for c", "shared while unpaired"});
  }
}

TEST_CASE("what was shared while unpaired reaches a new partner only when its author says so") {
  Device a, c;
  a.reflect("shared before any pairing");  // seq 1
  a.reflect("and this too");               // seq 2
  a.pair_with(c);                          // not told to send them
  c.pair_with(a);
  REQUIRE(a.u->devices.partner());
  CHECK(a.u->devices.partner()->share_from == 3);
  a.reflect("after pairing");  // seq 3, the new epoch's first
  REQUIRE_FALSE(sync_pair(a, c));
  CHECK(c.events_of(a.self()) ==
        std::vector<std::pair<uint64_t, bool>>{{1, false}, {2, false}, {3, true}});
  const auto keys = c.u->store->keys().log_keys_of(a.self());
  REQUIRE(keys.size() == 1);
  CHECK(keys[0].first == 3);
  CHECK(c.reflection_texts() == std::vector<std::string>{"after pairing"});
  // a still reads all three.
  CHECK(a.reflection_texts().size() == 3);
}

TEST_CASE("a partner re-pairing after the other re-keyed an empty epoch accepts the new key") {
  Device a, b;
  a.pair_with(b);
  b.pair_with(a);
  REQUIRE_FALSE(sync_pair(a, b));  // b learns a's first key; a wrote nothing
  a.unpair();                      // epoch 1 is re-keyed
  a.pair_with(b);
  REQUIRE_FALSE(sync_pair(a, b));
  a.reflect("after re-pairing");
  REQUIRE_FALSE(sync_pair(a, b));
  CHECK(b.reflection_texts() == std::vector<std::string>{"after re-pairing"});
}

TEST_CASE("a different key for an epoch the receiver holds events of ends the session") {
  Device a, b;
  a.pair_with(b);
  b.pair_with(a);
  a.reflect("kept readable");
  REQUIRE_FALSE(sync_pair(a, b));
  b.session = std::make_unique<sync::Session>(runtime::session_context(*b.u, b.hub), a.self(), b.outbox);
  b.session->start();
  wire::Hello hello;
  hello.log_keys.push_back({1, Secret::random(32)});
  auto end = b.session->on_message(wire::encode_peer_message(std::move(hello)));
  REQUIRE(end);
  CHECK(end->reason == wire::ByeReason::kProtocolError);
  CHECK(b.reflection_texts() == std::vector<std::string>{"kept readable"});
}

TEST_CASE("erasing shared entries keeps private ones, and the views match a rebuild") {
  Device a, b;
  a.pair_with(b);
  b.pair_with(a);
  a.reflect("a shared");
  const model::EntityId draft = a.reflect("a draft", store::Visibility::kPrivate);
  a.write(model::ReflectionPut{draft, "a draft, shared later", {}, "", {}});
  a.reflect("a private", store::Visibility::kPrivate);
  a.write(model::CheckIn{random_id(), model::Capacity::kGreen, {}, ""},
          store::Visibility::kPrivate);
  a.write(model::BoundaryPropose{random_id(), "a boundary", ""});
  b.reflect("b shared");
  b.write(model::CheckIn{random_id(), model::Capacity::kYellow, {"tired"}, ""});
  REQUIRE_FALSE(sync_pair(a, b));

  const store::UnpairSummary summary = a.unpair(true);
  // a's two shared reflections, b's reflection, the boundary, b's check-in.
  CHECK(summary.erased_entries == 5);
  CHECK(a.reflection_texts() == std::vector<std::string>{"a private"});
  CHECK(a.head_of(b.self()) == 0);
  for (const auto& [seq, has_body] : a.events_of(a.self())) CHECK_FALSE(has_body);
  CHECK(a.u->store->keys().log_keys_of(b.self()).empty());
  auto boundaries = a.u->reader.boundaries(0, true);
  REQUIRE(boundaries.is_ok());
  CHECK(boundaries->empty());
  auto check_ins = a.u->reader.check_ins(0);
  REQUIRE(check_ins.is_ok());
  CHECK(check_ins->size() == 1);

  const std::string incremental = test::dump_views(a.u->store->db());
  REQUIRE(a.u->journal.rebuild_views().is_ok());
  CHECK(test::dump_views(a.u->store->db()) == incremental);

  // The log goes on: a new entry continues the chain under the new key.
  a.reflect("a new start");
  CHECK(a.reflection_texts() == std::vector<std::string>{"a new start", "a private"});
  CHECK(a.events_of(a.self()).back() == std::pair<uint64_t, bool>{4, true});
}
