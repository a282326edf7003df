#include "runtime/network.h"

namespace hearth::runtime {

const char* connection_state_name(ConnectionState state) {
  switch (state) {
    case ConnectionState::kConnected:
      return "connected";
    case ConnectionState::kConnecting:
      return "connecting";
    case ConnectionState::kOffline:
      return "offline";
  }
  return "offline";
}

}  // namespace hearth::runtime
