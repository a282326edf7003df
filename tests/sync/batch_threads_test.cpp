// A large batch opens its bodies on two threads (sync/batch.cpp).
#include <doctest/doctest.h>

#include <string>

#include "../store/store_fixtures.h"
#include "store/journal.h"
#include "sync/batch.h"
#include "../sync/accept.h"
#include "wire/event_codec.h"

using namespace hearth;
using hearth::test::memory_store;
using hearth::test::random_id;

namespace {

int64_t now = 1'700'000'000'000;
int64_t clock_ms() { return now += 10; }

// `count` shared reflections written on one device, as a batch for its partner.
struct Written {
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  std::vector<wire::WireEvent> batch;

  explicit Written(int count) {
    auto s = memory_store(keys.clone());
    store::Journal j(*s, clock_ms);
    for (int i = 1; i <= count; ++i) {
      model::ReflectionPut put{random_id(), "words of event " + std::to_string(i), {}, "", {}};
      REQUIRE(j.write(put, store::Visibility::kShared).is_ok());
    }
    auto events = s->events().read_after(author(), 0, 10'000, 64 << 20);
    REQUIRE(events.is_ok());
    for (auto& e : *events) batch.push_back({e.header, e.signature, *e.body});
  }
  Key32 author() const { return keys.identity.public_key(); }
};

std::unique_ptr<store::Store> receiver_for(const Written& w) {
  auto s = memory_store();
  REQUIRE(s->keys().store_log_key(s->db(), w.author(), 1, w.keys.log_key).is_ok());
  return s;
}

}  // namespace

TEST_CASE("a batch of many events opens every body and stores them all") {
  Written w(300);
  auto s = receiver_for(w);
  auto accepted = test::accept(*s, w.author(), w.batch);
  REQUIRE(accepted.is_ok());
  CHECK(accepted->head_seq == 300);
  REQUIRE(accepted->entries.size() == 300);
  for (size_t i : {size_t{0}, size_t{149}, size_t{150}, size_t{299}}) {
    CAPTURE(i);
    const auto& put = std::get<model::ReflectionPut>(accepted->entries[i].payload);
    CHECK(put.text == "words of event " + std::to_string(i + 1));
    auto loaded = s->loader().load(accepted->entries[i].meta.ref);
    REQUIRE(loaded.is_ok());
    CHECK(std::get<model::ReflectionPut>(loaded->payload).text == put.text);
  }
  CHECK(s->events().head(w.author())->seq == 300);
}

TEST_CASE("a bad body in either half refuses the whole batch and names the first one") {
  Written w(300);
  // Events 40 and 250 fall in different halves of the batch.
  for (auto [bad, first] : {std::pair{std::vector<size_t>{40, 250}, 40},
                            std::pair{std::vector<size_t>{250}, 250},
                            std::pair{std::vector<size_t>{40}, 40}}) {
    auto batch = w.batch;
    for (size_t seq : bad) batch[seq - 1].body[30] ^= 0x01;
    auto s = receiver_for(w);
    auto refused = test::accept(*s, w.author(), batch);
    REQUIRE_FALSE(refused.is_ok());
    CAPTURE(refused.status().message());
    CHECK(refused.status().message().find("event " + std::to_string(first) + ":") !=
          std::string::npos);
    CHECK(s->events().head(w.author())->seq == 0);
  }
}
