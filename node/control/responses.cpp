#include "control/responses.h"

namespace hearth::control {

Bytes error_frame(ErrorCode code, const std::string& message) {
  return response_frame([&](Response::Builder r) {
    auto e = r.initError();
    e.setCode(code);
    e.setMessage(message);
  });
}

Bytes error_frame(const Status& status) {
  ErrorCode code = ErrorCode::INTERNAL;
  switch (status.code()) {
    case Code::kInvalidArgument: code = ErrorCode::USAGE; break;
    case Code::kLocked: code = ErrorCode::LOCKED; break;
    case Code::kNotFound: code = ErrorCode::NOT_FOUND; break;
    case Code::kRefused:
    case Code::kAuthFailed:
    case Code::kUnavailable: code = ErrorCode::REFUSED; break;
    default: break;
  }
  return error_frame(code, status.message());
}

Bytes ok_frame() {
  return response_frame([](Response::Builder r) { r.setOk(); });
}

ConnectionState connection_state_of(runtime::ConnectionState state) {
  switch (state) {
    case runtime::ConnectionState::kConnected:
      return ConnectionState::CONNECTED;
    case runtime::ConnectionState::kConnecting:
      return ConnectionState::CONNECTING;
    case runtime::ConnectionState::kOffline:
      return ConnectionState::OFFLINE;
  }
  return ConnectionState::OFFLINE;
}

}  // namespace hearth::control
