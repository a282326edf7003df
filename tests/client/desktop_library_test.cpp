// Loading the desktop's libraries when a command needs them
// (client/desktop_library.h), and `hearth ui` handing over to `hearth-ui`
// (client/ui/ui.h).
#include <doctest/doctest.h>

#include "client/desktop_library.h"
#include "client/ui/ui.h"

namespace hearth::client {

TEST_CASE("a missing desktop library says which package brings it, and what needs it") {
  auto lib = DesktopLibrary::open("libhearth-not-here.so.9", "libhearth-not-here9",
                                  "Something of Hearth's");
  REQUIRE_FALSE(lib.is_ok());
  CHECK(lib.status().code() == Code::kUnavailable);
  const std::string m = lib.status().message();
  CHECK(m.find("Something of Hearth's needs libhearth-not-here.so.9") != std::string::npos);
  CHECK(m.find("sudo apt install libhearth-not-here9") != std::string::npos);
}

TEST_CASE("a desktop library's functions are found by name, and a missing one is an error") {
  // The C library is loaded in every process: a library that is certainly there.
  auto lib = DesktopLibrary::open("libc.so.6", "libc6", "A test");
  REQUIRE(lib.is_ok());
  size_t (*length)(const char*) = nullptr;
  REQUIRE(lib->find(length, "strlen").is_ok());
  REQUIRE(reinterpret_cast<void*>(length) != nullptr);
  CHECK(length("hearth") == 6);
  void (*missing)() = nullptr;
  const Status st = lib->find(missing, "hearth_no_such_function");
  CHECK(st.code() == Code::kUnavailable);
  CHECK(st.message().find("hearth_no_such_function") != std::string::npos);
  CHECK(reinterpret_cast<void*>(missing) == nullptr);
}

TEST_CASE("hearth ui gives hearth-ui its home and options, and hearth-ui reads them back") {
  GlobalOptions g;
  g.home = "/home/sam/.local/share/hearth";
  g.json = true;
  UiOptions o;
  o.port = 8123;
  o.no_open = true;
  o.linger_seconds = 5;
  auto back = parse_ui_program_args(ui_program_args(g, o));
  REQUIRE(back.is_ok());
  CHECK(back->first.home == g.home);
  CHECK(back->first.json);
  CHECK(back->second.port == 8123);
  CHECK(back->second.no_open);
  CHECK(back->second.linger_seconds == 5);

  // The defaults, too.
  auto plain = parse_ui_program_args(ui_program_args(GlobalOptions{"/h", false}, UiOptions{}));
  REQUIRE(plain.is_ok());
  CHECK_FALSE(plain->first.json);
  CHECK(plain->second.port == 0);
  CHECK_FALSE(plain->second.no_open);
  CHECK(plain->second.linger_seconds == 60);
}

TEST_CASE("hearth-ui refuses arguments that hearth ui would not give it") {
  using Args = std::vector<std::string>;
  for (const Args& bad : {Args{}, Args{"--port", "80"}, Args{"--home", ""},
                          Args{"--home", "/h", "--port", "70000"},
                          Args{"--home", "/h", "--port", "12x"},
                          Args{"--home", "/h", "--linger", "0"}, Args{"--home", "/h", "--open"},
                          Args{"--home"}, Args{"--home", "/h", "--port"}}) {
    auto parsed = parse_ui_program_args(bad);
    CHECK_FALSE(parsed.is_ok());
    if (!parsed.is_ok()) CHECK(parsed.status().code() == Code::kInvalidArgument);
  }
}

}  // namespace hearth::client
