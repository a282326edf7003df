#include "client/export_scope.h"

#include <algorithm>
#include <vector>

namespace hearth::client {

bool in_scope(const ExportScope& scope, const Reflection& r) {
  if (scope.only_mine && !r.mine) return false;
  return scope.since == 0 || std::max(r.created_at, r.updated_at) >= scope.since;
}

void apply_scope(ExportData& data) {
  const ExportScope& scope = data.scope;
  auto too_old = [&](int64_t at) { return scope.since != 0 && at < scope.since; };
  std::erase_if(data.reflections, [&](const Reflection& r) { return !in_scope(scope, r); });
  std::erase_if(data.check_ins,
                [&](const CheckIn& c) { return (scope.only_mine && !c.mine) || too_old(c.at); });
  std::erase_if(data.boundaries, [&](const Boundary& b) {
    return (scope.only_mine && !b.proposed_by_me) || too_old(std::max(b.created_at, b.updated_at));
  });
  if (!scope.only_mine) return;
  // My partner's words inside my entries.
  for (CheckIn& c : data.check_ins)
    std::erase_if(c.replies, [](const NeedReplyInfo& r) { return !r.mine; });
  for (Boundary& b : data.boundaries) {
    for (Revision& r : b.revisions) r.partner_note.clear();
    if (!b.withdrawn_by_me) b.withdraw_note.clear();
  }
}

}  // namespace hearth::client
