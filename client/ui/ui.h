// `hearth ui`: the desktop client (docs/DESIGN.md §10). Serves the app in
// client/ui/web on 127.0.0.1, opens it in the default browser, and talks to
// hearthd only through the control socket, as the CLI does. Everything
// behind it (HTTP, threads) stays in client/ui/.
//
// The server is a program of its own, `hearth-ui` (client/ui/program.cpp),
// which `hearth ui` replaces itself with once its options are checked: the
// HTTP library and what it loads (OpenSSL, compression) would otherwise be
// loaded by every command, a few milliseconds each (docs/ARCHITECTURE.md
// §3.11).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "client/commands.h"

namespace hearth::client {

struct UiOptions {
  int port = 0;           // 0: a free port chosen by the system
  bool no_open = false;   // print the address instead of opening a browser
  int linger_seconds = 60;  // stop this long after the last page closed
};

// Serves until Ctrl-C or SIGTERM, or until no page has been open for
// linger_seconds (twice that at the start, while the browser opens). Exit 0
// then; 1 for a port that cannot be used; 4 when the server fails.
int run_ui(Context& ctx, const UiOptions& o);

// `hearth ui`: becomes `hearth-ui` with the same home and options. Returns
// only when it cannot (exit 4, saying which program is missing).
int exec_ui_program(Context& ctx, const UiOptions& o);

// Where `hearth-ui` is: beside the running `hearth` (a build tree), else in
// ../libexec/hearth/ from it (as installed). Empty when neither exists.
std::string ui_program_path();

// The arguments `hearth ui` gives `hearth-ui`, and reading them back: the
// home is resolved already. Result is kInvalid for anything else.
std::vector<std::string> ui_program_args(const GlobalOptions& g, const UiOptions& o);
Result<std::pair<GlobalOptions, UiOptions>> parse_ui_program_args(
    const std::vector<std::string>& args);

}  // namespace hearth::client
