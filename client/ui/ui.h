// `hearth ui`: the desktop client (docs/DESIGN.md §10). Serves the app in
// client/ui/web on 127.0.0.1, opens it in the default browser, and talks to
// hearthd only through the control socket, as the CLI does. Included by
// main.cpp; everything behind it (HTTP, threads) stays in client/ui/.
#pragma once

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

}  // namespace hearth::client
