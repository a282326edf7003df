"""Answering together, with two real daemons (docs/DESIGN.md §5.6): prompts
revealed only once both answered, passes, answers written apart, yes / no /
maybe without pressure, appreciations, replies to a need, content notes and
the reader's archive."""
import os
import secrets
import stat
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SLOW  # noqa: E402
from test_safety import skewed  # noqa: E402
from test_sync import SyncCase  # noqa: E402


def files_under(root):
    """Every regular file under root (not the control socket)."""
    for base, _, names in os.walk(root):
        for n in names:
            path = os.path.join(base, n)
            if stat.S_ISREG(os.lstat(path).st_mode):
                yield path


class Prompts(SyncCase):
    def prompt(self, d, pid):
        return d.ok("prompt", "show", pid)["prompt"]

    def test_an_answer_stays_sealed_until_both_answered_then_both_see_both_at_once(self):
        sam, alex = self.couple()
        today = sam.ok("prompt")["prompt"]
        pid = today["id"]
        self.assertEqual(alex.ok("prompt")["prompt"]["id"], pid)  # the same for both
        marker = "sealed-" + secrets.token_hex(6)
        r = sam.ok("prompt", "answer", pid, f"my words {marker}")
        self.assertEqual(r["prompt"]["status"], "waiting_for_partner")
        self.sync_wait(sam)
        shown = self.wait_for("sam's answer on alex's device",
                              lambda: (p := self.prompt(alex, pid))["partner"] and p)
        self.assertEqual(shown["status"], "waiting_for_you")
        self.assertIsNone(shown["partner"]["text"])
        self.assertFalse(shown["partner"]["revealed"])
        # No file on Alex's device holds Sam's words, and no command shows them.
        for path in files_under(alex.home):
            with open(path, "rb") as f:
                self.assertNotIn(marker.encode(), f.read(), path)
        for args in (("prompt", "list"), ("prompt", "show", pid), ("status",)):
            self.assertNotIn(marker, alex.hearth("--json", *args).out)
        self.assertNotIn(marker, alex.hearth("prompt", "show", pid).out)

        alex.ok("prompt", "answer", pid, "alex's words")
        start = time.time()
        both = self.wait_for("both answers on sam's device", lambda: (
            p := self.prompt(sam, pid))["partner"] and p["partner"]["text"] and p,
            timeout=2, interval=0.02)
        self.assertLess(time.time() - start, 1.5 * SLOW)
        self.assertEqual(both["partner"]["text"], "alex's words")
        self.assertEqual(both["mine"]["text"], f"my words {marker}")
        on_alex = self.wait_for("both answers on alex's device", lambda: (
            p := self.prompt(alex, pid))["partner"]["text"] and p, timeout=2)
        self.assertEqual(on_alex["partner"]["text"], f"my words {marker}")
        text = sam.hearth("prompt", "show", pid).out
        self.assertIn("alex's words", text)
        self.assertIn(marker, text)
        # A sealed answer is not changed.
        r = sam.hearth("--json", "prompt", "answer", pid, "second thoughts")
        self.assertEqual(r.code, 3, r)

    def test_a_pass_reveals_nothing(self):
        sam, alex = self.couple()
        pid = "safe-001"
        sam.ok("prompt", "answer", pid, "sam's words")
        self.sync_wait(sam)
        alex.ok("prompt", "pass", pid)
        self.sync_wait(alex)
        self.sync_wait(sam)
        on_alex = self.prompt(alex, pid)
        self.assertTrue(on_alex["i_passed"])
        self.assertIsNone(on_alex["partner"]["text"])
        self.assertTrue(self.wait_for("the pass on sam's side",
                                      lambda: self.prompt(sam, pid)["partner_passed"]))
        self.assertIsNone(self.prompt(sam, pid)["partner"])

    def test_answers_written_apart_are_revealed_when_the_devices_meet(self):
        sam, alex = self.couple()
        pid = "ahead-002"
        alex.stop()
        sam.ok("prompt", "answer", pid, "sam, alone")
        sam.stop()
        alex.start(listen=True)
        alex.ok("prompt", "answer", pid, "alex, alone")
        sam.start(listen=True)
        for d, other in ((sam, "alex, alone"), (alex, "sam, alone")):
            got = self.wait_for(f"the reveal on {d.name}'s device", lambda d=d: (
                p := self.prompt(d, pid))["partner"] and p["partner"]["text"] and p, timeout=20)
            self.assertEqual(got["partner"]["text"], other)

    def test_today_is_the_same_on_both_devices_and_another_the_next_day(self):
        sam, alex = self.couple()
        first = sam.ok("prompt")["prompt"]["id"]
        self.assertEqual(alex.ok("prompt")["prompt"]["id"], first)
        later = {sam.ok("prompt", env=skewed(f"+{d}d"))["prompt"]["id"] for d in (1, 2, 3)}
        self.assertTrue(later - {first}, later)
        for d in (1, 2):
            self.assertEqual(sam.ok("prompt", env=skewed(f"+{d}d"))["prompt"]["id"],
                             alex.ok("prompt", env=skewed(f"+{d}d"))["prompt"]["id"])
        decks = sam.ok("prompt", "decks")["decks"]
        self.assertGreaterEqual(len([d for d in decks if d["id"] != "ynm"]), 3)
        for d in decks:
            self.assertGreaterEqual(d["prompts"], 30 if d["id"] != "ynm" else 40, d)

    def test_an_asked_question_is_answered_blind_too(self):
        sam, alex = self.couple()
        asked = sam.ok("prompt", "ask", "What would make this weekend feel easy?",
                       "--depth", "1")["prompt"]
        self.assertEqual(asked["asked_by"], "me")
        self.sync_wait(sam)
        seen = self.wait_for("the question on alex's device",
                             lambda: [p for p in alex.ok("prompt", "list")["prompts"]
                                      if p["id"] == asked["id"]])
        self.assertEqual(seen[0]["asked_by"], "partner")
        self.assertEqual(seen[0]["text"], "What would make this weekend feel easy?")


