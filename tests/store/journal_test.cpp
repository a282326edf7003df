#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <random>

#include "store/activity.h"
#include "store/devices.h"
#include "store/partnership.h"
#include "store/reader.h"
#include "../sync/accept.h"
#include "store_fixtures.h"
#include "wire/event_codec.h"

using namespace hearth;
using namespace hearth::store;
using hearth::test::dump_views;
using hearth::test::memory_store;
using hearth::test::random_id;

namespace {

int64_t fake_now = 1'700'000'000'000;
int64_t tick() { return fake_now += 1000; }

model::ReflectionPut put(const model::EntityId& id, std::string text) {
  return model::ReflectionPut{id, std::move(text), {"calm"}, "", {}};
}

}  // namespace

TEST_CASE("a shared write appends a signed, chained event to this device's log") {
  auto s = memory_store();
  Journal j(*s, tick);
  auto a = j.write(put(random_id(), "one"), Visibility::kShared);
  auto b = j.write(put(random_id(), "two"), Visibility::kShared);
  REQUIRE(a.is_ok());
  REQUIRE(b.is_ok());
  CHECK(b->order.lamport == a->order.lamport + 1);

  auto events = s->events().read_after(s->keys().self(), 0, 10, 1 << 20);
  REQUIRE(events.is_ok());
  REQUIRE(events->size() == 2);
  auto h1 = wire::decode_header((*events)[0].header);
  auto h2 = wire::decode_header((*events)[1].header);
  REQUIRE(h1.is_ok());
  REQUIRE(h2.is_ok());
  CHECK(h1->seq == 1);
  CHECK(h2->seq == 2);
  CHECK(h2->prev == wire::event_id((*events)[0].header));
  CHECK(wire::verify_event_signature(s->keys().self(), (*events)[1].header, (*events)[1].signature));
  CHECK(s->events().head(s->keys().self())->seq == 2);
}

TEST_CASE("a private write is not an event") {
  auto s = memory_store();
  Journal j(*s, tick);
  auto meta = j.write(put(random_id(), "only mine"), Visibility::kPrivate);
  REQUIRE(meta.is_ok());
  CHECK(meta->is_private());
  CHECK(s->events().head(s->keys().self())->seq == 0);
  auto back = s->loader().load(meta->ref);
  REQUIRE(back.is_ok());
  CHECK(std::get<model::ReflectionPut>(back->payload).text == "only mine");
}

TEST_CASE("boundaries and pauses cannot be private") {
  auto s = memory_store();
  Journal j(*s, tick);
  CHECK(j.write(model::Pause{30, ""}, Visibility::kPrivate).status().code() ==
        Code::kInvalidArgument);
  CHECK(j.write(model::BoundaryPropose{random_id(), "b", ""}, Visibility::kPrivate)
            .status()
            .code() == Code::kInvalidArgument);
}

TEST_CASE("an invalid payload is refused and nothing is stored") {
  auto s = memory_store();
  Journal j(*s, tick);
  CHECK_FALSE(j.write(put(random_id(), ""), Visibility::kShared).is_ok());
  CHECK_FALSE(j.write(model::Pause{5, ""}, Visibility::kShared).is_ok());
  CHECK(s->events().head(s->keys().self())->seq == 0);
  CHECK((*s->events().max_lamport()) == 0);
}

TEST_CASE("forgetting a reflection drops the words of every version, private and shared") {
  auto s = memory_store();
  Journal j(*s, tick);
  auto id = random_id();
  auto v1 = j.write(put(id, "draft"), Visibility::kPrivate);
  auto v2 = j.write(put(id, "shared version"), Visibility::kShared);
  auto other = j.write(put(random_id(), "unrelated"), Visibility::kShared);
  REQUIRE(v1.is_ok());
  REQUIRE(v2.is_ok());
  REQUIRE(j.write(model::ReflectionForget{id}, Visibility::kShared).is_ok());

  CHECK(s->loader().load(v1->ref).status().code() == Code::kNotFound);
  CHECK(s->loader().load(v2->ref).status().code() == Code::kNotFound);
  CHECK(s->loader().load(other->ref).is_ok());
  auto view = s->views().reflection({s->keys().self(), id});
  REQUIRE(view.is_ok());
  CHECK(view->forgotten);
  // The chain still verifies: headers stay.
  CHECK(s->events().head(s->keys().self())->seq == 3);
}

