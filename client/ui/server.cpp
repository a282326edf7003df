// The HTTP side of `hearth ui`: the only file that includes httplib. It
// checks every request (client/ui/guard.h) before anything else, serves the
// embedded front end (assets.h), hands /api/ to Api, and feeds each open page
// a Server-Sent Events stream from hearthd's `watch`.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "client/control_codec.h"
#include "client/reconnecting_stream.h"
#include "client/render_json.h"
#include "client/ui/api.h"
#include "client/ui/assets.h"
#include "client/ui/guard.h"
#include "client/ui/ui.h"

extern char** environ;

namespace hearth::client {
namespace {

using Clock = std::chrono::steady_clock;

// How often an open page's stream is written to when nothing happens: a
// closed page is noticed at the second write after it closed.
constexpr int kKeepaliveMs = 2000;
// While hearthd is not running or locked, how often a page's stream tries
// `watch` again.
constexpr int kRetryMs = 1000;
constexpr size_t kWorkerThreads = 16;

// Headers on every response, refusals and errors included.
void secure(httplib::Response& res) {
  res.set_header("Content-Security-Policy",
                 "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                 "connect-src 'self'; base-uri 'none'; form-action 'none'; "
                 "frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Cross-Origin-Opener-Policy", "same-origin");
  res.set_header("Cross-Origin-Resource-Policy", "same-origin");
  res.set_header("Cache-Control", "no-store");
}

void reply(httplib::Response& res, const ui::ApiResponse& r) {
  res.status = r.status;
  res.set_content(r.body, "application/json; charset=utf-8");
}

void refuse(httplib::Response& res, int status, std::string_view message) {
  reply(res, ui::error_response(status, "refused", message));
}

// Events for every open page, from outside its own stream (pairing).
class Broadcast {
 public:
  using Queue = std::deque<std::string>;
  std::shared_ptr<Queue> subscribe() {
    std::lock_guard lock(mu_);
    auto q = std::make_shared<Queue>();
    queues_.push_back(q);
    return q;
  }
  void unsubscribe(const std::shared_ptr<Queue>& q) {
    std::lock_guard lock(mu_);
    std::erase(queues_, q);
  }
  void publish(std::string_view event, const std::string& json) {
    std::lock_guard lock(mu_);
    for (auto& q : queues_) q->push_back(frame(event, json));
  }
  std::vector<std::string> take(const std::shared_ptr<Queue>& q) {
    std::lock_guard lock(mu_);
    std::vector<std::string> out(q->begin(), q->end());
    q->clear();
    return out;
  }
  static std::string frame(std::string_view event, std::string json) {
    while (!json.empty() && json.back() == '\n') json.pop_back();
    return "event: " + std::string(event) + "\ndata: " + json + "\n\n";
  }

