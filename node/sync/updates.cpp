#include "sync/updates.h"

namespace hearth::sync {

void UpdateHub::publish(const Update& update) {
  // A subscriber may subscribe others while we iterate: work on a snapshot.
  std::vector<Entry> current;
  current.swap(subscribers_);
  std::vector<Entry> kept;
  for (auto& s : current)
    if (s.on_update(update)) kept.push_back(std::move(s));
  for (auto& s : subscribers_) kept.push_back(std::move(s));
  subscribers_ = std::move(kept);
}

void UpdateHub::end_all() {
  std::vector<Entry> current;
  current.swap(subscribers_);
  for (auto& s : current)
    if (s.on_end) s.on_end();
}

}  // namespace hearth::sync
