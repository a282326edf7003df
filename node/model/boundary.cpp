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

}  // namespace

const char* boundary_status_name(BoundaryStatus s) {
  switch (s) {
    case BoundaryStatus::kProposed: return "proposed";
    case BoundaryStatus::kAgreed: return "agreed";
    case BoundaryStatus::kRenegotiating: return "renegotiating";
    case BoundaryStatus::kDeclined: return "declined";
    case BoundaryStatus::kDiscussing: return "discussing";
    case BoundaryStatus::kWithdrawn: return "withdrawn";
  }
  return "?";
}

void BoundaryFacts::add(const RevisionFact& f) { insert_sorted_unique(revisions, f); }
void BoundaryFacts::add(const ResponseFact& f) { insert_sorted_unique(responses, f); }
void BoundaryFacts::add(const WithdrawFact& f) { insert_sorted_unique(withdrawals, f); }

std::optional<Response> position_of(const BoundaryFacts& facts, const RevisionFact& revision,
                                    const DeviceKey& author) {
  const ResponseFact* latest = nullptr;
  for (const auto& r : facts.responses) {
    if (r.revision != revision.id || r.order.author != author) continue;
    if (latest == nullptr || r.order > latest->order) latest = &r;
  }
  if (latest != nullptr) return latest->response;
  if (revision.order.author == author) return Response::kAgree;
  return std::nullopt;
}

std::optional<BoundaryView> derive(const BoundaryFacts& facts) {
  if (facts.revisions.empty()) return std::nullopt;
  auto by_order = [](const auto& a, const auto& b) { return a.order < b.order; };
  const auto& revs = facts.revisions;
  const RevisionFact& first = *std::min_element(revs.begin(), revs.end(), by_order);
  const RevisionFact& latest = *std::max_element(revs.begin(), revs.end(), by_order);

  BoundaryView view;
  view.first = first.ref;
  view.latest = latest.ref;
  view.first_proposer = first.order.author;
  view.created_ms = first.wall_ms;
  view.revision_count = static_cast<uint32_t>(facts.revisions.size());
  int64_t updated = 0;
  for (const auto& f : facts.revisions) updated = std::max(updated, f.wall_ms);
  for (const auto& f : facts.responses) updated = std::max(updated, f.wall_ms);
  for (const auto& f : facts.withdrawals) updated = std::max(updated, f.wall_ms);
  view.updated_ms = updated;

  if (!facts.withdrawals.empty()) {
    // Withdrawal is terminal and beats any concurrent revision or response.
    view.status = BoundaryStatus::kWithdrawn;
    return view;
  }
  if (agreed(facts, latest)) {
    view.status = BoundaryStatus::kAgreed;
    view.in_force = latest.ref;
    return view;
  }
  const RevisionFact* older_agreed = nullptr;
  for (const auto& rev : facts.revisions) {
    if (rev.order >= latest.order || !agreed(facts, rev)) continue;
    if (older_agreed == nullptr || rev.order > older_agreed->order) older_agreed = &rev;
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

}  // namespace hearth::model
