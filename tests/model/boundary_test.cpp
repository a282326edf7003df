#include <doctest/doctest.h>

#include <algorithm>

#include "model_fixtures.h"

using namespace hearth;
using namespace hearth::model;
using hearth::test::device;
using hearth::test::entity;
using hearth::test::entry;

namespace {

constexpr uint8_t kA = 1, kB = 2;

Entry propose(uint8_t author, uint64_t lamport) {
  return entry(author, lamport, BoundaryPropose{entity(9), "text", ""});
}
Entry respond(uint8_t author, uint64_t lamport, const Entry& revision, Response r) {
  return entry(author, lamport, BoundaryRespond{entity(9), revision.meta.event_id, r, ""});
}
BoundaryStatus status_of(std::initializer_list<Entry> entries) {
  State s;
  for (const auto& e : entries) s.apply(e);
  auto view = s.boundary(entity(9));
  REQUIRE(view.has_value());
  return view->status;
}

}  // namespace

TEST_CASE("a new proposal is proposed") {
  CHECK(status_of({propose(kA, 1)}) == BoundaryStatus::kProposed);
}

TEST_CASE("a proposal agreed by the partner is agreed") {
  auto p = propose(kA, 1);
  CHECK(status_of({p, respond(kB, 2, p, Response::kAgree)}) == BoundaryStatus::kAgreed);
}

TEST_CASE("the proposer's own agreement alone does not make a boundary agreed") {
  auto p = propose(kA, 1);
  CHECK(status_of({p, respond(kA, 2, p, Response::kAgree)}) == BoundaryStatus::kProposed);
}

TEST_CASE("declined and discussing follow the partner's latest response") {
  auto p = propose(kA, 1);
  CHECK(status_of({p, respond(kB, 2, p, Response::kDecline)}) == BoundaryStatus::kDeclined);
  CHECK(status_of({p, respond(kB, 2, p, Response::kDiscuss)}) == BoundaryStatus::kDiscussing);
  CHECK(status_of({p, respond(kB, 2, p, Response::kDiscuss), respond(kB, 3, p, Response::kAgree)}) ==
        BoundaryStatus::kAgreed);
}

TEST_CASE("a revision of an agreed boundary is renegotiating and the old text stays in force") {
  auto p1 = propose(kA, 1);
  auto ok = respond(kB, 2, p1, Response::kAgree);
  auto p2 = propose(kB, 3);
  State s;
  for (const auto& e : {p1, ok, p2}) s.apply(e);
  auto view = s.boundary(entity(9));
  REQUIRE(view);
  CHECK(view->status == BoundaryStatus::kRenegotiating);
  REQUIRE(view->in_force);
  CHECK(*view->in_force == p1.meta.ref);
  CHECK(view->latest == p2.meta.ref);
  CHECK(view->revision_count == 2);

  s.apply(respond(kA, 4, p2, Response::kAgree));
  view = s.boundary(entity(9));
  CHECK(view->status == BoundaryStatus::kAgreed);
  CHECK(*view->in_force == p2.meta.ref);
}

TEST_CASE("a withdrawal is terminal and beats a concurrent revision") {
  auto p1 = propose(kA, 1);
  auto ok = respond(kB, 2, p1, Response::kAgree);
  auto withdraw = entry(kB, 5, BoundaryWithdraw{entity(9), ""});
  auto revision = propose(kA, 6);  // concurrent, later lamport
  auto agree_rev = respond(kB, 7, revision, Response::kAgree);
  State s;
  for (const auto& e : {p1, ok, withdraw, revision, agree_rev}) s.apply(e);
  auto view = s.boundary(entity(9));
  CHECK(view->status == BoundaryStatus::kWithdrawn);
  CHECK_FALSE(view->in_force.has_value());
}

TEST_CASE("a response that arrives before its proposal waits for it") {
  auto p = propose(kA, 1);
  State s;
  s.apply(respond(kB, 2, p, Response::kAgree));
  CHECK_FALSE(s.boundary(entity(9)).has_value());
  s.apply(p);
  CHECK(s.boundary(entity(9))->status == BoundaryStatus::kAgreed);
}

