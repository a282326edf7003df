#!/usr/bin/env python3
"""Crash harness: two partners' daemons write and sync continuously while
one or both are killed with SIGKILL at random moments and restarted.

    python3 tests/integration/crash_harness.py [--kills 50] [--seed S]

Writers run `hearth --json` commands in a loop on both devices: shared and
private reflections, edits of them, boundary proposals and revisions, shared
and private check-ins. A write counts as saved only when the command exited 0;
its id comes from the command's JSON. Kills land mid-write, mid-batch and
mid-handshake by chance: the killer does not wait for quiet moments.

After every kill round:
  - a killed daemon must have been running until the kill: one that had
    exited by itself (a crash, a sanitizer report) fails the harness with
    the tail of its log;
  - each killed store passes `PRAGMA integrity_check`;
  - once both daemons are up again, every write saved before the round's
    checks began is on its author's device with the words saved (one
    `--limit 0` list per kind per device), and no private entry is on the
    partner's device.
At the end the writers stop, both daemons sync quietly, and then:
  - every saved write is present on its author's device (private ones too);
  - every saved shared write is present on the partner's device;
  - both devices show identical shared state;
  - both daemons exit 0 on SIGTERM, and both stores pass integrity_check.
Prints the figures; exits non-zero on any failure. The test command runs a
short form (50 kills); run it alone with more kills for a soak.
"""
import argparse
import concurrent.futures
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import SLOW, Device, as_seen_by_partner, without_author_only  # noqa: E402


class Failure(Exception):
    pass


def integrity(home):
    db = os.path.join(home, "hearth.db")
    r = subprocess.run(["sqlite3", db, "PRAGMA integrity_check"], capture_output=True, text=True)
    if r.returncode != 0 or r.stdout.strip() != "ok":
        raise Failure(f"integrity_check of {db}: {r.stdout.strip()} {r.stderr.strip()}")


def died_by_itself(d, code, when):
    return Failure(f"{d.name}'s hearthd exited by itself with {code} {when} "
                   f"(a crash or a sanitizer report); the tail of its log:\n{d.log()}")


def kill(d):
    """SIGKILLs d's daemon; fails if it was not running until then."""
    code = d.kill9()
    if code != -signal.SIGKILL:
        raise died_by_itself(d, code, "before the harness killed it")


def start(d):
    try:
        d.start(listen=True)
    except AssertionError as e:  # harness.py: it exited or never became ready
        raise Failure(f"{d.name}'s hearthd did not start again: {e}")


def check_running(d, when):
    if d.daemon is None:
        return
    code = d.daemon.poll()
    if code is not None:
        raise died_by_itself(d, code, when)


class Saved:
    """One entry a writer made: every text it was given, in order, and how
    many of them were confirmed. The device may show the last confirmed text,
    or any later one (an edit whose command failed after the daemon committed
    it, or one still in flight), never an earlier one."""

    def __init__(self, kind, shared, text):
        self.kind = kind
        self.shared = shared
        self.texts = [text]
        self.confirmed = 1  # texts[confirmed - 1] is the last confirmed one

    def acceptable(self, confirmed):
        return self.texts[confirmed - 1:]


