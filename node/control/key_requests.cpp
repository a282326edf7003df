#include "control/key_requests.h"

#include <optional>

#include "control/handler.h"
#include "control/passphrase_gate.h"
#include "control/responses.h"
#include "crypto/keyfile.h"

namespace hearth::control {
namespace {

constexpr const char* kWrongPassphrase = "that passphrase does not open this device's keys";

void answer(const std::shared_ptr<ResponseSink>& out, Bytes frame) {
  out->send(std::move(frame));
  out->finish();
}

Bytes failure_frame(const Status& st) {
  if (st.code() == Code::kAuthFailed)
    return error_frame(ErrorCode::WRONG_PASSPHRASE, kWrongPassphrase);
  return error_frame(st);
}

}  // namespace

void KeyRequests::run(std::function<Status()> work, std::function<void(Status)> done) {
  if (gate_ != nullptr) {
    gate_->submit(std::move(work), std::move(done));
    return;
  }
  Status st = work();
  done(st);
}

void KeyRequests::unlock(std::shared_ptr<Secret> passphrase, std::shared_ptr<ResponseSink> out) {
  if (!state_.sealed()) {
    // Nothing to check: the keys open without a passphrase.
    Status st = state_.unlocked() ? Status::ok() : state_.unlock(nullptr);
    answer(out, st.is_ok() ? status_frame(state_) : error_frame(st));
    return;
  }
  if (passphrase->empty()) {
    answer(out, error_frame(ErrorCode::USAGE, "the passphrase cannot be empty"));
    return;
  }
  auto keys = std::make_shared<std::optional<crypto::KeyMaterial>>();
  const std::string path = state_.paths().keys();
  run(
      [path, passphrase, keys] {
        auto opened = crypto::unlock_key_file(path, passphrase.get());
        if (!opened) return opened.status();
        keys->emplace(std::move(opened).value());
        return Status::ok();
      },
      [this, keys, out](Status st) {
        if (!st.is_ok()) return answer(out, failure_frame(st));
        // A lock under way ends first; then these keys open the store (or,
        // already unlocked, are dropped and wiped).
        state_.when_settled([this, keys, out] {
          Status opened = state_.unlock_with(std::move(**keys));
          keys->reset();
          answer(out, opened.is_ok() ? status_frame(state_) : error_frame(opened));
        });
      });
}

void KeyRequests::unlock_with_key(std::shared_ptr<Secret> key, std::shared_ptr<ResponseSink> out) {
  if (!state_.sealed()) {
    Status st = state_.unlocked() ? Status::ok() : state_.unlock(nullptr);
    answer(out, st.is_ok() ? status_frame(state_) : error_frame(st));
    return;
  }
  if (key->size() != 32) {
    answer(out, error_frame(ErrorCode::USAGE, "an unlock key is 32 bytes"));
    return;
  }
  auto keys = std::make_shared<std::optional<crypto::KeyMaterial>>();
  const std::string path = state_.paths().keys();
  run(
      [path, key, keys] {
        auto opened = crypto::unlock_key_file_with_key(path, *key);
        if (!opened) return opened.status();
        keys->emplace(std::move(opened).value());
        return Status::ok();
      },
      [this, keys, out](Status st) {
        if (!st.is_ok()) {
          if (st.code() == Code::kAuthFailed)
            return answer(out, error_frame(ErrorCode::WRONG_PASSPHRASE,
                                           "the key in the desktop keyring no longer opens this "
                                           "device's keys (was the passphrase changed?)"));
          return answer(out, error_frame(st));
        }
        state_.when_settled([this, keys, out] {
          Status opened = state_.unlock_with(std::move(**keys));
          keys->reset();
          answer(out, opened.is_ok() ? status_frame(state_) : error_frame(opened));
        });
      });
}

void KeyRequests::lock(std::shared_ptr<ResponseSink> out) {
  Status st = state_.lock([this, out] { answer(out, status_frame(state_)); });
  if (!st.is_ok()) answer(out, error_frame(st));
}

void KeyRequests::change_passphrase(crypto::PassphraseAction action,
                                    std::shared_ptr<Secret> current,
                                    std::shared_ptr<Secret> replacement,
                                    std::shared_ptr<ResponseSink> out) {
  const std::string path = state_.paths().keys();
  run(
      [path, action, current, replacement] {
        return crypto::change_passphrase(path, action, current.get(), replacement.get());
      },
      [this, action, out](Status st) {
        if (!st.is_ok()) return answer(out, failure_frame(st));
        state_.set_sealed(action != crypto::PassphraseAction::kRemove);
        if (runtime::Unlocked* u = state_.unlocked()) {
          u->record("info", action == crypto::PassphraseAction::kSet
                                ? "a passphrase now seals the keys"
                            : action == crypto::PassphraseAction::kChange
                                ? "the passphrase was changed"
                                : "the passphrase was removed: the keys are stored unsealed");
        }
        answer(out, ok_frame());
      });
}

}  // namespace hearth::control
