"""Locking, auto-lock and the passphrase, with real hearthd and hearth processes.

The passphrase prompts are answered through a pseudo-terminal; auto-lock runs
under faketime (Debian's `faketime`), sped up so a minute passes in a second.
"""
import os
import pty
import random
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HEARTH, HEARTHD, SLOW  # noqa: E402
from test_sync import SyncCase  # noqa: E402

# Debian's libfaketime (package faketime); the multi-threaded variant, since
# hearthd runs helper threads.
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1"

PASS = "a long and private passphrase"
NEXT = "the next passphrase, also long"
WRONG = "not the passphrase at all"


def key_file_secrets(home):
    """The device seed, log key and local key of an unsealed key file."""
    with open(os.path.join(home, "keys"), "rb") as f:
        data = f.read()
    assert len(data) == 202 and data[9] == 0, "the key file must be unsealed here"
    return {"device seed": data[74:106], "log key": data[138:170], "local key": data[170:202]}


def memory_holds(pid, needles):
    """Which of `needles` (name -> bytes) appear anywhere in the readable
    memory of `pid` (read in windows that overlap by a needle's length)."""
    found = set()
    window = 16 << 20
    overlap = max(len(n) for n in needles.values())
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if "r" not in fields[1] or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
                continue
            at = start
            while at < end:
                try:
                    mem.seek(at)
                    chunk = mem.read(min(window + overlap, end - at))
                except (OSError, ValueError, OverflowError):
                    break
                for name, needle in needles.items():
                    if needle in chunk:
                        found.add(name)
                at += window
    return found


def sanitized(binary):
    """Whether `binary` runs under a sanitizer, which must be loaded before any
    preloaded library (so libfaketime cannot be)."""
    try:
        linked = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "libasan" in linked or "libtsan" in linked


# control.capnp Request{status}: one segment of 3 words (the root pointer to
# a struct of 1 data word and 1 pointer, all zero: union member 0).
_STATUS = struct.pack("<II", 0, 3) + struct.pack("<Q", 0x0001000100000000) + bytes(16)
STATUS_FRAME = struct.pack(">I", len(_STATUS)) + _STATUS


def status_round_trip(home):
    """Seconds the daemon takes to answer one `status` on its control socket."""
    started = time.perf_counter()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(os.path.join(home, "control.sock"))
        s.sendall(STATUS_FRAME)
        while s.recv(65536):
            pass
    return time.perf_counter() - started


class Terminal:
    """`hearth ARGS` on a pseudo-terminal: what it prints, and lines typed to it."""

    def __init__(self, device, *args):
        env = dict(os.environ)
        env.pop("HEARTH_HOME", None)
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(HEARTH, [HEARTH, "--home", device.home, *args], env)
        self.seen = ""
        self.pos = 0  # where the next expect() starts looking

    def expect(self, text, timeout=20):
        """Waits until `text` is shown after what earlier calls matched."""
        deadline = time.time() + timeout * SLOW
        while text not in self.seen[self.pos:]:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError(f"{text!r} not shown; the terminal shows {self.seen!r}")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{text!r} not shown before the end: {self.seen!r}")
                self.seen += chunk.decode(errors="replace")
        self.pos = self.seen.index(text, self.pos) + len(text)
        return self

    def type(self, line):
        os.write(self.fd, line.encode() + b"\n")
        return self

    def finish(self, timeout=30):
        """Reads to the end; returns (exit code, everything shown)."""
        deadline = time.time() + timeout * SLOW
        while time.time() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    break
                self.seen += chunk.decode(errors="replace")
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status), self.seen


class LockCase(SyncCase):
    def write_file(self, name, text):
        path = os.path.join(self.root, name)
        with open(path, "w") as f:
            f.write(text + "\n")
        return path

    def setUp(self):
        super().setUp()
        self.pw = self.write_file("pw", PASS)
        self.next = self.write_file("next", NEXT)
        self.wrong = self.write_file("wrong", WRONG)

    def sealed_device(self, name="sam", **start):
        d = self.device(name)
        d.init("--passphrase-file", self.pw)
        d.start(**start)
        d.ok("unlock", "--passphrase-file", self.pw)
        return d

    def locked(self, d):
        r = d.hearth("--json", "status")
        return r.json()["locked"]

    def start_under_faketime(self, d, speed):
        """Starts d's daemon with its clocks running `speed` times faster
        (libfaketime preloaded into hearthd itself, so signals reach it)."""
        env = dict(os.environ)
        env.update({"LD_PRELOAD": FAKETIME_LIB, "FAKETIME": f"+0 x{speed}",
                    "FAKETIME_DONT_RESET": "1"})
        args = [HEARTHD, "--home", d.home, "--log-level", "debug", "--discovery-port", "0",
                "--beacon-to", "127.0.0.1:9"]
        with open(d.log_path, "ab") as log:
            d.daemon = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        d.wait_ready()

    def daemon_log(self, d):
        with open(d.log_path, errors="replace") as f:
            return f.read()


