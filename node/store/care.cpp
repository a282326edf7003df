#include "store/care.h"

#include <charconv>

#include "store/config.h"

namespace hearth::store {
namespace {

constexpr std::string_view kShownKey = "care-line-shown";

}  // namespace

Result<bool> offer_care_line(Store& store, int64_t now_ms) {
  // This device's check-ins of the last seven days; only the red ones count.
  std::vector<model::EntryRef> refs;
  {
    const int64_t self = store.self_author();
    Query reds = store.db().prepare(
        "SELECT head_source, head_row FROM check_ins WHERE author = ? AND forgotten = 0 AND"
        " created_ms >= ? AND created_ms <= ?");
    reds.bind(1, self).bind(2, now_ms - kCareWindowMs).bind(3, now_ms);
    for (auto row : reds.rows()) {
      HEARTH_TRY(row.status());
      refs.push_back({row->int64(0) == 1 ? model::EntryRef::Source::kPrivate
                                         : model::EntryRef::Source::kShared,
                      row->int64(1)});
    }
  }
  int red = 0;
  for (const auto& ref : refs) {
    auto e = store.loader().load(ref);
    if (!e) continue;
    if (const auto* c = std::get_if<model::CheckIn>(&e->payload);
        c && c->capacity == model::Capacity::kRed)
      ++red;
  }
  if (red < kCareReds) return false;
  Config config(store.db());
  HEARTH_ASSIGN_OR_RETURN(std::optional<std::string> shown, config.get(kShownKey));
  if (shown) {
    int64_t at = 0;
    std::from_chars(shown->data(), shown->data() + shown->size(), at);
    if (now_ms - at < kCareWindowMs) return false;
  }
  HEARTH_TRY(config.set(kShownKey, std::to_string(now_ms)));
  return true;
}

}  // namespace hearth::store
