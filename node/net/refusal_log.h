// What the activity log records of connections refused before anything was
// learned (strangers, replays): at most the first refusal from each source
// in a window, in full; when the window ends, one line per source that
// kept trying ("312 connections refused from 10.0.0.7 in the last
// minute"); past kMaxSources sources in one window, the others are counted
// together. The count of lines per window is bounded whatever arrives, and
// those lines go to the log's own bucket (store/activity.h), so refused
// strangers by the thousand neither flood the log nor push anything else
// out of it.
//
// Pure: the caller supplies the time and a timer that calls flush() at
// window_end(). Single-threaded.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace hearth::net {

class RefusalLog {
 public:
  using Clock = std::chrono::steady_clock;
  // Sources named one by one in a window; more are counted together.
  static constexpr size_t kMaxSources = 16;

  explicit RefusalLog(std::chrono::milliseconds window = std::chrono::minutes(1))
      : window_(window) {}

  // A refusal from `source` (an address, as text) at `now`, described by
  // `what` ("refused a connection from an unknown device ABCDEFG"). Returns
  // the lines to record now: what a window that ended before `now` sums up,
  // and `what` with the source when it is the source's first in this window.
  std::vector<std::string> refused(const std::string& source, const std::string& what,
                                   Clock::time_point now);
  // The lines that sum up the current window, which ends: for every source
  // refused more than once, and for the sources counted together.
  std::vector<std::string> flush();
  // When the current window ends; nullopt when none runs.
  std::optional<Clock::time_point> window_end() const;

 private:
  std::string period() const;
  std::chrono::milliseconds window_;
  std::optional<Clock::time_point> started_;
  std::map<std::string, uint64_t> counts_;  // at most kMaxSources
  uint64_t others_ = 0;                     // refusals from sources beyond kMaxSources
  std::set<std::string> other_sources_;     // at most kMaxOtherSources
  static constexpr size_t kMaxOtherSources = 4096;
};

}  // namespace hearth::net
