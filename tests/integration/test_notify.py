"""`hearth notify` with two real daemons, posting to a stand-in notification
service on a private D-Bus session (dbus-run-session, notification_stub.py),
and `hearth watch` across a daemon restart.

What must hold: a partner's pause and its end are posted with the partner's
name; no words of an entry ever reach a notification by default, and with
notify-entries on only who shared what kind; an invitation to practise
together is posted once; quiet hours and one's own pause
hold notifications back; `hearth notify` and `hearth watch` follow again
after hearthd is stopped and started, and end cleanly on SIGTERM.
"""
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HEARTH, SLOW  # noqa: E402
from test_sync import SyncCase  # noqa: E402
from test_practice import Running  # noqa: E402

STUB = os.path.join(os.path.dirname(__file__), "notification_stub.py")
# GLib's lifelong allocations and its uninstrumented threads, for the
# sanitizer builds: reports about them are left out, Hearth's are not.
LSAN_SUPPRESSIONS = os.path.join(os.path.dirname(__file__), "lsan_glib.supp")
TSAN_SUPPRESSIONS = os.path.join(os.path.dirname(__file__), "tsan_glib.supp")


def with_option(options, option):
    """A sanitizer's options (NAME=a=1:b=2) with one more."""
    return (options + ":" if options else "") + option
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"


def stub_python():
    """A Python that has dbus-python and PyGObject (Debian's python3-dbus and
    python3-gi serve /usr/bin/python3), or None."""
    for python in dict.fromkeys([sys.executable, "/usr/bin/python3"]):
        if python and os.path.exists(python):
            probe = subprocess.run([python, "-c", "import dbus, gi.repository.GLib"],
                                   capture_output=True)
            if probe.returncode == 0:
                return python
    return None


STUB_PYTHON = stub_python() if shutil.which("dbus-run-session") else None


def sanitized(binary):
    """Whether `binary` is a sanitizer build (libfaketime cannot be preloaded)."""
    try:
        linked = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "libasan" in linked or "libtsan" in linked


class NotifyProcess:
    """`hearth notify` for one device, in a private D-Bus session whose
    notification service records every notification."""

    def __init__(self, root, device, env=None, tag=""):
        name = device.name + tag
        self.record = os.path.join(root, name + "-notices.jsonl")
        self.state = os.path.join(root, name + "-notify-state.json")
        self.err_path = os.path.join(root, name + "-notify.err")
        for path in (self.record, self.state):
            if os.path.exists(path):
                os.remove(path)
        full_env = dict(os.environ)
        full_env.pop("HEARTH_HOME", None)
        full_env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        full_env["LSAN_OPTIONS"] = with_option(full_env.get("LSAN_OPTIONS", ""),
                                               f"suppressions={LSAN_SUPPRESSIONS}")
        full_env["TSAN_OPTIONS"] = with_option(full_env.get("TSAN_OPTIONS", ""),
                                               f"suppressions={TSAN_SUPPRESSIONS}")
        if env:
            full_env.update(env)
        command = [HEARTH, "--home", device.home, "notify"]
        with open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen(
                ["dbus-run-session", "--", STUB_PYTHON, STUB, self.record, self.state, "--",
                 *command], stdout=subprocess.DEVNULL, stderr=err, env=full_env)
        deadline = time.time() + 10 * SLOW
        while not os.path.exists(self.state):
            if self.proc.poll() is not None or time.time() > deadline:
                raise AssertionError("the notification service did not start:\n" + self.stderr())
            time.sleep(0.05)
        self.pid = self.read_state()["pid"]

    def read_state(self):
        with open(self.state) as f:
            return json.load(f)

    def notices(self):
        try:
            with open(self.record) as f:
                return [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            return []

    def stderr(self):
        try:
            with open(self.err_path, "rb") as f:
                return f.read().decode(errors="replace")
        except OSError:
            return ""

    def wait_for_notice(self, pred, what, timeout=10):
        deadline = time.time() + timeout * SLOW
        while time.time() < deadline:
            for n in self.notices():
                if pred(n):
                    return n
            self.check_running()
            time.sleep(0.05)
        raise AssertionError(f"no notification {what} in time; posted: {self.notices()}\n"
                             f"stderr: {self.stderr()}")

    def wait_for_stderr(self, text, timeout=10, count=1):
        deadline = time.time() + timeout * SLOW
        while time.time() < deadline:
            if self.stderr().count(text) >= count:
                return
            self.check_running()
            time.sleep(0.05)
        raise AssertionError(f"hearth notify did not say {text!r} in time:\n{self.stderr()}")

    def check_running(self):
        if self.proc.poll() is not None:
            raise AssertionError(f"hearth notify ended by itself ({self.proc.returncode}):\n"
                                 + self.stderr())

    def stop(self):
        """SIGTERM to `hearth notify`; returns its exit code."""
        if self.proc.poll() is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10 * SLOW)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                return None
        try:
            return self.read_state().get("exit")
        except (OSError, ValueError):
            return None