TEST_CASE("positions: the proposer agrees to their own revision unless they said otherwise") {
  auto p = propose(kA, 1);
  BoundaryFacts facts;
  facts.add(RevisionFact{p.meta.event_id, p.meta.order, p.meta.wall_ms, p.meta.ref});
  CHECK(position_of(facts, facts.revisions[0], device(kA)) == Response::kAgree);
  CHECK_FALSE(position_of(facts, facts.revisions[0], device(kB)).has_value());
}

TEST_CASE("revisions and responses are in (lamport, author) order, whatever their event ids") {
  // Event ids chosen to sort opposite to the order the revisions were made in.
  auto with_id = [](Entry e, uint8_t first_byte) {
    e.meta.event_id.fill(0);
    e.meta.event_id[0] = first_byte;
    return e;
  };
  auto r1 = with_id(propose(kB, 1), 0xf0);
  auto r2 = with_id(propose(kA, 3), 0xa0);
  auto r3 = with_id(propose(kA, 4), 0x50);
  auto r4 = with_id(propose(kB, 4), 0x10);  // ties r3 on lamport: the author decides
  auto a1 = with_id(respond(kA, 2, r1, Response::kAgree), 0xff);
  auto d4 = with_id(respond(kA, 5, r4, Response::kDecline), 0x01);
  std::vector<Entry> entries = {r4, d4, r2, a1, r3, r1};
  State s;
  for (const auto& e : entries) s.apply(e);
  const BoundaryFacts& facts = s.boundary_facts.at(entity(9));
  REQUIRE(facts.revisions.size() == 4);
  CHECK(facts.revisions[0].id == r1.meta.event_id);  // revision 1: lamport 1
  CHECK(facts.revisions[1].id == r2.meta.event_id);  // revision 2: lamport 3
  CHECK(facts.revisions[2].id == r3.meta.event_id);  // revision 3: lamport 4, author kA
  CHECK(facts.revisions[3].id == r4.meta.event_id);  // revision 4: lamport 4, author kB
  REQUIRE(facts.responses.size() == 2);
  CHECK(facts.responses[0].order == a1.meta.order);
  CHECK(facts.responses[1].order == d4.meta.order);

  auto view = derive(facts);
  REQUIRE(view);
  CHECK(view->first == r1.meta.ref);
  CHECK(view->latest == r4.meta.ref);
  CHECK(view->status == BoundaryStatus::kRenegotiating);  // r1 agreed by both, r4 declined
  CHECK(*view->in_force == r1.meta.ref);
}

// ---- limits: one partner's own, in force at once, changed only by its author

namespace {

Entry limit(uint8_t author, uint64_t lamport, const char* text = "say my name first") {
  return entry(author, lamport, BoundaryPropose{entity(9), text, "", BoundaryKind::kLimit});
}
BoundaryView view_of(std::initializer_list<Entry> entries) {
  State s;
  for (const auto& e : entries) s.apply(e);
  auto view = s.boundary(entity(9));
  REQUIRE(view.has_value());
  return *view;
}

}  // namespace

TEST_CASE("a limit is in force the moment it is set, with nobody's agreement") {
  auto l = limit(kA, 1);
  BoundaryView v = view_of({l});
  CHECK(v.kind == BoundaryKind::kLimit);
  CHECK(v.status == BoundaryStatus::kInForce);
  REQUIRE(v.in_force);
  CHECK(*v.in_force == l.meta.ref);
  CHECK(v.owner == device(kA));
}

TEST_CASE("the partner can neither retire, revise nor decline a limit") {
  auto l = limit(kA, 1);
  auto withdraw = entry(kB, 2, BoundaryWithdraw{entity(9), "no"});
  auto rewrite = entry(kB, 3, BoundaryPropose{entity(9), "wake me however", "",
                                              BoundaryKind::kLimit});
  auto decline = respond(kB, 4, l, Response::kDecline);
  BoundaryView v = view_of({l, withdraw, rewrite, decline});
  CHECK(v.status == BoundaryStatus::kInForce);
  CHECK(*v.in_force == l.meta.ref);
  CHECK(v.latest == l.meta.ref);
  CHECK(v.revision_count == 1);
  CHECK(v.updated_ms == l.meta.wall_ms);  // what was ignored changed nothing
}