class Writer(threading.Thread):
    """Writes on one device until told to stop; remembers what was saved."""

    # Exit codes a command may end with when its daemon is killed under it
    # (2: not running; 4: the connection broke). Anything else is a bug.
    EXPECTED_FAILURES = (2, 4)

    def __init__(self, device, rng):
        super().__init__(daemon=True)
        self.d = device
        self.rng = rng
        self.stop = threading.Event()
        self.lock = threading.Lock()
        # (kind, id) -> Saved; kind is "reflection", "boundary" or "checkin".
        self.saved = {}
        self.edits = 0      # confirmed edits and revisions
        self.attempts = 0
        self.unexpected = []  # commands that failed in a way a kill does not explain
        self.n = 0

    def run(self):
        while not self.stop.is_set():
            self.n += 1
            self.attempts += 1
            try:
                self.one(self.rng.random(), f"{self.d.name}-{self.n}")
            except Exception as e:  # a bad JSON answer, a timeout: reported at the end
                with self.lock:
                    self.unexpected.append(f"{self.d.name} write {self.n}: {e!r}")

    def new_entry(self, kind, shared, text, args, key):
        r = self.d.hearth("--json", *args, timeout=30)
        self.check(r, args)
        if r.code == 0:
            item = r.json()[key]
            with self.lock:
                self.saved[(kind, item["id"])] = Saved(kind, shared, text)

    def change(self, kind, verb, text):
        with self.lock:
            mine = [k for k in self.saved if k[0] == kind]
            if not mine:
                return
            key = self.rng.choice(mine)
            entry = self.saved[key]
            entry.texts.append(text)  # may show from now on
            index = len(entry.texts)
        args = [kind if kind != "reflection" else "reflect", verb, key[1], text]
        r = self.d.hearth("--json", *args, timeout=30)
        self.check(r, args)
        if r.code == 0:
            with self.lock:
                entry.confirmed = max(entry.confirmed, index)
                self.edits += 1

    def check(self, r, args):
        if r.code != 0 and r.code not in self.EXPECTED_FAILURES:
            with self.lock:
                self.unexpected.append(f"{self.d.name}: hearth {' '.join(args)}: {r!r}")

    def one(self, roll, tag):
        if roll < 0.45:
            text = f"crash harness shared {tag}"
            self.new_entry("reflection", True, text, ["reflect", "add", text, "--share"],
                           "reflection")
        elif roll < 0.58:
            text = f"crash harness private {tag}"
            self.new_entry("reflection", False, text, ["reflect", "add", text], "reflection")
        elif roll < 0.70:
            self.change("reflection", "edit", f"crash harness edited {tag}")
        elif roll < 0.78:
            text = f"crash harness boundary {tag}"
            self.new_entry("boundary", True, text, ["boundary", "propose", text], "boundary")
        elif roll < 0.82:
            self.change("boundary", "revise", f"crash harness revised {tag}")
        elif roll < 0.93:
            text = f"crash harness need {tag}"
            self.new_entry("checkin", True, text,
                           ["checkin", "--capacity", "yellow", "--need", text, "--share"],
                           "checkin")
        else:
            text = f"crash harness private need {tag}"
            self.new_entry("checkin", False, text, ["checkin", "--capacity", "red", "--need", text],
                           "checkin")

    def snapshot(self):
        """What was saved until now: (kind, id) -> (shared, how many of its
        texts were confirmed then, the entry)."""
        with self.lock:
            return {k: (e.shared, e.confirmed, e) for k, e in self.saved.items()}

    def saved_count(self):
        with self.lock:
            return len(self.saved) + self.edits


def lists(d):
    """(kind, id) -> (author, shared, text) for everything d shows."""
    out = {}
    for r in d.ok("reflect", "list", "--limit", "0", timeout=120)["reflections"]:
        out[("reflection", r["id"])] = (r["author"], r["shared"], r["text"])
    for b in d.ok("boundary", "list", "--all", "--limit", "0", timeout=120)["boundaries"]:
        out[("boundary", b["id"])] = (b["author"], True, b["text"])
    for c in d.ok("checkin", "list", "--limit", "0", timeout=120)["checkins"]:
        out[("checkin", c["id"])] = (c["author"], c["shared"], c["need"])
    return out


def check_saved(writers, partner_of, when, final=False):
    """Every write saved before this call is on its author's device with a
    text it may show; no private entry is on the partner's device; when
    `final`, every shared one is on the partner's device with the same text.
    Returns how many entries were checked."""
    snaps = [(w, w.snapshot()) for w in writers]  # before the lists: all must show
    devices = [w.d for w in writers]
    # Each daemon serves one request at a time: one thread per device.
    with concurrent.futures.ThreadPoolExecutor(len(devices)) as pool:
        futures = {d.name: pool.submit(lists, d) for d in devices}
    shown = {}
    for d in devices:
        try:
            shown[d.name] = futures[d.name].result()
        except AssertionError as e:
            check_running(d, when)
            raise Failure(f"{d.name}: a list failed {when}: {e}")
    wrong = []
    checked = 0
    for w, snap in snaps:
        own, other = shown[w.d.name], shown[partner_of[w.d].name]
        for key, (shared, confirmed, entry) in snap.items():
            checked += 1
            with w.lock:
                texts = entry.acceptable(confirmed)
            what = f"{w.d.name}'s {'shared' if shared else 'private'} {key[0]} {key[1]}"
            got = own.get(key)
            if got is None:
                wrong.append(f"{what} is missing on its own device")
            elif got[0] != "me" or got[1] != shared or got[2] not in texts:
                wrong.append(f"{what} on its own device: saved {texts!r}, shows {got!r}")
            if not shared and key in other:
                wrong.append(f"{what} LEAKED to the partner's device")
            if final and shared:
                theirs = other.get(key)
                if theirs is None or got is None or theirs != ("partner", True, got[2]):
                    wrong.append(f"{what} on the partner's device: shows {theirs!r}, "
                                 f"its author's shows {got!r}")
    if wrong:
        raise Failure(f"{len(wrong)} saved writes are wrong or missing {when}: {wrong[:10]}")
    return checked


