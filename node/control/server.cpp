#include "control/server.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <asio/co_spawn.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <list>
#include <utility>

#include "net/asio_util.h"
#include "util/log.h"
#include "util/secret.h"
#include "wire/capnp_message.h"

namespace hearth::control {
namespace {

using asio::local::stream_protocol;
using namespace asio::experimental::awaitable_operators;
using net::use_tuple;
constexpr auto kRequestTimeout = std::chrono::seconds(10);

// Frames queued for one connection; a timer wakes the writer.
class QueueSink : public ResponseSink {
 public:
  explicit QueueSink(asio::any_io_executor ex) : wake_(ex, asio::steady_timer::time_point::max()) {}
  void send(Bytes frame) override {
    if (closed_) return;
    frames_.push_back(std::move(frame));
    wake_.cancel();
  }
  void finish() override {
    finished_ = true;
    wake_.cancel();
  }
  bool is_open() const override { return !closed_ && !finished_; }
  void on_close(std::function<void()> callback) override {
    if (closed_) {
      if (callback) callback();
      return;
    }
    on_close_ = std::move(callback);
  }
  void close() {
    closed_ = true;
    frames_.clear();
    wake_.cancel();
    if (auto callback = std::exchange(on_close_, nullptr)) callback();
  }

  std::deque<Bytes> frames_;
  bool finished_ = false;
  bool closed_ = false;
  asio::steady_timer wake_;
  std::function<void()> on_close_;
};

// Connections of one kind, oldest first; each can be closed from outside.
class Slots {
 public:
  // One connection's place; given back when it goes (before whatever its
  // close function refers to).
  class Lease {
   public:
    Lease() = default;
    Lease(Slots* slots, uint64_t id) : slots_(slots), id_(id) {}
    Lease(Lease&& o) noexcept
        : slots_(std::exchange(o.slots_, nullptr)), id_(std::exchange(o.id_, 0)) {}
    Lease& operator=(Lease&& o) noexcept {
      give_back();
      slots_ = std::exchange(o.slots_, nullptr);
      id_ = std::exchange(o.id_, 0);
      return *this;
    }
    ~Lease() { give_back(); }
    void give_back() {
      if (slots_ != nullptr) std::exchange(slots_, nullptr)->give_back(id_);
    }

   private:
    Slots* slots_ = nullptr;
    uint64_t id_ = 0;
  };

  explicit Slots(size_t limit) : limit_(limit) {}
  // Takes one in, closing the oldest first if the kind is full.
  Lease take(std::function<void()> close) {
    if (open_.size() >= limit_) {
      auto oldest = std::move(open_.front());
      open_.pop_front();
      oldest.second();
    }
    open_.emplace_back(next_, std::move(close));
    return Lease(this, next_++);
  }

