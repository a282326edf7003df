// Fan-out of changes to `hearth watch` subscribers. Runs on the daemon's one
// io thread; publish() calls subscribers synchronously.
#pragma once

#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "model/entry.h"

namespace hearth::app {

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

  void subscribe(Subscriber s) { subscribers_.push_back(std::move(s)); }
  void publish(const Update& update);
  size_t subscriber_count() const { return subscribers_.size(); }

 private:
  std::vector<Subscriber> subscribers_;
};

}  // namespace hearth::app