def shared_view(d):
    def by_id(items):
        return sorted(items, key=lambda x: x["id"])
    return {
        "reflections": by_id(r for r in d.ok("reflect", "list", "--limit", "0", timeout=120)
                             ["reflections"] if r["shared"]),
        "boundaries": by_id(d.ok("boundary", "list", "--all", "--limit", "0", timeout=120)["boundaries"]),
        "checkins": by_id(c for c in d.ok("checkin", "list", "--limit", "0", timeout=120)["checkins"]
                          if c["shared"]),
    }


def run(kills, seed, root, devices):
    rng = random.Random(seed)
    sam, alex = Device(root, "sam"), Device(root, "alex")
    devices += [sam, alex]
    partner_of = {sam: alex, alex: sam}
    for d in (sam, alex):
        d.init()
        start(d)
    sam.ok("pair", "add", alex.hearth("id").out.strip(), "--address", alex.listen)
    alex.ok("pair", "add", sam.hearth("id").out.strip(), "--address", sam.listen)

    writers = [Writer(sam, random.Random(rng.random())), Writer(alex, random.Random(rng.random()))]
    for w in writers:
        w.start()
    done = 0
    rounds = 0
    checked = 0
    t0 = time.time()
    checked_at = time.time()
    try:
        while done < kills:
            # The next kill comes at a random moment after the restart; the
            # checks of the round before take part of that time.
            time.sleep(max(0.0, checked_at + rng.uniform(0.05, 0.8) * SLOW - time.time()))
            victims = rng.choice([[sam], [alex], [sam, alex]])
            for d in (sam, alex):
                if d not in victims:
                    check_running(d, "while the other was being killed")
            for v in victims:
                kill(v)
                done += 1
            # Every kill leaves a store that opens and checks out.
            for v in victims:
                integrity(v.home)
            time.sleep(rng.uniform(0.0, 0.3))
            for v in victims:
                start(v)
            checked_at = time.time()
            rounds += 1
            checked += check_saved(writers, partner_of, f"after kill round {rounds}")
    finally:
        for w in writers:
            w.stop.set()
        for w in writers:
            w.join(timeout=60 * SLOW)

    unexpected = [u for w in writers for u in w.unexpected]
    if unexpected:
        raise Failure(f"{len(unexpected)} commands failed in a way no kill explains: "
                      f"{unexpected[:5]}")
    # Quiet end: both up, let them sync.
    for d in (sam, alex):
        check_running(d, "at the end of the kills")
        if d.daemon is None:
            start(d)
    for d in (sam, alex):
        r = d.hearth("--json", "sync", "--wait", timeout=300)
        if r.code != 0:
            check_running(d, "during the final sync")
            raise Failure(f"{d.name}: sync --wait failed: {r!r}")
    # The last events of one side may arrive just after the other's sync
    # --wait returned: wait until both agree, for a while.
    deadline = time.time() + 60 * SLOW
    while True:
        a, b = shared_view(sam), shared_view(alex)
        if without_author_only(a) == as_seen_by_partner(b):
            break
        if time.time() > deadline:
            raise Failure("the two devices do not show the same shared state after a quiet sync")
        time.sleep(0.5)
    check_saved(writers, partner_of, "after the final sync", final=True)
    for d in (sam, alex):
        alive = d.daemon is not None and d.daemon.poll() is None
        code = d.stop()
        if not alive or code != 0:
            raise Failure(f"{d.name}'s hearthd ended with {code} on the final stop "
                          f"(0 expected); the tail of its log:\n{d.log()}")
        integrity(d.home)
    saved = sum(w.saved_count() for w in writers)
    attempts = sum(w.attempts for w in writers)
    print(f"crash harness: {done} kills survived in {time.time() - t0:.0f} s; "
          f"{saved} saved writes of {attempts} attempts all present "
          f"(checked after each of {rounds} rounds, {checked} look-ups); "
          f"both stores pass integrity_check; shared state identical on both devices; "
          f"both daemons exit 0")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--seed", type=int, default=None)
    args = ap.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"crash harness: seed {seed}, {args.kills} kills")
    root = tempfile.mkdtemp(prefix="hearth-crash-")
    ok = False
    devices = []
    try:
        run(args.kills, seed, root, devices)
        ok = True
    except Failure as e:
        print(f"FAILED: {e} (seed {seed}; homes kept in {root})")
    finally:
        for d in devices:
            d.kill9()
        if ok:
            shutil.rmtree(root, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
