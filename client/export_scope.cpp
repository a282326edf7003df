#include "client/export_scope.h"

#include <algorithm>
#include <memory>
#include <vector>

namespace hearth::client {

bool in_scope(const ExportScope& scope, const Reflection& r) {
  if (scope.only_mine && !r.mine) return false;
  return scope.since == 0 || std::max(r.created_at, r.updated_at) >= scope.since;
}

Result<size_t> each_in_scope(const ExportScope& scope, const ReflectionPages& pages,
                             const std::function<void(Reflection&)>& each,
                             const std::function<Status(size_t)>& page_done) {
  size_t count = 0;
  std::vector<Reflection> page;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool more, pages(page));
    if (!more) return count;
    std::stable_sort(page.begin(), page.end(), [](const Reflection& a, const Reflection& b) {
      return a.created_at < b.created_at;
    });
    for (Reflection& r : page) {
      if (!in_scope(scope, r)) continue;
      each(r);
      ++count;
    }
    HEARTH_TRY(page_done(count));
  }
}

ReflectionPages pages_of(const ExportData& data) {
  auto sent = std::make_shared<bool>(false);
  return [&data, sent](std::vector<Reflection>& page) -> Result<bool> {
    page.clear();
    if (*sent) return false;
    *sent = true;
    page = data.reflections;
    return !page.empty();
  };
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
