// `hearth export`: everything on this device as one plaintext document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "client/reply.h"
#include "util/status.h"

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

// Fills `page` with the next reflections, oldest first; false when none is
// left. A failed Status ends the export.
using ReflectionPages = std::function<Result<bool>(std::vector<Reflection>& page)>;
// Takes the next piece of the document; `reflections` were written so far.
using ExportSink = std::function<Status(std::string piece, size_t reflections)>;

// The JSON and markdown documents below, written piece by piece: the
// reflections (those data.scope keeps) come from `pages`, one page at a
// time, so a journal of any size is exported in the memory of one page;
// data.reflections is not read. Returns how many reflections were written.
Result<size_t> write_export_json(const ExportData& data, int64_t now, const ReflectionPages& pages,
                                 const ExportSink& sink);
Result<size_t> write_export_markdown(const ExportData& data, int64_t now,
                                     const ReflectionPages& pages, const ExportSink& sink);

// {"hearth_export": 1, "exported_at", "device_id", "name", "partner",
//  "since" (a day or null), "only_mine", "reflections": [...],
//  "boundaries": [...], "checkins": [...]}, items as in render_json.h;
// entries oldest first.
std::string export_json(const ExportData& data, int64_t now);

// A readable document: a heading per kind, a section per entry, oldest
// first; what the scope left out is said at the top.
std::string export_markdown(const ExportData& data, int64_t now);

}  // namespace hearth::client
