// hearth_bench_fill: writes N reflections into a Hearth home, for benchmarks.
//
//   hearth_bench_fill --home DIR --count N [--bytes B] [--private] [--durable]
//
// The home must be initialised with --no-passphrase and its daemon stopped.
// Every reflection goes through the same Journal::write as `hearth reflect
// add`, one transaction each, so the store is what real use would produce.
#include <sodium.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "crypto/entity_id.h"
#include "crypto/keyfile.h"
#include "crypto/sodium.h"
#include "store/journal.h"
#include "store/store.h"
#include "util/files.h"

int main(int argc, char** argv) {
  using namespace hearth;
  crypto::sodium_ready();
  std::string home;
  long count = 0, bytes = 1000;
  bool priv = false;
  bool durable = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--home" && i + 1 < argc) home = argv[++i];
    else if (a == "--count" && i + 1 < argc) count = std::atol(argv[++i]);
    else if (a == "--bytes" && i + 1 < argc) bytes = std::atol(argv[++i]);
    else if (a == "--private") priv = true;
    else if (a == "--durable") durable = true;
    else {
      std::fprintf(stderr, "usage: hearth_bench_fill --home DIR --count N [--bytes B] [--private] [--durable]\n");
      return 1;
    }
  }
  if (home.empty() || count <= 0 || bytes <= 0 || bytes > 60000) {
    std::fprintf(stderr, "usage: hearth_bench_fill --home DIR --count N [--bytes B] [--private] [--durable]\n");
    return 1;
  }
  HomePaths paths{home};
  auto keys = crypto::unlock_key_file(paths.keys(), nullptr);
  if (!keys) {
    std::fprintf(stderr, "%s\n", keys.status().to_string().c_str());
    return 2;
  }
  auto store = store::Store::open(paths.db(), std::move(*keys));
  if (!store) {
    std::fprintf(stderr, "%s\n", store.status().to_string().c_str());
    return 2;
  }
  // Filling is set-up, not what is measured: no fsync per write (--durable
  // keeps the daemon's synchronous=FULL).
  if (!durable && !(*store)->db().exec("PRAGMA synchronous=OFF").is_ok()) return 4;
  store::Journal journal(**store, store::system_clock_ms);
  auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < count; ++i) {
    model::ReflectionPut put;
    put.reflection_id = crypto::new_entity_id(store::system_clock_ms());
    put.text = "reflection " + std::to_string(i) + " ";
    while (static_cast<long>(put.text.size()) < bytes) put.text += "words of a day ";
    put.text.resize(static_cast<size_t>(bytes));
    put.feelings = {"calm"};
    auto m = journal.write(put, priv ? store::Visibility::kPrivate : store::Visibility::kShared);
    if (!m) {
      std::fprintf(stderr, "%s\n", m.status().to_string().c_str());
      return 4;
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("wrote %ld reflections of %ld bytes in %.2f s (%.0f writes/s, one transaction each%s)\n",
              count, bytes, s, static_cast<double>(count) / s, durable ? ", fsync'd" : "");
  return 0;
}
