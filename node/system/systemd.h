// hearthd under systemd (deploy/hearthd.service, Type=notify): readiness and
// state through sd_notify(3), and log lines the journal files under their
// priority.
//
// Outside systemd (no $NOTIFY_SOCKET, stderr not the journal) every call
// here does nothing and the log keeps its own timestamps. Never pass a
// person's words here: what is sent ends up in `systemctl status`.
#pragma once

#include <string_view>

namespace hearth::system {

// Whether stderr is a stream to the journal ($JOURNAL_STREAM names its device
// and inode, as systemd.exec(5) describes).
bool stderr_is_journal();

// READY=1 with a one-line status: the control socket answers, and hearthd
// listens where it should.
void notify_ready(std::string_view status);
// STATUS=...: e.g. "locked: waiting for `hearth unlock`".
void notify_status(std::string_view status);
// STOPPING=1: hearthd is saying goodbye to the partner, then exits.
void notify_stopping();

}  // namespace hearth::system
