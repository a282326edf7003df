#include "net/noise_io.h"

#include <asio/read.hpp>
#include <asio/write.hpp>
#include <string>

#include "net/asio_util.h"
#include "proto/noise_stream.h"

namespace hearth::net {

asio::awaitable<Status> read_noise_message(asio::ip::tcp::socket& socket, Bytes& out,
                                           size_t min_bytes, size_t max_bytes) {
  uint8_t length[proto::kNoiseLengthBytes];
  auto [ec, n] = co_await asio::async_read(socket, asio::buffer(length), use_tuple);
  if (ec) {
    co_return Status::unavailable(ec == asio::error::eof
                                      ? std::string("the other device closed the connection")
                                      : ec.message());
  }
  const size_t size = get_u16_be(length);
  if (size < min_bytes || size > max_bytes)
    co_return Status::corrupt("a Noise message of a length that cannot be valid");
  out.resize(size);
  auto [ec2, n2] = co_await asio::async_read(socket, asio::buffer(out), use_tuple);
  if (ec2) co_return Status::unavailable("the connection closed in the middle of a message");
  co_return Status::ok();
}

asio::awaitable<Status> write_framed(asio::ip::tcp::socket& socket,
                                     const std::vector<Bytes>& framed) {
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(framed.size());
  for (const Bytes& b : framed) buffers.emplace_back(b.data(), b.size());
  auto [ec, n] = co_await asio::async_write(socket, buffers, use_tuple);
  if (ec) co_return Status::unavailable(ec.message());
  co_return Status::ok();
}

}  // namespace hearth::net
