// `hearth ui` handing over to `hearth-ui` (client/ui/ui.h).
#include <unistd.h>

#include <charconv>
#include <climits>
#include <string>
#include <vector>

#include "client/command_util.h"
#include "client/ui/ui.h"
#include "util/files.h"

namespace hearth::client {
namespace {

constexpr const char* kProgram = "hearth-ui";

std::string running_program_dir() {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  std::string path(buf, static_cast<size_t>(n));
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

bool whole_int(const std::string& text, int low, int high, int& out) {
  int v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < low || v > high) return false;
  out = v;
  return true;
}

}  // namespace

std::string ui_program_path() {
  const std::string dir = running_program_dir();
  if (dir.empty()) return {};
  for (const std::string& candidate :
       {dir + "/" + kProgram, dir + "/../libexec/hearth/" + kProgram}) {
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return {};
}

std::vector<std::string> ui_program_args(const GlobalOptions& g, const UiOptions& o) {
  std::vector<std::string> args = {"--home", g.home, "--port", std::to_string(o.port),
                                   "--linger", std::to_string(o.linger_seconds)};
  if (o.no_open) args.push_back("--no-open");
  if (g.json) args.push_back("--json");
  return args;
}

Result<std::pair<GlobalOptions, UiOptions>> parse_ui_program_args(
    const std::vector<std::string>& args) {
  GlobalOptions g;
  UiOptions o;
  bool home = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has_value = i + 1 < args.size();
    if (a == "--home" && has_value) {
      g.home = args[++i];
      home = !g.home.empty();
    } else if (a == "--port" && has_value) {
      if (!whole_int(args[++i], 0, 65535, o.port)) return Status::invalid("bad --port");
    } else if (a == "--linger" && has_value) {
      if (!whole_int(args[++i], 1, 86400, o.linger_seconds)) return Status::invalid("bad --linger");
    } else if (a == "--no-open") {
      o.no_open = true;
    } else if (a == "--json") {
      g.json = true;
    } else {
      return Status::invalid("hearth-ui is started by `hearth ui`; run that instead");
    }
  }
  if (!home) return Status::invalid("hearth-ui is started by `hearth ui`; run that instead");
  return std::make_pair(g, o);
}

int exec_ui_program(Context& ctx, const UiOptions& o) {
  const std::string program = ui_program_path();
  if (program.empty()) {
    return fail(ctx, Status::unavailable(std::string("hearth ui needs the program ") + kProgram +
                                         ", which should be installed with hearth; "
                                         "reinstalling Hearth brings it back"));
  }
  GlobalOptions g = ctx.global;
  g.home = ctx.paths.home;
  std::vector<std::string> args = ui_program_args(g, o);
  std::vector<char*> argv;
  std::string name = kProgram;
  argv.push_back(name.data());
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  ctx.out << std::flush;
  ctx.err << std::flush;
  ::execv(program.c_str(), argv.data());
  return fail(ctx, Status::unavailable("cannot start " + program));
}

}  // namespace hearth::client
