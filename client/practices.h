// The practices (docs/DESIGN.md §5.7; how they were written and where their
// ideas come from: docs/PRACTICES.md). Texts written for Hearth: plain, not
// clinical, each with its purpose, steps, how long it takes, and that
// stopping is always fine.
#pragma once

#include <span>
#include <string_view>
#include <vector>

namespace hearth::client {

struct PracticeStageText {
  std::string_view title;
  std::vector<std::string_view> steps;
};

struct PracticeText {
  std::string_view name;   // as typed: `hearth practice start NAME`
  std::string_view title;
  std::string_view purpose;  // one line
  int minutes = 5;           // the usual length
  bool paced = false;        // breathing with the pacer
  bool together = false;     // can be done together
  std::vector<std::string_view> steps;
  std::vector<PracticeStageText> stages;  // a staged practice's stages, 1..
};

std::span<const PracticeText> practices();
const PracticeText* find_practice(std::string_view name);

// Said before every practice, and at its end.
inline constexpr std::string_view kStoppingIsFine =
    "You can stop at any moment, for any reason or none: Ctrl-C here, or `hearth practice stop`.";

}  // namespace hearth::client
