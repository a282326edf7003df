// Fan-out of changes to `hearth watch` subscribers. Runs on the daemon's one
// io thread; publish() calls subscribers synchronously.
#pragma once

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "model/entry.h"

namespace hearth::sync {

struct PartnerChange {
  model::Entry entry;  // as stored; the payload carries the words
};
struct ConnectionChange {
  bool connected = false;
};
// This device's own pause ended: what the partner shared during it, held
// back until now (store/arrivals.h), can be shown.
struct OwnPauseEnded {};
using Update = std::variant<PartnerChange, ConnectionChange, OwnPauseEnded>;

class UpdateHub {
 public:
  // Returns false once the subscriber is gone; it is then dropped.
  using Subscriber = std::function<bool(const Update&)>;

  // `on_end`, if set, runs if end_all() drops the subscriber.
  void subscribe(Subscriber s, std::function<void()> on_end = nullptr) {
    subscribers_.push_back({std::move(s), std::move(on_end)});
  }
  void publish(const Update& update);
  // Drops every subscriber, running its on_end (the daemon locks: what they
  // watched is gone).
  void end_all();
  size_t subscriber_count() const { return subscribers_.size(); }
  // Drops every subscriber (what they hold may use the io_context: call
  // before it goes).
  void clear() { subscribers_.clear(); }

 private:
  struct Entry {
    Subscriber on_update;
    std::function<void()> on_end;
  };
  std::vector<Entry> subscribers_;
};

}  // namespace hearth::sync
