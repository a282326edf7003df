#include "app/updates.h"

namespace hearth::app {

void UpdateHub::publish(const Update& update) {
  // A subscriber may subscribe others while we iterate: work on a snapshot.
  std::vector<Subscriber> current;
  current.swap(subscribers_);
  std::vector<Subscriber> kept;
  for (auto& s : current)
    if (s(update)) kept.push_back(std::move(s));
  for (auto& s : subscribers_) kept.push_back(std::move(s));
  subscribers_ = std::move(kept);
}

}  // namespace hearth::app
