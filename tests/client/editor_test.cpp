#include "client/editor.h"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../test_util.h"
#include "client/draft.h"
#include "client/text.h"
#include "client_fixtures.h"

using namespace hearth::client;
using hearth::client::test::ScopedEnv;
using hearth::test::TempDir;
namespace fs = std::filesystem;

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

bool is_empty_dir(const std::string& path) { return fs::is_empty(fs::path(path)); }

unsigned mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("every line written in the editor is kept, lines starting with # too") {
  CHECK(draft_text("hello\n# a heading\nworld\n") == "hello\n# a heading\nworld");
  CHECK(draft_text("#1 thing I noticed\n#2 another\n") == "#1 thing I noticed\n#2 another");
  CHECK(draft_text("\n\n  first\n\nsecond  \n\n") == "first\n\nsecond");
  CHECK(draft_text("windows\r\n#c\r\nlines\r\n") == "windows\n#c\nlines");
  CHECK(draft_text("a lone \r stays") == "a lone \r stays");
  CHECK(draft_text(" \n\t\n") == "");
  CHECK(draft_text("") == "");
}

TEST_CASE("a too-long text is named with its size and the limit") {
  CHECK(too_long_message(70 * 1024, "reflection") ==
        "The text is 70 KiB; a reflection holds at most 64 KiB, so nothing was saved.");
  CHECK(too_long_message(kMaxEntryFile + 1, "reflection") ==
        "The text is more than 256 KiB; a reflection holds at most 64 KiB, so nothing was "
        "saved.");
}

TEST_CASE("the editor is $VISUAL, then $EDITOR, then sensible-editor, then vi") {
  TempDir bin;
  ScopedEnv path("PATH", bin.path().c_str());
  ScopedEnv visual("VISUAL", "my-visual");
  ScopedEnv editor("EDITOR", "my-editor");
  CHECK(editor_command() == "my-visual");
  CHECK(editor_configured());
  {
    ScopedEnv no_visual("VISUAL", "");
    CHECK(editor_command() == "my-editor");
    ScopedEnv no_editor("EDITOR", nullptr);
    CHECK_FALSE(editor_configured());
    CHECK(editor_command() == "vi");  // sensible-editor is not installed
    write_script(bin, "sensible-editor", "exit 0\n");
    CHECK(editor_command() == "sensible-editor");
  }
}

TEST_CASE("a draft is a private file in a private directory of its own in $XDG_RUNTIME_DIR") {
  TempDir runtime;
  ScopedEnv rt("XDG_RUNTIME_DIR", runtime.path().c_str());
  std::string dir;
  {
    auto draft = Draft::create("first words\n", "reflection.txt");
    REQUIRE(draft.is_ok());
    dir = draft->dir();
    CHECK(fs::path(dir).parent_path() == fs::path(runtime.path()));
    CHECK(fs::path(dir).filename().string().rfind("hearth-draft-", 0) == 0);
    CHECK(draft->path() == dir + "/reflection.txt");
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(draft->path()) == 0600);
    CHECK(slurp(draft->path()) == "first words\n");
    CHECK(is_hearth_draft(draft->path()));
    // An editor's swap file and backup land beside it, and go with it.
    std::ofstream(dir + "/.reflection.txt.swp") << "first words, swapped";
    fs::create_directory(dir + "/undo");
    std::ofstream(dir + "/undo/1") << "first words, undone";
  }
  CHECK_FALSE(fs::exists(dir));
  CHECK(is_empty_dir(runtime.path()));
}

TEST_CASE("a kept draft stays until Hearth's own wipe, which removes only its drafts") {
  TempDir runtime;
  ScopedEnv rt("XDG_RUNTIME_DIR", runtime.path().c_str());
  std::string path;
  {
    auto draft = Draft::create("keep me\n", "reflection.txt");
    REQUIRE(draft.is_ok());
    path = draft->path();
    draft->keep();
  }
  REQUIRE(fs::exists(path));
  CHECK(slurp(path) == "keep me\n");
  CHECK(is_hearth_draft(path));
  REQUIRE(wipe_draft_of(path).is_ok());
  CHECK(is_empty_dir(runtime.path()));

  // Other files are never taken for drafts.
  const std::string mine = runtime.path() + "/notes.txt";
  std::ofstream(mine) << "my own notes";
  CHECK_FALSE(is_hearth_draft(mine));
  fs::create_directory(runtime.path() + "/hearth-draft-abcdef");
  ::chmod((runtime.path() + "/hearth-draft-abcdef").c_str(), 0755);  // others can enter
  std::ofstream(runtime.path() + "/hearth-draft-abcdef/reflection.txt") << "x";
  CHECK_FALSE(is_hearth_draft(runtime.path() + "/hearth-draft-abcdef/reflection.txt"));
  CHECK_FALSE(is_hearth_draft("reflection.txt"));
  CHECK_FALSE(is_hearth_draft(runtime.path() + "/hearth-draft-abcdef"));
}

TEST_CASE("without $XDG_RUNTIME_DIR drafts go to memory of this user's, never to /tmp") {
  ScopedEnv rt("XDG_RUNTIME_DIR", nullptr);
  auto root = draft_root();
  if (!root) {
    // Only where neither /run/user/UID nor a tmpfs /dev/shm exists.
    CHECK(root.status().code() == hearth::Code::kRefused);
    CHECK(root.status().message().find("--from FILE") != std::string::npos);
    return;
  }
  const std::string run_user = "/run/user/" + std::to_string(::geteuid());
  CHECK((*root == run_user || *root == "/dev/shm"));
  auto draft = Draft::create("", "reflection.txt");
  REQUIRE(draft.is_ok());
  CHECK(mode_of(draft->dir()) == 0700);
  const std::string dir = draft->dir();
  draft->wipe();
  CHECK_FALSE(fs::exists(dir));
}

