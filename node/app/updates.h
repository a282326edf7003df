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
using Update = std::variant<PartnerChange, ConnectionChange>;

class UpdateHub {
 public:
  // Returns false once the subscriber is gone; it is then dropped.
  using Subscriber = std::function<bool(const Update&)>;

  void subscribe(Subscriber s) { subscribers_.push_back(std::move(s)); }
  void publish(const Update& update);
  size_t subscriber_count() const { return subscribers_.size(); }
  // Drops every subscriber (what they hold may use the io_context: call
  // before it goes).
  void clear() { subscribers_.clear(); }

 private:
  std::vector<Subscriber> subscribers_;
};

}  // namespace hearth::app
