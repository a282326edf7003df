// What `hearth export --since DATE --mine` keeps, for every format.
#pragma once

#include "client/export.h"

namespace hearth::client {

// Keeps, in place, what data.scope asks for:
// - since (the start of a local day): entries written or changed from then
//   on (a reflection by its latest version, a boundary by its latest change,
//   a check-in by when it was written);
// - only_mine: my own entries only: my reflections and check-ins, my limits
//   and the agreements I proposed; my partner's words inside them (replies to
//   my needs, notes on my agreements) are left out too.
void apply_scope(ExportData& data);
// Whether the scope keeps a reflection (what apply_scope does to each, for
// reflections that arrive a page at a time).
bool in_scope(const ExportScope& scope, const Reflection& r);

// Each reflection the scope keeps, page by page, each page oldest first
// (the daemon's already are; the sort is stable): `each` for every
// reflection, then `page_done` with how many so far, after every page.
// Answers how many were kept; the first failed Status ends it.
Result<size_t> each_in_scope(const ExportScope& scope, const ReflectionPages& pages,
                             const std::function<void(Reflection&)>& each,
                             const std::function<Status(size_t)>& page_done);

// data.reflections as the pages of a writer: one page, for an export made
// in memory (export_json and the others).
ReflectionPages pages_of(const ExportData& data);

}  // namespace hearth::client