TEST_CASE("the editor works on the draft's file, and its exit is reported") {
  TempDir runtime;
  TempDir scripts;
  ScopedEnv rt("XDG_RUNTIME_DIR", runtime.path().c_str());
  ScopedEnv visual("VISUAL", nullptr);

  SUBCASE("an editor that writes") {
    const std::string editor = write_script(scripts, "editor.sh",
                                            "stat -c %a \"$1\" > " + scripts.path() + "/mode\n" +
                                                "cp \"$1\" " + scripts.path() + "/seen\n" +
                                                "printf '# my heading\\nmy words\\n' > \"$1\"\n");
    ScopedEnv ed("EDITOR", editor.c_str());
    auto draft = Draft::create("old text\n", "reflection.txt");
    REQUIRE(draft.is_ok());
    REQUIRE(run_editor(*draft).is_ok());
    CHECK(std::string(trim(slurp(scripts.path() + "/mode"))) == "600");
    CHECK(slurp(scripts.path() + "/seen") == "old text\n");
    auto text = read_text_file(draft->path());
    REQUIRE(text.is_ok());
    CHECK(draft_text(*text) == "# my heading\nmy words");
  }
  SUBCASE("an editor command with arguments") {
    const std::string script = write_script(scripts, "e.sh", "printf '%s' \"$1\" > \"$2\"\n");
    const std::string command = "sh " + script + " from-args";
    ScopedEnv ed("EDITOR", command.c_str());
    auto draft = Draft::create("", "reflection.txt");
    REQUIRE(draft.is_ok());
    REQUIRE(run_editor(*draft).is_ok());
    CHECK(slurp(draft->path()) == "from-args");
  }
  SUBCASE("an editor that fails") {
    const std::string editor = write_script(scripts, "fail.sh", "printf 'half' > \"$1\"\nexit 1\n");
    ScopedEnv ed("EDITOR", editor.c_str());
    auto draft = Draft::create("", "reflection.txt");
    REQUIRE(draft.is_ok());
    const hearth::Status st = run_editor(*draft);
    CHECK(st.code() == hearth::Code::kInvalidArgument);
    CHECK(st.message() == "Your editor ended with an error, so nothing was saved.");
  }
  SUBCASE("an editor that is not installed") {
    ScopedEnv ed("EDITOR", "/nonexistent/editor-for-hearth");
    auto draft = Draft::create("", "reflection.txt");
    REQUIRE(draft.is_ok());
    const hearth::Status st = run_editor(*draft);
    CHECK(st.message().find("cannot start the editor") != std::string::npos);
  }
  CHECK(is_empty_dir(runtime.path()));
}

TEST_CASE("SIGTERM and SIGHUP wipe an unsaved draft, then end the process") {
  for (int sig : {SIGTERM, SIGHUP}) {
    CAPTURE(sig);
    TempDir runtime;
    ScopedEnv rt("XDG_RUNTIME_DIR", runtime.path().c_str());
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      auto draft = Draft::create("words that must not stay\n", "reflection.txt");
      if (!draft) ::_exit(10);
      ::raise(sig);
      ::_exit(11);  // not reached: the signal ends the process
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    CHECK(WIFSIGNALED(status));
    if (WIFSIGNALED(status)) CHECK(WTERMSIG(status) == sig);
    CHECK(is_empty_dir(runtime.path()));
  }
}

TEST_CASE("Ctrl-C while the words are on their way to hearthd keeps the draft and says where") {
  TempDir runtime;
  ScopedEnv rt("XDG_RUNTIME_DIR", runtime.path().c_str());
  int err[2];
  REQUIRE(::pipe(err) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(err[1], STDERR_FILENO);
    auto draft = Draft::create("words on their way\n", "reflection.txt");
    if (!draft) ::_exit(10);
    draft->keep_on_interrupt("kept in " + draft->path() + "\n");
    ::raise(SIGINT);
    ::_exit(11);  // not reached
  }
  ::close(err[1]);
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);
  char buf[4096];
  const ssize_t n = ::read(err[0], buf, sizeof(buf));
  ::close(err[0]);
  REQUIRE(n > 0);
  const std::string note(buf, static_cast<size_t>(n));
  REQUIRE(note.rfind("kept in ", 0) == 0);
  const std::string path = note.substr(8, note.size() - 9);
  CHECK(slurp(path) == "words on their way\n");
  CHECK(is_hearth_draft(path));
  CHECK(wipe_draft_of(path).is_ok());
}

TEST_CASE("a file given with --from is read whole, up to a bound") {
  TempDir dir;
  const std::string path = dir.path() + "/words.txt";
  std::ofstream(path) << "\n# heading\nline\r\n";
  auto text = read_text_file(path);
  REQUIRE(text.is_ok());
  CHECK(draft_text(*text) == "# heading\nline");

  std::ofstream(path) << std::string(kMaxEntryFile + 100, 'x');
  auto big = read_text_file(path);
  REQUIRE(big.is_ok());
  CHECK(big->size() == kMaxEntryFile + 1);

  auto missing = read_text_file(dir.path() + "/none.txt");
  CHECK(missing.status().code() == hearth::Code::kInvalidArgument);
  CHECK(read_text_file(dir.path()).status().message().find("is a folder") != std::string::npos);
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
