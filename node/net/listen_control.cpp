#include "net/listen_control.h"

#include "util/log.h"

namespace hearth::net {

std::optional<Address> listen_address_for(const config::ListenSetting& setting, bool needed) {
  switch (setting.mode) {
    case config::ListenSetting::Mode::kOff: return std::nullopt;
    case config::ListenSetting::Mode::kFixed: return Address{setting.host, setting.port};
    case config::ListenSetting::Mode::kAuto:
      return Address{needed ? "0.0.0.0" : "127.0.0.1", setting.port};
  }
  return std::nullopt;
}

ListenControl::ListenControl(asio::io_context& io, config::ListenSetting setting,
                             Listener::Handler handler)
    : io_(io), setting_(std::move(setting)), handler_(std::move(handler)) {}

Status ListenControl::start() { return rebind(); }

void ListenControl::set_needed(bool needed) {
  if (stopped_ || needed == needed_) return;
  needed_ = needed;
  if (setting_.mode != config::ListenSetting::Mode::kAuto && bound_) return;
  (void)rebind();  // logged there
}

void ListenControl::stop() {
  stopped_ = true;
  if (listener_) listener_->stop();
  listener_.reset();
  bound_.reset();
}

Status ListenControl::rebind() {
  const std::optional<Address> want = listen_address_for(setting_, needed_);
  if (want == bound_ && listener_) return Status::ok();
  const std::string before = listening();
  // The old sockets close now, so the same port can be bound again at once.
  if (listener_) listener_->stop();
  listener_.reset();
  bound_.reset();
  Status result = Status::ok();
  if (want) {
    auto started = Listener::start(io_, *want, handler_);
    if (started) {
      listener_ = std::move(started).value();
      bound_ = want;
      log::info("listening on ", listening(),
                setting_.mode == config::ListenSetting::Mode::kAuto && !needed_
                    ? " (this computer only, until you pair or invite)"
                    : "");
    } else {
      result = started.status();
      log::warn(result.message(), "; your partner's device cannot reach this one. `hearth config "
                                  "set listen-port` chooses another port");
    }
  } else {
    log::info("not listening for connections (listen-address = off)");
  }
  if (on_change_ && listening() != before) on_change_(listening());
  return result;
}

std::string ListenControl::listening() const {
  if (!listener_ || !bound_) return {};
  const auto endpoints = listener_->local_endpoints();
  if (endpoints.empty()) return bound_->text();
  return Address{bound_->host, endpoints.front().port()}.text();
}

uint16_t ListenControl::port() const {
  return setting_.mode == config::ListenSetting::Mode::kOff ? 0 : setting_.port;
}

std::string ListenControl::fixed_host() const {
  return setting_.mode == config::ListenSetting::Mode::kFixed ? setting_.host : std::string();
}

}  // namespace hearth::net
