// `hearth export`: everything on this device as one plaintext document.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/reply.h"

namespace hearth::client {

// What an export keeps (`--since`, `--mine`); export_scope.h applies it.
struct ExportScope {
  int64_t since = 0;       // ms: the start of a local day; 0: everything
  std::string since_day;   // that day as typed, "YYYY-MM-DD"
  bool only_mine = false;  // --mine
};

struct ExportData {
  ExportScope scope;
  StatusInfo status;
  std::vector<Reflection> reflections;  // with history
  std::vector<Boundary> boundaries;
  std::vector<CheckIn> check_ins;
};

// {"hearth_export": 1, "exported_at", "device_id", "name", "partner",
//  "since" (a day or null), "only_mine", "reflections": [...],
//  "boundaries": [...], "checkins": [...]}, items as in render_json.h;
// entries oldest first.
std::string export_json(const ExportData& data, int64_t now);

// A readable document: a heading per kind, a section per entry, oldest
// first; what the scope left out is said at the top.
std::string export_markdown(const ExportData& data, int64_t now);

}  // namespace hearth::client