class WatchText:
    """`hearth watch` (text) in the background, its output in files."""

    def __init__(self, root, device):
        self.out_path = os.path.join(root, device.name + "-watch.out")
        self.err_path = os.path.join(root, device.name + "-watch.err")
        env = dict(os.environ)
        env.pop("HEARTH_HOME", None)
        with open(self.out_path, "wb") as out, open(self.err_path, "wb") as err:
            self.proc = subprocess.Popen([HEARTH, "--home", device.home, "watch"],
                                         stdout=out, stderr=err, env=env)

    def text(self):
        with open(self.out_path, "rb") as f:
            out = f.read().decode(errors="replace")
        with open(self.err_path, "rb") as f:
            return out, f.read().decode(errors="replace")

    def wait_for(self, text, timeout=10, where="out"):
        deadline = time.time() + timeout * SLOW
        while time.time() < deadline:
            out, err = self.text()
            if text in (out if where == "out" else err):
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"watch ended ({self.proc.returncode}): {out!r} {err!r}")
            time.sleep(0.05)
        raise AssertionError(f"watch did not show {text!r} in time: {self.text()}")

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10 * SLOW)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        return self.proc.returncode


# Words no notification may carry.
SECRETS = ["wisteria-reflection", "marigold-note", "juniper-need", "saffron-answer",
           "heather-reply", "clover-content-note", "thistle-pause-note", "bramble-appreciation"]


@unittest.skipUnless(STUB_PYTHON,
                     "needs dbus-run-session and python3-dbus, python3-gi (deploy/install-deps.sh test)")
class NotifyCase(SyncCase):
    def setUp(self):
        super().setUp()
        self.notifiers = []

    def tearDown(self):
        codes = [(n, n.stop()) for n in self.notifiers]
        super().tearDown()
        for n, code in codes:
            self.assertEqual(code, 0, f"hearth notify did not end cleanly on SIGTERM:\n{n.stderr()}")

    def notify(self, device, **kw):
        n = NotifyProcess(self.root, device, **kw)
        self.notifiers.append(n)
        n.wait_for_stderr("following hearthd")
        return n

    def assert_no_secrets(self, notifier):
        for n in notifier.notices():
            for word in SECRETS:
                self.assertNotIn(word, n["summary"] + n["body"], n)

    def settle(self, notifier, seconds=1.5):
        """Gives anything that would be posted time to be posted."""
        time.sleep(seconds * SLOW)
        notifier.check_running()

    def prompt_id(self, d):
        return d.ok("prompt")["prompt"]["id"]


