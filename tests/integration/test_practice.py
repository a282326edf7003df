"""Practices with two real daemons (docs/DESIGN.md §5.7): breathing in step
from one agreed instant, a stop on either side ending both, a practice of
touch that does not begin when either check-in is red, and the day's page."""
import json
import os
import queue
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HEARTH, SLOW  # noqa: E402
from test_sync import SyncCase  # noqa: E402


class Running:
    """A `hearth --json ...` process whose output lines are collected."""

    def __init__(self, device, *args):
        env = dict(os.environ)
        env.pop("HEARTH_HOME", None)
        self.proc = subprocess.Popen([HEARTH, "--home", device.home, "--json", *args],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                     env=env)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            if line.strip():
                self.lines.put(json.loads(line))

    def next_matching(self, pred, timeout):
        deadline = time.time() + timeout * SLOW
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("no matching line in time")
            try:
                doc = self.lines.get(timeout=left)
            except queue.Empty:
                raise AssertionError("no matching line in time")
            if pred(doc):
                return doc

    def wait(self, timeout=10):
        return self.proc.wait(timeout=timeout * SLOW)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.proc.stderr.close()


class Practice(SyncCase):
    def test_breathing_together_begins_at_one_instant_and_either_stop_ends_both(self):
        sam, alex = self.couple()
        inviter = Running(sam, "practice", "start", "breathe", "--together", "--minutes", "1",
                          "--pattern", "2-2")
        self.addCleanup(inviter.stop)
        invited = inviter.next_matching(lambda d: "practice" in d, 5)
        self.assertFalse(invited["practice"]["joined"])
        self.sync_wait(sam)
        self.wait_for("the invitation on alex's device",
                      lambda: alex.ok("today")["today"]["practice"])
        joiner = Running(alex, "practice", "join")
        self.addCleanup(joiner.stop)
        a = inviter.next_matching(lambda d: d.get("phase") == "in", 15)
        b = joiner.next_matching(lambda d: d.get("phase") == "in", 15)
        # The same planned instant on both devices, and both began close to it.
        self.assertLess(abs(a["planned"] - b["planned"]), 50)
        self.assertLess(abs(a["at"] - b["at"]), 100 * SLOW)
        a2 = inviter.next_matching(lambda d: d.get("phase") == "out", 5)
        b2 = joiner.next_matching(lambda d: d.get("phase") == "out", 5)
        self.assertLess(abs(a2["at"] - b2["at"]), 100 * SLOW)
        alex.ok("practice", "stop")
        end = inviter.next_matching(lambda d: "ended" in d, 5)
        self.assertEqual(end["ended"], "partner")
        self.assertEqual(inviter.wait(), 0)
        self.assertEqual(joiner.wait(), 0)

    def test_a_practice_of_touch_does_not_begin_when_either_check_in_is_red(self):
        sam, alex = self.couple()
        alex.ok("config", "set", "stop-word", "pineapple")
        inviter = Running(sam, "practice", "start", "closeness", "--together", "--minutes", "1",
                          "--capacity", "green")
        self.addCleanup(inviter.stop)
        inviter.next_matching(lambda d: "practice" in d, 5)
        self.sync_wait(sam)
        self.wait_for("the invitation on alex's device",
                      lambda: alex.ok("today")["today"]["practice"])
        r = alex.hearth("practice", "join", "--capacity", "red")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Not today is a good answer", r.out)
        end = inviter.next_matching(lambda d: "ended" in d, 10)
        self.assertEqual(end["ended"], "not_today")
        self.assertNotIn("phase", json.dumps(end))
        # The stop word is sealed at rest, like every word written.
        for base, _, names in os.walk(alex.home):
            for n in names:
                path = os.path.join(base, n)
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        self.assertNotIn(b"pineapple", f.read(), path)
        self.assertEqual(alex.ok("config", "get", "stop-word")["config"]["value"], "pineapple")

    def test_a_next_stage_opens_only_when_both_agree(self):
        sam, alex = self.couple()
        r = sam.hearth("--json", "practice", "start", "closeness", "--together", "--stage", "2",
                       "--capacity", "green")
        self.assertEqual(r.code, 3, r)
        self.assertFalse(sam.ok("practice", "stage", "closeness", "2")["practice"]["stage_open"])
        self.sync_wait(sam)
        opened = alex.ok("practice", "stage", "closeness", "2")["practice"]
        self.assertTrue(opened["stage_open"])


class Today(SyncCase):
    def test_the_partners_pause_comes_first_then_what_is_new(self):
        sam, alex = self.couple()
        alex.ok("today")  # looked once
        sam.ok("reflect", "add", "a quiet evening helped", "--share")
        sam.ok("checkin", "--capacity", "yellow", "--need", "an early night", "--share")
        sam.ok("pause", "--for", "30m", "--note", "a walk")
        self.sync_wait(sam)
        self.wait_for("sam's pause on alex's device",
                      lambda: alex.ok("status")["partner_pause"]["active"])
        text = alex.hearth("today").out
        self.assertTrue(text.startswith("Sam is pausing until"), text)
        self.assertIn("a quiet evening helped", text)
        self.assertIn("an early night", text)
        self.assertIn("How much can you carry today?", text)
        self.assertIn("Today's prompt", text)
        t = alex.ok("today")["today"]
        self.assertEqual(t["new_reflections"], [])  # looked just now
        self.assertEqual(t["partner_checkin"]["need"], "an early night")

    def test_three_red_days_bring_a_gentle_line_once(self):
        sam = self.device("sam")
        sam.init()
        sam.start()
        outs = [sam.hearth("checkin", "--capacity", "red") for _ in range(3)]
        self.assertNotIn("help crisis", outs[0].err + outs[1].err)
        self.assertIn("hearth help crisis", outs[2].err)
        again = sam.hearth("checkin", "--capacity", "red")
        self.assertNotIn("help crisis", again.err)  # at most once a week
        crisis = sam.hearth("help", "crisis")
        self.assertEqual(crisis.code, 0, crisis)
        self.assertIn("findahelpline.com", crisis.out)


if __name__ == "__main__":
    unittest.main()
