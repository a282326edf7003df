"""Network faults between two real daemons, through a fault-injecting proxy:
cuts at random byte offsets, stalls and delays end in convergence after
reconnecting; a flipped bit is caught by the Noise AEAD and closes the
connection; nothing corrupt is ever stored."""
import os
import random
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from fault_proxy import FaultProxy  # noqa: E402
from harness import BIN_DIR, SLOW  # noqa: E402
from test_sync import SyncCase  # noqa: E402

FILL = os.path.join(BIN_DIR, "tests", "bench", "hearth_bench_fill")

# Written apart before the first catch-up: about 4 MB must cross.
SAM_EVENTS, ALEX_EVENTS = 3000, 1000
# Written apart before each later round: more than any fault's offset, so the
# fault a round's connection holds always takes effect.
ROUND_EVENTS = 400
MAX_ROUNDS = 12


def integrity(d):
    r = subprocess.run(["sqlite3", os.path.join(d.home, "hearth.db"), "PRAGMA integrity_check"],
                       capture_output=True, text=True)
    return r.stdout.strip()


class Faults(SyncCase):
    def setUp(self):
        super().setUp()
        seed = int(os.environ.get("HEARTH_FAULT_SEED", random.randrange(1 << 30)))
        print(f"\nfault seed {seed} (HEARTH_FAULT_SEED to repeat)", file=sys.stderr)
        self.rng = random.Random(seed)
        self.sam, self.alex = self.device("sam"), self.device("alex")
        for d in (self.sam, self.alex):
            d.init()
        self.alex.start(listen=True)
        self.proxy = FaultProxy(int(self.alex.listen.rsplit(":", 1)[1]), seed=self.rng.random())
        self.via_proxy = f"127.0.0.1:{self.proxy.port}"
        self.sam.start()
        self.pair(self.alex, self.sam)  # Alex does not dial: every connection goes through the proxy
        self.sam.ok("pair", "add", self.device_id(self.alex), "--address", self.via_proxy)
        self.wait_for("the first connection", lambda: self.connection(self.sam) == "connected")
        self.sam_events = self.alex_events = 0
        # Both write while apart, so there is a real catch-up to disturb.
        self.write_apart(SAM_EVENTS, ALEX_EVENTS)

    def tearDown(self):
        self.proxy.close()
        super().tearDown()

    def write_apart(self, sam_events, alex_events):
        """Stops both daemons and writes ~1 KB shared reflections on each side."""
        for d in (self.sam, self.alex):
            alive = d.daemon is None or d.daemon.poll() is None
            code = d.stop()
            self.assertTrue(alive and code == 0, f"{d.name}: hearthd ended with {code}\n{d.log()}")
        for d, n in ((self.sam, sam_events), (self.alex, alex_events)):
            subprocess.run([FILL, "--home", d.home, "--count", str(n)], check=True,
                           stdout=subprocess.DEVNULL)
        self.sam_events += sam_events
        self.alex_events += alex_events

    def run_until_converged(self, timeout=240):
        """Starts whichever is down; pokes Sam's dialer past its backoff until caught up."""
        if self.alex.daemon is None:
            self.alex.start(listen=True)
        if self.sam.daemon is None:
            self.sam.start()
        deadline = time.time() + timeout * SLOW
        while True:
            s = self.sam.ok("sync")["sync"]
            a = self.alex.ok("sync")["sync"]
            if (s["partner_events_known"] >= self.alex_events and
                    a["partner_events_known"] >= self.sam_events and s["caught_up"] and a["caught_up"]):
                break
            if time.time() > deadline:
                self.fail(f"no convergence: sam {s}, alex {a}, proxy plan left {self.proxy.plan}")
            if self.connection(self.sam) != "connected":
                # A new address dials at once: skips the backoff the faults built up.
                self.sam.ok("peer", "add", self.via_proxy)
            time.sleep(0.3)
        self.assert_converged(self.sam, self.alex)
        for d in (self.sam, self.alex):
            self.assertEqual(integrity(d), "ok")

    def converge_through_every_fault(self):
        """Catches up, then, while a planned fault has not taken effect, writes
        apart on both sides and catches up again, so it meets a connection
        that carries enough."""
        self.run_until_converged()
        rounds = 0
        while self.proxy.unfired:
            rounds += 1
            self.assertLessEqual(rounds, MAX_ROUNDS, f"faults left unused: {self.proxy.plan}")
            self.write_apart(ROUND_EVENTS, ROUND_EVENTS)
            self.run_until_converged()

    def test_cuts_stalls_and_delays_end_in_convergence(self):
        # Every cut connection carries at most 300 KB, so the first catch-up
        # needs all the cuts. Stalls and a delay follow: they slow a
        # connection without ending it.
        plan = [("cut", self.rng.randrange(300, 300_000)) for _ in range(8)]
        plan += [("cut", self.rng.randrange(0, 300)) for _ in range(3)]  # inside the handshake
        self.rng.shuffle(plan)
        plan += [("stall", self.rng.randrange(0, 2000), self.rng.uniform(1.0, 3.0)) for _ in range(3)]
        plan.append(("delay", 5))
        self.proxy.set_plan(plan)
        self.converge_through_every_fault()
        self.assertEqual(self.proxy.faults_injected, len(plan))
        print(f"\nfaults injected: {self.proxy.faults_injected} (cuts, stalls, a delay) over "
              f"{self.proxy.connections} connections; converged", file=sys.stderr)

    def test_a_connection_cut_mid_batch_stores_nothing_of_that_batch(self):
        # Each side's first batch is over 1 MB (about a thousand ~1 KB
        # events): 500 KB in, both are cut short. The connections after it are
        # cut before their first byte, so nothing else arrives while we look.
        self.proxy.set_plan([("cut", 500_000)] + [("cut", 0)] * 50)
        self.alex.start(listen=True)
        self.sam.start()
        self.wait_for("the cut", lambda: self.proxy.faults_injected >= 2, timeout=30)
        for d in (self.sam, self.alex):
            self.assertEqual(d.ok("sync")["sync"]["partner_events_known"], 0,
                             f"{d.name} stored part of a batch that was cut")
            self.assertEqual(integrity(d), "ok")
        # The cut ends; the same catch-up completes on the next connection.
        self.proxy.set_plan([])
        self.run_until_converged()

    def test_a_flipped_bit_closes_the_connection_and_nothing_corrupt_is_stored(self):
        # Flips during the catch-up (Sam, the dialer, sends the most), then in
        # the handshakes of later connections.
        plan = [("flip", self.rng.randrange(200, 300_000), "up") for _ in range(4)]
        plan.append(("flip", self.rng.randrange(60, 300), "down"))  # Alex's Hello
        plan.append(("flip", self.rng.randrange(1, 130), "up"))    # handshake message 1
        plan.append(("flip", self.rng.randrange(1, 50), "down"))   # handshake message 2
        self.proxy.set_plan(plan)
        self.converge_through_every_fault()
        self.assertEqual(self.proxy.flipped, len(plan))
        # Every flip ended its connection at once: not by the 45 s idle timeout.
        self.assertEqual(len(self.proxy.flip_to_close), len(plan))
        self.assertTrue(all(t < 5 * SLOW for t in self.proxy.flip_to_close), self.proxy.flip_to_close)
        logs = self.log_messages(self.sam) + self.log_messages(self.alex)
        self.assertTrue(any("did not decrypt" in m for m in logs),
                        "a flipped bit must be caught by the AEAD:\n" + "\n".join(logs[:40]))
        print(f"\nbits flipped: {self.proxy.flipped} over {self.proxy.connections} connections; "
              f"every one closed its connection, nothing corrupt stored", file=sys.stderr)


if __name__ == "__main__":
    unittest.main()