TEST_CASE("rebuilding the views from the log gives the same views as incremental updates") {
  auto me = crypto::KeyMaterial::generate();
  auto partner = crypto::KeyMaterial::generate();
  auto s = memory_store(me.clone());
  const Key32 partner_key = partner.identity.public_key();
  REQUIRE(s->keys().store_log_key(s->db(), partner_key, 1, partner.log_key).is_ok());
  Devices& devices = s->devices();
  REQUIRE(devices.upsert(partner_key, DeviceRole::kPartner, "Alex", 1).is_ok());
  Journal j(*s, tick);

  // The partner's events arrive as sync stores them: inserted, then applied
  // to the views, in one transaction, each after whatever this device wrote.
  uint64_t partner_seq = 0;
  Hash32 partner_prev{};
  auto from_partner = [&](const model::Payload& p) {
    auto e = wire::seal_event(partner.identity, partner.log_key, ++partner_seq, partner_prev,
                              (*s->events().max_lamport()) + 1, tick(), p);
    partner_prev = e.id;
    auto tx = s->db().begin();
    REQUIRE(tx.is_ok());
    auto row = s->events().insert(e, true);
    REQUIRE(row.is_ok());
    auto entry = s->loader().load({model::EntryRef::Source::kShared, *row});
    REQUIRE(entry.is_ok());
    REQUIRE(s->views().apply(*entry).is_ok());
    REQUIRE(tx->commit().is_ok());
    return e.id;
  };

  auto r1 = random_id(), r2 = random_id(), b1 = random_id(), theirs = random_id(),
       gone = random_id();
  REQUIRE(j.write(put(r1, "a"), Visibility::kPrivate).is_ok());
  from_partner(put(theirs, "partner's first"));
  REQUIRE(j.write(put(r1, "a2"), Visibility::kShared).is_ok());
  REQUIRE(j.write(put(r1, "a3, private again"), Visibility::kPrivate).is_ok());
  REQUIRE(j.write(put(r2, "b"), Visibility::kPrivate).is_ok());
  REQUIRE(j.write(model::ReflectionForget{r2}, Visibility::kPrivate).is_ok());
  from_partner(put(gone, "partner's, to forget"));
  from_partner(put(theirs, "partner's first, edited"));
  from_partner(model::ReflectionForget{gone});
  auto prop = j.write(model::BoundaryPropose{b1, "text", "home"}, Visibility::kShared);
  REQUIRE(prop.is_ok());
  from_partner(model::BoundaryRespond{b1, prop->event_id, model::Response::kAgree, "yes"});
  Hash32 theirs_rev = from_partner(model::BoundaryPropose{b1, "text v2", "home"});
  REQUIRE(j.write(model::BoundaryRespond{b1, theirs_rev, model::Response::kDiscuss, "hm"},
                  Visibility::kShared)
              .is_ok());
  REQUIRE(j.write(model::BoundaryPropose{b1, "text v3", "home"}, Visibility::kShared).is_ok());
  REQUIRE(j.write(model::CheckIn{random_id(), model::Capacity::kYellow, {}, ""}, Visibility::kPrivate).is_ok());
  REQUIRE(j.write(model::CheckIn{random_id(), model::Capacity::kRed, {"tired"}, "rest"}, Visibility::kShared).is_ok());
  from_partner(model::CheckIn{random_id(), model::Capacity::kGreen, {}, ""});
  REQUIRE(j.write(model::Pause{45, "walk"}, Visibility::kShared).is_ok());
  from_partner(model::Resume{});
  REQUIRE(j.write(model::Pause{20, ""}, Visibility::kShared).is_ok());

  std::string incremental = dump_views(s->db());
  CHECK(incremental.find("private ") != std::string::npos);  // private rows are compared too
  std::string partner_hex = to_hex(partner_key);
  for (auto& c : partner_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(incremental.find(partner_hex) != std::string::npos);  // and the partner's
  REQUIRE(j.rebuild_views().is_ok());
  CHECK(dump_views(s->db()) == incremental);
}

TEST_CASE("the views are the same whatever order two partners' events arrive in") {
  // Two authors' events, built once, applied to fresh stores in random orders.
  auto me = crypto::KeyMaterial::generate();
  auto partner = crypto::KeyMaterial::generate();
  std::vector<wire::SealedEvent> events;
  uint64_t seq_me = 0, seq_partner = 0, lamport = 0;
  Hash32 prev_me{}, prev_partner{};
  auto add = [&](bool mine, const model::Payload& p) {
    auto& keys = mine ? me : partner;
    auto& seq = mine ? seq_me : seq_partner;
    auto& prev = mine ? prev_me : prev_partner;
    ++lamport;
    auto e = wire::seal_event(keys.identity, keys.log_key, ++seq, prev, lamport,
                              1'700'000'000'000 + static_cast<int64_t>(lamport), p);
    prev = e.id;
    events.push_back(e);
    return e;
  };
  auto r = random_id(), b = random_id();
  add(true, put(r, "v1"));
  add(true, put(r, "v2"));
  add(false, put(random_id(), "partner's"));
  auto forgotten = random_id();
  add(false, put(forgotten, "to go"));
  add(false, model::ReflectionForget{forgotten});
  auto p1 = add(true, model::BoundaryPropose{b, "b1", ""});
  add(false, model::BoundaryRespond{b, p1.id, model::Response::kAgree, ""});
  auto p2 = add(false, model::BoundaryPropose{b, "b2", ""});
  add(true, model::BoundaryRespond{b, p2.id, model::Response::kDiscuss, "let's talk"});
  add(true, model::CheckIn{random_id(), model::Capacity::kGreen, {}, ""});
  add(false, model::Pause{20, ""});
  add(true, model::Resume{});

  auto apply_all = [&](const std::vector<size_t>& order) {
    auto s = memory_store(me.clone());
    REQUIRE(s->keys().store_log_key(s->db(), partner.identity.public_key(), 1, partner.log_key).is_ok());
    for (size_t i : order) {
      const auto& e = events[i];
      auto row = s->events().insert(e, true);
      REQUIRE(row.is_ok());
      auto entry = s->loader().load({model::EntryRef::Source::kShared, *row});
      if (!entry.is_ok()) {
        // Already forgotten by a forget applied earlier in this order.
        REQUIRE(entry.status().code() == Code::kNotFound);
        continue;
      }
      REQUIRE(s->views().apply(*entry).is_ok());
    }
    return dump_views(s->db());
  };
  std::vector<size_t> order(events.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  const std::string expected = apply_all(order);
  CHECK(expected.find("private") == std::string::npos);
  std::mt19937 rng(7);
  for (int round = 0; round < 40; ++round) {
    std::shuffle(order.begin(), order.end(), rng);
    INFO("round " << round);
    CHECK(apply_all(order) == expected);
  }
}

TEST_CASE("device names are stored sealed and read back") {
  auto s = memory_store();
  Devices& devices = s->devices();
  REQUIRE(devices.upsert(s->keys().self(), DeviceRole::kSelf, "Sam's laptop", 1).is_ok());
  auto row = devices.get(s->keys().self());
  REQUIRE(row.is_ok());
  CHECK(row->name == "Sam's laptop");
  auto st = s->db().prepare("SELECT count(*) FROM devices WHERE instr(name_sealed, 'Sam') > 0");
  REQUIRE(*st.step());
  CHECK(st.int64(0) == 0);
}

TEST_CASE("the activity log keeps the newest entries first") {
  auto s = memory_store();
  Activity& log = s->activity();
  REQUIRE(log.append("info", "first", 1).is_ok());
  REQUIRE(log.append("warn", "second", 2).is_ok());
  auto entries = log.newest(0);
  REQUIRE(entries.is_ok());
  REQUIRE(entries->size() == 2);
  CHECK((*entries)[0].message == "second");
  CHECK(log.newest(1)->size() == 1);
}

TEST_CASE("a read that fails is an error, never a default: a write without its lamport writes nothing") {
  auto s = memory_store();
  Journal j(*s, tick);
  REQUIRE(j.write(put(random_id(), "one"), Visibility::kShared).is_ok());
  REQUIRE(s->events().max_lamport().is_ok());
  const Key32 self = s->keys().self();
  REQUIRE(s->events().id_at(self, 1).is_ok());
  REQUIRE(s->events().head(self).is_ok());
  REQUIRE(s->events().count(self).is_ok());
  // The failure: a table the cached statements read is gone.
  REQUIRE(s->db().exec("ALTER TABLE private_entries RENAME TO private_entries_gone").is_ok());
  CHECK_FALSE(s->events().max_lamport().is_ok());
  CHECK_FALSE(j.write(put(random_id(), "two"), Visibility::kShared).is_ok());
  REQUIRE(s->db().exec("ALTER TABLE private_entries_gone RENAME TO private_entries").is_ok());
  CHECK(s->events().head(self)->seq == 1);
  REQUIRE(s->db().exec("ALTER TABLE events RENAME TO events_gone").is_ok());
  CHECK_FALSE(s->events().head(self).is_ok());
  CHECK_FALSE(s->events().id_at(self, 1).is_ok());
  CHECK_FALSE(s->events().count(self).is_ok());
  CHECK_FALSE(s->db().exec("SELECT 1 FROM events").is_ok());
  REQUIRE(s->db().exec("ALTER TABLE events_gone RENAME TO events").is_ok());
  CHECK(s->events().head(self)->seq == 1);
  CHECK(*s->events().max_lamport() >= 1);
}

TEST_CASE("an export's pages hold every reflection once, archived ones too, oldest first") {
  auto s = memory_store();
  int64_t now = 1'700'000'000'000;
  bool same_ms = false;  // two writes in one millisecond: the cursor's tie
  Journal j(*s, [&] { return same_ms ? now : now += 1000; });
  std::vector<model::EntityId> ids;
  for (int i = 0; i < 11; ++i) {
    same_ms = (i == 6);  // written in the millisecond of the one before
    ids.push_back(random_id());
    REQUIRE(j.write(put(ids.back(), "words " + std::to_string(i)),
                    i % 3 ? Visibility::kShared : Visibility::kPrivate)
                .is_ok());
  }
  REQUIRE(j.write(model::ReflectionForget{ids[2]}, Visibility::kShared).is_ok());
  REQUIRE(s->archive().set(ArchiveKind::kReflection, s->keys().self(), ids[7], true, now).is_ok());
  Reader reader(*s);
  std::vector<std::string> paged;
  std::optional<Reader::PageCursor> after;
  int pages = 0;
  for (;;) {
    auto page = reader.reflection_page(after, 3);
    REQUIRE(page.is_ok());
    ++pages;
    for (const auto& item : *page) {
      CHECK(!item.history.empty());
      paged.push_back(item.current.text);
    }
    if (page->size() < 3) break;
    const auto& last = page->back();
    after = Reader::PageCursor{last.view.created_ms, last.key.id, last.key.author == s->keys().self()};
  }
  CHECK(pages == 4);
  // Oldest first; the forgotten one gone, the archived one kept; the two
  // of one millisecond in the order of their IDs.
  std::vector<std::string> expected;
  for (int i = 0; i < 11; ++i)
    if (i != 2) expected.push_back("words " + std::to_string(i));
  if (ids[6] < ids[5]) std::swap(expected[4], expected[5]);
  CHECK(paged == expected);
}

TEST_CASE("archiving an entry hides it alone, not the partner's entry of the same ID") {
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  crypto::KeyMaterial partner_keys = crypto::KeyMaterial::generate();
  const Key32 partner = partner_keys.identity.public_key();
  auto s = memory_store(keys.clone());
  auto p = memory_store(partner_keys.clone());
  REQUIRE(pair_partner(*s, NewPartner{partner, "Alex", "", "manual"}, 1).is_ok());
  REQUIRE(pair_partner(*p, NewPartner{keys.identity.public_key(), "Sam", "", "manual"}, 1).is_ok());
  REQUIRE(s->keys().store_log_key(s->db(), partner, 1, partner_keys.log_key).is_ok());

  // One entity ID, used by both: a partner can reuse any ID they have seen.
  const model::EntityId id = random_id();
  Journal mine(*s, tick);
  REQUIRE(mine.write(put(id, "mine"), Visibility::kShared).is_ok());
  REQUIRE(mine.write(model::CheckIn{id, model::Capacity::kGreen, {}, "my check-in"},
                     Visibility::kShared)
              .is_ok());
  Journal yours(*p, tick);
  REQUIRE(yours.write(put(id, "theirs"), Visibility::kShared).is_ok());
  REQUIRE(yours.write(model::CheckIn{id, model::Capacity::kRed, {}, "their check-in"},
                      Visibility::kShared)
              .is_ok());
  auto log = p->events().read_after(partner, 0, 100, 64 << 20);
  REQUIRE(log.is_ok());
  std::vector<wire::WireEvent> batch;
  for (auto& e : *log) batch.push_back({e.header, e.signature, e.body ? *e.body : Bytes{}});
  REQUIRE(test::accept(*s, partner, batch).is_ok());

  REQUIRE(s->archive().set(ArchiveKind::kReflection, keys.identity.public_key(), id, true, 1).is_ok());
  REQUIRE(s->archive().set(ArchiveKind::kCheckIn, keys.identity.public_key(), id, true, 1).is_ok());
  Reader reader(*s);
  auto texts = [](const std::vector<ReflectionItem>& items) {
    std::vector<std::string> out;
    for (const auto& item : items) out.push_back(item.current.text);
    return out;
  };
  auto listed = reader.reflections(0, false, false);
  REQUIRE(listed.is_ok());
  CHECK(texts(*listed) == std::vector<std::string>{"theirs"});
  auto archived = reader.reflections(0, false, true);
  REQUIRE(archived.is_ok());
  CHECK(texts(*archived) == std::vector<std::string>{"mine"});

  auto check_ins = reader.check_ins(0, false);
  REQUIRE(check_ins.is_ok());
  REQUIRE(check_ins->size() == 1);
  CHECK(check_ins->front().words.need == "their check-in");
  auto archived_check_ins = reader.check_ins(0, true);
  REQUIRE(archived_check_ins.is_ok());
  REQUIRE(archived_check_ins->size() == 1);
  CHECK(archived_check_ins->front().words.need == "my check-in");
}