 private:
  std::mutex mu_;
  std::vector<std::shared_ptr<Queue>> queues_;
};

std::string read_proc_net_tcp() {
  std::ifstream in("/proc/net/tcp");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Server {
  Server(Daemon& daemon, int port_in)
      : port(port_in), api(daemon, [this](std::string_view e, std::string j) {
          events.publish(e, j);
        }), daemon_(daemon) {}

  int port;
  ui::Sessions sessions;
  Broadcast events;
  ui::Api api;
  Daemon& daemon_;
  std::atomic<bool> stopping{false};
  std::atomic<int> open_pages{0};
  std::mutex seen_mu;
  Clock::time_point last_seen = Clock::now();

  void touch() {
    std::lock_guard lock(seen_mu);
    last_seen = Clock::now();
  }
  Clock::duration idle_for() {
    std::lock_guard lock(seen_mu);
    return Clock::now() - last_seen;
  }

  // Every request passes here first; Handled means refused.
  httplib::Server::HandlerResponse check(const httplib::Request& req, httplib::Response& res) {
    if (!ui::host_allowed(req.get_header_value("Host"), port)) {
      refuse(res, 421, "This page is served at " + ui::served_origin(port) + " only.");
      return httplib::Server::HandlerResponse::Handled;
    }
    const auto uid = ui::peer_uid(read_proc_net_tcp(), req.remote_addr, req.remote_port, port);
    if (!uid || *uid != ::getuid()) {
      refuse(res, 403, "This Hearth belongs to another user of this computer.");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method != "GET" && req.method != "POST") {
      refuse(res, 405, "Hearth's pages are only read and sent.");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.method == "POST" && !ui::origin_allowed(req.get_header_value("Origin"), port)) {
      refuse(res, 403, "Only Hearth's own page can change anything here.");
      return httplib::Server::HandlerResponse::Handled;
    }
    const bool api_path = req.path.rfind("/api/", 0) == 0;
    if (api_path && req.path != "/api/session" &&
        !sessions.valid_cookie(req.get_header_value("Cookie"))) {
      refuse(res, 401,
             "This page is not signed in to Hearth. Run `hearth ui` again to open a new one.");
      return httplib::Server::HandlerResponse::Handled;
    }
    touch();
    return httplib::Server::HandlerResponse::Unhandled;
  }

  void session(const httplib::Request& req, httplib::Response& res) {
    const std::string k =
        req.has_file("k") ? req.get_file_value("k").content : req.get_param_value("k");
    auto token = sessions.exchange(k);
    if (!token) {
      refuse(res, 403,
             "This address was already used, or is not the one `hearth ui` opened. "
             "Run `hearth ui` again to open a new one.");
      return;
    }
    res.set_header("Set-Cookie", ui::session_cookie(*token));
    res.set_content("{\"ok\":true}\n", "application/json; charset=utf-8");
  }

  // Fields come from the query, a urlencoded body (httplib reads at most
  // 8 KiB of those) or a multipart/form-data body (what the page sends: a
  // reflection may be 64 KiB), all parsed by httplib.
  void handle_api(const httplib::Request& req, httplib::Response& res) {
    ui::ApiRequest r{req.method, req.path, {req.params.begin(), req.params.end()}};
    for (const auto& [name, part] : req.files) r.params.emplace(name, part.content);
    reply(res, api.handle(r));
  }

  void asset(const httplib::Request& req, httplib::Response& res) {
    const ui::Asset* a = ui::find_asset(req.path);
    if (!a) {
      refuse(res, 404, "There is nothing here.");
      return;
    }
    res.set_content(a->body.data(), a->body.size(), std::string(a->type).c_str());
  }

  // One open page: hearthd's changes as they come, for as long as the page
  // stays. Runs on an httplib worker thread.
  void stream(httplib::DataSink& sink) {
    open_pages++;
    auto queue = events.subscribe();
    bool open = true;
    auto write = [&](const std::string& s) {
      if (open && !sink.write(s.data(), s.size())) open = false;
      return open;
    };
    auto flush_local = [&] {
      for (const std::string& e : events.take(queue)) write(e);
    };
    Clock::time_point last_write = Clock::now();
    auto idle = [&] {
      flush_local();
      if (Clock::now() - last_write > std::chrono::milliseconds(kKeepaliveMs)) {
        write(": still here\n\n");
        last_write = Clock::now();
      }
      return open && !stopping.load();
    };
    std::string state;
    // "running" is said once per watch; "locked" and "not_running" at every
    // try, so a page that unlocked by itself meanwhile learns of a new lock.
    auto say_state = [&](const std::string& s) {
      if (s == state && s == "running") return;
      state = s;
      write(Broadcast::frame("daemon", "{\"state\":\"" + s + "\"}"));
    };
    write("retry: 2000\n\n");
    while (open && !stopping.load()) {
      bool locked = false;
      bool running = false;
      Status st = daemon_.stream_with_idle(
          request::watch(), 500,
          [&](Reply&& r) {
            if (const auto* e = std::get_if<DaemonError>(&r)) {
              locked = e->code == DaemonErrorCode::kLocked;
              return false;
            }
            if (!running) say_state("running");
            running = true;
            write(Broadcast::frame("update", json_document(r, 0)));
            last_write = Clock::now();
            flush_local();
            return open && !stopping.load();
          },
          idle);
      if (!open || stopping.load()) break;
      if (locked) {
        say_state("locked");
      } else if (!st.is_ok() && st.code() == Code::kUnavailable) {
        say_state("not_running");
      } else if (!st.is_ok() && st.code() == Code::kLocked) {
        say_state("locked");
      }
      const auto until = Clock::now() + std::chrono::milliseconds(kRetryMs);
      while (Clock::now() < until && idle()) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    events.unsubscribe(queue);
    open_pages--;
    touch();
    sink.done();
  }
};

// Starts xdg-open on `url`; returns its pid, or -1.
pid_t open_browser(const std::string& url) {
  pid_t pid = -1;
  std::string prog = "xdg-open";
  std::vector<char*> argv{prog.data(), const_cast<char*>(url.c_str()), nullptr};
  if (::posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv.data(), environ) != 0) return -1;
  return pid;
}

}  // namespace

int run_ui(Context& ctx, const UiOptions& o) {
  ::signal(SIGPIPE, SIG_IGN);  // a closed page is a failed write, not the end of hearth ui
  catch_stop_signals();
  const Pacing pacing = real_pacing();
  httplib::Server http;
  const int port = o.port ? (http.bind_to_port("127.0.0.1", o.port) ? o.port : -1)
                          : http.bind_to_any_port("127.0.0.1");
  if (port <= 0) {
    return fail(ctx, Status::invalid("Port " + std::to_string(o.port) +
                                     " on 127.0.0.1 cannot be used; choose another with "
                                     "--port, or leave --port out"));
  }
  Server server(ctx.daemon, port);
  http.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  http.set_payload_max_length(ui::kMaxBodyBytes);
  http.set_read_timeout(10, 0);
  http.set_keep_alive_max_count(1000);
  http.set_pre_routing_handler(
      [&](const httplib::Request& req, httplib::Response& res) { return server.check(req, res); });
  http.set_post_routing_handler(
      [](const httplib::Request&, httplib::Response& res) { secure(res); });
  http.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) {
      const ui::ApiResponse r = ui::error_response(res.status, "refused",
                                                   "That request could not be read.");
      res.set_content(r.body, "application/json; charset=utf-8");
    }
  });
  http.Post("/api/session",
            [&](const httplib::Request& req, httplib::Response& res) { server.session(req, res); });
  http.Get("/api/events", [&](const httplib::Request&, httplib::Response& res) {
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider("text/event-stream", [&](size_t, httplib::DataSink& sink) {
      server.stream(sink);
      return true;
    });
  });
  auto api = [&](const httplib::Request& req, httplib::Response& res) { server.handle_api(req, res); };
  http.Get("/api/.*", api);
  http.Post("/api/.*", api);
  http.Get(".*", [&](const httplib::Request& req, httplib::Response& res) { server.asset(req, res); });

  std::thread listener([&] { http.listen_after_bind(); });

  const std::string url = ui::served_origin(port) + "/#k=" + server.sessions.launch_secret();
  pid_t opener = -1;
  if (o.no_open) {
    ctx.out << url << "\n" << std::flush;
  } else {
    opener = open_browser(url);
    ctx.out << "Hearth is opening in your browser. If no page opens, open this address "
               "(it works once):\n  "
            << url << "\nHearth stops a minute after its last page closes, or now with Ctrl-C.\n"
            << std::flush;
    if (opener < 0) ctx.err << "xdg-open could not be started; open the address above.\n";
  }

  // Until a signal, or until no page has been open for the linger time
  // (twice that at the start, while a browser opens).
  const auto linger = std::chrono::seconds(std::max(1, o.linger_seconds));
  bool first_page_seen = false;
  while (!pacing.stop()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    if (opener > 0 && ::waitpid(opener, nullptr, WNOHANG) == opener) opener = -1;
    if (server.open_pages.load() > 0) {
      first_page_seen = true;
      continue;
    }
    if (server.idle_for() > (first_page_seen ? linger : 2 * linger)) break;
  }
  server.stopping = true;
  server.api.cancel_invite();
  http.stop();
  listener.join();
  if (opener > 0) ::waitpid(opener, nullptr, 0);
  return kExitOk;
}

}  // namespace hearth::client
