// Boundaries, in two kinds (docs/DESIGN.md §5.4):
//  - a limit is one partner's own: in force the moment its author states it;
//    only its author revises (tightens or relaxes) or retires it, each at
//    once; the partner can acknowledge it, which changes nothing about it.
//  - an agreement is a rule both choose: in force once both agree; a revision
//    needs both again while the agreed wording stays in force; its proposer
//    can drop a revision the partner has not agreed to; either partner can
//    leave it alone and at once.
// The view is derived from the set of facts stated about a boundary, so it
// does not depend on the order they arrive in. Facts a partner is not
// entitled to state (retiring or revising the other's limit, dropping the
// other's revision) are ignored, whoever's device they arrive on.
#pragma once

#include <compare>
#include <optional>
#include <tuple>
#include <vector>

#include "model/entry.h"

namespace hearth::model {

enum class BoundaryStatus : uint8_t {
  kProposed = 0,       // an agreement waiting for the partner's answer
  kAgreed = 1,
  kRenegotiating = 2,  // an older revision is agreed and stays in force
  kDeclined = 3,
  kDiscussing = 4,
  kWithdrawn = 5,      // an agreement one partner left; terminal
  kInForce = 6,        // a limit
  kRetired = 7,        // a limit its author retired; terminal
};
const char* boundary_status_name(BoundaryStatus s);
// Limits in force, agreements in force, and what waits for an answer are
// current; withdrawn, retired and declined boundaries are history.
bool is_history(BoundaryStatus s);

// Facts sort by the order they were stated in, (lamport, author), with the
// rest of the fact as a tiebreak (a fact's order is unique in practice, see
// Order): never by event hash, so revision numbers follow the story.
struct RevisionFact {  // a BoundaryPropose: the first statement or a revision
  EventId id{};        // names the revision
  Order order;         // order.author proposed it (and agrees to it)
  int64_t wall_ms = 0;
  EntryRef ref;
  BoundaryKind kind = BoundaryKind::kAgreement;  // read from the first only
  bool operator==(const RevisionFact&) const = default;
  std::strong_ordering operator<=>(const RevisionFact& o) const {
    return std::tie(order, id, wall_ms, ref, kind) <=>
           std::tie(o.order, o.id, o.wall_ms, o.ref, o.kind);
  }
};
struct ResponseFact {
  EventId revision{};
  Order order;  // order.author responded
  int64_t wall_ms = 0;
  Response response = Response::kAgree;
  EntryRef ref;
  int64_t ask_again_after_ms = 0;  // a decline: not before this; 0: none
  bool operator==(const ResponseFact&) const = default;
  std::strong_ordering operator<=>(const ResponseFact& o) const {
    return std::tie(order, revision, wall_ms, response, ref, ask_again_after_ms) <=>
           std::tie(o.order, o.revision, o.wall_ms, o.response, o.ref, o.ask_again_after_ms);
  }
};
struct WithdrawFact {  // leaving an agreement, or retiring a limit
  Order order;
  int64_t wall_ms = 0;
  EntryRef ref;
  auto operator<=>(const WithdrawFact&) const = default;
};
struct DropFact {  // a proposer taking back their revision of an agreement
  EventId revision{};
  Order order;
  int64_t wall_ms = 0;
  EntryRef ref;
  auto operator<=>(const DropFact&) const = default;
};

// Everything stated about one boundary, each list in (lamport, author)
// order. add() ignores duplicates.
struct BoundaryFacts {
  std::vector<RevisionFact> revisions;
  std::vector<ResponseFact> responses;
  std::vector<WithdrawFact> withdrawals;
  std::vector<DropFact> drops;
  void add(const RevisionFact& f);
  void add(const ResponseFact& f);
  void add(const WithdrawFact& f);
  void add(const DropFact& f);
  bool operator==(const BoundaryFacts&) const = default;
};

// An author's position on one revision: their latest response to it, or
// agree if they proposed it and have not responded.
std::optional<Response> position_of(const BoundaryFacts& facts, const RevisionFact& revision,
                                    const DeviceKey& author);

struct BoundaryView {
  BoundaryKind kind = BoundaryKind::kAgreement;
  BoundaryStatus status = BoundaryStatus::kProposed;
  EntryRef first;                    // the first statement
  EntryRef latest;                   // the latest revision that counts (its text is shown)
  std::optional<EntryRef> in_force;  // the revision in force, if any
  DeviceKey owner{};                 // who stated it first (a limit's author)
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  uint32_t revision_count = 0;       // revisions that count (not dropped, not ignored)
  bool acknowledged = false;         // a limit: its latest wording acknowledged by the partner
  bool operator==(const BoundaryView&) const = default;
};

// The revisions that count, in order (revision number = index + 1): for a
// limit its author's only; for an agreement all but the dropped ones.
std::vector<const RevisionFact*> counted_revisions(const BoundaryFacts& facts);
// Whether a revision was dropped by its proposer (and so does not count).
bool is_dropped(const BoundaryFacts& facts, const RevisionFact& revision);

// nullopt until at least one revision is known (a response can arrive first).
std::optional<BoundaryView> derive(const BoundaryFacts& facts);

}  // namespace hearth::model
