// The write path for this device's own changes: one transaction per change,
// holding the entry (a signed event in this device's log, or a private
// entry) and the view updates. A change reported as written is durable
// (WAL, synchronous=FULL).
#pragma once

#include <functional>

#include "store/store.h"

namespace hearth::store {

enum class Visibility { kPrivate, kShared };

class Journal {
 public:
  using Clock = std::function<int64_t()>;  // milliseconds since the Unix epoch
  // Called after a shared event committed (the sync layer pushes it live).
  using Listener = std::function<void(const model::EntryMeta&)>;

  Journal(Store& store, Clock clock) : store_(store), clock_(std::move(clock)) {}

  // Validates and writes. Boundaries and pauses are always shared; asking
  // for them privately is kInvalidArgument.
  Result<model::EntryMeta> write(const model::Payload& payload, Visibility visibility);

  struct Write {
    model::Payload payload;
    Visibility visibility = Visibility::kShared;
  };
  // Several entries in one transaction, in order: all are written or none
  // (an answer and its private key, for example).
  Result<std::vector<model::EntryMeta>> write_all(const std::vector<Write>& writes);

  // Drops and recomputes every view from the log and the private entries.
  Status rebuild_views();

  void set_listener(Listener listener) { listener_ = std::move(listener); }

 private:
  // One entry inside the caller's transaction.
  Result<model::Entry> write_one(const model::Payload& payload, Visibility visibility);

  Store& store_;
  Clock clock_;
  Listener listener_;
};

int64_t system_clock_ms();

}  // namespace hearth::store
