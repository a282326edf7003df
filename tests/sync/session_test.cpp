#include <doctest/doctest.h>

#include <deque>

#include "../store/store_fixtures.h"
#include "runtime/daemon_state.h"
#include "sync/batch.h"
#include "../sync/accept.h"
#include "sync/session.h"
#include "wire/event_codec.h"

using namespace hearth;
using hearth::test::random_id;

namespace {

int64_t now = 1'700'000'000'000;
int64_t clock_ms() { return now += 10; }

struct Queue : sync::Outbox {
  std::deque<Bytes> messages;
  void send(Bytes m) override { messages.push_back(std::move(m)); }
};

// A partner's daemon state in memory.
struct Side {
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  std::unique_ptr<runtime::Unlocked> u;
  sync::UpdateHub hub;
  Queue outbox;
  std::unique_ptr<sync::Session> session;
  std::vector<sync::Update> seen;

  Side() {
    auto s = store::Store::open(":memory:", keys.clone());
    REQUIRE(s.is_ok());
    u = std::make_unique<runtime::Unlocked>(std::move(s).value(), clock_ms);
    REQUIRE(u->devices.upsert(self(), store::DeviceRole::kSelf, "me", 1).is_ok());
    hub.subscribe([this](const sync::Update& up) {
      seen.push_back(up);
      return true;
    });
  }
  Key32 self() const { return keys.identity.public_key(); }
  void pair_with(Side& other) {
    REQUIRE(u->devices.upsert(other.self(), store::DeviceRole::kPartner, "", 1).is_ok());
  }
  // What a Hello would have given: the partner's log key.
  void learn_key_of(Side& other) {
    REQUIRE(u->store->keys().store_log_key(u->store->db(), other.self(), 1, other.keys.log_key).is_ok());
  }
  void connect(Side& other) {
    session = std::make_unique<sync::Session>(runtime::session_context(*u, hub), other.self(), outbox);
    u->journal.set_listener([this](const model::EntryMeta&) { session->on_local_change(); });
  }
  model::EntryMeta write(const model::Payload& p, store::Visibility v = store::Visibility::kShared) {
    auto m = u->journal.write(p, v);
    REQUIRE(m.is_ok());
    return *m;
  }
  uint64_t head_of(const Key32& author) { return u->store->events().head(author)->seq; }
};

// Delivers messages both ways until both are quiet or one session ends.
std::optional<sync::SessionEnd> run(Side& a, Side& b, int max_steps = 100000) {
  for (int i = 0; i < max_steps; ++i) {
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

struct Pair {
  Side a, b;
  Pair() {
    a.pair_with(b);
    b.pair_with(a);
  }
  void connect() {
    a.connect(b);
    b.connect(a);
    a.session->start();
    b.session->start();
  }
};

model::ReflectionPut put(const model::EntityId& id, std::string text) {
  return model::ReflectionPut{id, std::move(text), {}, "", {}};
}

}  // namespace

TEST_CASE("offline writes on both sides converge when the sessions meet") {
  Pair p;
  for (int i = 0; i < 600; ++i) p.a.write(put(random_id(), "from a " + std::to_string(i)));
  for (int i = 0; i < 300; ++i) p.b.write(put(random_id(), "from b " + std::to_string(i)));
  p.a.write(put(random_id(), "a private one"), store::Visibility::kPrivate);
  p.connect();
  CHECK_FALSE(run(p.a, p.b).has_value());
  CHECK(p.a.head_of(p.b.self()) == 300);
  CHECK(p.b.head_of(p.a.self()) == 600);
  CHECK(p.a.session->caught_up());
  CHECK(p.b.session->caught_up());
  CHECK(p.a.session->progress().partner_has_mine == 600);
  // Both now list the same shared reflections; the private one stays home.
  auto a_list = p.a.u->reader.reflections(0, false);
  auto b_list = p.b.u->reader.reflections(0, false);
  REQUIRE(a_list.is_ok());
  REQUIRE(b_list.is_ok());
  CHECK(a_list->size() == 901);
  CHECK(b_list->size() == 900);
  CHECK(p.b.seen.size() == 600);
}

TEST_CASE("a change made while connected is pushed at once") {
  Pair p;
  p.connect();
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  p.a.write(model::Pause{30, "air"});
  CHECK(p.a.outbox.messages.size() == 1);  // pushed by the journal listener
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  auto pause = p.b.u->reader.pause(p.a.self());
  REQUIRE(pause.is_ok());
  CHECK(pause->view.paused);
  CHECK(pause->note == "air");
  REQUIRE(p.b.seen.size() == 1);
}

TEST_CASE("a boundary proposed on one side can be agreed on the other") {
  Pair p;
  p.connect();
  auto id = random_id();
  auto proposal = p.a.write(model::BoundaryPropose{id, "no phones at dinner", ""});
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  p.b.write(model::BoundaryRespond{id, proposal.event_id, model::Response::kAgree, ""});
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  for (Side* s : {&p.a, &p.b}) {
    auto b = s->u->reader.boundary(id);
    REQUIRE(b.is_ok());
    CHECK(b->view.status == model::BoundaryStatus::kAgreed);
  }
}

TEST_CASE("a forget drops the words on both devices") {
  Pair p;
  p.connect();
  auto id = random_id();
  p.a.write(put(id, "soon gone"));
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  CHECK(p.b.u->reader.reflection({p.a.self(), id}, false).is_ok());
  p.a.write(model::ReflectionForget{id});
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  CHECK(p.b.u->reader.reflection({p.a.self(), id}, false).status().code() == Code::kNotFound);
  auto st = p.b.u->store->db().prepare("SELECT count(*) FROM events WHERE body IS NULL");
  REQUIRE(*st.step());
  CHECK(st.int64(0) == 1);
}

TEST_CASE("a batch with a flipped bit is refused whole and nothing is stored") {
  for (int target = 0; target < 3; ++target) {
    Pair p;
    p.b.learn_key_of(p.a);
    for (int i = 0; i < 5; ++i) p.a.write(put(random_id(), "words " + std::to_string(i)));
    auto events = p.a.u->store->events().read_after(p.a.self(), 0, 10, 1 << 20);
    REQUIRE(events.is_ok());
    std::vector<wire::WireEvent> batch;
    for (auto& e : *events) batch.push_back({e.header, e.signature, *e.body});
    auto& victim = batch[target == 2 ? 4 : 2];  // the signature checked is the last one
    Bytes& field = target == 0 ? victim.header : target == 1 ? victim.body : victim.signature;
    field[field.size() / 2] ^= 0x10;
    auto r = test::accept(*p.b.u->store, p.a.self(), batch);
    INFO("target " << target);
    CHECK_FALSE(r.is_ok());
    CHECK(p.b.head_of(p.a.self()) == 0);
    field[field.size() / 2] ^= 0x10;  // undone: now it is accepted
    CHECK(test::accept(*p.b.u->store, p.a.self(), batch).is_ok());
    CHECK(p.b.head_of(p.a.self()) == 5);
  }
}

TEST_CASE("a flipped bit in any header field of any event refuses the batch") {
  // Offsets of schema/PROTOCOL.md §2.1: seq, lamport, wallTime, the three pointers,
  // author, prev, bodyHash. A middle event is caught by the hash chain (the
  // next event's prev, up to the signed last one), the last by its signature.
  const std::pair<const char*, size_t> fields[] = {
      {"seq", 8},       {"lamport", 16},  {"wallTime", 24}, {"author pointer", 32},
      {"prev pointer", 40}, {"bodyHash pointer", 48}, {"author", 60}, {"prev", 100},
      {"bodyHash", 130}};
  for (size_t victim : {size_t{0}, size_t{2}, size_t{4}}) {
    for (auto [name, offset] : fields) {
      Pair p;
      p.b.learn_key_of(p.a);
      for (int i = 0; i < 5; ++i) p.a.write(put(random_id(), "words " + std::to_string(i)));
      auto events = p.a.u->store->events().read_after(p.a.self(), 0, 10, 1 << 20);
      REQUIRE(events.is_ok());
      std::vector<wire::WireEvent> batch;
      for (auto& e : *events) batch.push_back({e.header, e.signature, *e.body});
      REQUIRE(batch[victim].header.size() == 152);
      batch[victim].header[offset] ^= 0x01;
      INFO("event " << victim << ", field " << name);
      CHECK_FALSE(test::accept(*p.b.u->store, p.a.self(), batch).is_ok());
      CHECK(p.b.head_of(p.a.self()) == 0);
      batch[victim].header[offset] ^= 0x01;
      CHECK(test::accept(*p.b.u->store, p.a.self(), batch).is_ok());
    }
  }
}

TEST_CASE("a pause reaches watch before the rest of a catch-up") {
  Pair p;
  const int before = 2 * static_cast<int>(wire::kMaxBatchEvents) + 10;  // several batches
  for (int i = 0; i < before; ++i) p.a.write(put(random_id(), "r" + std::to_string(i)));
  p.a.write(model::Pause{30, "a walk"});
  for (int i = 0; i < 3; ++i) p.a.write(put(random_id(), "after"));
  p.connect();
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  REQUIRE(p.b.seen.size() == static_cast<size_t>(before + 4));
  const auto* first = std::get_if<sync::PartnerChange>(&p.b.seen.front());
  REQUIRE(first != nullptr);
  CHECK(std::holds_alternative<model::Pause>(first->entry.payload));
  // The others keep their order.
  for (size_t i = 2; i < p.b.seen.size(); ++i) {
    const auto& a = std::get<sync::PartnerChange>(p.b.seen[i - 1]).entry;
    const auto& b = std::get<sync::PartnerChange>(p.b.seen[i]).entry;
    CHECK(a.meta.order < b.meta.order);
  }
}

TEST_CASE("changes held back during a catch-up are published when the connection ends") {
  Pair p;
  const int n = static_cast<int>(wire::kMaxBatchEvents) + 5;
  for (int i = 0; i < n; ++i) p.a.write(put(random_id(), "r" + std::to_string(i)));
  p.connect();
  // Deliver a's Hello and first batch to b, then the connection is gone.
  REQUIRE_FALSE(p.b.session->on_message(p.a.outbox.messages.front()).has_value());
  p.a.outbox.messages.pop_front();
  REQUIRE_FALSE(p.a.session->on_message(p.b.outbox.messages.front()).has_value());
  p.b.outbox.messages.pop_front();
  REQUIRE_FALSE(p.b.session->on_message(p.a.outbox.messages.front()).has_value());
  CHECK(p.b.head_of(p.a.self()) == wire::kMaxBatchEvents);
  CHECK(p.b.seen.empty());
  p.b.session->stop();
  CHECK(p.b.seen.size() == wire::kMaxBatchEvents);
}

TEST_CASE("a batch from an unknown author, with a gap or out of order is refused") {
  Pair p;
  p.b.learn_key_of(p.a);
  Side stranger;
  p.b.learn_key_of(stranger);
  for (int i = 0; i < 3; ++i) stranger.write(put(random_id(), "x"));
  for (int i = 0; i < 3; ++i) p.a.write(put(random_id(), "y"));
  auto mine = p.a.u->store->events().read_after(p.a.self(), 0, 10, 1 << 20);
  auto theirs = stranger.u->store->events().read_after(stranger.self(), 0, 10, 1 << 20);
  auto to_batch = [](const std::vector<store::StoredEvent>& es, std::vector<size_t> idx) {
    std::vector<wire::WireEvent> b;
    for (size_t i : idx) b.push_back({es[i].header, es[i].signature, *es[i].body});
    return b;
  };
  CHECK_FALSE(test::accept(*p.b.u->store, p.a.self(), to_batch(*theirs, {0, 1})).is_ok());
  CHECK_FALSE(test::accept(*p.b.u->store, p.a.self(), to_batch(*mine, {1, 2})).is_ok());
  CHECK_FALSE(test::accept(*p.b.u->store, p.a.self(), to_batch(*mine, {0, 2})).is_ok());
  CHECK_FALSE(test::accept(*p.b.u->store, p.a.self(), to_batch(*mine, {1, 0})).is_ok());
  CHECK(p.b.head_of(p.a.self()) == 0);
  auto ok = test::accept(*p.b.u->store, p.a.self(), to_batch(*mine, {0, 1, 2}));
  REQUIRE(ok.is_ok());
  CHECK(p.b.head_of(p.a.self()) == 3);
  // A resend of what is held is harmless.
  CHECK(test::accept(*p.b.u->store, p.a.self(), to_batch(*mine, {1, 2})).is_ok());
}

TEST_CASE("a fork is refused and reported") {
  Pair p;
  p.a.write(put(random_id(), "original"));
  p.connect();
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  // The same device key signs a different event at seq 1 (e.g. a restored
  // backup that went on writing).
  Side twin;
  twin.keys = p.a.keys.clone();
  auto s = store::Store::open(":memory:", twin.keys.clone());
  REQUIRE(s.is_ok());
  twin.u = std::make_unique<runtime::Unlocked>(std::move(s).value(), clock_ms);
  auto meta = twin.u->journal.write(put(random_id(), "different"), store::Visibility::kShared);
  REQUIRE(meta.is_ok());
  auto forked = twin.u->store->events().read_after(twin.self(), 0, 10, 1 << 20);
  std::vector<wire::WireEvent> batch{{(*forked)[0].header, (*forked)[0].signature, *(*forked)[0].body}};
  auto r = test::accept(*p.b.u->store, p.a.self(), batch);
  CHECK(r.status().code() == Code::kRefused);
  // And through a session: the Hello of the forked twin is refused.
  twin.pair_with(p.b);
  twin.connect(p.b);
  p.b.connect(twin);
  twin.session->start();
  p.b.session->start();
  auto end = run(twin, p.b);
  REQUIRE(end.has_value());
  CHECK(end->reason == wire::ByeReason::kFork);
}

TEST_CASE("messages before Hello and garbage end the session") {
  Pair p;
  p.a.connect(p.b);
  auto end = p.a.session->on_message(wire::encode_peer_message(wire::Ack{}));
  REQUIRE(end.has_value());
  CHECK(end->reason == wire::ByeReason::kProtocolError);
  Pair q;
  q.a.connect(q.b);
  Bytes junk(64, 0xAB);
  auto end2 = q.a.session->on_message(junk);
  REQUIRE(end2.has_value());
  CHECK(end2->reason == wire::ByeReason::kProtocolError);
}

TEST_CASE("a lamport out of range or jumping too far is refused") {
  Pair p;
  p.b.learn_key_of(p.a);
  auto batch_of = [&](std::vector<uint64_t> lamports) {
    std::vector<wire::WireEvent> batch;
    Hash32 prev{};
    uint64_t seq = 0;
    for (uint64_t l : lamports) {
      auto e = wire::seal_event(p.a.keys.identity, p.a.keys.log_key, ++seq, prev, l, 1,
                                put(random_id(), "x"));
      prev = e.id;
      batch.push_back({e.header_bytes, Bytes(e.signature.begin(), e.signature.end()), e.body});
    }
    return batch;
  };
  CHECK_FALSE(wire::decode_header(batch_of({wire::kMaxCounter + 1})[0].header).is_ok());
  CHECK_FALSE(test::accept(*p.b.u->store, p.a.self(), batch_of({1, 2 + wire::kMaxLamportStep})).is_ok());
  CHECK(p.b.head_of(p.a.self()) == 0);
  CHECK(test::accept(*p.b.u->store, p.a.self(), batch_of({1, 1 + wire::kMaxLamportStep})).is_ok());
}

namespace {

// The batch of `side`'s stored events of `author` from seq `from` on (all
// bodies present).
std::vector<wire::WireEvent> stored_batch(Side& side, const Key32& author, uint64_t from = 0,
                                          size_t limit = 5000) {
  auto events = side.u->store->events().read_after(author, from, limit, 64 << 20);
  REQUIRE(events.is_ok());
  std::vector<wire::WireEvent> batch;
  for (auto& e : *events) batch.push_back({e.header, e.signature, e.body ? *e.body : Bytes{}});
  return batch;
}

// A Hello as `from` would send it, with heads and keys as given.
Bytes hello_of(std::vector<wire::PeerHead> heads, std::vector<wire::PeerLogKey> keys) {
  wire::Hello h;
  h.heads = std::move(heads);
  h.log_keys = std::move(keys);
  return wire::encode_peer_message(std::move(h));
}

}  // namespace

TEST_CASE(
    "a partner's log key that starts inside what is held is refused; the entries stay readable") {
  Pair p;
  for (int i = 0; i < 5; ++i) p.a.write(put(random_id(), "readable " + std::to_string(i)));
  p.connect();
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  REQUIRE(p.b.head_of(p.a.self()) == 5);
  // A later session: A's Hello brings a key for an epoch from seq 3.
  p.b.connect(p.a);
  p.b.session->start();
  std::vector<wire::PeerLogKey> keys;
  keys.push_back({1, Secret::copy_of(p.a.keys.log_key.view())});
  keys.push_back({3, Secret::random(32)});
  auto end = p.b.session->on_message(
      hello_of({{p.a.self(), 5, **p.a.u->store->events().id_at(p.a.self(), 5)}}, std::move(keys)));
  REQUIRE(end.has_value());
  CHECK(end->reason == wire::ByeReason::kProtocolError);
  auto list = p.b.u->reader.reflections(0, false);
  REQUIRE(list.is_ok());
  REQUIRE(list->size() == 5);
  for (const auto& r : *list) CHECK(r.current.text.starts_with("readable "));
  // The key already held is no news, and a key from past the head is taken.
  p.b.connect(p.a);
  p.b.session->start();
  keys.clear();
  keys.push_back({1, Secret::copy_of(p.a.keys.log_key.view())});
  keys.push_back({6, Secret::random(32)});
  CHECK_FALSE(p.b.session->on_message(hello_of({}, std::move(keys))).has_value());
}

TEST_CASE("an entry whose words do not open shows as unavailable; lists and rebuilds go on") {
  Pair p;
  const auto bad = random_id();
  p.a.write(put(random_id(), "fine before"));
  p.a.write(put(bad, "will not open"));
  const auto boundary = random_id();
  p.a.write(model::BoundaryPropose{boundary, "will not open either", ""});
  p.a.write(put(random_id(), "fine after"));
  p.connect();
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  // The stored bodies of seq 2 and 3 no longer open with the key held.
  REQUIRE(p.b.u->store->db()
              .exec("UPDATE events SET body = zeroblob(length(body)) WHERE seq IN (2, 3)")
              .is_ok());
  auto list = p.b.u->reader.reflections(0, true);
  REQUIRE(list.is_ok());
  REQUIRE(list->size() == 3);
  int unavailable = 0;
  for (const auto& r : *list) {
    if (r.key.id == bad) {
      CHECK(r.unavailable);
      CHECK(r.current.text == store::kUnavailableText);
      ++unavailable;
    } else {
      CHECK_FALSE(r.unavailable);
      CHECK(r.current.text.starts_with("fine"));
    }
  }
  CHECK(unavailable == 1);
  auto b = p.b.u->reader.boundaries(0, true);
  REQUIRE(b.is_ok());
  REQUIRE(b->size() == 1);
  CHECK((*b)[0].revisions.at(0).words.text == store::kUnavailableText);
  // A rebuild leaves out what does not open and keeps the rest.
  REQUIRE(p.b.u->journal.rebuild_views().is_ok());
  auto rebuilt = p.b.u->reader.reflections(0, false);
  REQUIRE(rebuilt.is_ok());
  CHECK(rebuilt->size() == 2);
}

TEST_CASE("a Hello claiming more of this device's log than it wrote does not stop its sending") {
  Pair p;
  p.a.write(put(random_id(), "one"));
  p.a.write(put(random_id(), "two"));
  p.connect();
  REQUIRE_FALSE(run(p.a, p.b).has_value());
  REQUIRE(p.b.head_of(p.a.self()) == 2);
  // A new session in which B's Hello says it holds A's log up to seq 1000.
  p.a.connect(p.b);
  p.a.session->start();
  p.a.outbox.messages.clear();
  Hash32 made_up{};
  made_up[0] = 1;
  REQUIRE_FALSE(p.a.session->on_message(hello_of({{p.a.self(), 1000, made_up}}, {})).has_value());
  p.a.write(put(random_id(), "three"));
  bool sent = false;
  for (const Bytes& m : p.a.outbox.messages) {
    auto decoded = wire::decode_peer_message(m);
    REQUIRE(decoded.is_ok());
    if (auto* batch = std::get_if<wire::EventsBatch>(&*decoded)) {
      REQUIRE(batch->events.size() == 1);
      CHECK(wire::decode_header(batch->events[0].header)->seq == 3);
      sent = true;
    }
  }
  CHECK(sent);
}

TEST_CASE("an event at a held seq that its author did not sign is no proof of a fork") {
  Pair p;
  p.b.learn_key_of(p.a);
  for (int i = 0; i < 3; ++i) p.a.write(put(random_id(), "x"));
  REQUIRE(test::accept(*p.b.u->store, p.a.self(), stored_batch(p.a, p.a.self())).is_ok());
  // A different event at seq 2, in A's name, signed by someone else.
  auto events = p.a.u->store->events().read_after(p.a.self(), 1, 1, 1 << 20);
  REQUIRE(events.is_ok());
  auto other = wire::seal_event(p.a.keys.identity, p.a.keys.log_key, 2,
                                **p.a.u->store->events().id_at(p.a.self(), 1), 100, 1,
                                put(random_id(), "forged"));
  Side stranger;
  const auto forged_signature = wire::sign_event_header(stranger.keys.identity, other.header_bytes);
  std::vector<wire::WireEvent> batch{
      {other.header_bytes, Bytes(forged_signature.begin(), forged_signature.end()), other.body}};
  auto r = sync::accept_batch(*p.b.u->store, p.a.self(), batch);
  REQUIRE(r.is_ok());
  CHECK(r->kind() == sync::Verdict::Kind::kInvalid);
  // Signed by A itself, it is one.
  batch[0].signature.assign(other.signature.begin(), other.signature.end());
  auto fork = sync::accept_batch(*p.b.u->store, p.a.self(), batch);
  REQUIRE(fork.is_ok());
  CHECK(fork->kind() == sync::Verdict::Kind::kFork);
  // And a Hello naming another event of B's own log is not B's fork either.
  p.a.connect(p.b);
  p.b.connect(p.a);
  REQUIRE(p.b.u->devices.upsert(p.b.self(), store::DeviceRole::kSelf, "me", 1).is_ok());
  p.b.write(put(random_id(), "b's own"));
  Hash32 made_up{};
  made_up[0] = 7;
  auto end = p.b.session->on_message(hello_of({{p.b.self(), 1, made_up}}, {}));
  REQUIRE(end.has_value());
  CHECK(end->reason == wire::ByeReason::kProtocolError);
}

TEST_CASE("signatures a batch did not prove are kept unchecked, and never end a batch sent on") {
  Pair p;
  p.b.learn_key_of(p.a);
  const size_t n = wire::kMaxBatchEvents + 6;
  for (size_t i = 0; i < n; ++i) p.a.write(put(random_id(), "e" + std::to_string(i)));
  // B receives A's log in one batch whose event at seq 1024 carries a
  // signature A never made: the chain and the last signature still prove
  // every event.
  auto batch = stored_batch(p.a, p.a.self());
  batch[wire::kMaxBatchEvents - 1].signature[10] ^= 0xff;
  REQUIRE(test::accept(*p.b.u->store, p.a.self(), batch).is_ok());
  auto stored = p.b.u->store->events().read_after(p.a.self(), 0, n, 64 << 20);
  REQUIRE(stored.is_ok());
  CHECK_FALSE((*stored)[0].signature_checked);
  CHECK((*stored)[n - 1].signature_checked);
  // A's device comes back with an empty store and gets its log from B: the
  // first batch would end at seq 1024; it ends before it instead.
  Side restored;
  restored.keys = p.a.keys.clone();
  auto s = store::Store::open(":memory:", restored.keys.clone());
  REQUIRE(s.is_ok());
  restored.u = std::make_unique<runtime::Unlocked>(std::move(s).value(), clock_ms);
  restored.pair_with(p.b);
  restored.connect(p.b);
  p.b.connect(restored);
  restored.session->start();
  p.b.session->start();
  CHECK_FALSE(run(restored, p.b).has_value());
  CHECK(restored.head_of(restored.self()) == n);
}
