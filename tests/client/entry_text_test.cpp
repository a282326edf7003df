// Words written for an entry, through the commands that take them: the
// editor opens only when hearthd can save them, and nothing written is lost.
#include "client/entry_text.h"

#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "client/draft.h"
#include "client/editor.h"
#include "client_fixtures.h"
#include "schema/control.capnp.h"

using namespace hearth;
using namespace hearth::client;
using namespace hearth::client::test;
using nlohmann::json;
namespace ctl = hearth::control;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string str(capnp::Text::Reader t) { return std::string(t.begin(), t.size()); }

// $XDG_RUNTIME_DIR in a temporary directory, and an $EDITOR script that
// notes that it ran and what it was given, then writes `writes` (printf
// format) into the file.
struct EditorSetup {
  explicit EditorSetup(const std::string& writes = "my words\\n") {
    const std::string script = scripts.path() + "/editor.sh";
    std::ofstream(script) << "#!/bin/sh\n"
                          << "touch " << ran() << "\n"
                          << "cp \"$1\" " << seen() << "\n"
                          << "printf '" << writes << "' > \"$1\"\n";
    ::chmod(script.c_str(), 0700);
    editor_path = script;
    xdg.emplace("XDG_RUNTIME_DIR", runtime.path().c_str());
    visual.emplace("VISUAL", nullptr);
    editor.emplace("EDITOR", editor_path.c_str());
  }
  std::string ran() const { return scripts.path() + "/ran"; }
  std::string seen() const { return scripts.path() + "/seen"; }
  bool editor_ran() const { return fs::exists(ran()); }

  // The drafts left in the runtime directory.
  std::vector<std::string> drafts() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(runtime.path()))
      out.push_back(entry.path().string() + "/reflection.txt");
    return out;
  }

  hearth::test::TempDir runtime;
  hearth::test::TempDir scripts;
  std::string editor_path;
  std::optional<ScopedEnv> xdg, visual, editor;
};

StatusInfo ready() {
  StatusInfo s;
  s.device_id = "MFRGGZD";
  return s;
}

Reflection written(const std::string& text) {
  Reflection r;
  r.id = id_bytes(0xa1);
  r.mine = true;
  r.text = text;
  return r;
}

ctl::Request::Which kind_of(const Bytes& frame) {
  auto reader = parse_request(frame);
  return reader.root<ctl::Request>().which();
}

std::string added_text(const Bytes& frame) {
  auto reader = parse_request(frame);
  return str(reader.root<ctl::Request>().getReflectAdd().getText());
}

}  // namespace

TEST_CASE("reflect add opens the editor only once hearthd runs and is unlocked") {
  EditorSetup setup;
  SUBCASE("not running") {
    Harness h;
    h.daemon.fail_with(Status::unavailable(not_running_message("/home/a/.local/share/hearth")));
    CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitUnavailable);
    CHECK(contains(h.err.str(), "hearthd is not running"));
    CHECK(contains(h.err.str(), "Hearth opens your editor only once it can save what you write."));
  }
  SUBCASE("locked") {
    Harness h(true);
    StatusInfo locked = ready();
    locked.locked = true;
    h.daemon.answer(locked);
    CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitUnavailable);
    CHECK(json::parse(h.out.str())["error"]["code"] == "locked");
    CHECK(contains(h.err.str(), "Hearth is locked: run `hearth unlock` first."));
  }
  CHECK_FALSE(setup.editor_ran());
  CHECK(setup.drafts().empty());
}

TEST_CASE("the editor starts empty, the instructions are on the terminal, and every line is kept") {
  EditorSetup setup("# Tuesday\\n\\n#1 thing I noticed: I slept\\n\\n");
  Harness h;
  h.daemon.answer(ready());
  h.daemon.answer(written("# Tuesday\n\n#1 thing I noticed: I slept"));
  CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitOk);
  CHECK(slurp(setup.seen()).empty());
  CHECK(contains(h.err.str(),
                 "Write your reflection, then save and close the editor.\n"
                 "It stays private on this device unless you share it.\n"
                 "Every line you write is kept. An empty text saves nothing.\n"));
  REQUIRE(h.daemon.requests.size() == 2);
  CHECK(kind_of(h.daemon.requests[0]) == ctl::Request::STATUS);
  CHECK(added_text(h.daemon.requests[1]) == "# Tuesday\n\n#1 thing I noticed: I slept");
  CHECK(setup.drafts().empty());  // wiped once saved
}

