// Boundaries: proposed, revised, answered and withdrawn by either partner.
// The status is derived from the set of facts stated about a boundary, so it
// does not depend on the order they arrive in. See DESIGN.md §5.
#pragma once

#include <compare>
#include <optional>
#include <tuple>
#include <vector>

#include "model/entry.h"

namespace hearth::model {

enum class BoundaryStatus : uint8_t {
  kProposed = 0,
  kAgreed = 1,
  kRenegotiating = 2,  // an older revision is agreed and stays in force
  kDeclined = 3,
  kDiscussing = 4,
  kWithdrawn = 5,      // terminal
};
const char* boundary_status_name(BoundaryStatus s);

// Facts sort by the order they were stated in, (lamport, author), with the
// rest of the fact as a tiebreak (a fact's order is unique in practice, see
// Order): never by event hash, so revision numbers follow the story.
struct RevisionFact {  // a BoundaryPropose: the first proposal or a revision
  EventId id{};        // names the revision
  Order order;         // order.author proposed it (and agrees to it)
  int64_t wall_ms = 0;
  EntryRef ref;
  bool operator==(const RevisionFact&) const = default;
  std::strong_ordering operator<=>(const RevisionFact& o) const {
    return std::tie(order, id, wall_ms, ref) <=> std::tie(o.order, o.id, o.wall_ms, o.ref);
  }
};
struct ResponseFact {
  EventId revision{};
  Order order;  // order.author responded
  int64_t wall_ms = 0;
  Response response = Response::kAgree;
  EntryRef ref;
  bool operator==(const ResponseFact&) const = default;
  std::strong_ordering operator<=>(const ResponseFact& o) const {
    return std::tie(order, revision, wall_ms, response, ref) <=>
           std::tie(o.order, o.revision, o.wall_ms, o.response, o.ref);
  }
};
struct WithdrawFact {
  Order order;
  int64_t wall_ms = 0;
  EntryRef ref;
  auto operator<=>(const WithdrawFact&) const = default;
};

// Everything stated about one boundary, each list in (lamport, author)
// order: revisions[i] is revision number i + 1. add() ignores duplicates.
struct BoundaryFacts {
  std::vector<RevisionFact> revisions;
  std::vector<ResponseFact> responses;
  std::vector<WithdrawFact> withdrawals;
  void add(const RevisionFact& f);
  void add(const ResponseFact& f);
  void add(const WithdrawFact& f);
  bool operator==(const BoundaryFacts&) const = default;
};

// An author's position on one revision: their latest response to it, or
// agree if they proposed it and have not responded.
std::optional<Response> position_of(const BoundaryFacts& facts, const RevisionFact& revision,
                                    const DeviceKey& author);

struct BoundaryView {
  BoundaryStatus status = BoundaryStatus::kProposed;
  EntryRef first;                   // the first proposal
  EntryRef latest;                  // the latest revision (its text is shown)
  std::optional<EntryRef> in_force;  // the agreed revision in force, if any
  DeviceKey first_proposer{};
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  uint32_t revision_count = 0;
  bool operator==(const BoundaryView&) const = default;
};

// nullopt until at least one revision is known (a response can arrive first).
std::optional<BoundaryView> derive(const BoundaryFacts& facts);

}  // namespace hearth::model
