// A boundary from stored events to what `hearth` prints: Reader -> present()
// -> control.capnp -> the client's decoder -> text, markdown and JSON.
#include "control/present.h"

#include <capnp/message.h>
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "../store/store_fixtures.h"
#include "client/control_codec.h"
#include "client/export.h"
#include "client/render_text.h"
#include "store/reader.h"
#include "wire/capnp_message.h"
#include "wire/event_codec.h"

using namespace hearth;
using hearth::test::memory_store;
using hearth::test::random_id;

namespace {

constexpr int64_t kStart = 1'700'000'000'000;

// Two devices writing events into one store (the first is this device).
struct TwoLogs {
  crypto::KeyMaterial me = crypto::KeyMaterial::generate();
  crypto::KeyMaterial partner = crypto::KeyMaterial::generate();
  std::unique_ptr<store::Store> store;
  uint64_t lamport = 0;
  uint64_t seq[2] = {0, 0};
  Hash32 prev[2] = {};

  TwoLogs() : store(memory_store(me.clone())) {
    REQUIRE(store->keys()
                .store_log_key(store->db(), partner.identity.public_key(), 1, partner.log_key)
                .is_ok());
  }

  // Seals the next event of one author; with `below`, retries other wall
  // times until the event ID sorts below it (hash order unlike lamport order).
  Hash32 add(bool mine, const model::Payload& p, const Hash32* below = nullptr) {
    auto& keys = mine ? me : partner;
    const int who = mine ? 0 : 1;
    ++lamport;
    int64_t wall = kStart + static_cast<int64_t>(lamport) * 60'000;
    wire::SealedEvent e;
    do {
      e = wire::seal_event(keys.identity, keys.log_key, seq[who] + 1, prev[who], lamport, wall++,
                           p);
    } while (below != nullptr && !(e.id < *below));
    ++seq[who];
    prev[who] = e.id;
    auto row = store->events().insert(e, true);
    REQUIRE(row.is_ok());
    auto entry = store->loader().load({model::EntryRef::Source::kShared, *row});
    REQUIRE(entry.is_ok());
    REQUIRE(store->views().apply(*entry).is_ok());
    return e.id;
  }
};

client::Boundary presented(TwoLogs& logs, const model::EntityId& id) {
  store::Reader reader(*logs.store);
  auto item = reader.boundary(id);
  REQUIRE(item.is_ok());
  capnp::MallocMessageBuilder message;
  control::Viewer viewer{logs.me.identity.public_key(), kStart + 86'400'000, 0};
  control::present(viewer, *item, message.initRoot<control::Response>().initBoundary());
  Bytes frame = wire::to_frame(message);
  auto reply = client::decode_reply(ByteView(frame).subspan(wire::kFrameHeaderBytes));
  REQUIRE(reply.is_ok());
  REQUIRE(std::holds_alternative<client::Boundary>(*reply));
  return std::get<client::Boundary>(std::move(*reply));
}

// Asserts that the needles occur in `text` in the order given.
void check_in_order(const std::string& text, std::initializer_list<std::string> needles) {
  size_t at = 0;
  for (const auto& n : needles) {
    CAPTURE(n);
    size_t found = text.find(n, at);
    CHECK(found != std::string::npos);
    if (found != std::string::npos) at = found + n.size();
  }
}

}  // namespace

TEST_CASE("revisions are numbered in the order they were made, not by event id") {
  TwoLogs logs;
  const model::EntityId b = random_id();
  using R = model::Response;
  Hash32 r1 = logs.add(true, model::BoundaryPropose{b, "No calls after 22:00.", ""});
  logs.add(false, model::BoundaryRespond{b, r1, R::kAgree, "yes to this"});
  Hash32 r2 = logs.add(false, model::BoundaryPropose{b, "No calls after 20:00.", ""}, &r1);
  logs.add(true, model::BoundaryRespond{b, r2, R::kDecline, "too early for me"});
  Hash32 r3 = logs.add(true, model::BoundaryPropose{b, "No calls after 21:00.", ""}, &r2);
  REQUIRE(r3 < r2);
  REQUIRE(r2 < r1);  // event ids sort 3, 2, 1

  client::Boundary shown = presented(logs, b);
  REQUIRE(shown.revisions.size() == 3);
  CHECK(shown.status == "renegotiating");
  CHECK(shown.text == "No calls after 21:00.");
  CHECK(shown.in_force_text == "No calls after 22:00.");
  const char* texts[] = {"No calls after 22:00.", "No calls after 20:00.", "No calls after 21:00."};
  const bool mine[] = {true, false, true};
  for (unsigned i = 0; i < 3; ++i) {
    CAPTURE(i);
    CHECK(shown.revisions[i].number == i + 1);
    CHECK(shown.revisions[i].text == texts[i]);
    CHECK(shown.revisions[i].mine == mine[i]);
  }
  CHECK(shown.revisions[0].id == Bytes(r1.begin(), r1.end()));
  CHECK(shown.revisions[0].partner_note == "yes to this");
  CHECK(shown.revisions[1].my_response == "decline");
  CHECK(shown.revisions[1].my_note == "too early for me");
  CHECK(shown.revisions[2].partner_response.empty());

  const std::string text = client::text_boundary(shown, kStart + 86'400'000);
  check_in_order(text, {"1. you, ", "No calls after 22:00.", "2. your partner, ",
                        "No calls after 20:00.", "3. you, ", "No calls after 21:00."});
  CHECK(text.find("Waiting for your partner's answer.") != std::string::npos);

  client::ExportData data;
  data.boundaries = {shown};
  const std::string md = client::export_markdown(data, kStart + 86'400'000);
  check_in_order(
      md, {"1. you, ", "No calls after 22:00.", "'yes to this'", "2. your partner, ",
           "No calls after 20:00.", "'too early for me'", "3. you, ", "No calls after 21:00."});

  nlohmann::json doc = nlohmann::json::parse(client::export_json(data, kStart));
  const auto& revs = doc["boundaries"][0]["revisions"];
  REQUIRE(revs.size() == 3);
  for (unsigned i = 0; i < 3; ++i) {
    CHECK(revs[i]["number"] == i + 1);
    CHECK(revs[i]["text"] == texts[i]);
  }
  CHECK(revs[0]["partner_note"] == "yes to this");
  CHECK(revs[1]["my_note"] == "too early for me");
}
