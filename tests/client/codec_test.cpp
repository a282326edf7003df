#include <capnp/message.h>
#include <doctest/doctest.h>

#include "client/control_codec.h"
#include "client_fixtures.h"
#include "schema/control.capnp.h"
#include "wire/capnp_message.h"

using namespace hearth;
using namespace hearth::client;
using namespace hearth::client::test;
namespace ctl = hearth::control;

namespace {

std::string str(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

// The message bytes (no length prefix) of a Response built by `fill`.
template <typename Fill>
Bytes response_bytes(Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message.initRoot<ctl::Response>());
  return wire::to_bytes(message);
}

}  // namespace

TEST_CASE("reflect_add builds a reflectAdd request with every field") {
  ReflectAddRequest a{"I felt calm", true, {"calm", "tired"}, "evening-1", "a1b2c3d4"};
  auto reader = parse_request(request::reflect_add(a));
  auto r = reader.root<ctl::Request>();
  REQUIRE(r.which() == ctl::Request::REFLECT_ADD);
  auto add = r.getReflectAdd();
  CHECK(str(add.getText()) == "I felt calm");
  CHECK(add.getShare());
  REQUIRE(add.getFeelings().size() == 2);
  CHECK(str(add.getFeelings()[1]) == "tired");
  CHECK(str(add.getPromptId()) == "evening-1");
  CHECK(str(add.getReplyToPrefix()) == "a1b2c3d4");
}

TEST_CASE("requests carry their arguments") {
  SUBCASE("pause") {
    auto reader = parse_request(request::pause(45, "a walk"));
    auto r = reader.root<ctl::Request>();
    REQUIRE(r.which() == ctl::Request::PAUSE);
    CHECK(r.getPause().getMinutes() == 45);
    CHECK(str(r.getPause().getNote()) == "a walk");
  }
  SUBCASE("boundary respond") {
    auto reader = parse_request(request::boundary_respond("abcd", Answer::kDiscuss, "later"));
    auto r = reader.root<ctl::Request>();
    REQUIRE(r.which() == ctl::Request::BOUNDARY_RESPOND);
    CHECK(str(r.getBoundaryRespond().getIdPrefix()) == "abcd");
    CHECK(r.getBoundaryRespond().getResponse() == hearth::schema::Response::DISCUSS);
    CHECK(str(r.getBoundaryRespond().getNote()) == "later");
  }
  SUBCASE("check-in") {
    auto reader = parse_request(request::check_in({Capacity::kYellow, {"tired"}, "quiet", true}));
    auto r = reader.root<ctl::Request>();
    REQUIRE(r.which() == ctl::Request::CHECK_IN);
    CHECK(r.getCheckIn().getCapacity() == hearth::schema::Capacity::YELLOW);
    CHECK(str(r.getCheckIn().getNeed()) == "quiet");
    CHECK(r.getCheckIn().getShare());
  }
  SUBCASE("reflect list for an export") {
    auto reader = parse_request(request::reflect_list(0, true));
    auto r = reader.root<ctl::Request>();
    REQUIRE(r.which() == ctl::Request::REFLECT_LIST);
    CHECK(r.getReflectList().getLimit() == 0);
    CHECK(r.getReflectList().getWithHistory());
  }
  SUBCASE("reflect edit keeping the feelings") {
    auto reader = parse_request(request::reflect_edit({"abcd", "new", true, {}}));
    auto r = reader.root<ctl::Request>();
    REQUIRE(r.which() == ctl::Request::REFLECT_EDIT);
    CHECK(r.getReflectEdit().getKeepFeelings());
    CHECK(str(r.getReflectEdit().getText()) == "new");
  }
  SUBCASE("pair join, unpair and config set") {
    auto join = parse_request(request::pair_join("maple-otter", "10.0.0.2:7420"));
    CHECK(str(join.root<ctl::Request>().getPairJoin().getAddress()) == "10.0.0.2:7420");
    auto unpair = parse_request(request::unpair(true));
    CHECK(unpair.root<ctl::Request>().getUnpair().getEraseShared());
    auto set = parse_request(request::config_set("discovery", "off"));
    CHECK(str(set.root<ctl::Request>().getConfigSet().getValue()) == "off");
  }
  SUBCASE("void requests") {
    CHECK(parse_request(request::status()).root<ctl::Request>().which() == ctl::Request::STATUS);
    CHECK(parse_request(request::watch()).root<ctl::Request>().which() == ctl::Request::WATCH);
    CHECK(parse_request(request::sync_progress()).root<ctl::Request>().which() ==
          ctl::Request::SYNC_PROGRESS);
  }
}