class Posting(NotifyCase):
    def test_a_partners_pause_and_its_end_are_posted_with_their_name(self):
        sam, alex = self.couple()
        n = self.notify(alex)
        sam.ok("pause", "--for", "30m", "--note", "thistle-pause-note")
        posted = n.wait_for_notice(lambda x: "pausing" in x["summary"], "of sam's pause")
        self.assertTrue(posted["summary"].startswith("Sam is pausing until "), posted)
        self.assertEqual(posted["app_name"], "Hearth")
        sam.ok("resume")
        ended = n.wait_for_notice(lambda x: "ended" in x["summary"], "of the end of sam's pause")
        self.assertEqual(ended["summary"], "Sam's pause has ended")
        self.settle(n)
        self.assertEqual(len(n.notices()), 2, n.notices())
        self.assert_no_secrets(n)

    def test_no_words_of_an_entry_by_default_only_who_and_what(self):
        sam, alex = self.couple()
        n = self.notify(alex)
        # Entries are not announced by default.
        sam.ok("reflect", "add", "--share", "--content-note", "clover-content-note",
               "wisteria-reflection")
        sam.ok("appreciate", "bramble-appreciation")
        sam.ok("checkin", "--capacity", "yellow", "--need", "juniper-need", "--share")
        # Alex's need, answered by Sam.
        mine = alex.ok("checkin", "--capacity", "red", "--need", "juniper-need", "--share")
        cid = mine["checkin"]["id"]
        self.wait_for("alex's check-in on sam's device",
                      lambda: any(c["id"] == cid for c in sam.ok("checkin", "list")["checkins"]))
        sam.ok("checkin", "reply", cid, "heather-reply")
        n.wait_for_notice(lambda x: x["summary"] == "Sam replied to your check-in",
                          "of sam's reply")
        # Both answer today's prompt: revealed to both.
        pid = self.prompt_id(alex)
        alex.ok("prompt", "answer", pid, "saffron-answer alex")
        sam.ok("prompt", "answer", pid, "saffron-answer sam")
        revealed = n.wait_for_notice(lambda x: "answers" in x["summary"], "of the answers",
                                     timeout=20)
        self.assertEqual(revealed["summary"], "You can both read your answers to a prompt now")
        self.settle(n)
        summaries = [x["summary"] for x in n.notices()]
        self.assertFalse([s for s in summaries if "shared" in s], summaries)
        self.assert_no_secrets(n)

    def test_with_notify_entries_on_a_shared_reflection_is_announced_without_its_words(self):
        sam, alex = self.couple()
        r = alex.hearth("config", "set", "notify-entries", "maybe")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(alex.ok("config", "get", "notify-entries")["config"]["value"], "off")
        alex.ok("config", "set", "notify-entries", "on")
        n = self.notify(alex)
        sam.ok("reflect", "add", "--share", "--content-note", "clover-content-note",
               "wisteria-reflection", "marigold-note")
        posted = n.wait_for_notice(lambda x: "shared" in x["summary"], "of sam's reflection")
        self.assertEqual(posted["summary"], "Sam shared a reflection")
        sam.ok("appreciate", "bramble-appreciation")
        n.wait_for_notice(lambda x: x["summary"] == "Sam shared an appreciation",
                          "of sam's appreciation")
        self.settle(n)
        self.assert_no_secrets(n)


    def test_an_invitation_to_practise_together_is_posted_once_with_the_name(self):
        sam, alex = self.couple()
        n = self.notify(alex)
        inviter = Running(sam, "practice", "start", "breathe", "--together", "--minutes", "1")
        try:
            inviter.next_matching(lambda d: "practice" in d, 5)
            posted = n.wait_for_notice(lambda x: "practise" in x["summary"],
                                       "of sam's invitation", timeout=15)
            self.assertEqual(posted["summary"], "Sam invites you to practise together")
            self.assertIn("Saying nothing is fine", posted["body"])
            sam.ok("practice", "stop")
            inviter.wait()
        finally:
            inviter.stop()
        self.settle(n)
        self.assertEqual(len([x for x in n.notices() if "practise" in x["summary"]]), 1,
                         n.notices())


