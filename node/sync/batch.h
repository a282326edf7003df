// Receiving a batch of events (docs/DESIGN.md §4.4): validate all of it, then
// commit it in one transaction with the view updates, or store nothing.
#pragma once

#include <vector>

#include "store/store.h"
#include "wire/peer_codec.h"

namespace hearth::sync {

struct Accepted {
  // The events that carried words, as applied, except those held back by
  // this device's pause (store/arrivals.h): they are shown when it ends.
  std::vector<model::Entry> entries;
  Key32 author{};
  uint64_t head_seq = 0;              // the author's head after the commit
};

// Checks, before anything is written: the author is this device or the
// partner; seqs continue the stored log without gaps; each prev is the
// previous event's ID; lamports increase; each present body matches its
// bodyHash, opens with the author's log key and parses; and the last event's
// signature verifies (the hash chain binds every earlier header to it; the
// earlier signatures are stored unchecked, store/event_log.h). Events the
// store already holds are skipped when identical; a different one at a held
// seq is a fork only if its own signature verifies. The commit is
// atomic and survives a killed process; it does not wait for the disk
// (Db::RelaxedDurability), since the partner resends what was lost.
//   kRefused: a fork (a different event at a stored seq, signed by its author)
//   kCorrupt / kAuthFailed / kNotFound (no log key): an invalid batch
// The batch is taken by value: its bodies move into the store's rows.
// `receipt` says when it arrived (store/arrivals.h notes the partner's
// pauses and what this device's pause holds back); none: nothing is noted.
Result<Accepted> accept_batch(store::Store& store, const Key32& partner,
                              std::vector<wire::WireEvent> batch,
                              const store::Receipt& receipt = {});

}  // namespace hearth::sync
