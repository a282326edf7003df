"""Each partner controls their own things, and only their own (docs/DESIGN.md
§1.2, §1.7, §5.3 to §5.5): personal pauses that quiet the partner's changes
and run on the reader's clock, limits only their author can change,
agreements either can leave, check-ins that can be forgotten and shared
later, and nothing shared while unpaired reaching whoever pairs next. Two
real daemons throughout."""
import os
import sys
import time
import unittest
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(__file__))
from harness import SLOW  # noqa: E402
from test_sync import SyncCase, WatchProcess  # noqa: E402

FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


def at(text):
    """An RFC 3339 time from the JSON as seconds since the epoch."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def skewed(offset):
    """The environment that runs a process with its wall clock moved by
    `offset` (a faketime relative offset such as "-2h"); monotonic clocks
    stay true, so timers and timeouts behave."""
    env = {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": offset, "FAKETIME_DONT_FAKE_MONOTONIC": "1",
           "FAKETIME_NO_CACHE": "1"}
    # A sanitizer build refuses to start when a library is preloaded before
    # its runtime; libfaketime only wraps the clock functions, which the
    # sanitizer runtime then sees as it would libc's.
    asan = os.environ.get("ASAN_OPTIONS", "")
    env["ASAN_OPTIONS"] = (asan + ":" if asan else "") + "verify_asan_link_order=0"
    return env


class Pauses(SyncCase):
    def test_two_pauses_are_independent_and_only_their_author_ends_one(self):
        sam, alex = self.couple()
        alex.ok("pause", "--for", "45m", "--note", "going for a walk")
        sam.ok("pause", "--for", "30m")
        self.sync_wait(sam)
        self.sync_wait(alex)
        st = alex.ok("status")
        self.assertTrue(st["my_pause"]["active"], st)
        self.assertEqual(st["my_pause"]["note"], "going for a walk")
        self.assertEqual(st["my_pause"]["minutes"], 45)
        self.assertTrue(st["partner_pause"]["active"], st)
        self.assertEqual(st["partner_pause"]["minutes"], 30)

        # Alex's resume ends Alex's pause only.
        r = alex.ok("resume")
        self.assertFalse(r["pause"]["active"])
        self.sync_wait(alex)
        for d, mine, theirs in ((alex, False, True), (sam, True, False)):
            st = d.ok("status")
            self.assertEqual(st["my_pause"]["active"], mine, (d.name, st))
            self.assertEqual(st["partner_pause"]["active"], theirs, (d.name, st))
        # Nothing Alex can do ends Sam's pause; resuming again says so.
        r = alex.hearth("resume")
        self.assertEqual(r.code, 0, r)
        self.assertIn("You are not paused", r.out)
        self.assertNotIn("ended", r.out)
        self.assertTrue(alex.ok("status")["partner_pause"]["active"])
        # A new pause by the same author replaces (extends) their own.
        sam.ok("pause", "--for", "2h")
        self.sync_wait(sam)
        self.assertEqual(alex.ok("status")["partner_pause"]["minutes"], 120)

    def test_while_i_am_paused_my_partners_new_entries_wait_and_they_are_told(self):
        sam, alex = self.couple()
        alex.ok("pause", "--for", "45m")
        self.sync_wait(alex)
        watch = WatchProcess(alex)
        try:
            watch.next(5 * SLOW)  # the partner's pause comes first (none)
            r = sam.hearth("reflect", "add", "how was your day?", "--share")
            self.assertEqual(r.code, 0, r)
            self.assertIn("alex is pausing until", r.out.lower())
            self.assertIn("they will see this afterwards", r.out)
            made = sam.ok("reflect", "add", "a second one", "--share")
            self.assertTrue(made["partner_pause"]["active"])
            self.sync_wait(sam)
            # Stored on Alex's device, but not shown while Alex's pause lasts.
            self.assertEqual(self.reflection_ids(alex, "partner"), [])
            st = alex.ok("status")
            self.assertEqual(st["waiting"], 2, st)
            text = alex.hearth("reflect", "list")
            self.assertIn("2 new entries wait until your pause ends", text.out)
            with self.assertRaises(AssertionError):
                watch.next_matching(lambda d: d.get("update") == "reflection", 1.0 * SLOW)
            # When Alex's pause ends, they appear, in the lists and in watch,
            # and Alex is asked, gently, whether ready to reconnect.
            r = alex.hearth("resume")
            self.assertEqual(r.code, 0, r)
            self.assertIn("2 entries from sam arrived meanwhile", r.out)
            self.assertIn("Ready to reconnect with sam? Whenever you are", r.out)
            doc = watch.next_matching(lambda d: d.get("update") == "reflection", 5 * SLOW)
            self.assertEqual(doc["reflection"]["author"], "partner")
        finally:
            watch.stop()
        self.assertEqual(len(self.reflection_ids(alex, "partner")), 2)
        self.assertEqual(alex.ok("status")["waiting"], 0)

    def test_a_pause_shows_for_its_minutes_whichever_clock_is_wrong(self):
        for offset in ("-2h", "+2h"):
            with self.subTest(alex_clock=offset):
                sam, alex = self.device("sam" + offset), self.device("alex" + offset)
                for d in (sam, alex):
                    d.init()
                sam.start(listen=True)
                alex.start(listen=True, env=skewed(offset))
                self.pair(sam, alex)
                self.pair(alex, sam)
                for d in (sam, alex):
                    self.wait_for(f"{d.name} to connect",
                                  lambda d=d: self.connection(d) == "connected")
                alex.hearth("pause", "--for", "30m", env=skewed(offset))
                self.sync_wait(alex)
                pause = self.wait_for("alex's pause on sam's device",
                                      lambda: (p := sam.ok("status")["partner_pause"])["active"]
                                      and p)
                left = at(pause["until"]) - time.time()
                self.assertGreater(left, 28 * 60, pause)
                self.assertLess(left, 31 * 60, pause)
                sam.stop()
                alex.stop()

    def test_a_pause_that_arrives_already_over_shows_as_over(self):
        sam, alex = self.couple()
        sam.stop()
        # Alex paused 30 minutes, 40 minutes ago (by every clock): written by
        # a daemon 40 minutes in the past, sent by one in the present.
        alex.stop()
        alex.start(listen=True, env=skewed("-40m"))
        alex.ok("pause", "--for", "30m")
        alex.stop()
        alex.start(listen=True)
        sam.start(listen=True)
        self.sync_wait(sam)
        self.sync_wait(alex)
        self.assertFalse(sam.ok("status")["partner_pause"]["active"])


class Limits(SyncCase):
    def limit(self, d, bid):
        found = [b for b in d.ok("boundary", "list", "--all")["boundaries"] if b["id"] == bid]
        return found[0] if found else None

    def test_a_limit_is_in_force_at_once_and_only_its_author_changes_it(self):
        sam, alex = self.couple()
        made = sam.ok("boundary", "set", "Don't wake me by touching me; say my name first")
        b = made["boundary"]
        self.assertEqual(b["kind"], "limit")
        self.assertEqual(b["status"], "in_force")
        self.sync_wait(sam)
        seen = self.wait_for("the limit on alex's side", lambda: self.limit(alex, b["id"]))
        self.assertEqual(seen["status"], "in_force")
        self.assertEqual(seen["author"], "partner")

        # Alex cannot withdraw, retire or revise Sam's limit.
        for verb in (("withdraw", b["id"]), ("retire", b["id"]),
                     ("revise", b["id"], "wake me however"), ("relax", b["id"], "whatever")):
            r = alex.hearth("--json", "boundary", *verb)
            self.assertEqual(r.code, 3, (verb, r))
            self.assertIn("only sam", r.json()["error"]["message"].lower(), r)
        self.sync_wait(alex)
        for d in (sam, alex):
            self.assertEqual(self.limit(d, b["id"])["status"], "in_force", d.name)
            self.assertEqual(self.limit(d, b["id"])["in_force_text"],
                             "Don't wake me by touching me; say my name first")

        # Alex can acknowledge it; that changes nothing about its force.
        ack = alex.ok("boundary", "ack", b["id"])["boundary"]
        self.assertEqual(ack["status"], "in_force")
        self.sync_wait(alex)
        self.wait_for("the acknowledgement on sam's side",
                      lambda: self.limit(sam, b["id"])["acknowledged"])

        # Sam tightens it alone: in force at once, on both devices.
        t = sam.ok("boundary", "revise", b["id"], "Don't wake me by touching me; say my name "
                   "first, softly")["boundary"]
        self.assertEqual(t["status"], "in_force")
        self.assertTrue(t["in_force_text"].endswith("softly"))
        self.sync_wait(sam)
        self.wait_for("the tighter limit on alex's side",
                      lambda: self.limit(alex, b["id"])["in_force_text"].endswith("softly"))
        # Only Sam retires it.
        sam.ok("boundary", "retire", b["id"])
        self.sync_wait(sam)
        self.wait_for("the retired limit on alex's side",
                      lambda: self.limit(alex, b["id"])["status"] == "retired")

    def test_an_agreement_needs_both_either_leaves_alone_and_a_revision_can_be_dropped(self):
        sam, alex = self.couple()
        a = sam.ok("boundary", "propose", "no phones at dinner")["boundary"]
        self.assertEqual(a["kind"], "agreement")
        self.sync_wait(sam)
        self.wait_for("the proposal on alex's side", lambda: self.limit(alex, a["id"]))
        alex.ok("boundary", "agree", a["id"])
        self.sync_wait(alex)
        self.wait_for("agreed on sam's side",
                      lambda: self.limit(sam, a["id"])["status"] == "agreed")
        # Sam proposes a revision, then drops it: the agreed wording stays.
        r = sam.ok("boundary", "revise", a["id"], "no phones at any meal")["boundary"]
        self.assertEqual(r["status"], "renegotiating")
        d = sam.ok("boundary", "drop", a["id"])["boundary"]
        self.assertEqual(d["status"], "agreed")
        self.assertEqual(d["in_force_text"], "no phones at dinner")
        self.sync_wait(sam)
        self.wait_for("the dropped revision on alex's side",
                      lambda: self.limit(alex, a["id"])["status"] == "agreed")
        # Alex leaves it, alone and at once.
        left = alex.ok("boundary", "leave", a["id"])["boundary"]
        self.assertEqual(left["status"], "withdrawn")
        self.sync_wait(alex)
        self.wait_for("the agreement left on sam's side",
                      lambda: self.limit(sam, a["id"])["status"] == "withdrawn")
        # Lists show limits first, then agreements in force, then what waits;
        # history only with --all.
        sam.ok("boundary", "propose", "a quiet hour after work")
        sam.ok("boundary", "set", "ask before hugging me from behind")
        listed = sam.ok("boundary", "list")["boundaries"]
        self.assertEqual([b["kind"] for b in listed], ["limit", "agreement"])
        self.assertNotIn(a["id"], [b["id"] for b in listed])

    def test_a_decline_can_ask_to_be_asked_again_later(self):
        sam, alex = self.couple()
        a = sam.ok("boundary", "propose", "weekly money talk")["boundary"]
        self.sync_wait(sam)
        self.wait_for("the proposal on alex's side", lambda: self.limit(alex, a["id"]))
        d = alex.ok("boundary", "decline", a["id"], "--ask-again-after", "2099-01-01")["boundary"]
        self.assertEqual(d["status"], "declined")
        self.sync_wait(alex)
        self.wait_for("the decline on sam's side",
                      lambda: self.limit(sam, a["id"])["status"] == "declined")
        r = sam.hearth("--json", "boundary", "propose", "weekly money talk")
        self.assertEqual(r.code, 3, r)
        self.assertIn("2099", r.json()["error"]["message"])


class CheckIns(SyncCase):
    def test_a_check_in_can_be_shared_later_and_forgotten_on_both_devices(self):
        sam, alex = self.couple()
        c = sam.ok("checkin", "--capacity", "yellow", "--need", "a quiet evening")["checkin"]
        self.assertFalse(c["shared"])
        listed = sam.hearth("checkin", "list")
        self.assertIn(c["id"][-8:], listed.out)
        shared = sam.ok("checkin", "share", c["id"][-8:])["checkin"]
        self.assertTrue(shared["shared"])
        self.sync_wait(sam)
        seen = self.wait_for("the check-in on alex's side", lambda: [
            x for x in alex.ok("checkin", "list")["checkins"] if x["id"] == c["id"]])
        self.assertEqual(seen[0]["need"], "a quiet evening")
        r = alex.hearth("--json", "checkin", "forget", c["id"], "--yes")
        self.assertEqual(r.code, 3, r)  # only its author forgets it
        sam.ok("checkin", "forget", c["id"], "--yes")
        self.assertEqual(sam.ok("checkin", "list")["checkins"], [])
        self.sync_wait(sam)
        self.wait_for("the forget on alex's side",
                      lambda: alex.ok("checkin", "list")["checkins"] == [])


class Unpaired(SyncCase):
    def test_entries_shared_while_unpaired_are_sent_only_when_the_author_says_so(self):
        for send in (False, True):
            with self.subTest(send=send):
                sam, alex = self.device(f"sam{send}"), self.device(f"alex{send}")
                for d in (sam, alex):
                    d.init()
                    d.start(listen=True)
                r = sam.hearth("reflect", "add", "written before we paired", "--share")
                self.assertEqual(r.code, 0, r)
                self.assertIn("not paired", r.out)
                self.assertEqual(sam.ok("status")["shared_while_unpaired"], 1)
                args = ["pair", "add", self.device_id(alex), "--address", alex.listen]
                if send:
                    args.append("--send-earlier")
                sam.ok(*args)
                self.pair(alex, sam)
                self.sync_wait(sam)
                self.sync_wait(alex)
                texts = [x["text"] for x in alex.ok("reflect", "list")["reflections"]]
                self.assertEqual(texts, ["written before we paired"] if send else [])
                # What is shared from now on reaches the partner either way.
                sam.ok("reflect", "add", "after pairing", "--share")
                self.sync_wait(sam)
                self.wait_for("the new entry on alex's side", lambda: "after pairing" in [
                    x["text"] for x in alex.ok("reflect", "list")["reflections"]])
                sam.stop()
                alex.stop()

    def test_after_unpair_no_message_speaks_of_a_partner(self):
        sam, alex = self.couple()
        sam.ok("reflect", "add", "shared while paired", "--share")
        self.sync_wait(sam)
        sam.ok("unpair", "--yes")
        outputs = [sam.hearth(*args) for args in (
            ("status",), ("reflect", "add", "after unpairing", "--share"), ("sync",),
            ("pause", "--for", "20m"), ("resume",))]
        for r in outputs:
            self.assertNotIn("your partner", (r.out + r.err).lower(), r)
        self.assertIn("no partner", outputs[0].out.lower())
        self.assertIn("not paired", outputs[1].out.lower())


if __name__ == "__main__":
    unittest.main()
