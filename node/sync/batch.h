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

// What became of a batch. Only an accepted one stored anything.
class [[nodiscard]] Verdict {
 public:
  enum class Kind {
    kAccepted,  // validated and committed
    kFork,      // the author signed a different event at a seq stored here
    kInvalid,   // the batch breaks a rule of PROTOCOL.md §4.3 (reason says which)
  };
  static Verdict accepted(Accepted a) { return Verdict(Kind::kAccepted, std::move(a), {}); }
  static Verdict fork(std::string reason) { return Verdict(Kind::kFork, {}, std::move(reason)); }
  static Verdict invalid(std::string reason) {
    return Verdict(Kind::kInvalid, {}, std::move(reason));
  }

  Kind kind() const { return kind_; }
  bool is_accepted() const { return kind_ == Kind::kAccepted; }
  // What was stored; empty unless accepted.
  Accepted& accepted() { return accepted_; }
  const Accepted& accepted() const { return accepted_; }
  // Why it was refused, in Hearth's words (for the activity log); empty when accepted.
  const std::string& reason() const { return reason_; }

 private:
  Verdict(Kind kind, Accepted a, std::string reason)
      : kind_(kind), accepted_(std::move(a)), reason_(std::move(reason)) {}
  Kind kind_;
  Accepted accepted_;
  std::string reason_;
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
// The Verdict says which; a failed Status means this device's store failed
// (reading or writing), whatever the batch was: nothing was stored either way.
// The batch is taken by value: its bodies move into the store's rows.
// `receipt` says when it arrived (store/arrivals.h notes the partner's
// pauses and what this device's pause holds back); none: nothing is noted.
Result<Verdict> accept_batch(store::Store& store, const Key32& partner,
                              std::vector<wire::WireEvent> batch,
                              const store::Receipt& receipt = {});

}  // namespace hearth::sync
