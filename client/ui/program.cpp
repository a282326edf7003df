// `hearth-ui`: the server of `hearth ui` (client/ui/ui.h), as a program of
// its own so that only it loads the HTTP library. `hearth ui` checks the
// options and starts it with the home resolved; run alone it says so.
#include <iostream>
#include <string>
#include <vector>

#include "client/control_client.h"
#include "client/ui/ui.h"
#include "client/timefmt.h"
#include "crypto/sodium.h"

namespace hc = hearth::client;

int main(int argc, char** argv) {
  hearth::crypto::sodium_ready();
  const std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  auto parsed = hc::parse_ui_program_args(args);
  if (!parsed) {
    std::cerr << "hearth-ui: " << parsed.status().message() << "\n";
    return hc::kExitUsage;
  }
  const auto& [global, options] = *parsed;
  hearth::HomePaths paths{global.home};
  hc::ControlClient client(paths.control_socket(), paths.home);
  hc::Context ctx{global, paths, client, std::cout, std::cerr, hc::Terminal::detect(),
                  hc::now_ms()};
  return hc::run_ui(ctx, options);
}
