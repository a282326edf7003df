// The breathing pacer: in for N seconds, out for M, from an agreed start
// instant, until the minutes are over. Two partners' pacers run from the same
// instant (each on its own clock, corrected by its daemon), so they breathe
// in step.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>

namespace hearth::client {

struct PacerOptions {
  int64_t start_ms = 0;  // when the first breath in begins (ms since the epoch)
  int minutes = 5;
  int in_seconds = 5;
  int out_seconds = 5;
  bool json = false;     // one JSON line per phase: {"phase", "at", "planned"}
  bool animate = false;  // a one-line animation (a terminal); else a line per phase
};

enum class PacerEnd { kDone, kStopped, kInterrupted };

// Runs the pacer on `out`. `stopped` is asked about four times a second
// (e.g. whether the partner ended the session); Ctrl-C ends it too.
PacerEnd run_pacer(std::ostream& out, const PacerOptions& o, const std::function<bool()>& stopped);

}  // namespace hearth::client
