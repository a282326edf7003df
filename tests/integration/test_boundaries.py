"""Boundaries between two paired daemons, through the CLI's JSON: answers
(agree, decline, discuss, with notes), the derived statuses (proposed,
discussing, declined, agreed, renegotiating, withdrawn) on both devices, and
revision numbers (docs/DESIGN.md §5.4)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import as_seen_by_partner, without_author_only  # noqa: E402
from test_sync import SyncCase  # noqa: E402


class BoundaryCase(SyncCase):
    def boundary(self, d, bid):
        found = [b for b in d.ok("boundary", "list", "--all", "--limit", "0")["boundaries"] if b["id"] == bid]
        return found[0] if found else None

    def settle(self, writer, other, bid, status):
        """After `writer` wrote about boundary bid: both devices show `status`
        and the same boundary, each from its own side. Returns (writer's
        document, other's document)."""
        self.sync_wait(writer)

        def same():
            a, b = self.boundary(writer, bid), self.boundary(other, bid)
            if a and b and without_author_only(a) == as_seen_by_partner(b):
                return a, b
            return None
        a, b = self.wait_for(f"boundary {bid[-8:]} to be the same on both devices", same)
        self.assertEqual(a["status"], status, a)
        return a, b


class Statuses(BoundaryCase):
    def test_each_answer_gives_its_status_on_both_devices_with_the_notes(self):
        sam, alex = self.couple()
        b = sam.ok("boundary", "propose", "no phones at dinner", "--category", "home")["boundary"]
        bid = b["id"]
        self.assertEqual(b["status"], "proposed")
        self.assertIsNone(b["in_force_text"])
        s, a = self.settle(sam, alex, bid, "proposed")
        self.assertEqual(a["author"], "partner")
        self.assertEqual(a["category"], "home")

        # Discuss, with a note: "discussing".
        d = alex.ok("boundary", "discuss", bid[-8:], "--note", "can we talk on sunday")["boundary"]
        self.assertEqual(d["status"], "discussing")
        self.assertEqual(d["revisions"][-1]["my_response"], "discuss")
        self.assertEqual(d["revisions"][-1]["my_note"], "can we talk on sunday")
        a, s = self.settle(alex, sam, bid, "discussing")
        self.assertEqual(s["revisions"][-1]["partner_response"], "discuss")
        self.assertEqual(s["revisions"][-1]["partner_note"], "can we talk on sunday")
        self.assertEqual(s["revisions"][-1]["my_response"], "agree")  # the proposer's own

        # Decline, with a note: "declined"; nothing is in force.
        d = alex.ok("boundary", "decline", bid, "--note", "not like this")["boundary"]
        self.assertEqual(d["status"], "declined")
        self.assertIsNone(d["in_force_text"])
        a, s = self.settle(alex, sam, bid, "declined")
        self.assertEqual(s["revisions"][-1]["partner_response"], "decline")
        self.assertEqual(s["revisions"][-1]["partner_note"], "not like this")

        # Sam revises: a new revision Sam agrees to, not yet answered: "proposed".
        r = sam.ok("boundary", "revise", bid, "no phones at dinner on weekdays")["boundary"]
        self.assertEqual(r["status"], "proposed")
        self.assertEqual([x["number"] for x in r["revisions"]], [1, 2])
        self.settle(sam, alex, bid, "proposed")

        # Alex agrees: "agreed", the latest wording in force.
        g = alex.ok("boundary", "agree", bid, "--note", "yes")["boundary"]
        self.assertEqual(g["status"], "agreed")
        a, s = self.settle(alex, sam, bid, "agreed")
        self.assertEqual(s["in_force_text"], "no phones at dinner on weekdays")
        self.assertEqual(s["text"], "no phones at dinner on weekdays")

        # Alex proposes a new wording: "renegotiating", the agreed one stays in force.
        r = alex.ok("boundary", "revise", bid, "no phones at any meal")["boundary"]
        self.assertEqual(r["status"], "renegotiating")
        a, s = self.settle(alex, sam, bid, "renegotiating")
        self.assertEqual(s["text"], "no phones at any meal")
        self.assertEqual(s["in_force_text"], "no phones at dinner on weekdays")
        self.assertEqual(s["revisions"][-1]["author"], "partner")
        self.assertEqual(s["revisions"][-1]["partner_response"], "agree")
        self.assertIsNone(s["revisions"][-1]["my_response"])

        # Sam declines the new wording: still "renegotiating", the older one in force.
        d = sam.ok("boundary", "decline", bid, "--note", "weekdays were enough")["boundary"]
        self.assertEqual(d["status"], "renegotiating")
        s, a = self.settle(sam, alex, bid, "renegotiating")
        self.assertEqual(s["in_force_text"], "no phones at dinner on weekdays")

        # Sam agrees after all: "agreed" with the newest wording.
        sam.ok("boundary", "agree", bid)
        s, a = self.settle(sam, alex, bid, "agreed")
        self.assertEqual(a["in_force_text"], "no phones at any meal")

        # Either can withdraw, alone and at once: "withdrawn", terminal.
        w = sam.ok("boundary", "withdraw", bid, "--note", "I need to step back")["boundary"]
        self.assertEqual(w["status"], "withdrawn")
        self.assertEqual(w["withdrawn_by"], "me")
        s, a = self.settle(sam, alex, bid, "withdrawn")
        self.assertEqual(a["withdrawn_by"], "partner")
        self.assertEqual(a["withdraw_note"], "I need to step back")
        self.assertIsNone(a["in_force_text"])
        for d, args in ((alex, ["agree", bid]), (alex, ["revise", bid, "again"]),
                        (sam, ["discuss", bid])):
            r = d.hearth("--json", "boundary", *args)
            self.assertEqual(r.code, 3, (args, r))
        self.assertEqual(self.boundary(alex, bid)["status"], "withdrawn")

    def test_a_withdrawal_made_apart_beats_a_revision_made_apart(self):
        sam, alex = self.couple()
        bid = sam.ok("boundary", "propose", "a quiet hour after work")["boundary"]["id"]
        self.settle(sam, alex, bid, "proposed")
        alex.ok("boundary", "agree", bid)
        self.settle(alex, sam, bid, "agreed")
        # Apart: Sam revises while Alex's daemon is down, then Alex, who never
        # saw the revision, withdraws while Sam's is down.
        self.assertEqual(alex.stop(), 0)
        sam.ok("boundary", "revise", bid, "a quiet half hour after work")
        self.assertEqual(sam.stop(), 0)
        alex.start(listen=True)
        self.assertEqual(alex.ok("boundary", "withdraw", bid)["boundary"]["status"], "withdrawn")
        sam.start(listen=True)
        self.sync_wait(sam)
        a, s = self.settle(alex, sam, bid, "withdrawn")
        self.assertEqual(s["withdrawn_by"], "partner")
        self.assertEqual(a["withdrawn_by"], "me")
        self.assertEqual(len(s["revisions"]), 2)


class RevisionNumbers(BoundaryCase):
    def test_revisions_are_numbered_1_2_3_in_the_order_they_were_written(self):
        # Revisions by both partners, each written after the one before had
        # reached its author: (lamport, author) order is the write order.
        # Numbering by anything else (event hash, author key, arrival) puts
        # six revisions in this order by chance once in 720.
        sam, alex = self.couple()
        texts = [f"revision {n}: rest before midnight" for n in range(1, 7)]
        bid = sam.ok("boundary", "propose", texts[0])["boundary"]["id"]
        self.settle(sam, alex, bid, "proposed")
        writers = [sam, alex]
        for n, text in enumerate(texts[1:], start=1):
            writer, other = writers[n % 2], writers[(n + 1) % 2]
            doc = writer.ok("boundary", "revise", bid, text)["boundary"]
            self.assertEqual(doc["text"], text, "the newest revision is the boundary's text")
            self.settle(writer, other, bid, "renegotiating" if n > 1 else "proposed")
            if n == 1:  # agreed once, so that later ones renegotiate
                sam.ok("boundary", "agree", bid)
                self.settle(sam, alex, bid, "agreed")
        for d, mine in ((sam, 0), (alex, 1)):
            revs = self.boundary(d, bid)["revisions"]
            self.assertEqual([r["number"] for r in revs], [1, 2, 3, 4, 5, 6], d.name)
            self.assertEqual([r["text"] for r in revs], texts,
                             f"{d.name}: revisions are not numbered in the order written")
            self.assertEqual([r["author"] for r in revs],
                             ["me" if i % 2 == mine else "partner" for i in range(6)], d.name)
            stamps = [r["created_at"] for r in revs]
            self.assertEqual(stamps, sorted(stamps), d.name)
        # The in-force wording is revision 2, agreed by both.
        self.assertEqual(self.boundary(alex, bid)["in_force_text"], texts[1])


if __name__ == "__main__":
    unittest.main()
