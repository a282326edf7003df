// Two devices, each a whole unlocked store with a sync session, run against
// each other in one process: no sockets, no timers (the sync tests).
#pragma once

#include <doctest/doctest.h>

#include <algorithm>
#include <deque>

#include "../store/store_fixtures.h"
#include "../test_util.h"
#include "runtime/daemon_state.h"
#include "store/partnership.h"
#include "sync/session.h"

namespace hearth::test {

inline int64_t now_ms = 1'700'000'000'000;
inline int64_t clock_ms() { return now_ms += 10; }

struct Queue : sync::Outbox {
  std::deque<Bytes> messages;
  void send(Bytes m) override { messages.push_back(std::move(m)); }
};

struct Device {
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  std::string path = ":memory:";
  std::unique_ptr<runtime::Unlocked> u;
  sync::UpdateHub hub;
  Queue outbox;
  std::unique_ptr<sync::Session> session;

  Device() { open(); }
  explicit Device(std::string db_path) : path(std::move(db_path)) { open(); }
  void open() {
    session.reset();
    u.reset();
    auto s = store::Store::open(path, keys.clone());
    REQUIRE(s.is_ok());
    u = std::make_unique<runtime::Unlocked>(std::move(s).value(), clock_ms);
    REQUIRE(u->devices.upsert(self(), store::DeviceRole::kSelf, "me", 1).is_ok());
  }
  Key32 self() const { return keys.identity.public_key(); }
  void pair_with(const Device& other, std::string address = "", bool send_earlier = false) {
    auto paired = store::pair_partner(
        *u->store, store::NewPartner{other.self(), "", address, "manual", send_earlier},
        clock_ms());
    REQUIRE(paired.is_ok());
  }
  store::UnpairSummary unpair(bool erase = false) {
    auto summary = store::unpair(*u->store, erase);
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
  uint64_t head_of(const Key32& author) { return u->store->events().head(author)->seq; }
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
inline std::optional<sync::SessionEnd> sync_pair(Device& a, Device& b) {
  a.outbox.messages.clear();
  b.outbox.messages.clear();
  a.session = std::make_unique<sync::Session>(runtime::session_context(*a.u, a.hub), b.self(), a.outbox);
  b.session = std::make_unique<sync::Session>(runtime::session_context(*b.u, b.hub), a.self(), b.outbox);
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

}  // namespace hearth::test
