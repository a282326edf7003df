// hearth ui's pure parts: who may talk to it (client/ui/guard.h), the JSON
// API's routing and limits against a fake daemon (client/ui/api.h), and the
// embedded front end (client/ui/assets.h).
#include <doctest/doctest.h>

#include <string>

#include "client/ui/api.h"
#include "client/ui/assets.h"
#include "client/ui/guard.h"
#include "client_fixtures.h"

namespace hearth::client::ui {
namespace {

using test::FakeDaemon;
using test::parse_request;

TEST_CASE("accepts only the served loopback address and port as Host") {
  CHECK(host_allowed("127.0.0.1:8123", 8123));
  CHECK(host_allowed(" 127.0.0.1:8123 ", 8123));
  CHECK_FALSE(host_allowed("127.0.0.1:8124", 8123));
  CHECK_FALSE(host_allowed("127.0.0.1", 8123));
  CHECK_FALSE(host_allowed("localhost:8123", 8123));
  CHECK_FALSE(host_allowed("evil.example:8123", 8123));
  CHECK_FALSE(host_allowed("127.0.0.1:8123.evil.example", 8123));
  CHECK_FALSE(host_allowed("", 8123));
}

TEST_CASE("accepts only the served origin on state-changing requests") {
  CHECK(origin_allowed("http://127.0.0.1:8123", 8123));
  CHECK_FALSE(origin_allowed("", 8123));
  CHECK_FALSE(origin_allowed("null", 8123));
  CHECK_FALSE(origin_allowed("https://127.0.0.1:8123", 8123));
  CHECK_FALSE(origin_allowed("http://127.0.0.1:9999", 8123));
  CHECK_FALSE(origin_allowed("http://evil.example", 8123));
}

TEST_CASE("exchanges the launch secret for the session token once") {
  Sessions s("a1b2", "t0k3n");
  CHECK_FALSE(s.valid_cookie("hearth_ui=t0k3n"));  // not before the exchange
  CHECK_FALSE(s.exchange("wrong").has_value());
  CHECK_FALSE(s.exchange("").has_value());
  auto token = s.exchange("a1b2");
  REQUIRE(token.has_value());
  CHECK(*token == "t0k3n");
  SUBCASE("a second exchange, even with the right secret, gets nothing") {
    CHECK_FALSE(s.exchange("a1b2").has_value());
  }
  SUBCASE("the cookie is checked among others") {
    CHECK(s.valid_cookie("hearth_ui=t0k3n"));
    CHECK(s.valid_cookie("theme=dark; hearth_ui=t0k3n"));
    CHECK(s.valid_cookie("hearth_ui=stale; hearth_ui=t0k3n"));
    CHECK_FALSE(s.valid_cookie(""));
    CHECK_FALSE(s.valid_cookie("hearth_ui=t0k3"));
    CHECK_FALSE(s.valid_cookie("hearth_ui=t0k3nX"));
    CHECK_FALSE(s.valid_cookie("other=t0k3n"));
  }
}

TEST_CASE("makes fresh random secrets for each server") {
  Sessions a, b;
  CHECK(a.launch_secret().size() == 64);
  CHECK(a.launch_secret() != b.launch_secret());
}

TEST_CASE("sets the session cookie HttpOnly and SameSite=Strict") {
  const std::string c = session_cookie("abc");
  CHECK(c.find("hearth_ui=abc") == 0);
  CHECK(c.find("HttpOnly") != std::string::npos);
  CHECK(c.find("SameSite=Strict") != std::string::npos);
  CHECK(cookie_value("a=1; hearth_ui=xyz ; b=2", "hearth_ui") == std::optional<std::string>("xyz"));
  CHECK_FALSE(cookie_value("a=1", "hearth_ui").has_value());
}

// Two connections to port 0x1F90 (8080): one from uid 1000 (local port
// 0xA000), one from uid 65534 (0xA002); the server's own socket too.
constexpr std::string_view kTcp =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 100 1 0 100 0 0 10 0\n"
    "   1: 0100007F:A000 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 101 1 0 20 4 30 10 -1\n"
    "   2: 0100007F:1F90 0100007F:A000 01 00000000:00000000 00:00000000 00000000  1000        0 102 1 0 20 4 30 10 -1\n"
    "   3: 0100007F:A002 0100007F:1F90 01 00000000:00000000 00:00000000 00000000 65534        0 103 1 0 20 4 30 10 -1\n";

TEST_CASE("finds the uid that owns the client end of a loopback connection") {
  CHECK(peer_uid(kTcp, "127.0.0.1", 0xA000, 0x1F90) == std::optional<uid_t>(1000));
  CHECK(peer_uid(kTcp, "127.0.0.1", 0xA002, 0x1F90) == std::optional<uid_t>(65534));
  CHECK_FALSE(peer_uid(kTcp, "127.0.0.1", 0xA004, 0x1F90).has_value());
  CHECK_FALSE(peer_uid(kTcp, "127.0.0.1", 0xA000, 0x1F91).has_value());
  CHECK_FALSE(peer_uid(kTcp, "not an address", 0xA000, 0x1F90).has_value());
  CHECK_FALSE(peer_uid("", "127.0.0.1", 0xA000, 0x1F90).has_value());
  CHECK_FALSE(peer_uid("header only\n   1: garbage\n", "127.0.0.1", 0xA000, 0x1F90).has_value());
}

control::Request::Which which_of(const Bytes& frame) {
  auto reader = parse_request(frame);
  return reader.root<control::Request>().which();
}

ApiResponse run(FakeDaemon& d, std::string method, std::string path, Params params = {}) {
  Api api(d, [](std::string_view, std::string) {});
  return api.handle({std::move(method), std::move(path), std::move(params)});
}

TEST_CASE("routes each path and method to its control request") {
  FakeDaemon d;
  d.answer(Ok{});
  ApiResponse r = run(d, "POST", "/api/pause", {{"minutes", "30"}, {"note", "a walk"}});
  CHECK(r.status == 200);
  CHECK(r.body == "{\"ok\":true}\n");
  REQUIRE(d.requests.size() == 1);
  CHECK(which_of(d.requests[0]) == control::Request::PAUSE);
  auto req = parse_request(d.requests[0]);
  CHECK(req.root<control::Request>().getPause().getMinutes() == 30);

  SUBCASE("a GET route answers with its method only") {
    CHECK(run(d, "GET", "/api/pause").status == 404);
    CHECK(run(d, "POST", "/api/state").status == 404);
    CHECK(run(d, "GET", "/api/nothing-here").status == 404);
    CHECK(d.requests.size() == 1);
  }
}

TEST_CASE("refuses malformed fields before anything reaches the daemon") {
  FakeDaemon d;
  CHECK(run(d, "POST", "/api/pause", {{"minutes", "5"}}).status == 400);
  CHECK(run(d, "POST", "/api/pause", {{"minutes", "30x"}}).status == 400);
  CHECK(run(d, "POST", "/api/pause", {{"minutes", "99999999999999"}}).status == 400);
  CHECK(run(d, "POST", "/api/checkin", {{"capacity", "purple"}}).status == 400);
  CHECK(run(d, "POST", "/api/reflect/add", {{"text", "   "}}).status == 400);
  CHECK(run(d, "POST", "/api/reflect/share", {{"id", "zz"}}).status == 400);
  CHECK(run(d, "POST", "/api/unpair", {}).status == 400);  // needs confirm
  CHECK(run(d, "POST", "/api/config/set", {{"key", "name"}, {"value", "x"}}).status == 400);
  CHECK(run(d, "GET", "/api/today", {{"date", "today"}}).status == 400);
  CHECK(d.requests.empty());
}

TEST_CASE("refuses a field longer than kMaxFieldBytes, and too many fields") {
  FakeDaemon d;
  ApiResponse big = run(d, "POST", "/api/reflect/add",
                        {{"text", std::string(kMaxFieldBytes + 1, 'a')}});
  CHECK(big.status == 413);
  CHECK(big.body.find("64 KiB") != std::string::npos);
  Params many;
  for (int i = 0; i < 100; ++i) many.emplace("feeling", "calm");
  CHECK(run(d, "POST", "/api/checkin", many).status == 400);
  CHECK(d.requests.empty());
}

TEST_CASE("a saved reflection discards the draft it came from") {
  FakeDaemon d;
  Reflection saved;
  saved.mine = true;
  d.answer(saved);
  d.answer(Ok{});
  ApiResponse r = run(d, "POST", "/api/reflect/add",
                      {{"text", "words"}, {"share", "1"}, {"draft", "reflection"}});
  CHECK(r.status == 200);
  REQUIRE(d.requests.size() == 2);
  CHECK(which_of(d.requests[0]) == control::Request::REFLECT_ADD);
  CHECK(parse_request(d.requests[0]).root<control::Request>().getReflectAdd().getShare());
  CHECK(which_of(d.requests[1]) == control::Request::DRAFT_DISCARD);
}

TEST_CASE("maps daemon errors to HTTP statuses with their sentence") {
  FakeDaemon d;
  d.answer(DaemonError{DaemonErrorCode::kLocked, "hearthd is locked"});
  ApiResponse r = run(d, "GET", "/api/reflections");
  CHECK(r.status == 423);
  CHECK(r.body.find("\"locked\"") != std::string::npos);
  d.fail_with(Status::unavailable("hearthd is not running"));
  CHECK(run(d, "GET", "/api/log").status == 503);
  d.answer(DaemonError{DaemonErrorCode::kWrongPassphrase, "no"});
  CHECK(run(d, "POST", "/api/unlock", {{"passphrase", "x"}}).status == 403);
}

TEST_CASE("embeds the front end, and nothing from elsewhere") {
  const Asset* index = find_asset("/");
  REQUIRE(index != nullptr);
  CHECK(index->type == "text/html; charset=utf-8");
  CHECK(find_asset("/app.js") != nullptr);
  CHECK(find_asset("/style.css") != nullptr);
  CHECK(find_asset("/index.html") == nullptr);
  CHECK(find_asset("/../CMakeLists.txt") == nullptr);
  for (const Asset& a : assets()) {
    INFO(a.path);
    // Only the SVG namespace, which names and loads nothing, may look like an address.
    std::string body(a.body);
    const std::string ns = "http://www.w3.org/2000/svg";
    for (size_t at; (at = body.find(ns)) != std::string::npos;) body.erase(at, ns.size());
    CHECK(body.find("http://") == std::string::npos);
    CHECK(body.find("https://") == std::string::npos);
    CHECK(a.body.find("<style") == std::string_view::npos);
    CHECK(a.body.find("style=\"") == std::string_view::npos);
    CHECK(a.body.find("innerHTML") == std::string_view::npos);
  }
}

}  // namespace
}  // namespace hearth::client::ui
