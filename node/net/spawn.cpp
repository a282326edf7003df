#include "net/spawn.h"

#include <asio/bind_cancellation_slot.hpp>
#include <asio/co_spawn.hpp>
#include <asio/error.hpp>
#include <asio/post.hpp>
#include <exception>
#include <system_error>

#include "util/log.h"

namespace hearth::net {

void spawn_logged(const asio::any_io_executor& executor, asio::awaitable<void> task,
                  const char* what) {
  asio::co_spawn(executor, std::move(task), [what](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log::error(what, " failed: ", ex.what());
    }
  });
}

TaskGroup::TaskGroup(asio::any_io_executor executor)
    : executor_(std::move(executor)), state_(std::make_shared<State>()) {}

void TaskGroup::spawn(asio::awaitable<void> task, const char* what) {
  if (state_->cancelled) return;
  auto signal = state_->signals.emplace(state_->signals.end());
  asio::co_spawn(
      executor_, std::move(task),
      asio::bind_cancellation_slot(signal->slot(), [state = state_, signal, what,
                                                    executor = executor_](std::exception_ptr e) {
        // The signal still owns the task's cancellation state: free it
        // once this handler has returned.
        asio::post(executor, [state, signal] { state->signals.erase(signal); });
        if (!e) return;
        try {
          std::rethrow_exception(e);
        } catch (const std::system_error& ex) {
          if (state->cancelled && ex.code() == asio::error::operation_aborted) {
            log::debug(what, " ended: cancelled");
          } else {
            log::error(what, " failed: ", ex.what());
          }
        } catch (const std::exception& ex) {
          log::error(what, " failed: ", ex.what());
        }
      }));
}

void TaskGroup::cancel_all() {
  state_->cancelled = true;
  for (auto& signal : state_->signals) signal.emit(asio::cancellation_type::terminal);
}

}  // namespace hearth::net
