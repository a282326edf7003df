#include "client/control_client.h"

#include <capnp/message.h>
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <thread>

#include "client/control_codec.h"
#include "client_fixtures.h"
#include "schema/control.capnp.h"
#include "wire/capnp_message.h"

using namespace hearth;
using namespace hearth::client;
namespace ctl = hearth::control;

namespace {

// A one-connection control socket server on a thread: it reads one request
// frame, hands it to `serve`, and writes what `serve` returns.
class OneShotServer {
 public:
  OneShotServer(const std::string& path, std::function<Bytes(const Bytes&)> serve) : path_(path) {
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(listen_fd_ >= 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path.c_str(), sizeof(addr.sun_path) - 1);
    REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    REQUIRE(::listen(listen_fd_, 1) == 0);
    thread_ = std::thread([this, serve = std::move(serve)] {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      uint8_t header[4];
      if (read_exact(fd, header, 4)) {
        Bytes body(get_u32_be(header));
        if (read_exact(fd, body.data(), body.size())) {
          Bytes out = serve(body);
          size_t done = 0;
          while (done < out.size()) {
            ssize_t n = ::send(fd, out.data() + done, out.size() - done, MSG_NOSIGNAL);
            if (n <= 0) break;
            done += static_cast<size_t>(n);
          }
        }
      }
      ::close(fd);
    });
  }
  ~OneShotServer() {
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
    ::unlink(path_.c_str());
  }

 private:
  static bool read_exact(int fd, uint8_t* p, size_t n) {
    size_t done = 0;
    while (done < n) {
      ssize_t r = ::recv(fd, p + done, n - done, 0);
      if (r <= 0) return false;
      done += static_cast<size_t>(r);
    }
    return true;
  }

  std::string path_;
  int listen_fd_ = -1;
  std::thread thread_;
};

template <typename Fill>
Bytes response_frame(Fill&& fill) {
  capnp::MallocMessageBuilder message;
  fill(message.initRoot<ctl::Response>());
  return wire::to_frame(message);
}

}  // namespace

TEST_CASE("a missing socket says that hearthd is not running") {
  hearth::test::TempDir dir;
  ControlClient client(dir.path() + "/control.sock", dir.path());
  auto reply = client.call(request::status(), Wait::kNormal);
  REQUIRE_FALSE(reply.is_ok());
  CHECK(reply.status().code() == Code::kUnavailable);
  CHECK(reply.status().message() == not_running_message(dir.path()));
  CHECK(reply.status().message().find("hearthd is not running") == 0);
}

TEST_CASE("call sends one request and reads one response") {
  hearth::test::TempDir dir;
  const std::string path = dir.path() + "/control.sock";
  OneShotServer server(path, [](const Bytes&) {
    return response_frame([](ctl::Response::Builder r) {
      auto s = r.initStatus();
      s.setDeviceId("MFRGGZD");
      s.setLocked(true);
    });
  });
  ControlClient client(path, dir.path());
  auto reply = client.call(request::status(), Wait::kNormal);
  REQUIRE(reply.is_ok());
  auto* status = std::get_if<StatusInfo>(&*reply);
  REQUIRE(status != nullptr);
  CHECK(status->device_id == "MFRGGZD");
  CHECK(status->locked);
}

TEST_CASE("a response larger than 256 MiB is refused before it is read") {
  hearth::test::TempDir dir;
  const std::string path = dir.path() + "/control.sock";
  OneShotServer server(path, [](const Bytes&) {
    Bytes out;
    put_u32_be(out, static_cast<uint32_t>(kMaxResponseBytes + 8));
    out.resize(out.size() + 64, 0);
    return out;
  });
  ControlClient client(path, dir.path());
  auto reply = client.call(request::status(), Wait::kNormal);
  REQUIRE_FALSE(reply.is_ok());
  CHECK(reply.status().code() == Code::kCorrupt);
}

TEST_CASE("a daemon that closes without answering is reported") {
  hearth::test::TempDir dir;
  const std::string path = dir.path() + "/control.sock";
  OneShotServer server(path, [](const Bytes&) { return Bytes{}; });
  ControlClient client(path, dir.path());
  auto reply = client.call(request::status(), Wait::kNormal);
  REQUIRE_FALSE(reply.is_ok());
  CHECK(reply.status().code() == Code::kUnavailable);
}

TEST_CASE("stream hands over each response until the callback stops") {
  hearth::test::TempDir dir;
  const std::string path = dir.path() + "/control.sock";
  Bytes got;  // the request as the server saw it; read after the server thread ended
  std::vector<Update> seen;
  {
    OneShotServer server(path, [&got](const Bytes& request) {
      got = request;
      Bytes out = response_frame(
          [](ctl::Response::Builder r) { r.initUpdate().initPause().setActive(false); });
      for (const char* state : {"connected", "disconnected"}) {
        Bytes more = response_frame(
            [state](ctl::Response::Builder r) {
              r.initUpdate().setLinked(std::string_view(state) == "connected");
            });
        out.insert(out.end(), more.begin(), more.end());
      }
      return out;
    });
    ControlClient client(path, dir.path());
    Status st = client.stream(request::watch(), [&](Reply&& r) {
      seen.push_back(std::get<Update>(r));
      return seen.size() < 2;
    });
    CHECK(st.is_ok());
  }
  REQUIRE(seen.size() == 2);
  CHECK(seen[0].kind == Update::Kind::kPause);
  CHECK(seen[1].connection == "connected");
  auto reader = wire::MessageReader::parse(got, 1 << 20);
  REQUIRE(reader.is_ok());
  CHECK(reader->root<ctl::Request>().which() == ctl::Request::WATCH);
}
