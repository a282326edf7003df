// What a command shows around its answer about the partner (docs/DESIGN.md
// §5.5, §1.7): the partner's active pause first, what
// waits until my pause ends, and where a shared entry goes, naming the
// partner, or saying plainly that there is none.
#pragma once

#include <string>

#include "client/commands.h"

namespace hearth::client {

// Both pauses and what waits (one cheap request). When it cannot be had,
// an empty overview: the command's own request reports a daemon that is down.
Overview overview_or_empty(Context& ctx);

// "Saved and shared (ab12cd34)." is followed by this: where it goes now.
// Not paired: it waits for the next pairing, which asks about it. The
// partner pausing: they see it after. Otherwise: when the two connect.
std::string where_shared_goes(const Overview& o, int64_t now);

// Prints a list or a written entry: with --json the document carries the
// partner's pause and what waits; as text, a list shows those first, then
// `text` (a written entry's `text` says it itself, with where_shared_goes).
void print_with_context(Context& ctx, const Reply& reply, const Overview& o,
                        const std::string& text);

// The partner as messages name them: their name, else "your partner".
std::string partner_called(const Overview& o);

}  // namespace hearth::client