class YesNoMaybe(SyncCase):
    def test_shown_without_pressure_yes_first_then_maybe_then_not_now(self):
        sam, alex = self.couple()
        sam.ok("ynm", "start")
        self.sync_wait(sam)
        self.wait_for("the round on alex's device", lambda: alex.ok("ynm")["ynm"]["round"])
        answers = {"ynm-001": ("yes", "yes"), "ynm-002": ("maybe", "yes"), "ynm-003": ("no", "yes")}
        for item, (s, a) in answers.items():
            sam.ok("ynm", "answer", item, s, "--note", "only for me")
            alex.ok("ynm", "answer", item, a)
        self.sync_wait(sam)
        self.sync_wait(alex)
        self.sync_wait(sam)

        def both_known():
            items = {i["id"]: i for i in alex.ok("ynm")["ynm"]["items"]}
            return all(items[k]["partner"] and items[k]["partner"]["choice"] for k in answers)
        self.wait_for("every answer revealed", both_known, timeout=20)
        text = alex.hearth("ynm").out
        yes_at, maybe_at, not_now_at = (text.index("You both said yes"),
                                        text.index("A maybe"), text.index("Not now for one of you"))
        self.assertLess(yes_at, maybe_at)
        self.assertLess(maybe_at, not_now_at)
        self.assertNotIn("said no", text)
        self.assertNotIn("only for me", alex.hearth("--json", "ynm").out)  # the note stays home
        items = {i["id"]: i for i in sam.ok("ynm")["ynm"]["items"]}
        self.assertEqual(items["ynm-001"]["mine"]["note"], "only for me")
        # A new round starts clean; the earlier stays readable.
        first = sam.ok("ynm")["ynm"]["round"]["id"]
        sam.ok("ynm", "start")
        self.assertNotEqual(sam.ok("ynm")["ynm"]["round"]["id"], first)
        old = sam.ok("ynm", "--round", first[-8:])["ynm"]
        self.assertEqual(old["round"]["id"], first)


class TurningToward(SyncCase):
    def test_appreciations_replies_to_a_need_content_notes_and_the_archive(self):
        sam, alex = self.couple()
        thanks = sam.ok("appreciate", "Thank you for the tea this morning.")["reflection"]
        self.assertTrue(thanks["appreciation"])
        heavy = sam.ok("reflect", "add", "The words about that day.", "--share",
                       "--content-note", "mentions the accident")["reflection"]
        check = sam.ok("checkin", "--capacity", "yellow", "--need", "a quiet evening",
                       "--share")["checkin"]
        self.sync_wait(sam)

        listed = self.wait_for("sam's entries on alex's device", lambda: (
            r := {x["id"]: x for x in alex.ok("reflect", "list")["reflections"]})
            .get(heavy["id"]) and r)
        self.assertTrue(listed[thanks["id"]]["appreciation"])
        hidden = listed[heavy["id"]]
        self.assertTrue(hidden["words_hidden"])
        self.assertIsNone(hidden["text"])
        self.assertEqual(hidden["content_note"], "mentions the accident")
        self.assertNotIn("The words about that day.", alex.hearth("reflect", "list").out)
        opened = alex.ok("reflect", "show", heavy["id"])["reflection"]
        self.assertEqual(opened["text"], "The words about that day.")

        alex.ok("checkin", "reply", check["id"], "--tonight")
        self.sync_wait(alex)
        for d in (alex, sam):
            got = self.wait_for(f"the reply on {d.name}'s device", lambda d=d: [
                c for c in d.ok("checkin", "list")["checkins"]
                if c["id"] == check["id"] and c["replies"]])
            self.assertEqual(got[0]["replies"][0]["text"], "I can do that tonight.")
        r = sam.hearth("--json", "checkin", "reply", check["id"], "to myself")
        self.assertEqual(r.code, 3, r)

        # Archiving is local: out of Alex's lists, still on Sam's, never told.
        alex.ok("reflect", "archive", heavy["id"])
        self.assertNotIn(heavy["id"], self.reflection_ids(alex))
        self.assertIn(heavy["id"], [x["id"] for x in
                                    alex.ok("reflect", "list", "--archived")["reflections"]])
        self.sync_wait(alex)
        self.assertIn(heavy["id"], self.reflection_ids(sam))
        alex.ok("reflect", "archive", heavy["id"], "--undo")
        self.assertIn(heavy["id"], self.reflection_ids(alex))


if __name__ == "__main__":
    unittest.main()
