// The two Asio idioms the socket code repeats, written once.
//
// - use_tuple: a completion token that makes `co_await x.async_op(use_tuple)`
//   return (error_code, result...) instead of throwing, so that every
//   failure is a value the caller turns into a Status.
// - with_deadline: a coroutine raced against a timer. Whichever finishes
//   first wins and the other is cancelled (asio's awaitable operator ||):
//   the result, or nullopt when `timeout` passed first.
//
// Runs on whatever executor the calling coroutine runs on (the daemon's io
// thread). Included by .cpp files only.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <chrono>
#include <optional>
#include <utility>
#include <variant>

namespace hearth::net {

inline constexpr auto use_tuple = asio::experimental::as_tuple(asio::use_awaitable);

template <typename T>
asio::awaitable<std::optional<T>> with_deadline(asio::awaitable<T> task,
                                                std::chrono::steady_clock::duration timeout) {
  using namespace asio::experimental::awaitable_operators;
  asio::steady_timer deadline(co_await asio::this_coro::executor, timeout);
  auto outcome = co_await (std::move(task) || deadline.async_wait(use_tuple));
  if (outcome.index() == 1) co_return std::nullopt;
  co_return std::get<0>(std::move(outcome));
}

}  // namespace hearth::net
