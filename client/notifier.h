// Where `hearth notify` posts what it decided to say (client/notify_policy.h).
//
// The desktop's notification service is one Notifier (desktop_notifier.h);
// tests record instead. A Notice carries who and what kind, never the words
// of an entry: notify_policy.cpp builds every one of them.
#pragma once

#include <string>

#include "util/status.h"

namespace hearth::client {

enum class NoticeKind {
  kPartnerPause,        // "Alex is pausing until 16:20"
  kPartnerPauseEnded,   // "Alex's pause has ended"
  kAnswersRevealed,     // "You can both read your answers to a prompt now"
  kNeedReply,           // "Alex replied to your check-in"
  kNewEntry,            // "Alex shared a reflection" (only with notify-entries on)
  kPracticeInvitation,  // "Alex invites you to practise together"
  kAfterMyPause,        // one summary when my own pause has ended
};

// A stable name for logs and tests: "partner-pause", "answers-revealed", ...
const char* notice_kind_name(NoticeKind kind);

struct Notice {
  NoticeKind kind = NoticeKind::kPartnerPause;
  std::string summary;  // one line, plain text
  std::string body;     // plain text; may be empty
};

class Notifier {
 public:
  virtual ~Notifier() = default;
  // Shows `notice` now. A failure is reported, and the next notice is tried
  // all the same.
  virtual Status post(const Notice& notice) = 0;
};

}  // namespace hearth::client
