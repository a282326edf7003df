// `hearth export`: everything on this device as one plaintext document.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/reply.h"

namespace hearth::client {

struct ExportData {
  StatusInfo status;
  std::vector<Reflection> reflections;  // with history
  std::vector<Boundary> boundaries;
  std::vector<CheckIn> check_ins;
};

// {"hearth_export": 1, "exported_at", "device_id", "name", "partner",
//  "reflections": [...], "boundaries": [...], "checkins": [...]}, items as in
// render_json.h; entries oldest first.
std::string export_json(const ExportData& data, int64_t now);

// A readable document: a heading per kind, a section per entry, oldest first.
std::string export_markdown(const ExportData& data, int64_t now);

}  // namespace hearth::client
