#include "client/control_client.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "client/control_codec.h"
#include "util/unique_fd.h"
#include "wire/capnp_message.h"

namespace hearth::client {
namespace {

using Clock = std::chrono::steady_clock;

// A point in time to give up at, or none.
struct Deadline {
  bool forever = true;
  Clock::time_point at;

  static Deadline after(Wait wait) {
    if (wait == Wait::kForever) return {};
    const int ms = wait == Wait::kLong ? kLongTimeoutMs : kNormalTimeoutMs;
    return {false, Clock::now() + std::chrono::milliseconds(ms)};
  }
  // Milliseconds left for poll(): -1 waits without limit.
  int poll_ms() const {
    if (forever) return -1;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at - Clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
  }
};

Status timed_out() {
  return Status::unavailable(
      "hearthd did not answer in time; it may be busy or stuck. "
      "Check it with `systemctl --user status hearthd` or its log");
}

Status send_all(int fd, ByteView data, const Deadline& deadline) {
  size_t done = 0;
  while (done < data.size()) {
    pollfd p{fd, POLLOUT, 0};
    int ready = ::poll(&p, 1, deadline.poll_ms());
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0)
      return Status::unavailable(std::string("cannot talk to hearthd: ") + std::strerror(errno));
    if (ready == 0) return timed_out();
    ssize_t n = ::send(fd, data.data() + done, data.size() - done, MSG_NOSIGNAL);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0)
      return Status::unavailable(std::string("cannot send to hearthd: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

// Reads exactly out.size() bytes. Returns kNotFound when the connection ends
// before the first byte (a clean close between responses).
Status read_exact(int fd, std::span<uint8_t> out, const Deadline& deadline) {
  size_t done = 0;
  while (done < out.size()) {
    pollfd p{fd, POLLIN, 0};
    int ready = ::poll(&p, 1, deadline.poll_ms());
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0)
      return Status::unavailable(std::string("cannot talk to hearthd: ") + std::strerror(errno));
    if (ready == 0) return timed_out();
    ssize_t n = ::recv(fd, out.data() + done, out.size() - done, 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n < 0)
      return Status::unavailable(std::string("cannot read from hearthd: ") + std::strerror(errno));
    if (n == 0) {
      if (done == 0) return Status::not_found("closed");
      return Status::unavailable("hearthd closed the connection in the middle of an answer");
    }
    done += static_cast<size_t>(n);
  }
  return Status::ok();
}

// One Response; kNotFound when the daemon closed the connection instead.
Result<Reply> read_reply(int fd, const Deadline& deadline) {
  uint8_t header[wire::kFrameHeaderBytes];
  HEARTH_TRY(read_exact(fd, header, deadline));
  Result<uint32_t> length = wire::frame_length(header, kMaxResponseBytes);
  if (!length)
    return Status::corrupt("hearthd sent an answer this client refuses: " +
                           length.status().message());
  Bytes body(*length);
  Status read = read_exact(fd, body, deadline);
  if (read.code() == Code::kNotFound)
    return Status::unavailable("hearthd closed the connection in the middle of an answer");
  HEARTH_TRY(read);
  return decode_reply(body);
}

Status closed_without_answer() {
  return Status::unavailable(
      "hearthd closed the connection without answering; "
      "it may have stopped");
}

}  // namespace

std::string not_running_message(const std::string& home) {
  return "hearthd is not running — start it with `hearthd --home " + home +
         " &` or `systemctl --user start hearthd`";
}

Result<int> ControlClient::connect_socket() const {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof(addr.sun_path))
    return Status::invalid("the path of the control socket is too long: " + socket_path_ +
                           "; choose a shorter --home");
  std::memcpy(addr.sun_path, socket_path_.c_str(), socket_path_.size() + 1);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::io(std::string("cannot create a socket: ") + std::strerror(errno));
  int rc;
  do {
    rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    const int err = errno;
    ::close(fd);
    if (err == ENOENT || err == ECONNREFUSED || err == ENOTDIR)
      return Status::unavailable(not_running_message(home_));
    return Status::unavailable("cannot reach hearthd at " + socket_path_ + ": " +
                               std::strerror(err));
  }
  return fd;
}

Result<Reply> ControlClient::call(ByteView request, Wait wait) {
  const Deadline deadline = Deadline::after(wait);
  HEARTH_ASSIGN_OR_RETURN(int raw, connect_socket());
  UniqueFd fd(raw);
  HEARTH_TRY(send_all(fd.get(), request, deadline));
  Result<Reply> reply = read_reply(fd.get(), deadline);
  if (!reply && reply.status().code() == Code::kNotFound) return closed_without_answer();
  return reply;
}

Status ControlClient::stream(ByteView request, const std::function<bool(Reply&&)>& on_reply) {
  return stream_with_idle(request, 0, on_reply, {});
}

Status ControlClient::stream_with_idle(ByteView request, int idle_ms,
                                       const std::function<bool(Reply&&)>& on_reply,
                                       const std::function<bool()>& on_idle) {
  const Deadline send_deadline = Deadline::after(Wait::kNormal);
  HEARTH_ASSIGN_OR_RETURN(int raw, connect_socket());
  UniqueFd fd(raw);
  HEARTH_TRY(send_all(fd.get(), request, send_deadline));
  const Deadline forever{};
  for (bool first = true;; first = false) {
    // Until the next Response starts: idle calls, if asked for.
    while (idle_ms > 0 && on_idle) {
      pollfd p{fd.get(), POLLIN, 0};
      const int ready = ::poll(&p, 1, idle_ms);
      if (ready > 0) break;
      if (ready < 0 && errno != EINTR)
        return Status::unavailable(std::string("cannot talk to hearthd: ") + std::strerror(errno));
      if (!on_idle()) return Status::ok();
    }
    Result<Reply> reply = read_reply(fd.get(), forever);
    if (!reply) {
      if (reply.status().code() != Code::kNotFound) return reply.status();
      if (first) return closed_without_answer();
      return Status::unavailable("hearthd closed the connection; it may have stopped");
    }
    if (!on_reply(std::move(*reply))) return Status::ok();
  }
}

}  // namespace hearth::client
