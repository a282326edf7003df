#!/usr/bin/env python3
"""Crash harness: two partners' daemons write and sync continuously while
one or both are killed with SIGKILL at random moments and restarted.

    python3 tests/integration/crash_harness.py [--kills 50] [--seed S]

Writers run `hearth` commands in a loop on both devices (shared and private
reflections, edits, boundaries, check-ins). A write counts as saved only when
the command exited 0. Kills land mid-write, mid-batch and mid-handshake by
chance: the killer does not wait for quiet moments. After every kill round,
both stores must pass `PRAGMA integrity_check`. At the end the writers stop,
both daemons come back, sync quietly, and then:
  - every saved write is present on its author's device (private ones too);
  - every saved shared write is present on the partner's device;
  - both devices show identical shared state.
Prints the figures; exits non-zero on any failure. The test command runs a
short form (50 kills); run it alone with more kills for a soak.
"""
import argparse
import os
import random
import shutil
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


class Writer(threading.Thread):
    """Writes on one device until told to stop; remembers what was saved."""

    def __init__(self, device, rng):
        super().__init__(daemon=True)
        self.d = device
        self.rng = rng
        self.stop = threading.Event()
        # reflection id -> the texts it may show: the last saved one, plus any
        # edit whose command failed after the daemon may have committed it
        # (a kill between the commit and the reply).
        self.saved_shared = {}
        self.saved_private = {}  # reflection id -> text
        self.saved_other = 0     # boundaries, check-ins, edits
        self.attempts = 0
        self.n = 0

    def run(self):
        while not self.stop.is_set():
            self.n += 1
            self.attempts += 1
            roll = self.rng.random()
            tag = f"{self.d.name}-{self.n}"
            if roll < 0.55:
                text = f"crash harness shared {tag}"
                r = self.d.hearth("--json", "reflect", "add", text, "--share", timeout=30)
                if r.code == 0:
                    self.saved_shared[r.json()["reflection"]["id"]] = {text}
            elif roll < 0.70:
                text = f"crash harness private {tag}"
                r = self.d.hearth("--json", "reflect", "add", text, timeout=30)
                if r.code == 0:
                    self.saved_private[r.json()["reflection"]["id"]] = text
            elif roll < 0.80 and self.saved_shared:
                rid = self.rng.choice(list(self.saved_shared))
                text = f"crash harness edited {tag}"
                r = self.d.hearth("--json", "reflect", "edit", rid, text, timeout=30)
                if r.code == 0:
                    self.saved_shared[rid] = {text}
                    self.saved_other += 1
                else:
                    self.saved_shared[rid].add(text)
            elif roll < 0.90:
                r = self.d.hearth("--json", "boundary", "propose", f"crash harness boundary {tag}",
                                  timeout=30)
                self.saved_other += r.code == 0
            else:
                r = self.d.hearth("--json", "checkin", "--capacity", "yellow", "--share", timeout=30)
                self.saved_other += r.code == 0


def reflections(d):
    return {r["id"]: r for r in d.ok("reflect", "list", "--limit", "0", timeout=120)["reflections"]}


def shared_view(d):
    def by_id(items):
        return sorted(items, key=lambda x: x["id"])
    return {
        "reflections": by_id(r for r in reflections(d).values() if r["shared"]),
        "boundaries": by_id(d.ok("boundary", "list", "--limit", "0", timeout=120)["boundaries"]),
        "checkins": by_id(c for c in d.ok("checkin", "list", "--limit", "0", timeout=120)["checkins"]
                          if c["shared"]),
    }


def run(kills, seed, root, devices):
    rng = random.Random(seed)
    sam, alex = Device(root, "sam"), Device(root, "alex")
    devices += [sam, alex]
    for d in (sam, alex):
        d.init()
        d.start(listen=True)
    sam.ok("pair", "add", alex.hearth("id").out.strip(), "--address", alex.listen)
    alex.ok("pair", "add", sam.hearth("id").out.strip(), "--address", sam.listen)

    writers = [Writer(sam, random.Random(rng.random())), Writer(alex, random.Random(rng.random()))]
    for w in writers:
        w.start()
    done = 0
    t0 = time.time()
    try:
        while done < kills:
            time.sleep(rng.uniform(0.05, 0.8) * SLOW)
            victims = rng.choice([[sam], [alex], [sam, alex]])
            for v in victims:
                v.kill9()
                done += 1
            # Every kill leaves a store that opens and checks out.
            for v in victims:
                integrity(v.home)
            time.sleep(rng.uniform(0.0, 0.3))
            for v in victims:
                v.start(listen=True)
    finally:
        for w in writers:
            w.stop.set()
        for w in writers:
            w.join(timeout=60 * SLOW)

    # Quiet end: both up, let them sync.
    for d in (sam, alex):
        if d.daemon is None:
            d.start(listen=True)
    for d in (sam, alex):
        r = d.hearth("--json", "sync", "--wait", timeout=300)
        if r.code != 0:
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

    lost = []
    for w, partner in ((writers[0], alex), (writers[1], sam)):
        own = reflections(w.d)
        other = reflections(partner)
        for rid, texts in w.saved_shared.items():
            if own.get(rid, {}).get("text") not in texts:
                lost.append(f"{w.d.name}'s shared {rid} on its own device: saved {texts!r}, "
                            f"shows {own.get(rid, {}).get('text')!r}")
            if other.get(rid, {}).get("text") != own.get(rid, {}).get("text"):
                lost.append(f"{w.d.name}'s shared {rid} on the partner's device")
        for rid, text in w.saved_private.items():
            if own.get(rid, {}).get("text") != text:
                lost.append(f"{w.d.name}'s private {rid}")
            if rid in other:
                lost.append(f"{w.d.name}'s private {rid} LEAKED to the partner")
    for d in (sam, alex):
        d.stop()
        integrity(d.home)
    if lost:
        raise Failure(f"{len(lost)} saved writes are wrong or missing: {lost[:10]}")
    saved = sum(len(w.saved_shared) + len(w.saved_private) + w.saved_other for w in writers)
    attempts = sum(w.attempts for w in writers)
    print(f"crash harness: {done} kills survived in {time.time() - t0:.0f} s; "
          f"{saved} saved writes of {attempts} attempts all present; "
          f"both stores pass integrity_check; shared state identical on both devices")


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
