// The parts of the man pages that are not in the command table: files,
// environment, examples (cli/cli_doc.h). Kept short: the command table's
// own texts carry the rest.
#pragma once

#include "cli/cli_doc.h"

namespace hearth::cli {

inline const char* kFilesSection =
    ".TP\n\\fI~/.local/share/hearth/\\fR\n"
    "Hearth's folder (else \\fB$HEARTH_HOME\\fR or \\fB$XDG_DATA_HOME/hearth\\fR): the key file "
    "\\fIkeys\\fR, the encrypted store \\fIhearth.db\\fR, the control socket "
    "\\fIcontrol.sock\\fR.\n"
    ".TP\n\\fI~/.local/share/hearth/hearth.conf\\fR\n"
    "Settings: listen\\-address, listen\\-port, discovery, auto\\-lock, quiet\\-hours, "
    "unlock\\-with\\-login. \\fBhearth config list\\fR shows them; "
    "\\fBhearth config set\\fR changes them.\n";

inline const char* kSeeAlsoSection =
    "\\fBhearth\\fR(1), \\fBhearthd\\fR(1), \\fBsystemctl\\fR(1), \\fBjournalctl\\fR(1)\n"
    ".PP\n"
    "Hearth does not replace a therapist or crisis support: \\fBhearth help crisis\\fR "
    "lists people to talk to.";

inline ManExtras hearth_man_extras() {
  return {"a private journal shared with your partner",
          {{"EXAMPLES",
            ".nf\nhearth init --name Sam\nhearth pair invite            # on one computer\n"
            "hearth pair join               # on the other: type the code\n"
            "hearth reflect add \\-\\-share \"Today felt lighter.\"\nhearth pause \\-\\-for 45m\n"
            ".fi"},
           {"ENVIRONMENT",
            ".TP\n\\fBHEARTH_HOME\\fR\nHearth's folder, when \\fB\\-\\-home\\fR is not given.\n"
            ".TP\n\\fBVISUAL\\fR, \\fBEDITOR\\fR\nThe editor for writing entries."},
           {"EXIT STATUS",
            "0 ok, 1 usage, 2 daemon not running or locked, 3 refused, 4 internal."},
           {"FILES", kFilesSection},
           {"SEE ALSO", kSeeAlsoSection}}};
}

inline ManExtras hearthd_man_extras() {
  return {"the Hearth daemon: keeps the journal and syncs it with your partner's computer",
          {{"SYSTEMD",
            "The package installs a user unit: \\fBsystemctl \\-\\-user enable \\-\\-now "
            "hearthd\\fR. It tells systemd when it is ready (Type=notify) and logs to the "
            "journal: \\fBjournalctl \\-\\-user \\-u hearthd\\fR."},
           {"EXIT STATUS",
            "0 stopped, 1 bad options or settings, 2 not set up yet or already running, "
            "4 internal."},
           {"FILES", kFilesSection},
           {"SEE ALSO", kSeeAlsoSection}}};
}

// `hearth --complete-ids KIND` for the `id` argument under each command.
inline IdKinds hearth_id_kinds() {
  return {{"reflect", "reflection"},
          {"boundary", "boundary"},
          {"checkin", "checkin"},
          {"prompt", "prompt"}};
}

}  // namespace hearth::cli
