// The activity log behind `hearth log`: what the daemon did on the network
// and why (docs/DESIGN.md §1.4). Messages are Hearth's own words: device IDs,
// addresses, counts, reasons; never anything a person wrote.
#pragma once

#include <string>
#include <vector>

#include "store/db.h"

namespace hearth::store {

struct ActivityEntry {
  int64_t at_ms = 0;
  std::string level;  // "info" | "warn" | "error"
  std::string message;
};

class Activity {
 public:
  // Keeps the newest kMaxEntries; older ones are deleted as new ones arrive.
  static constexpr int64_t kMaxEntries = 10'000;

  explicit Activity(Db& db) : db_(db) {}
  Status append(std::string_view level, std::string_view message, int64_t at_ms);
  // Newest first; limit 0: all.
  Result<std::vector<ActivityEntry>> newest(uint32_t limit);

 private:
  Db& db_;
};

}  // namespace hearth::store