TEST_CASE("its author tightens or relaxes a limit alone, in force at once, and retires it") {
  auto l = limit(kA, 1);
  auto tighter = limit(kA, 5, "say my name first, softly");
  BoundaryView v = view_of({l, tighter});
  CHECK(v.status == BoundaryStatus::kInForce);
  CHECK(*v.in_force == tighter.meta.ref);
  CHECK(v.revision_count == 2);
  auto retire = entry(kA, 6, BoundaryWithdraw{entity(9), ""});
  BoundaryView r = view_of({l, tighter, retire});
  CHECK(r.status == BoundaryStatus::kRetired);
  CHECK_FALSE(r.in_force);
}

TEST_CASE("acknowledging a limit is shown and changes nothing about its force") {
  auto l = limit(kA, 1);
  auto ack = respond(kB, 2, l, Response::kAcknowledge);
  BoundaryView v = view_of({l, ack});
  CHECK(v.acknowledged);
  CHECK(v.status == BoundaryStatus::kInForce);
  // A new wording has not been read yet.
  CHECK_FALSE(view_of({l, ack, limit(kA, 3, "softer")}).acknowledged);
  // The author's own acknowledgement is not the partner's.
  CHECK_FALSE(view_of({l, respond(kA, 2, l, Response::kAcknowledge)}).acknowledged);
}

TEST_CASE("the kind is the first statement's: a later revision cannot turn a limit around") {
  auto l = limit(kA, 1);
  auto as_agreement = entry(kA, 2, BoundaryPropose{entity(9), "shall we agree", "",
                                                   BoundaryKind::kAgreement});
  BoundaryView v = view_of({l, as_agreement});
  CHECK(v.kind == BoundaryKind::kLimit);
  CHECK(v.status == BoundaryStatus::kInForce);
  CHECK(*v.in_force == as_agreement.meta.ref);
}

// ---- agreements: dropping a revision, leaving

TEST_CASE("the proposer drops a revision the partner has not agreed to; the agreed one stays") {
  auto p1 = propose(kA, 1);
  auto ok = respond(kB, 2, p1, Response::kAgree);
  auto p2 = propose(kA, 3);
  auto drop = entry(kA, 4, BoundaryDrop{entity(9), p2.meta.event_id});
  BoundaryView v = view_of({p1, ok, p2, drop});
  CHECK(v.status == BoundaryStatus::kAgreed);
  CHECK(*v.in_force == p1.meta.ref);
  CHECK(v.latest == p1.meta.ref);
  CHECK(v.revision_count == 1);
}

TEST_CASE("a drop by anyone but the revision's proposer, or of an agreed revision, is ignored") {
  auto p1 = propose(kA, 1);
  auto ok = respond(kB, 2, p1, Response::kAgree);
  auto p2 = propose(kA, 3);
  auto by_partner = entry(kB, 4, BoundaryDrop{entity(9), p2.meta.event_id});
  CHECK(view_of({p1, ok, p2, by_partner}).status == BoundaryStatus::kRenegotiating);
  auto agreed = respond(kB, 5, p2, Response::kAgree);
  auto late_drop = entry(kA, 6, BoundaryDrop{entity(9), p2.meta.event_id});
  BoundaryView v = view_of({p1, ok, p2, agreed, late_drop});
  CHECK(v.status == BoundaryStatus::kAgreed);
  CHECK(*v.in_force == p2.meta.ref);
  // The first statement cannot be dropped: leaving ends an agreement.
  auto drop_first = entry(kA, 7, BoundaryDrop{entity(9), p1.meta.event_id});
  CHECK(view_of({p1, drop_first}).status == BoundaryStatus::kProposed);
}

TEST_CASE("leaving an agreement made apart from a revision leaves it, in every order") {
  auto p1 = propose(kA, 1);
  auto ok = respond(kB, 2, p1, Response::kAgree);
  auto leave = entry(kB, 5, BoundaryWithdraw{entity(9), ""});
  auto revision = propose(kA, 5);  // concurrent: same lamport, other author
  auto agree_rev = respond(kB, 6, revision, Response::kAgree);
  std::vector<Entry> all{p1, ok, leave, revision, agree_rev};
  std::sort(all.begin(), all.end(), [](const Entry& a, const Entry& b) {
    return a.meta.ref < b.meta.ref;
  });
  do {
    State s;
    for (const auto& e : all) s.apply(e);
    CHECK(s.boundary(entity(9))->status == BoundaryStatus::kWithdrawn);
  } while (std::next_permutation(all.begin(), all.end(), [](const Entry& a, const Entry& b) {
    return a.meta.ref < b.meta.ref;
  }));
}