TEST_CASE("an empty text from the editor saves nothing, says so, and leaves no draft") {
  EditorSetup setup(" \\n\\n");
  Harness h;
  h.daemon.answer(ready());
  CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitUsage);
  CHECK(contains(h.err.str(), "Nothing was written, so nothing was saved."));
  CHECK(h.daemon.requests.size() == 1);
  CHECK(setup.drafts().empty());
}

TEST_CASE("words from the editor that hearthd does not take are kept, with how to save them") {
  EditorSetup setup("words that matter\\n");
  Harness h;
  h.daemon.answer(ready());
  std::string heading;
  SUBCASE("hearthd stopped while the editor was open") {
    h.daemon.fail_with(Status::unavailable(not_running_message(h.ctx.paths.home)));
    heading = "Once hearthd runs, save them with:";
  }
  SUBCASE("hearthd was locked meanwhile") {
    h.daemon.answer(DaemonError{DaemonErrorCode::kLocked, "Hearth is locked"});
    heading = "Once Hearth is unlocked (`hearth unlock`), save them with:";
  }
  SUBCASE("hearthd refused them") {
    h.daemon.answer(DaemonError{DaemonErrorCode::kRefused, "not now"});
    heading = "To save them, run:";
  }
  SUBCASE("hearthd answered something unexpected") {
    h.daemon.answer(std::vector<Reflection>{});
    heading = "To save them, run:";
  }
  ReflectAddOptions o;
  o.share = true;
  o.feelings = {"calm", "a bit shaky"};
  CHECK(run_reflect_add(h.ctx, o) != kExitOk);

  const std::vector<std::string> drafts = setup.drafts();
  REQUIRE(drafts.size() == 1);
  const std::string& draft = drafts[0];
  CHECK(slurp(draft) == "words that matter\n");
  const std::string err = h.err.str();
  CHECK(contains(err, "Your words are not lost. They are kept in a file only you can read"));
  CHECK(contains(err, "\n  " + draft + "\n"));
  CHECK(contains(err, heading + "\n  hearth --home " + h.ctx.global.home +
                          " reflect add --share --feeling calm --feeling 'a bit shaky' --from " +
                          draft + "\n"));

  // Saved from the kept draft later, which is then wiped.
  Harness later;
  later.daemon.answer(written("words that matter"));
  ReflectAddOptions retry = o;
  retry.from_file = draft;
  CHECK(run_reflect_add(later.ctx, retry) == kExitOk);
  REQUIRE(later.daemon.requests.size() == 1);  // no status check: no editor opens
  CHECK(added_text(later.daemon.requests[0]) == "words that matter");
  CHECK(contains(later.err.str(), "The kept draft " + draft + " is wiped"));
  CHECK(setup.drafts().empty());
}

TEST_CASE("a kept draft's path is in the --json error document") {
  EditorSetup setup("words\\n");
  Harness h(true);
  h.daemon.answer(ready());
  h.daemon.answer(DaemonError{DaemonErrorCode::kRefused, "not now"});
  CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitRefused);
  json doc = json::parse(h.out.str());
  CHECK(doc["error"]["code"] == "refused");
  REQUIRE(setup.drafts().size() == 1);
  CHECK(doc["error"]["draft"] == setup.drafts()[0]);
}

TEST_CASE("too long a text from the editor is kept, and the limit is named") {
  EditorSetup setup;
  // The editor appends 70 KiB to the file.
  std::ofstream(setup.scripts.path() + "/editor.sh")
      << "#!/bin/sh\nhead -c 71680 /dev/zero | tr '\\0' 'a' > \"$1\"\n";
  Harness h;
  h.daemon.answer(ready());
  CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitUsage);
  CHECK(h.daemon.requests.size() == 1);  // only the status check
  const std::string err = h.err.str();
  CHECK(contains(err,
                 "The text is 70 KiB; a reflection holds at most 64 KiB, so nothing was saved."));
  REQUIRE(setup.drafts().size() == 1);
  CHECK(fs::file_size(setup.drafts()[0]) == 71680);
  CHECK(contains(err, "Shorten them there, then save them with:\n  hearth --home "));
}

