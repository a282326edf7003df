// Keeping a process's secrets out of core dumps and other processes' reach.
#pragma once

#include "util/status.h"

namespace hearth {

// Sets RLIMIT_CORE to 0 (no core file, whatever limit the process was
// started with) and makes the process not dumpable (PR_SET_DUMPABLE 0: no
// core either, and other processes of the same user can neither ptrace it
// nor read its memory through /proc). Call first thing in main(), before
// any secret exists. kInternal, naming what failed, if either could not be
// set; the caller decides whether to go on.
Status keep_out_of_core_dumps();

}  // namespace hearth