class HoldingBack(NotifyCase):
    def test_quiet_hours_are_checked_when_set(self):
        sam = self.device()
        sam.init()
        sam.start()
        self.assertEqual(sam.ok("config", "get", "quiet-hours")["config"]["value"], "off")
        for bad in ("25:00-08:00", "22:00", "22:00-22:00", "evening", "22:00-08:00-09:00"):
            r = sam.hearth("config", "set", "quiet-hours", bad)
            self.assertEqual(r.code, 1, (bad, r))
            self.assertIn("quiet", r.err.lower(), r)
        self.assertEqual(sam.ok("config", "set", "quiet-hours", "22:00-8:00")["config"]["value"],
                         "22:00-08:00")
        self.assertEqual(sam.ok("config", "get", "quiet-hours")["config"]["value"], "22:00-08:00")
        self.assertEqual(sam.ok("config", "set", "quiet-hours", "Off")["config"]["value"], "off")

    def test_quiet_hours_hold_back_and_a_pause_still_on_is_posted_when_they_end(self):
        sam, alex = self.couple()
        alex.ok("config", "set", "notify-entries", "on")
        # Quiet hours from two hours ago until the whole minute E, 70 to 130
        # seconds from now; `hearth notify` runs 20 seconds before E on its
        # own clock (libfaketime), so its quiet hours end 20 seconds in.
        now = datetime.datetime.now()
        end = (now + datetime.timedelta(seconds=130)).replace(second=0, microsecond=0)
        start = end - datetime.timedelta(hours=2)
        alex.ok("config", "set", "quiet-hours", f"{start:%H:%M}-{end:%H:%M}")
        offset = (end - datetime.timedelta(seconds=20) - now).total_seconds()
        use_faketime = os.path.exists(FAKETIME_LIB) and not sanitized(HEARTH)
        env = None
        if use_faketime:
            env = {"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": f"+{offset:.0f}",
                   "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        n = self.notify(alex, env=env)
        sam.ok("reflect", "add", "--share", "wisteria-reflection")
        sam.ok("pause", "--for", "30m", "--note", "thistle-pause-note")
        self.wait_for("sam's pause on alex's device",
                      lambda: alex.ok("status")["partner_pause"]["active"])
        self.settle(n, 2)
        self.assertEqual(n.notices(), [])
        if not use_faketime:
            self.skipTest("the end of quiet hours needs libfaketime and a build without sanitizers")
        # Quiet hours end: the pause still on is posted, and nothing else.
        posted = n.wait_for_notice(lambda x: "pausing" in x["summary"],
                                   "of sam's pause once quiet hours ended", timeout=40)
        self.assertTrue(posted["summary"].startswith("Sam is pausing until "), posted)
        self.settle(n)
        self.assertEqual([x["summary"] for x in n.notices()], [posted["summary"]])
        self.assert_no_secrets(n)

    def test_my_own_pause_holds_notifications_back_and_one_summary_follows(self):
        sam, alex = self.couple()
        alex.ok("config", "set", "notify-entries", "on")
        n = self.notify(alex)
        alex.ok("pause", "--for", "30m")
        self.wait_for("alex's pause on sam's device",
                      lambda: sam.ok("status")["partner_pause"]["active"])
        sam.ok("pause", "--for", "20m", "--note", "thistle-pause-note")
        sam.ok("reflect", "add", "--share", "wisteria-reflection")
        sam.ok("resume")
        self.wait_for("sam's pause to end on alex's device",
                      lambda: not alex.ok("status")["partner_pause"]["active"])
        self.sync_wait(alex)
        self.settle(n, 2)
        self.assertEqual(n.notices(), [])
        alex.ok("resume")
        posted = n.wait_for_notice(lambda x: True, "after alex's pause")
        self.assertEqual(posted["summary"], "Your pause has ended")
        self.assertIn("from sam", posted["body"])  # the name as sam gave it
        self.settle(n, 3)
        self.assertEqual(len(n.notices()), 1, n.notices())
        self.assert_no_secrets(n)


class Reconnecting(NotifyCase):
    def test_notify_follows_again_after_hearthd_restarts_and_posts_the_next_pause(self):
        sam, alex = self.couple()
        n = self.notify(alex)
        alex.stop()
        n.wait_for_stderr("hearthd stopped")
        time.sleep(1.5 * SLOW)  # it tries again meanwhile, calmly
        n.check_running()
        alex.start(listen=True)
        n.wait_for_stderr("hearthd is back", timeout=40)
        self.wait_for("the two to connect again", lambda: self.connection(alex) == "connected",
                      timeout=40)
        sam.ok("pause", "--for", "30m")
        posted = n.wait_for_notice(lambda x: "pausing" in x["summary"], "of sam's pause")
        self.assertTrue(posted["summary"].startswith("Sam is pausing until "), posted)

    def test_notify_waits_for_hearthd_to_start(self):
        sam = self.device()
        sam.init()
        n = NotifyProcess(self.root, sam)
        self.notifiers.append(n)
        n.wait_for_stderr("Waiting for hearthd")
        sam.start()
        n.wait_for_stderr("following hearthd", timeout=40)

    def test_notify_waits_while_hearthd_is_locked_and_follows_once_unlocked(self):
        sam = self.device()
        passphrase = os.path.join(self.root, "passphrase")
        with open(passphrase, "w") as f:
            f.write("a long and private passphrase\n")
        sam.init("--passphrase-file", passphrase)
        sam.start()  # locked
        n = NotifyProcess(self.root, sam)
        self.notifiers.append(n)
        n.wait_for_stderr("hearthd is locked; notifications follow once it is unlocked.")
        sam.ok("unlock", "--passphrase-file", passphrase)
        n.wait_for_stderr("following hearthd", timeout=40)
        # Restarted, it is locked again: waited for, then followed again.
        sam.stop()
        n.wait_for_stderr("hearthd stopped")
        sam.start()
        n.wait_for_stderr("hearthd is locked", count=2, timeout=40)
        sam.ok("unlock", "--passphrase-file", passphrase)
        n.wait_for_stderr("hearthd is back", timeout=40)

    def test_watch_follows_again_after_hearthd_restarts(self):
        sam, alex = self.couple()
        watch = WatchText(self.root, alex)
        try:
            time.sleep(0.5 * SLOW)
            alex.stop()
            watch.wait_for("hearthd stopped; watching again when it is back.", where="err")
            alex.start(listen=True)
            watch.wait_for("hearthd is back; watching again.", timeout=40, where="err")
            self.wait_for("the two to connect again",
                          lambda: self.connection(alex) == "connected", timeout=40)
            sam.ok("pause", "--for", "30m")
            watch.wait_for("Sam is pausing until")
        finally:
            code = watch.stop()
        self.assertEqual(code, 0, watch.text())


if __name__ == "__main__":
    unittest.main()
