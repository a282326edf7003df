// hearth_bench_live: latency of a live change from one partner's store to the
// other's, over the real stack (loopback TCP, Noise IK, sync sessions), with
// each device's store on disk and its own io thread, as in two daemons.
//
//   hearth_bench_live [--writes N]
//
// For each write on A: t0 when A's journal has committed (the moment
// `hearth` would report it saved), t1 when B has committed it and publishes
// it to watchers. Prints p50/p99 of t1 - t0, and of the whole write call
// (A's fsync included) to B's commit.
#include <sodium.h>

#include <algorithm>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <thread>
#include <vector>

#include "runtime/daemon_state.h"
#include "crypto/entity_id.h"
#include "crypto/sodium.h"
#include "net/listener.h"
#include "net/sync_service.h"
#include "store/peer_addresses.h"

namespace {

using namespace hearth;
using Clock = std::chrono::steady_clock;

struct Device {
  crypto::KeyMaterial keys = crypto::KeyMaterial::generate();
  asio::io_context io;
  std::unique_ptr<runtime::Unlocked> u;
  sync::UpdateHub hub;
  std::shared_ptr<net::SyncService> service;
  std::unique_ptr<net::Listener> listener;

  explicit Device(const std::string& db) {
    auto s = store::Store::open(db, keys.clone());
    if (!s) std::abort();
    u = std::make_unique<runtime::Unlocked>(std::move(s).value(), store::system_clock_ms);
    if (!u->devices.upsert(self(), store::DeviceRole::kSelf, "", 1).is_ok()) std::abort();
  }
  Key32 self() const { return keys.identity.public_key(); }
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  crypto::sodium_ready();
  int writes = 1000;
  for (int i = 1; i + 1 < argc; ++i)
    if (std::string(argv[i]) == "--writes") writes = std::atoi(argv[++i]);
  auto dir = std::filesystem::temp_directory_path() / ("hearth-live-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    Device a((dir / "a.db").string()), b((dir / "b.db").string());
    if (!a.u->devices.upsert(b.self(), store::DeviceRole::kPartner, "", 1).is_ok()) return 4;
    if (!b.u->devices.upsert(a.self(), store::DeviceRole::kPartner, "", 1).is_ok()) return 4;

    b.service = net::SyncService::create(b.io.get_executor(), *b.u, b.hub);
    auto l = net::Listener::start(b.io, net::Address{"127.0.0.1", 0},
                                  [&b](asio::ip::tcp::socket s) { b.service->accept(std::move(s)); });
    if (!l) return 4;
    b.listener = std::move(l).value();
    std::string address = "127.0.0.1:" + std::to_string(b.listener->local_endpoints().at(0).port());
    if (!a.u->store->addresses().add(address, "manual", 1).is_ok()) return 4;
    a.service = net::SyncService::create(a.io.get_executor(), *a.u, a.hub);

    // B's watchers learn of each arrival on B's thread.
    std::vector<Clock::time_point> arrived(static_cast<size_t>(writes));
    std::atomic<int> received{0};
    b.hub.subscribe([&](const sync::Update& up) {
      if (std::holds_alternative<sync::PartnerChange>(up)) {
        int n = received.load();
        if (n < writes) arrived[static_cast<size_t>(n)] = Clock::now();
        received.store(n + 1);
      }
      return true;
    });

    auto guard_a = asio::make_work_guard(a.io);
    auto guard_b = asio::make_work_guard(b.io);
    std::thread ta([&] { a.io.run(); });
    std::thread tb([&] { b.io.run(); });
    asio::post(b.io, [&] { b.service->start(); });
    asio::post(a.io, [&] { a.service->start(); });
    // Wait until connected and caught up.
    for (int i = 0; i < 2000; ++i) {
      std::promise<bool> ready;
      asio::post(a.io, [&] { ready.set_value(a.service->progress().caught_up); });
      if (ready.get_future().get()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }

    std::vector<double> after_commit, whole_write;
    for (int i = 0; i < writes; ++i) {
      std::promise<std::pair<Clock::time_point, Clock::time_point>> done;
      asio::post(a.io, [&] {
        model::ReflectionPut put;
        put.reflection_id = crypto::new_entity_id(store::system_clock_ms());
        put.text = "a live change " + std::to_string(i);
        // The commit is done when write() returns; the sync service's
        // journal listener has queued the event for B by then.
        auto start = Clock::now();
        (void)a.u->journal.write(put, store::Visibility::kShared);
        done.set_value({start, Clock::now()});
      });
      auto [start, committed] = done.get_future().get();
      while (received.load() <= i) std::this_thread::yield();
      auto t1 = arrived[static_cast<size_t>(i)];
      after_commit.push_back(std::chrono::duration<double, std::milli>(t1 - committed).count());
      whole_write.push_back(std::chrono::duration<double, std::milli>(t1 - start).count());
    }
    std::printf("live latency over %d writes, A's commit -> B's commit: p50 %.3f ms, p99 %.3f ms\n",
                writes, percentile(after_commit, 0.50), percentile(after_commit, 0.99));
    std::printf("whole write call on A (its fsync included) -> B's commit: p50 %.3f ms, p99 %.3f ms\n",
                percentile(whole_write, 0.50), percentile(whole_write, 0.99));

    std::promise<void> stopped_a, stopped_b;
    asio::post(a.io, [&] { a.service->stop([&] { stopped_a.set_value(); }); });
    asio::post(b.io, [&] {
      b.listener->stop();
      b.service->stop([&] { stopped_b.set_value(); });
    });
    stopped_a.get_future().wait();
    stopped_b.get_future().wait();
    guard_a.reset();
    guard_b.reset();
    a.io.stop();
    b.io.stop();
    ta.join();
    tb.join();
  }
  std::filesystem::remove_all(dir);
  return 0;
}
