// Control requests against a real, unlocked daemon state in a temporary home,
// built with the client's own request builders and read with its decoder.
#include "control/handler.h"

#include <doctest/doctest.h>

#include "../store/store_fixtures.h"
#include "../test_util.h"
#include "runtime/daemon_state.h"
#include "client/control_codec.h"
#include "control/server.h"
#include "store/home.h"
#include "wire/capnp_message.h"

using namespace hearth;

namespace {

class Sink final : public control::ResponseSink {
 public:
  std::vector<Bytes> frames;
  void send(Bytes frame) override { frames.push_back(std::move(frame)); }
  void finish() override { open_ = false; }
  bool is_open() const override { return open_; }

 private:
  bool open_ = true;
};

struct Home {
  test::TempDir dir;
  HomePaths paths{dir.path() + "/home"};
  std::unique_ptr<runtime::DaemonState> state;
  std::unique_ptr<control::Handler> handler;

  Home() {
    auto key = store::init_home(paths, store::InitOptions{"Sam", nullptr});
    REQUIRE(key.is_ok());
    state = std::make_unique<runtime::DaemonState>(paths, *key, false, store::system_clock_ms);
    REQUIRE(state->unlock(nullptr).is_ok());
    handler = std::make_unique<control::Handler>(*state);
  }

  // Sends a framed request as the CLI would and decodes the one reply.
  client::Reply ask(const Bytes& frame) {
    auto sink = std::make_shared<Sink>();
    handler->handle(ByteView(frame).subspan(wire::kFrameHeaderBytes), sink);
    REQUIRE(sink->frames.size() == 1);
    auto reply = client::decode_reply(ByteView(sink->frames[0]).subspan(wire::kFrameHeaderBytes));
    REQUIRE(reply.is_ok());
    return std::move(reply).value();
  }

  client::DaemonError error(const Bytes& frame) {
    client::Reply reply = ask(frame);
    REQUIRE(std::holds_alternative<client::DaemonError>(reply));
    return std::get<client::DaemonError>(reply);
  }
};

}  // namespace

TEST_CASE("a short id that matches nothing says how to give one") {
  Home home;
  auto reflection = client::request::reflect_show("abcd1234");
  auto e = home.error(reflection);
  CHECK(e.code == client::DaemonErrorCode::kNotFound);
  CHECK(e.message ==
        "no reflection matches the ID abcd1234; give it as the lists show it, or the start or "
        "end of its full ID");
  e = home.error(client::request::boundary_respond("abcd1234", client::Answer::kAgree, ""));
  CHECK(e.message.rfind("no boundary matches the ID abcd1234;", 0) == 0);
}

TEST_CASE("a short id that matches several says so and asks for more of it") {
  Home home;
  client::ReflectAddRequest add{"one", false, {}, "", ""};
  for (int i = 0; i < 2; ++i) {
    client::Reply written = home.ask(client::request::reflect_add(add));
    REQUIRE(std::holds_alternative<client::Reflection>(written));
  }
  // Entry ids start with their creation time: two written together share a start.
  client::Reply list = home.ask(client::request::reflect_list(0, false));
  const auto& items = std::get<std::vector<client::Reflection>>(list);
  REQUIRE(items.size() == 2);
  const std::string start = to_hex(items[0].id).substr(0, 6);
  REQUIRE(to_hex(items[1].id).substr(0, 6) == start);
  auto e = home.error(client::request::reflect_show(start));
  CHECK(e.code == client::DaemonErrorCode::kUsage);
  CHECK(e.message == "more than one reflection matches the ID " + start + "; type more of the ID");
  // The end the lists show finds one, and so does the start of what they show.
  const std::string end = to_hex(items[0].id).substr(24);
  CHECK(std::holds_alternative<client::Reflection>(home.ask(client::request::reflect_show(end))));
  const std::string shown_start = end.substr(0, 5);
  auto found = home.ask(client::request::reflect_show(shown_start));
  REQUIRE(std::holds_alternative<client::Reflection>(found));
  CHECK(std::get<client::Reflection>(found).id == items[0].id);
}

TEST_CASE("the rebuild request recomputes the views and changes nothing") {
  Home home;
  client::ReflectAddRequest add{"kept", true, {"calm"}, "", ""};
  REQUIRE(std::holds_alternative<client::Reflection>(home.ask(client::request::reflect_add(add))));
  add.share = false;
  REQUIRE(std::holds_alternative<client::Reflection>(home.ask(client::request::reflect_add(add))));
  REQUIRE(std::holds_alternative<client::Boundary>(
      home.ask(client::request::boundary_propose("Knock first.", ""))));
  store::Db& db = home.state->unlocked()->store->db();
  const std::string before = test::dump_views(db);
  CHECK(std::holds_alternative<client::Ok>(home.ask(client::request::rebuild_views())));
  CHECK(test::dump_views(db) == before);
  auto list = home.ask(client::request::reflect_list(0, false));
  CHECK(std::get<std::vector<client::Reflection>>(list).size() == 2);
}