TEST_CASE("the unlock request carries the passphrase in one well-formed frame") {
  for (size_t n : {1u, 7u, 8u, 9u, 100u, 1024u}) {
    CAPTURE(n);
    Secret pass = Secret::copy_of(std::string(n, 'p'));
    Secret frame = request::unlock(pass);
    Bytes copy(frame.view().begin(), frame.view().end());
    auto reader = parse_request(copy);
    auto r = reader.root<ctl::Request>();
    REQUIRE(r.which() == ctl::Request::UNLOCK);
    auto got = r.getUnlock().getPassphrase();
    CHECK(std::string(reinterpret_cast<const char*>(got.begin()), got.size()) ==
          std::string(n, 'p'));
  }
}

TEST_CASE("decode_reply reads a list of reflections") {
  Bytes msg = response_bytes([](ctl::Response::Builder r) {
    auto list = r.initReflections(2);
    list[0].setId(kj::arrayPtr(id_bytes(0xab).data(), 16));
    list[0].setMine(true);
    list[0].setShared(true);
    list[0].setCreatedAt(kNow);
    list[0].setText("first");
    auto f = list[0].initFeelings(1);
    f.set(0, "calm");
    list[0].setPartnerHasIt(true);
    auto history = list[0].initHistory(2);
    history[0].setText("draft");
    history[1].setText("first");
    list[1].setText("second");
  });
  auto reply = decode_reply(msg);
  REQUIRE(reply.is_ok());
  auto* list = std::get_if<std::vector<Reflection>>(&*reply);
  REQUIRE(list != nullptr);
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].id == id_bytes(0xab));
  CHECK((*list)[0].mine);
  CHECK((*list)[0].partner_has_it);
  CHECK((*list)[0].feelings == std::vector<std::string>{"calm"});
  CHECK((*list)[0].history.size() == 2);
  CHECK((*list)[0].history[0].text == "draft");
  CHECK((*list)[1].text == "second");
  CHECK_FALSE((*list)[1].mine);
}

TEST_CASE("decode_reply turns a daemon error into a DaemonError") {
  Bytes msg = response_bytes([](ctl::Response::Builder r) {
    auto e = r.initError();
    e.setCode(ctl::ErrorCode::LOCKED);
    e.setMessage("hearthd is locked");
  });
  auto reply = decode_reply(msg);
  REQUIRE(reply.is_ok());
  auto* error = std::get_if<DaemonError>(&*reply);
  REQUIRE(error != nullptr);
  CHECK(error->code == DaemonErrorCode::kLocked);
  CHECK(error->message == "hearthd is locked");
}

TEST_CASE("decode_reply reads boundaries and watch updates") {
  Bytes msg = response_bytes([](ctl::Response::Builder r) {
    auto b = r.initBoundaries(1)[0];
    b.setStatus(ctl::BoundaryStatus::RENEGOTIATING);
    b.setInForceText("old words");
    auto revs = b.initRevisions(2);
    revs[1].setNumber(2);
    revs[1].setMyResponse("agree");
  });
  auto reply = decode_reply(msg);
  REQUIRE(reply.is_ok());
  auto& list = std::get<std::vector<Boundary>>(*reply);
  CHECK(list[0].status == "renegotiating");
  CHECK(list[0].in_force_text == "old words");
  CHECK(list[0].revisions[1].my_response == "agree");

  Bytes update = response_bytes([](ctl::Response::Builder r) {
    auto p = r.initUpdate().initPause();
    p.setActive(true);
    p.setNote("need some air");
  });
  auto u = decode_reply(update);
  REQUIRE(u.is_ok());
  auto& upd = std::get<Update>(*u);
  CHECK(upd.kind == Update::Kind::kPause);
  CHECK(upd.pause.note == "need some air");
}

TEST_CASE("decode_reply refuses garbage, truncated and oversized messages") {
  CHECK(decode_reply(Bytes{}).status().code() == Code::kCorrupt);
  CHECK(decode_reply(Bytes(7, 0)).status().code() == Code::kCorrupt);
  // A segment table claiming far more words than there are.
  Bytes lying = {0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  CHECK_FALSE(decode_reply(lying).is_ok());
  // A root pointer that points outside its segment.
  Bytes wild = {0, 0, 0, 0, 1, 0, 0, 0, 0xf0, 0xff, 0xff, 0x0f, 1, 0, 1, 0};
  CHECK_FALSE(decode_reply(wild).is_ok());
  Bytes ok = response_bytes([](ctl::Response::Builder r) { r.setOk(); });
  CHECK(decode_reply(ok).is_ok());
}
