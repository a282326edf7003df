#include "model/boundary.h"

#include <algorithm>
#include <set>

namespace hearth::model {
namespace {

// Keeps facts sorted by order; a fact is identified by the entry that stated it.
template <typename T>
void insert_sorted_unique(std::vector<T>& v, const T& f) {
  for (const auto& existing : v)
    if (existing.ref == f.ref) return;
  v.insert(std::lower_bound(v.begin(), v.end(), f), f);
}

bool agreed(const BoundaryFacts& facts, const RevisionFact& rev) {
  std::set<DeviceKey> authors{rev.order.author};
  for (const auto& r : facts.responses)
    if (r.revision == rev.id) authors.insert(r.order.author);
  int agreeing = 0;
  for (const auto& a : authors)
    if (position_of(facts, rev, a) == Response::kAgree) ++agreeing;
  return agreeing >= 2;
}

const RevisionFact& first_of(const BoundaryFacts& facts) { return facts.revisions.front(); }

BoundaryView derive_limit(const BoundaryFacts& facts, BoundaryView view,
                          const std::vector<const RevisionFact*>& revs) {
  const DeviceKey& owner = view.owner;
  const RevisionFact& latest = *revs.back();
  view.latest = latest.ref;
  const bool retired = std::any_of(facts.withdrawals.begin(), facts.withdrawals.end(),
                                   [&](const WithdrawFact& w) { return w.order.author == owner; });
  if (retired) {
    view.status = BoundaryStatus::kRetired;
    return view;
  }
  view.status = BoundaryStatus::kInForce;
  view.in_force = latest.ref;
  view.acknowledged = std::any_of(facts.responses.begin(), facts.responses.end(),
                                  [&](const ResponseFact& r) {
                                    return r.revision == latest.id && r.order.author != owner &&
                                           r.response == Response::kAcknowledge;
                                  });
  return view;
}

BoundaryView derive_agreement(const BoundaryFacts& facts, BoundaryView view,
                              const std::vector<const RevisionFact*>& revs) {
  const RevisionFact& latest = *revs.back();
  view.latest = latest.ref;
  if (!facts.withdrawals.empty()) {
    // Leaving is terminal and beats any concurrent revision or response.
    view.status = BoundaryStatus::kWithdrawn;
    return view;
  }
  if (agreed(facts, latest)) {
    view.status = BoundaryStatus::kAgreed;
    view.in_force = latest.ref;
    return view;
  }
  const RevisionFact* older_agreed = nullptr;
  for (const RevisionFact* rev : revs) {
    if (rev == &latest || !agreed(facts, *rev)) continue;
    older_agreed = rev;  // revs are in order: the last one found is the newest
  }
  if (older_agreed != nullptr) {
    view.status = BoundaryStatus::kRenegotiating;
    view.in_force = older_agreed->ref;
    return view;
  }
  bool declined = false, discussing = false;
  for (const auto& r : facts.responses) {
    if (r.revision != latest.id) continue;
    auto pos = position_of(facts, latest, r.order.author);
    if (pos == Response::kDecline) declined = true;
    if (pos == Response::kDiscuss) discussing = true;
  }
  view.status = declined     ? BoundaryStatus::kDeclined
                : discussing ? BoundaryStatus::kDiscussing
                             : BoundaryStatus::kProposed;
  return view;
}

}  // namespace

const char* boundary_status_name(BoundaryStatus s) {
  switch (s) {
    case BoundaryStatus::kProposed: return "proposed";
    case BoundaryStatus::kAgreed: return "agreed";
    case BoundaryStatus::kRenegotiating: return "renegotiating";
    case BoundaryStatus::kDeclined: return "declined";
    case BoundaryStatus::kDiscussing: return "discussing";
    case BoundaryStatus::kWithdrawn: return "withdrawn";
    case BoundaryStatus::kInForce: return "in_force";
    case BoundaryStatus::kRetired: return "retired";
  }
  return "?";
}

bool is_history(BoundaryStatus s) {
  return s == BoundaryStatus::kWithdrawn || s == BoundaryStatus::kRetired ||
         s == BoundaryStatus::kDeclined;
}

void BoundaryFacts::add(const RevisionFact& f) { insert_sorted_unique(revisions, f); }
void BoundaryFacts::add(const ResponseFact& f) { insert_sorted_unique(responses, f); }
void BoundaryFacts::add(const WithdrawFact& f) { insert_sorted_unique(withdrawals, f); }
void BoundaryFacts::add(const DropFact& f) { insert_sorted_unique(drops, f); }

std::optional<Response> position_of(const BoundaryFacts& facts, const RevisionFact& revision,
                                    const DeviceKey& author) {
  const ResponseFact* latest = nullptr;
  for (const auto& r : facts.responses) {
    if (r.revision != revision.id || r.order.author != author) continue;
    if (r.response == Response::kAcknowledge) continue;  // not an answer to an agreement
    if (latest == nullptr || r.order > latest->order) latest = &r;
  }
  if (latest != nullptr) return latest->response;
  if (revision.order.author == author) return Response::kAgree;
  return std::nullopt;
}

bool is_dropped(const BoundaryFacts& facts, const RevisionFact& revision) {
  if (facts.revisions.empty() || &revision == &first_of(facts)) return false;
  if (first_of(facts).kind == BoundaryKind::kLimit) return false;
  if (agreed(facts, revision)) return false;  // in force for both: revise it instead
  return std::any_of(facts.drops.begin(), facts.drops.end(), [&](const DropFact& d) {
    return d.revision == revision.id && d.order.author == revision.order.author;
  });
}

std::vector<const RevisionFact*> counted_revisions(const BoundaryFacts& facts) {
  std::vector<const RevisionFact*> out;
  if (facts.revisions.empty()) return out;
  const RevisionFact& first = first_of(facts);
  for (const auto& rev : facts.revisions) {
    if (first.kind == BoundaryKind::kLimit ? rev.order.author != first.order.author
                                           : is_dropped(facts, rev))
      continue;
    out.push_back(&rev);
  }
  return out;
}

std::optional<BoundaryView> derive(const BoundaryFacts& facts) {
  if (facts.revisions.empty()) return std::nullopt;
  const RevisionFact& first = first_of(facts);
  const std::vector<const RevisionFact*> revs = counted_revisions(facts);

  BoundaryView view;
  view.kind = first.kind;
  view.first = first.ref;
  view.owner = first.order.author;
  view.created_ms = first.wall_ms;
  view.revision_count = static_cast<uint32_t>(revs.size());
  // What was ignored (a partner's statement about the other's limit, a drop
  // that does not count) changes nothing, not even when it was updated.
  const bool limit = first.kind == BoundaryKind::kLimit;
  auto counts = [&](const DeviceKey& author) { return !limit || author == view.owner; };
  int64_t updated = 0;
  for (const RevisionFact* f : revs) updated = std::max(updated, f->wall_ms);
  for (const auto& f : facts.responses)
    if (!limit || f.response == Response::kAcknowledge) updated = std::max(updated, f.wall_ms);
  for (const auto& f : facts.withdrawals)
    if (counts(f.order.author)) updated = std::max(updated, f.wall_ms);
  if (!limit)
    for (const auto& f : facts.drops) updated = std::max(updated, f.wall_ms);
  view.updated_ms = updated;
  return limit ? derive_limit(facts, view, revs) : derive_agreement(facts, view, revs);
}

}  // namespace hearth::model
