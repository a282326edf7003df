#include "net/spawn.h"

#include <asio/co_spawn.hpp>
#include <exception>

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

}  // namespace hearth::net
