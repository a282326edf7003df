#include "net/refusal_log.h"

namespace hearth::net {
namespace {

std::string connections(uint64_t n) {
  return std::to_string(n) + (n == 1 ? " connection" : " connections");
}

}  // namespace

std::vector<std::string> RefusalLog::refused(const std::string& source, const std::string& what,
                                             Clock::time_point now) {
  std::vector<std::string> lines;
  if (started_ && now >= *started_ + window_) lines = flush();
  if (!started_) started_ = now;
  auto it = counts_.find(source);
  if (it != counts_.end()) {
    ++it->second;
  } else if (counts_.size() < kMaxSources) {
    counts_.emplace(source, 1);
    lines.push_back(what + " at " + source);
  } else {
    ++others_;
    if (other_sources_.size() < kMaxOtherSources) other_sources_.insert(source);
  }
  return lines;
}

std::vector<std::string> RefusalLog::flush() {
  std::vector<std::string> lines;
  for (const auto& [source, n] : counts_) {
    if (n > 1) lines.push_back(connections(n) + " refused from " + source + " in " + period());
  }
  if (others_ > 0) {
    const size_t m = other_sources_.size();
    lines.push_back(connections(others_) + " refused from " +
                    (m >= kMaxOtherSources ? "at least " : "") + std::to_string(m) + " other " +
                    (m == 1 ? "address" : "addresses") + " in " + period());
  }
  counts_.clear();
  other_sources_.clear();
  others_ = 0;
  started_.reset();
  return lines;
}

std::optional<RefusalLog::Clock::time_point> RefusalLog::window_end() const {
  if (!started_) return std::nullopt;
  return *started_ + window_;
}

std::string RefusalLog::period() const {
  if (window_ == std::chrono::minutes(1)) return "the last minute";
  if (window_.count() % 1000 == 0)
    return "the last " + std::to_string(window_.count() / 1000) + " s";
  return "the last " + std::to_string(window_.count()) + " ms";
}

}  // namespace hearth::net
