// Pairing and unpairing in the store and the sync session
// (schema/PROTOCOL.md §5.4): epochs of log keys, what a later partner
// receives, erasing shared entries.
#include <doctest/doctest.h>

#include <deque>

#include "../store/store_fixtures.h"
#include "../test_util.h"
#include "app/daemon_state.h"
#include "store/partnership.h"
#include "store/peer_addresses.h"
#include "sync/session.h"

using namespace hearth;
using hearth::test::random_id;

namespace {

int64_t now_ms = 1'700'000'000'000;
int64_t clock_ms() { return now_ms += 10; }

struct Queue : sync::Outbox {
  std::deque<Bytes> messages;
  void send(Bytes m) override { messages.push_back(std::move(m)); }
};

struct Device {
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  std::string path = ":memory:";
  std::unique_ptr<app::Unlocked> u;
  app::UpdateHub hub;
  Queue outbox;
  std::unique_ptr<sync::Session> session;

  Device() { open(); }
  explicit Device(std::string db_path) : path(std::move(db_path)) { open(); }
  void open() {
    session.reset();
    u.reset();
    auto s = store::Store::open(path, keys.clone());
    REQUIRE(s.is_ok());
    u = std::make_unique<app::Unlocked>(std::move(s).value(), clock_ms);
    REQUIRE(u->devices.upsert(self(), store::DeviceRole::kSelf, "me", 1).is_ok());
  }
  Key32 self() const { return keys.identity.public_key(); }
  void pair_with(const Device& other, std::string address = "", bool send_earlier = false) {
    auto paired = store::pair_partner(
        *u->store, u->devices,
        store::NewPartner{other.self(), "", address, "manual", send_earlier}, clock_ms());
    REQUIRE(paired.is_ok());
  }
  store::UnpairSummary unpair(bool erase = false) {
    auto summary = store::unpair(*u->store, u->devices, erase);
    REQUIRE(summary.is_ok());
    return std::move(summary).value();
  }
  model::EntryMeta write(const model::Payload& p,
                         store::Visibility v = store::Visibility::kShared) {
    auto m = u->journal.write(p, v);
    REQUIRE(m.is_ok());
    return *m;
  }
  model::EntityId reflect(const std::string& text,
                          store::Visibility v = store::Visibility::kShared) {
    const model::EntityId id = random_id();
    write(model::ReflectionPut{id, text, {}, "", {}}, v);
    return id;
  }
  uint64_t head_of(const Key32& author) { return u->store->events().head(author).seq; }
  std::vector<std::string> reflection_texts() {
    auto page = u->reader.reflections(0, false);
    REQUIRE(page.is_ok());
    std::vector<std::string> out;
    for (const auto& r : *page) out.push_back(r.current.text);
    std::sort(out.begin(), out.end());
    return out;
  }
  // (seq, has body) of every stored event of `author`.
  std::vector<std::pair<uint64_t, bool>> events_of(const Key32& author) {
    auto events = u->store->events().read_after(author, 0, 1000, 1 << 24);
    REQUIRE(events.is_ok());
    std::vector<std::pair<uint64_t, bool>> out;
    for (const auto& e : *events) out.push_back({e.seq, e.body.has_value()});
    return out;
  }
};

// Runs a session between a and b until both are quiet or one ends.
std::optional<sync::SessionEnd> sync_pair(Device& a, Device& b) {
  a.outbox.messages.clear();
  b.outbox.messages.clear();
  a.session = std::make_unique<sync::Session>(*a.u, a.hub, b.self(), a.outbox);
  b.session = std::make_unique<sync::Session>(*b.u, b.hub, a.self(), b.outbox);
  a.session->start();
  b.session->start();
  for (int i = 0; i < 100000; ++i) {
    bool moved = false;
    for (auto [from, to] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
      if (from->outbox.messages.empty()) continue;
      Bytes m = std::move(from->outbox.messages.front());
      from->outbox.messages.pop_front();
      if (auto end = to->session->on_message(m)) return end;
      moved = true;
    }
    if (!moved) return std::nullopt;
  }
  FAIL("sessions did not settle");
  return std::nullopt;
}

}  // namespace

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
  auto addresses = store::PeerAddresses(a.u->store->db()).list();
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
    CHECK(store::unpair(*a.u->store, a.u->devices, false).status().code() == Code::kRefused);
  }
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
  b.session = std::make_unique<sync::Session>(*b.u, b.hub, a.self(), b.outbox);
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