class Locking(LockCase):
    @unittest.skipIf(sanitized(HEARTHD), "a sanitizer reserves terabytes of address space, too "
                     "much to scan; the unit tests check there that every key Secret is wiped")
    def test_lock_wipes_the_keys_from_the_daemons_memory(self):
        sam = self.device()
        sam.init()  # unsealed first, so the test can read the keys from the file
        secrets = key_file_secrets(sam.home)
        r = sam.hearth("passphrase", "set", "--new-passphrase-file", self.pw)
        self.assertEqual(r.code, 0, r)
        self.assertIn("not running", r.out)  # done on the file: no daemon yet
        sam.start()
        self.assertTrue(self.locked(sam))
        self.assertEqual(memory_holds(sam.daemon.pid, secrets), set())
        sam.ok("unlock", "--passphrase-file", self.pw)
        sam.ok("reflect", "add", "written before the lock")
        # The scan finds the keys while the daemon holds them ...
        self.assertEqual(memory_holds(sam.daemon.pid, secrets), set(secrets))

        r = sam.hearth("lock")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Locked.", r.out)
        # ... and nowhere in its memory once it is locked.
        self.assertEqual(memory_holds(sam.daemon.pid, secrets), set())
        r = sam.hearth("--json", "reflect", "list")
        self.assertEqual(r.code, 2, r)
        self.assertEqual(r.json()["error"]["code"], "locked")
        r = sam.hearth("--json", "status")
        self.assertEqual(r.code, 2, r)
        self.assertTrue(r.json()["locked"])

        sam.ok("unlock", "--passphrase-file", self.pw)
        texts = [x["text"] for x in sam.ok("reflect", "list")["reflections"]]
        self.assertEqual(texts, ["written before the lock"])

    def test_a_locked_daemon_syncs_nothing_until_unlocked(self):
        sam, alex = self.couple()
        r = sam.hearth("passphrase", "set", "--new-passphrase-file", self.pw)
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("not running", r.out)  # through the running daemon
        sam.ok("lock")
        self.wait_for("alex to see sam's device go", lambda: self.connection(alex) != "connected")
        alex.ok("reflect", "add", "--share", "written while sam is locked")
        time.sleep(1.0 * SLOW)  # alex keeps dialing; sam's daemon answers nothing
        self.assertNotEqual(self.connection(alex), "connected")

        sam.ok("unlock", "--passphrase-file", self.pw)
        self.wait_for("the two to connect again", lambda: self.connection(sam) == "connected")
        self.sync_wait(sam)
        texts = [x["text"] for x in sam.ok("reflect", "list")["reflections"]]
        self.assertIn("written while sam is locked", texts)

    def test_lock_ends_an_open_invite_and_a_watch_and_the_daemon_goes_on(self):
        sam = self.sealed_device(listen=True)
        env = dict(os.environ)
        env.pop("HEARTH_HOME", None)
        invite = subprocess.Popen([HEARTH, "--home", sam.home, "pair", "invite"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        watch = subprocess.Popen([HEARTH, "--home", sam.home, "--json", "watch"],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.assertTrue(invite.stdout.readline().strip())  # the code
        self.assertIn("pause", watch.stdout.readline())  # the pause comes first
        sam.ok("lock")
        _, invite_err = invite.communicate(timeout=10 * SLOW)
        self.assertNotEqual(invite.returncode, 0)
        watch_out, _ = watch.communicate(timeout=10 * SLOW)
        self.assertEqual(watch.returncode, 2, watch_out)
        self.assertIn("locked", watch_out)
        time.sleep(0.5 * SLOW)
        self.assertIsNone(sam.daemon.poll())
        sam.ok("unlock", "--passphrase-file", self.pw)
        self.assertFalse(self.locked(sam))

    def test_lock_without_a_passphrase_is_refused_gently(self):
        sam = self.device()
        sam.init()
        sam.start()
        r = sam.hearth("lock")
        self.assertEqual(r.code, 3, r)
        self.assertIn("no passphrase", r.err)
        self.assertIn("hearth passphrase set", r.err)
        self.assertFalse(self.locked(sam))

    def test_unlock_with_a_wrong_passphrase_is_refused_even_when_already_unlocked(self):
        sam = self.sealed_device()
        r = sam.hearth("unlock", "--passphrase-file", self.wrong)
        self.assertEqual(r.code, 3, r)
        self.assertNotIn("Unlocked", r.out + r.err)
        self.assertIn("that passphrase does not open this device's keys", r.err.lower())
        r = sam.hearth("--json", "unlock", "--passphrase-file", self.wrong)
        self.assertEqual(r.code, 3, r)
        self.assertNotIn("error", sam.hearth("--json", "status").json())
        r = sam.hearth("unlock", "--passphrase-file", self.pw)
        self.assertEqual(r.code, 0, r)
        self.assertIn("already unlocked", r.out)

    def test_status_is_answered_while_wrong_passphrases_are_checked(self):
        sam = self.device()
        sam.init("--passphrase-file", self.pw)
        sam.start()
        times = []
        stop = threading.Event()

        def poll():
            while not stop.is_set():
                times.append(status_round_trip(sam.home))
                time.sleep(0.005)

        poller = threading.Thread(target=poll)
        poller.start()
        try:
            wrong = [subprocess.Popen([HEARTH, "--home", sam.home, "unlock", "--passphrase-file",
                                       self.wrong], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL) for _ in range(4)]
            codes = [p.wait(timeout=120 * SLOW) for p in wrong]
        finally:
            stop.set()
            poller.join()
        self.assertEqual(codes, [3, 3, 3, 3])
        # Argon2id takes most of a second per passphrase; the loop never waits for it.
        self.assertLess(max(times), 1.0 * SLOW, f"slowest status: {max(times):.3f} s")
        self.assertGreater(len(times), 20)


class Passphrase(LockCase):
    def test_change_and_remove_with_the_daemon_running_and_stopped(self):
        sam = self.sealed_device()
        r = sam.hearth("passphrase", "change", "--passphrase-file", self.wrong,
                       "--new-passphrase-file", self.next)
        self.assertEqual(r.code, 3, r)
        r = sam.hearth("passphrase", "change", "--passphrase-file", self.pw,
                       "--new-passphrase-file", self.next)
        self.assertEqual(r.code, 0, r)
        self.assertFalse(self.locked(sam))  # still unlocked
        sam.ok("lock")
        self.assertEqual(sam.hearth("unlock", "--passphrase-file", self.pw).code, 3)
        sam.ok("unlock", "--passphrase-file", self.next)

        sam.stop()
        r = sam.hearth("--json", "passphrase", "change", "--passphrase-file", self.next,
                       "--new-passphrase-file", self.pw)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json(), {"sealed": True, "through": "key_file"})
        sam.start()
        sam.ok("unlock", "--passphrase-file", self.pw)

        r = sam.hearth("passphrase", "remove", "--passphrase-file", self.pw)
        self.assertEqual(r.code, 1, r)  # needs --yes without a terminal
        r = sam.hearth("passphrase", "remove", "--passphrase-file", self.pw, "--yes")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(sam.hearth("lock").code, 3)
        with open(os.path.join(sam.home, "keys"), "rb") as f:
            self.assertEqual(len(f.read()), 202)
        self.assertEqual(os.stat(os.path.join(sam.home, "keys")).st_mode & 0o777, 0o600)

    def test_a_killed_change_leaves_the_old_or_the_new_key_file(self):
        sam = self.device()
        sam.init("--passphrase-file", self.pw)
        sam_id = sam.hearth("id").out
        current = self.pw
        rng = random.Random(9)
        outcomes = []
        for round_ in range(5):
            target = self.write_file(f"round{round_}", f"passphrase of round {round_}")
            proc = subprocess.Popen([HEARTH, "--home", sam.home, "passphrase", "change",
                                     "--passphrase-file", current, "--new-passphrase-file", target],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.0, 1.5) * SLOW)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.assertEqual(sam.hearth("id").out, sam_id)
            # Exactly one of the two opens the file: try the old one first.
            probe = self.write_file(f"probe{round_}", f"probe passphrase {round_}")
            old = sam.hearth("passphrase", "change", "--passphrase-file", current,
                             "--new-passphrase-file", probe)
            if old.code == 0:
                outcomes.append("old")
            else:
                self.assertEqual(old.code, 3, old)
                new = sam.hearth("passphrase", "change", "--passphrase-file", target,
                                 "--new-passphrase-file", probe)
                self.assertEqual(new.code, 0, new)
                outcomes.append("new")
            current = probe
        sam.start()
        sam.ok("unlock", "--passphrase-file", current)
        print(f"killed passphrase changes left: {outcomes}", file=sys.stderr)


class Prompts(LockCase):
    def test_prompts_ask_again_on_an_empty_or_wrong_entry_and_warn_on_a_short_one(self):
        sam = self.device()
        t = Terminal(sam, "init", "--name", "Sam")
        t.expect("New passphrase: ").type("")
        t.expect("cannot be empty").expect("New passphrase: ").type("kitten")
        t.expect("fewer than 8 characters").expect("Same passphrase again: ").type("kitten")
        code, shown = t.finish()
        self.assertEqual(code, 0, shown)
        self.assertNotIn("kitten", shown)  # never echoed
        sam.start()

        t = Terminal(sam, "unlock")
        t.expect("Passphrase: ").type("")
        t.expect("cannot be empty").expect("Passphrase: ").type("puppy")
        t.expect("does not open this device's keys").expect("Passphrase: ").type("kitten")
        code, shown = t.finish()
        self.assertEqual(code, 0, shown)
        self.assertIn("Unlocked.", shown)

        t = Terminal(sam, "unlock")
        for guess in ("puppy", "", "hamster"):
            t.expect("Passphrase: ").type(guess)
        code, shown = t.finish()
        self.assertEqual(code, 3, shown)
        self.assertNotIn("Unlocked", shown)
        self.assertNotIn("already unlocked", shown)
        self.assertFalse(self.locked(sam))  # it was and stays unlocked

        t = Terminal(sam, "passphrase", "change")
        t.expect("Current passphrase: ").type("kitten")
        t.expect("New passphrase: ").type(NEXT)
        t.expect("Same passphrase again: ").type(NEXT)
        code, shown = t.finish()
        self.assertEqual(code, 0, shown)
        sam.ok("lock")
        sam.ok("unlock", "--passphrase-file", self.next)


@unittest.skipUnless(os.path.exists(FAKETIME_LIB), "needs Debian's faketime package")
@unittest.skipIf(sanitized(HEARTHD), "libfaketime cannot be preloaded into a sanitizer build; "
                 "the unit tests cover auto-lock there with an injected clock")
class AutoLock(LockCase):
    SPEED = 60  # a minute of the daemon's clocks passes in a second

    def test_the_daemon_locks_itself_after_the_idle_time_only_requests_count(self):
        sam = self.device()
        sam.init("--passphrase-file", self.pw)
        self.start_under_faketime(sam, self.SPEED)
        sam.ok("unlock", "--passphrase-file", self.pw)
        r = sam.hearth("config", "set", "auto-lock", "30s")
        self.assertEqual(r.code, 1, r)
        self.assertIn("1 minute to 24 hours", r.err)
        self.assertEqual(sam.ok("config", "set", "auto-lock", "2m")["config"]["value"], "2m")
        # Requests every ~30 daemon seconds for ~3 daemon minutes, longer than
        # the limit: it stays unlocked.
        deadline = time.time() + 3.0
        while time.time() < deadline:
            self.assertFalse(self.locked(sam))
            time.sleep(0.5)
        self.assertNotIn("without a request", self.daemon_log(sam))
        # Then quiet: it locks after two daemon minutes (two seconds).
        self.wait_for("the auto-lock", lambda: "without a request" in self.daemon_log(sam),
                      timeout=15)
        self.assertTrue(self.locked(sam))
        sam.ok("unlock", "--passphrase-file", self.pw)
        self.assertEqual(sam.ok("config", "get", "auto-lock")["config"]["value"], "2m")
        sam.ok("config", "set", "auto-lock", "off")
        time.sleep(3.0)  # three daemon minutes
        self.assertFalse(self.locked(sam))

    def test_sync_with_the_partner_does_not_keep_the_daemon_unlocked(self):
        sam, alex = self.device("sam"), self.device("alex")
        sam.init("--passphrase-file", self.pw)
        alex.init()
        self.start_under_faketime(sam, self.SPEED)
        alex.start(listen=True)
        sam.ok("unlock", "--passphrase-file", self.pw)
        self.pair(sam, alex)
        self.pair(alex, sam)
        self.wait_for("sam to connect", lambda: self.connection(sam) == "connected")
        sam.ok("config", "set", "auto-lock", "1m")
        # alex writes while sam's daemon is quiet: what arrives is not a request.
        stop = threading.Event()

        def write():
            n = 0
            while not stop.is_set():
                alex.hearth("reflect", "add", "--share", f"alex's note {n}")
                n += 1
                time.sleep(0.1)

        writer = threading.Thread(target=write)
        writer.start()
        try:
            self.wait_for("sam's auto-lock", lambda: "without a request" in self.daemon_log(sam),
                          timeout=20)
        finally:
            stop.set()
            writer.join()
        self.assertTrue(self.locked(sam))


if __name__ == "__main__":
    unittest.main()
