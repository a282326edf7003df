// Building response frames. Included by control/*.cpp only.
#pragma once

#include <capnp/message.h>

#include <string>

#include "runtime/network.h"
#include "schema/control.capnp.h"
#include "util/status.h"
#include "wire/capnp_message.h"

namespace hearth::control {

template <typename Fill>
Bytes response_frame(Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message.initRoot<Response>());
  return wire::to_frame(message);
}

Bytes error_frame(ErrorCode code, const std::string& message);
// Maps a Status to the CLI's exit-code classes (docs/DESIGN.md §8.1).
Bytes error_frame(const Status& status);
Bytes ok_frame();
// The link with the partner as the enum the client words (control.capnp).
ConnectionState connection_state_of(runtime::ConnectionState state);

}  // namespace hearth::control
