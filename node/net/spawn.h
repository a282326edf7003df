// Starting a coroutine whose failure is logged, never dropped (no bare
// `detached`): every long-lived task of the network layer goes through here.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/cancellation_signal.hpp>
#include <list>
#include <memory>

namespace hearth::net {

// Runs `task` on `executor`; an exception escaping it is logged as
// "<what> failed: <reason>".
void spawn_logged(const asio::any_io_executor& executor, asio::awaitable<void> task,
                  const char* what);

// The coroutines one service started, so that it can end them all at once
// (the daemon locks: nothing may use the keys afterwards).
//
// Single-threaded: the executor's thread.
class TaskGroup {
 public:
  explicit TaskGroup(asio::any_io_executor executor);

  // As spawn_logged(), and ended by cancel_all(). After cancel_all() the task
  // is not started (it is destroyed unrun).
  void spawn(asio::awaitable<void> task, const char* what);
  // Terminal cancellation for every task still running: the operation each
  // one waits on completes with operation_aborted and any later co_await
  // throws, so each unwinds at its next step (on the executor, after this
  // returns). Their ending is logged at debug level only.
  void cancel_all();
  // Tasks started and not yet ended.
  size_t running() const { return state_->signals.size(); }

 private:
  struct State {
    std::list<asio::cancellation_signal> signals;  // one per running task
    bool cancelled = false;
  };
  asio::any_io_executor executor_;
  std::shared_ptr<State> state_;  // shared with each task's completion handler
};

}  // namespace hearth::net
