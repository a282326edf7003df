// Starting a coroutine whose failure is logged, never dropped (no bare
// `detached`): every long-lived task of the network layer goes through here.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

namespace hearth::net {

// Runs `task` on `executor`; an exception escaping it is logged as
// "<what> failed: <reason>".
void spawn_logged(const asio::any_io_executor& executor, asio::awaitable<void> task,
                  const char* what);

}  // namespace hearth::net
