#include "net/link_report.h"

namespace hearth::net {
namespace {

using wire::ByeReason;

std::string with_detail(std::string text, const std::string& detail) {
  if (!detail.empty()) text += ": " + detail;
  return text;
}

}  // namespace

std::optional<LinkReport> describe_end(const LinkEnd& end) {
  if (end.reason == ByeReason::kDuplicateConnection) return std::nullopt;
  const std::string reason = wire::bye_reason_name(end.reason);
  switch (end.how) {
    case LinkEnd::How::kWeSaidBye:
      switch (end.reason) {
        case ByeReason::kInvalidBatch:
          return LinkReport{"warn", with_detail("refused a batch of events from your partner's "
                                                "device and closed the connection",
                                                end.detail) +
                                        ". Nothing of that batch was stored."};
        case ByeReason::kFork:
          return LinkReport{
              "warn", with_detail("refused events from your partner's device that contradict "
                                  "what this device holds (a fork: one device wrote two "
                                  "different histories, as a device restored from an old "
                                  "backup may) and closed the connection",
                                  end.detail) +
                          ". Nothing of them was stored; syncing stays stopped until the "
                          "histories agree."};
        case ByeReason::kShuttingDown:
        case ByeReason::kNormal:
          return LinkReport{"info", "disconnected from your partner's device (" + reason + ")"};
        case ByeReason::kUnpaired:
          return LinkReport{"info",
                            "closed the connection with the former partner's device "
                            "without a word to it (unpaired)"};
        default:
          return LinkReport{"warn", with_detail("closed the connection with your partner's "
                                                "device (" +
                                                    reason + ")",
                                                end.detail)};
      }
    case LinkEnd::How::kPeerSaidBye:
      switch (end.reason) {
        case ByeReason::kInvalidBatch:
        case ByeReason::kFork:
        case ByeReason::kProtocolError:
        case ByeReason::kUnsupportedVersion:
          return LinkReport{"warn", with_detail("your partner's device refused this device's "
                                                "messages and closed the connection (" +
                                                    reason + ")",
                                                end.detail)};
        default:
          return LinkReport{"info", "your partner's device closed the connection (" + reason + ")"};
      }
    case LinkEnd::How::kPeerClosed:
      return LinkReport{"info",
                        with_detail("the connection with your partner's device ended", end.detail)};
    case LinkEnd::How::kBroken:
      return LinkReport{
          "warn", with_detail("closed the connection with your partner's device", end.detail)};
  }
  return std::nullopt;
}

}  // namespace hearth::net
