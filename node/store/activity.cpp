#include "store/activity.h"

namespace hearth::store {

Status Activity::append(std::string_view level, std::string_view message, int64_t at_ms) {
  Statement& st = db_.prepare("INSERT INTO activity (at_ms, level, message) VALUES (?, ?, ?)");
  st.bind(1, at_ms).bind_text(2, level).bind_text(3, message);
  HEARTH_TRY(st.run());
  Statement& trim = db_.prepare("DELETE FROM activity WHERE id <= ?");
  trim.bind(1, db_.last_insert_rowid() - kMaxEntries);
  return trim.run();
}

Result<std::vector<ActivityEntry>> Activity::newest(uint32_t limit) {
  Statement& st = db_.prepare("SELECT at_ms, level, message FROM activity ORDER BY id DESC LIMIT ?");
  st.bind(1, limit == 0 ? int64_t{-1} : int64_t{limit});
  std::vector<ActivityEntry> out;
  for (;;) {
    HEARTH_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) break;
    out.push_back({st.int64(0), std::string(st.text(1)), std::string(st.text(2))});
  }
  st.reset();
  return out;
}

}  // namespace hearth::store
