#include "client/editor.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../test_util.h"
#include "client/text.h"
#include "client_fixtures.h"

using namespace hearth::client;
using hearth::client::test::ScopedEnv;
using hearth::test::TempDir;

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string write_script(const TempDir& dir, const std::string& name, const std::string& body) {
  const std::string path = dir.path() + "/" + name;
  std::ofstream(path) << "#!/bin/sh\n" << body;
  ::chmod(path.c_str(), 0700);
  return path;
}

bool is_empty_dir(const std::string& path) {
  return std::filesystem::is_empty(std::filesystem::path(path));
}

}  // namespace

TEST_CASE("strip_editor_text drops comment lines and trims blank space") {
  CHECK(strip_editor_text("hello\n# comment\nworld\n") == "hello\nworld");
  CHECK(strip_editor_text("\n\n  first\n\nsecond  \n\n# trailing\n") == "first\n\nsecond");
  CHECK(strip_editor_text("windows\r\n#c\r\nlines\r\n") == "windows\nlines");
  CHECK(strip_editor_text("# only comments\n#\n") == "");
  CHECK(strip_editor_text("") == "");
  CHECK(strip_editor_text("not # a comment") == "not # a comment");
  CHECK(strip_editor_text(" # indented is kept") == "# indented is kept");
}

TEST_CASE("the editor template reads back as the text it was filled with") {
  const std::string t = editor_template("my text\nsecond line", "reflection", "It stays private.");
  CHECK(t.rfind("my text\nsecond line\n", 0) == 0);
  CHECK(t.find("# Lines starting with '#' are left out") != std::string::npos);
  CHECK(t.find("# It stays private.") != std::string::npos);
  CHECK(strip_editor_text(t) == "my text\nsecond line");
  CHECK(strip_editor_text(editor_template("", "reflection", "")) == "");
}

TEST_CASE("the editor works on a private file outside the home and it is wiped afterwards") {
  TempDir runtime;
  TempDir scripts;
  const std::string editor =
      write_script(scripts, "editor.sh",
                   "stat -c %a \"$1\" > " + scripts.path() + "/mode\n" + "dirname \"$1\" > " +
                       scripts.path() + "/where\n" + "cp \"$1\" " + scripts.path() + "/seen\n" +
                       "printf 'my words\\n# a comment\\n\\n' > \"$1\"\n");
  ScopedEnv rt("XDG_RUNTIME_DIR", runtime.path().c_str());
  ScopedEnv visual("VISUAL", nullptr);
  ScopedEnv ed("EDITOR", editor.c_str());
  CHECK(editor_temp_dir() == runtime.path());
  CHECK(editor_configured());

  auto text = edit_in_editor(editor_template("old text", "reflection", ""));
  REQUIRE(text.is_ok());
  CHECK(strip_editor_text(*text) == "my words");
  CHECK(std::string(trim(slurp(scripts.path() + "/mode"))) == "600");
  CHECK(std::string(trim(slurp(scripts.path() + "/where"))) == runtime.path());
  CHECK(slurp(scripts.path() + "/seen").rfind("old text\n", 0) == 0);
  CHECK(is_empty_dir(runtime.path()));
}

TEST_CASE("an editor command may carry arguments") {
  TempDir runtime;
  TempDir scripts;
  const std::string script = write_script(scripts, "e.sh", "printf '%s' \"$1\" > \"$2\"\n");
  const std::string command = "sh " + script + " from-args";
  ScopedEnv rt("XDG_RUNTIME_DIR", runtime.path().c_str());
  ScopedEnv visual("VISUAL", command.c_str());
  auto text = edit_in_editor("");
  REQUIRE(text.is_ok());
  CHECK(*text == "from-args");
  CHECK(is_empty_dir(runtime.path()));
}

TEST_CASE("an editor that fails saves nothing and leaves no file behind") {
  TempDir runtime;
  TempDir scripts;
  const std::string editor = write_script(scripts, "fail.sh", "printf 'half' > \"$1\"\nexit 1\n");
  ScopedEnv rt("XDG_RUNTIME_DIR", runtime.path().c_str());
  ScopedEnv visual("VISUAL", editor.c_str());
  auto text = edit_in_editor("draft");
  REQUIRE_FALSE(text.is_ok());
  CHECK(text.status().code() == hearth::Code::kInvalidArgument);
  CHECK(is_empty_dir(runtime.path()));

  ScopedEnv missing("VISUAL", "/nonexistent/editor-for-hearth");
  auto none = edit_in_editor("draft");
  REQUIRE_FALSE(none.is_ok());
  CHECK(none.status().message().find("cannot start the editor") != std::string::npos);
  CHECK(is_empty_dir(runtime.path()));
}

TEST_CASE("text from the daemon is made safe for the terminal") {
  CHECK(terminal_safe("calm\ttext\nnext") == "calm\ttext\nnext");
  CHECK(terminal_safe("\x1b]0;title\x07") == "\xEF\xBF\xBD]0;title\xEF\xBF\xBD");
  CHECK(terminal_safe("c1 \xC2\x9B"
                      "31m") ==
        "c1 \xEF\xBF\xBD"
        "31m");
  CHECK(terminal_safe("one\ntwo", false) == "one two");
  CHECK(terminal_safe("gefühlt ♥") == "gefühlt ♥");
}
