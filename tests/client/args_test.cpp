#include "client/args.h"

#include <doctest/doctest.h>

#include "crypto/identity.h"

using namespace hearth::client;

TEST_CASE("pause durations in minutes and hours are accepted") {
  CHECK(*parse_pause_duration("20m") == 20);
  CHECK(*parse_pause_duration("90m") == 90);
  CHECK(*parse_pause_duration("2h") == 120);
  CHECK(*parse_pause_duration("1h30m") == 90);
  CHECK(*parse_pause_duration("1h 30m") == 90);
  CHECK(*parse_pause_duration("1H30M") == 90);
  CHECK(*parse_pause_duration("24h") == 1440);
  CHECK(*parse_pause_duration(" 45m ") == 45);
}

TEST_CASE("pause durations outside 20 minutes to 24 hours are refused") {
  for (const char* text : {"5m", "19m", "0h", "25h", "24h1m", "1441m"}) {
    CAPTURE(text);
    auto r = parse_pause_duration(text);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == hearth::Code::kInvalidArgument);
  }
}

TEST_CASE("garbage durations are refused") {
  for (const char* text :
       {"", "30", "m", "h30", "1.5h", "30s", "1m1h", "1h1h", "abc", "-30m", "99999m", "30m30m"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_pause_duration(text).is_ok());
  }
}

TEST_CASE("id prefixes are 4 to 64 hex characters, returned in lower case") {
  CHECK(*parse_id_prefix("a1b2") == "a1b2");
  CHECK(*parse_id_prefix("A1B2C3D4") == "a1b2c3d4");
  CHECK(*parse_id_prefix(std::string(64, 'f')) == std::string(64, 'f'));
  CHECK_FALSE(parse_id_prefix("abc").is_ok());
  CHECK_FALSE(parse_id_prefix("").is_ok());
  CHECK_FALSE(parse_id_prefix("zz12").is_ok());
  CHECK_FALSE(parse_id_prefix("a1b2-c3").is_ok());
  CHECK_FALSE(parse_id_prefix(std::string(65, 'a')).is_ok());
}

TEST_CASE("a device ID is accepted as printed and in any case, and a typo is refused") {
  hearth::Key32 key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 7 + 1);
  const std::string id = hearth::crypto::format_device_id(key);
  CHECK(*parse_device_id_arg(id) == id);
  std::string lower = id;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  CHECK(*parse_device_id_arg(lower) == id);
  CHECK(*parse_device_id_arg("  " + id + "\n") == id);

  std::string typo = id;
  typo[3] = typo[3] == 'A' ? 'B' : 'A';
  auto r = parse_device_id_arg(typo);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == hearth::Code::kInvalidArgument);
  CHECK_FALSE(parse_device_id_arg(id.substr(0, 20)).is_ok());
}

TEST_CASE("a refused device ID says what is wrong with it") {
  hearth::Key32 key{};
  for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 5 + 3);
  const std::string id = hearth::crypto::format_device_id(key);
  auto message = [](const std::string& text) {
    auto r = parse_device_id_arg(text);
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.status().code() == hearth::Code::kInvalidArgument);
    CHECK(r.status().message().find("Copy it exactly as `hearth id` prints it") !=
          std::string::npos);
    return r.status().message();
  };

  SUBCASE("too short or too long, counted without dashes") {
    std::string m = message(id.substr(0, id.size() - 8));  // the last group and its dash
    CHECK(m.find("a device ID has 56 characters") != std::string::npos);
    CHECK(m.find("this one has 49") != std::string::npos);
    CHECK(message(id + "-ABC").find("this one has 59") != std::string::npos);
  }
  SUBCASE("a character outside the alphabet is named, a control character safely") {
    std::string typo = id;
    typo[2] = '#';
    CHECK(message(typo).find("'#' is not one of them") != std::string::npos);
    typo[2] = '\x1b';
    std::string m = message(typo);
    CHECK(m.find("the byte 0x1B") != std::string::npos);
    CHECK(m.find('\x1b') == std::string::npos);
  }
  SUBCASE("a typo the check characters catch") {
    std::string typo = id;
    typo.back() = typo.back() == 'A' ? 'B' : 'A';  // a check character
    CHECK(message(typo).find("has a typo: its check characters do not match") != std::string::npos);
  }
}

TEST_CASE("addresses are normalised to HOST:PORT") {
  CHECK(*parse_address("192.168.1.20:7420") == "192.168.1.20:7420");
  CHECK(*parse_address("laptop.local") == "laptop.local:7420");
  CHECK(*parse_address("[fe80::1]:9000") == "[fe80::1]:9000");
  CHECK(*parse_address("[::1]") == "[::1]:7420");
  CHECK(*parse_address(" host:1 ") == "host:1");
}

TEST_CASE("bad addresses are refused") {
  for (const char* text : {"", ":7420", "host:", "host:0", "host:65536", "host:port", "::1", "[::1",
                           "[]:1", "[::1]x", "a b:1", "host:12345678"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_address(text).is_ok());
  }
}

TEST_CASE("capacity is green, yellow or red") {
  CHECK(*parse_capacity("green") == Capacity::kGreen);
  CHECK(*parse_capacity("Yellow") == Capacity::kYellow);
  CHECK(*parse_capacity("RED") == Capacity::kRed);
  CHECK_FALSE(parse_capacity("purple").is_ok());
  CHECK_FALSE(parse_capacity("").is_ok());
}

TEST_CASE("feelings are trimmed words on one line") {
  CHECK(*parse_feeling(" calm ") == "calm");
  CHECK_FALSE(parse_feeling("  ").is_ok());
  CHECK_FALSE(parse_feeling("two\nlines").is_ok());
}