 private:
  void give_back(uint64_t id) {
    std::erase_if(open_, [id](const auto& entry) { return entry.first == id; });
  }
  size_t limit_;
  uint64_t next_ = 1;
  std::list<std::pair<uint64_t, std::function<void()>>> open_;
};

bool peer_is_same_user(stream_protocol::socket& s) {
  ucred cred{};
  socklen_t len = sizeof cred;
  if (::getsockopt(s.native_handle(), SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return false;
  return cred.uid == ::geteuid();
}

}  // namespace

struct ControlServer::Registry {
  Slots waiting{kMaxWaiting};
  Slots streams{kMaxStreams};
};

class ControlServer::Connection {
 public:
  static asio::awaitable<void> serve(stream_protocol::socket socket, RequestHandler& handler,
                                     std::shared_ptr<Registry> registry) {
    if (!peer_is_same_user(socket)) {
      log::warn("control: refused a connection from another user");
      co_return;
    }
    auto ex = co_await asio::this_coro::executor;
    auto close_socket = [&socket] {
      asio::error_code ignored;
      socket.close(ignored);
    };
    // Until its request is read it may be closed to make room; the slot is
    // given back before this frame (and the socket) goes.
    Slots::Lease waiting = registry->waiting.take(close_socket);
    Bytes request;
    auto outcome = co_await net::with_deadline(read_request(socket, request), kRequestTimeout);
    waiting.give_back();
    if (!outcome) {
      log::warn("control: a request did not arrive in time; connection closed");
      co_return;
    }
    Status st = *outcome;
    if (!st.is_ok()) {
      log::warn("control: ", st.to_string(), "; connection closed");
      co_return;
    }
    auto sink = std::make_shared<QueueSink>(ex);
    handler.handle(request, sink);
    wipe(request);  // an unlock request carries the passphrase
    // A request that goes on (`watch`, pairing) holds a stream slot.
    Slots::Lease stream;
    if (sink->is_open()) {
      stream = registry->streams.take([&close_socket, sink] {
        log::info("control: more long-running requests than ", kMaxStreams,
                  "; the oldest was closed");
        sink->close();
        close_socket();
      });
    }
    co_await (drain(socket, *sink) || wait_for_eof(socket));
    stream.give_back();
    sink->close();
  }

 private:
  static asio::awaitable<Status> read_request(stream_protocol::socket& s, Bytes& out) {
    uint8_t header[wire::kFrameHeaderBytes];
    auto [ec, n] = co_await asio::async_read(s, asio::buffer(header), use_tuple);
    if (ec) co_return Status::unavailable("client closed before sending a request");
    auto length = wire::frame_length(header, kMaxRequestBytes);
    if (!length.is_ok()) co_return length.status().with_context("bad request frame");
    out.resize(*length);
    auto [ec2, n2] = co_await asio::async_read(s, asio::buffer(out), use_tuple);
    if (ec2) co_return Status::corrupt("request truncated");
    co_return Status::ok();
  }

  static asio::awaitable<void> drain(stream_protocol::socket& s, QueueSink& sink) {
    for (;;) {
      while (!sink.frames_.empty()) {
        Bytes frame = std::move(sink.frames_.front());
        sink.frames_.pop_front();
        auto [ec, n] = co_await asio::async_write(s, asio::buffer(frame), use_tuple);
        if (ec) co_return;
      }
      if (sink.finished_ || sink.closed_) co_return;
      sink.wake_.expires_at(asio::steady_timer::time_point::max());
      co_await sink.wake_.async_wait(use_tuple);
    }
  }

  // A client sends nothing after its request: any read completing means it left.
  static asio::awaitable<void> wait_for_eof(stream_protocol::socket& s) {
    uint8_t byte;
    for (;;) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(&byte, 1), use_tuple);
      if (ec) co_return;
    }
  }
};

ControlServer::ControlServer(asio::io_context& io, std::string socket_path, RequestHandler& handler)
    : io_(io),
      path_(std::move(socket_path)),
      handler_(handler),
      acceptor_(io),
      registry_(std::make_shared<Registry>()) {}

ControlServer::~ControlServer() { stop(); }

Status ControlServer::start() {
  ::unlink(path_.c_str());
  asio::error_code ec;
  acceptor_.open(stream_protocol(), ec);
  if (ec) return Status::io("control socket: " + ec.message());
  // The socket file is created 0600: no window where others could connect.
  mode_t old = ::umask(0177);
  acceptor_.bind(stream_protocol::endpoint(path_), ec);
  ::umask(old);
  if (ec) return Status::io("cannot bind " + path_ + ": " + ec.message());
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::io("cannot listen on " + path_ + ": " + ec.message());
  accept_next();
  return Status::ok();
}

void ControlServer::stop() {
  if (!acceptor_.is_open()) return;
  asio::error_code ec;
  acceptor_.close(ec);
  ::unlink(path_.c_str());
}

void ControlServer::accept_next() {
  acceptor_.async_accept([this](asio::error_code ec, stream_protocol::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      asio::co_spawn(io_, Connection::serve(std::move(socket), handler_, registry_),
                     [](std::exception_ptr e) {
                       if (!e) return;
                       try {
                         std::rethrow_exception(e);
                       } catch (const std::exception& ex) {
                         log::error("control connection failed: ", ex.what());
                       }
                     });
    }
    accept_next();
  });
}

}  // namespace hearth::control
