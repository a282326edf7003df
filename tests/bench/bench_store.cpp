// hearth_bench_store: figures for the store and the receive path, in process.
//
//   hearth_bench_store [--events N]
//
// Prints first what sets the pace on this machine (SQLite inserting rows of
// 1 KB in batches, Ed25519 verifying), so figures from different machines
// can be compared; then: local write rate (one transaction per write, synchronous=FULL, on
// a temp file), reflect-list latency over 10,000 reflections, view rebuild
// time, and the receive pipeline's rate (validate + decrypt + commit batches
// of 256 events of ~1 KB, the work a catch-up does per event).
#include <sodium.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "crypto/entity_id.h"
#include "crypto/sodium.h"
#include "store/journal.h"
#include "store/reader.h"
#include "store/store.h"
#include "sync/batch.h"

namespace {

using namespace hearth;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

model::ReflectionPut reflection(size_t bytes, long i) {
  model::ReflectionPut put;
  put.reflection_id = crypto::new_entity_id(store::system_clock_ms());
  put.text = "reflection " + std::to_string(i) + " ";
  while (put.text.size() < bytes) put.text += "words of a day ";
  put.text.resize(bytes);
  put.feelings = {"calm"};
  return put;
}

std::unique_ptr<store::Store> open_store(const std::string& path, crypto::KeyMaterial keys) {
  auto s = store::Store::open(path, std::move(keys));
  if (!s) {
    std::fprintf(stderr, "%s\n", s.status().to_string().c_str());
    std::exit(2);
  }
  return std::move(s).value();
}

}  // namespace

int main(int argc, char** argv) {
  crypto::sodium_ready();
  long events = 100'000;
  bool local = true;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--events" && i + 1 < argc) events = std::atol(argv[++i]);
    if (std::string(argv[i]) == "--receive-only") local = false;
  }
  auto dir = std::filesystem::temp_directory_path() / ("hearth-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);

  // --- the machine: the two costs the catch-up target was set against
  {
    auto db = store::Db::open((dir / "machine.db").string());
    if (!db || !(*db)->exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, b BLOB) STRICT").is_ok())
      return 4;
    Bytes blob(1000);
    randombytes_buf(blob.data(), blob.size());
    const long kRows = 100'000;
    store::Db::RelaxedDurability relaxed(**db);  // as received batches commit
    auto m0 = Clock::now();
    for (long done = 0; done < kRows;) {
      auto tx = (*db)->begin();
      if (!tx) return 4;
      for (long i = 0; i < 1024 && done < kRows; ++i, ++done) {
        blob[0] = static_cast<uint8_t>(done);
        auto st = (*db)->prepare("INSERT INTO rows (b) VALUES (?)");
        st.bind(1, ByteView(blob));
        if (!st.run().is_ok()) return 4;
      }
      if (!tx->commit().is_ok()) return 4;
    }
    const double sql_s = seconds_since(m0);
    uint8_t pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES], sig[crypto_sign_BYTES];
    uint8_t header[152];
    randombytes_buf(header, sizeof header);
    crypto_sign_keypair(pk, sk);
    crypto_sign_detached(sig, nullptr, header, sizeof header, sk);
    sodium_memzero(sk, sizeof sk);
    const int kVerifies = 5000;
    int good = 0;
    m0 = Clock::now();
    for (int i = 0; i < kVerifies; ++i)
      good += crypto_sign_verify_detached(sig, header, sizeof header, pk) == 0;
    const double sig_s = seconds_since(m0);
    if (good != kVerifies) return 4;
    std::printf("machine: SQLite inserts %.0f rows of 1 KB/s (batches of 1,024, WAL); "
                "Ed25519 verifies %.0f signatures/s\n",
                kRows / sql_s, kVerifies / sig_s);
  }

  // --- local writes and list latency with 10,000 reflections
  auto me = crypto::KeyMaterial::generate();
  auto sender = open_store((dir / "local.db").string(), me.clone());
  store::Journal journal(*sender, store::system_clock_ms);
  const long kList = local ? 10'000 : 0;
  auto t0 = Clock::now();
  for (long i = 0; i < kList; ++i) {
    if (!journal.write(reflection(1000, i), store::Visibility::kShared)) return 4;
  }
  double write_s = seconds_since(t0);
  if (local) std::printf("local writes: %ld reflections of 1 KB in %.2f s = %.0f writes/s (one fsync'd transaction each)\n",
              kList, write_s, kList / write_s);

  store::Reader reader(*sender);
  if (local) {
  std::vector<double> latencies;
  for (int i = 0; i < 50; ++i) {
    auto t = Clock::now();
    auto items = reader.reflections(20, false);
    latencies.push_back(seconds_since(t) * 1000);
    if (!items || items->size() != 20) return 4;
  }
  std::sort(latencies.begin(), latencies.end());
  std::printf("reflect list (newest 20 of %ld): median %.3f ms, max %.3f ms (daemon side, decrypt included)\n",
              kList, latencies[latencies.size() / 2], latencies.back());
  t0 = Clock::now();
  auto all = reader.reflections(0, false);
  std::printf("reflect list --limit 0 (%zu reflections): %.1f ms\n", all ? all->size() : 0,
              seconds_since(t0) * 1000);
  t0 = Clock::now();
  if (!journal.rebuild_views().is_ok()) return 4;
  std::printf("rebuild views from %ld events: %.2f s\n", kList, seconds_since(t0));
  }

  // --- receive pipeline: the partner's store catches up on `events` events.
  // The sender's log is made in memory (fast); the receiver writes to a file
  // with the daemon's settings (WAL, synchronous=FULL).
  sender = open_store(":memory:", me.clone());
  store::Journal fast_journal(*sender, store::system_clock_ms);
  for (long i = 0; i < events; ++i) {
    if (!fast_journal.write(reflection(1000, i), store::Visibility::kShared)) return 4;
  }
  auto partner_keys = crypto::KeyMaterial::generate();
  auto receiver = open_store((dir / "receiver.db").string(), partner_keys.clone());
  if (!receiver->keys().store_log_key(receiver->db(), me.identity.public_key(), 1, me.log_key).is_ok())
    return 4;
  std::vector<std::vector<wire::WireEvent>> batches;
  uint64_t after = 0;
  for (;;) {
    auto stored = sender->events().read_after(me.identity.public_key(), after, wire::kMaxBatchEvents,
                                               wire::kMaxBatchBytes);
    if (!stored || stored->empty()) break;
    std::vector<wire::WireEvent> b;
    for (auto& e : *stored) b.push_back({e.header, e.signature, *e.body});
    after = stored->back().seq;
    batches.push_back(std::move(b));
  }
  t0 = Clock::now();
  long received = 0;
  for (const auto& b : batches) {
    auto r = sync::accept_batch(*receiver, me.identity.public_key(), b);
    if (!r || !r->is_accepted()) {
      std::fprintf(stderr, "batch refused: %s\n",
                   r ? r->reason().c_str() : r.status().to_string().c_str());
      return 4;
    }
    received += static_cast<long>(b.size());
  }
  double recv_s = seconds_since(t0);
  std::printf("receive pipeline: %ld events of ~1 KB in %zu batches in %.2f s = %.0f events/s\n",
              received, batches.size(), recv_s, received / recv_s);
  std::filesystem::remove_all(dir);
  return 0;
}