TEST_CASE(
    "an editor that fails after words were written keeps them; one that wrote nothing does not") {
  SUBCASE("words written") {
    EditorSetup setup;
    std::ofstream(setup.scripts.path() + "/editor.sh")
        << "#!/bin/sh\nprintf 'half a thought\\n' > \"$1\"\nexit 1\n";
    Harness h;
    h.daemon.answer(ready());
    CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitUsage);
    CHECK(contains(h.err.str(), "Your editor ended with an error, so nothing was saved."));
    REQUIRE(setup.drafts().size() == 1);
    CHECK(slurp(setup.drafts()[0]) == "half a thought\n");
  }
  SUBCASE("nothing written") {
    EditorSetup setup;
    std::ofstream(setup.scripts.path() + "/editor.sh") << "#!/bin/sh\nexit 1\n";
    Harness h;
    h.daemon.answer(ready());
    CHECK(run_reflect_add(h.ctx, ReflectAddOptions{}) == kExitUsage);
    CHECK(setup.drafts().empty());
  }
}

TEST_CASE(
    "reflect add --from reads a file, leaves one that is not Hearth's, and takes no TEXT too") {
  hearth::test::TempDir dir;
  const std::string file = dir.path() + "/evening.txt";
  std::ofstream(file) << "\n# Evening\nIt was a good day.\n";
  Harness h;
  h.daemon.answer(written("# Evening\nIt was a good day."));
  ReflectAddOptions o;
  o.from_file = file;
  CHECK(run_reflect_add(h.ctx, o) == kExitOk);
  CHECK(added_text(h.daemon.requests.at(0)) == "# Evening\nIt was a good day.");
  CHECK(fs::exists(file));
  CHECK_FALSE(contains(h.err.str(), "wiped"));

  Harness both;
  o.text = "also this";
  CHECK(run_reflect_add(both.ctx, o) == kExitUsage);
  CHECK(contains(both.err.str(), "Give the text or --from FILE, not both."));
  CHECK(both.daemon.requests.empty());

  Harness failing;
  failing.daemon.fail_with(Status::unavailable("hearthd is not running"));
  ReflectAddOptions again;
  again.from_file = file;
  CHECK(run_reflect_add(failing.ctx, again) == kExitUnavailable);
  CHECK(contains(failing.err.str(), "Your words are still in " + file + ".\n"));
  CHECK(contains(failing.err.str(), "reflect add --from " + file));
  CHECK(fs::exists(file));
}

TEST_CASE("reflect edit keeps the edited words when saving fails") {
  EditorSetup setup("the new version\\n");
  Harness h;
  Reflection current = written("the old version");
  h.daemon.answer(current);
  h.daemon.answer(ready());
  h.daemon.answer(DaemonError{DaemonErrorCode::kRefused, "not now"});
  ReflectEditOptions o;
  o.id = "a1a1a1a1";
  CHECK(run_reflect_edit(h.ctx, o) == kExitRefused);
  CHECK(slurp(setup.seen()) == "the old version\n");
  REQUIRE(setup.drafts().size() == 1);
  CHECK(slurp(setup.drafts()[0]) == "the new version\n");
  CHECK(
      contains(h.err.str(), "reflect edit " + to_hex(current.id) + " --from " + setup.drafts()[0]));
}

TEST_CASE("shell_quote leaves plain words and quotes the rest") {
  CHECK(shell_quote("calm") == "calm");
  CHECK(shell_quote("/run/user/1000/hearth-draft-Ab1/reflection.txt") ==
        "/run/user/1000/hearth-draft-Ab1/reflection.txt");
  CHECK(shell_quote("a bit shaky") == "'a bit shaky'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
  CHECK(shell_quote("$HOME") == "'$HOME'");
}
