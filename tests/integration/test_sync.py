"""Two partners' daemons syncing over loopback TCP: real hearthd and hearth processes."""
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN_DIR, HEARTH, SLOW, HearthTestCase, as_seen_by_partner, without_author_only  # noqa: E402,F401

# Writes N shared reflections into a stopped daemon's home through the same
# Journal::write as `hearth reflect add` (tests/bench/fill.cpp).
FILL = os.path.join(BIN_DIR, "tests", "bench", "hearth_bench_fill")

class SyncCase(HearthTestCase):
    def wait_for(self, what, check, timeout=10.0, interval=0.05):
        deadline = time.time() + timeout * SLOW
        while True:
            value = check()
            if value:
                return value
            if time.time() > deadline:
                self.fail(f"timed out waiting for {what}")
            time.sleep(interval)

    def device_id(self, d):
        r = d.hearth("id")
        self.assertEqual(r.code, 0, r)
        return r.out.strip()

    def pair(self, a, b):
        """a adds b as its partner, with b's address if b listens."""
        args = ["pair", "add", self.device_id(b)]
        if b.listen:
            args += ["--address", b.listen]
        return a.ok(*args)

    def connection(self, d):
        return d.ok("status")["partner"].get("connection")

    def couple(self, suffix=""):
        """Two partners, both listening, paired both ways and connected."""
        sam, alex = self.device("sam" + suffix), self.device("alex" + suffix)
        for d in (sam, alex):
            d.init()
            d.start(listen=True)
        self.pair(sam, alex)
        self.pair(alex, sam)
        for d in (sam, alex):
            self.wait_for(f"{d.name} to connect", lambda d=d: self.connection(d) == "connected")
        return sam, alex

    def sync_wait(self, d, timeout=60):
        r = d.hearth("--json", "sync", "--wait", timeout=timeout)
        self.assertEqual(r.code, 0, r)
        info = r.json()["sync"]
        self.assertTrue(info["caught_up"], info)
        return info

    def shared_view(self, d):
        """What both devices must agree on, as d shows it."""
        def by_id(items):
            return sorted(items, key=lambda x: x["id"])
        return {
            "reflections": by_id(r for r in d.ok("reflect", "list", "--limit", "0")["reflections"]
                                 if r["shared"]),
            "boundaries": by_id(d.ok("boundary", "list", "--all", "--limit", "0")["boundaries"]),
            "checkins": by_id(c for c in d.ok("checkin", "list", "--limit", "0")["checkins"]
                              if c["shared"]),
        }

    def assert_converged(self, a, b):
        self.assertEqual(without_author_only(self.shared_view(a)),
                         as_seen_by_partner(self.shared_view(b)))

    def log_messages(self, d):
        return [e["message"] for e in d.ok("log", "--limit", "0")["log"]]

    def reflection_ids(self, d, author=None):
        return [r["id"] for r in d.ok("reflect", "list", "--limit", "0")["reflections"]
                if author is None or r["author"] == author]


class Convergence(SyncCase):
    def test_offline_writes_on_both_sides_converge_and_sync_wait_returns_once_caught_up(self):
        sam, alex = self.couple()

        alex.stop()
        first = sam.ok("reflect", "add", "sam, written alone", "--share", "--feeling", "calm")
        sam.ok("reflect", "add", "sam, kept private")
        sam.ok("reflect", "edit", first["reflection"]["id"], "sam, written alone, edited")
        sam.ok("boundary", "propose", "no phones at dinner", "--category", "home")
        sam.ok("checkin", "--capacity", "yellow", "--feeling", "tired", "--share")
        sam.ok("checkin", "--capacity", "red")
        sam.stop()

        alex.start(listen=True)
        alex.ok("reflect", "add", "alex, written alone", "--share")
        alex.ok("reflect", "add", "alex, kept private")
        alex.ok("boundary", "propose", "a quiet hour after work")
        alex.ok("checkin", "--capacity", "green", "--share", "--need", "a walk")
        sam.start(listen=True)

        info = self.sync_wait(sam)
        self.assertEqual(info["my_shared_events"], 4)  # put, edit, propose, check-in
        self.assertEqual(info["partner_has_mine"], 4)
        self.assertEqual(info["partner_events_known"], 3)
        self.sync_wait(alex)
        self.assert_converged(sam, alex)
        view = self.shared_view(alex)
        texts = sorted(r["text"] for r in view["reflections"])
        self.assertEqual(texts, ["alex, written alone", "sam, written alone, edited"])
        self.assertEqual(len(view["boundaries"]), 2)
        self.assertEqual(len(view["checkins"]), 2)
        # Private entries stayed home.
        self.assertEqual(len(self.reflection_ids(alex, "partner")), 1)
        self.assertEqual(len(self.reflection_ids(sam, "partner")), 1)
        st = sam.ok("status")
        self.assertEqual(st["partner"]["connection"], "connected")
        self.assertEqual(st["listening"], sam.listen)
        self.assertTrue(any("connected to your partner's device" in m
                            for m in self.log_messages(sam)))
        peers = sam.ok("peer", "list")["peers"]
        self.assertEqual([p["address"] for p in peers], [alex.listen])
        self.assertEqual(peers[0]["source"], "manual")

    def test_a_pause_made_while_connected_shows_on_the_other_side_at_once(self):
        sam, alex = self.couple()
        self.sync_wait(sam)
        sam.ok("pause", "--for", "30m", "--note", "a walk")
        start = time.time()
        pause = self.wait_for("the pause on alex's side",
                              lambda: (p := alex.ok("status")["partner_pause"])["active"] and p,
                              timeout=2, interval=0.02)
        self.assertLess(time.time() - start, 2 * SLOW)
        self.assertEqual(pause["set_by"], "partner")
        self.assertEqual(pause["note"], "a walk")

    def test_a_forgotten_reflection_disappears_on_both_devices(self):
        sam, alex = self.couple()
        made = sam.ok("reflect", "add", "soon to be forgotten", "--share")["reflection"]
        self.wait_for("the reflection on alex's side",
                      lambda: made["id"] in self.reflection_ids(alex))
        sam.ok("reflect", "forget", made["id"], "--yes")
        self.assertNotIn(made["id"], self.reflection_ids(sam))
        self.wait_for("the forget on alex's side",
                      lambda: made["id"] not in self.reflection_ids(alex))
        r = alex.hearth("--json", "reflect", "show", made["id"])
        self.assertEqual(r.code, 3, r)

    def test_a_boundary_proposed_on_one_side_and_agreed_on_the_other_is_agreed_on_both(self):
        sam, alex = self.couple()
        proposed = sam.ok("boundary", "propose", "we pause arguments after 10pm")["boundary"]
        self.wait_for("the proposal on alex's side",
                      lambda: any(b["id"] == proposed["id"]
                                  for b in alex.ok("boundary", "list")["boundaries"]))
        agreed = alex.ok("boundary", "agree", proposed["id"])["boundary"]
        self.assertEqual(agreed["status"], "agreed")

        def status_on_sam():
            for b in sam.ok("boundary", "list")["boundaries"]:
                if b["id"] == proposed["id"]:
                    return b["status"] == "agreed"
            return False
        self.wait_for("the agreement on sam's side", status_on_sam)
        self.sync_wait(sam)
        self.assert_converged(sam, alex)

    def test_watch_prints_the_partners_pause_first_and_at_once(self):
        sam, alex = self.couple()
        watch = WatchProcess(alex)
        try:
            first = watch.next(5 * SLOW)
            self.assertEqual(first["update"], "pause")
            self.assertFalse(first["pause"]["active"])
            sam.ok("pause", "--for", "20m", "--note", "breathing")
            start = time.time()
            doc = watch.next_matching(lambda d: d.get("update") == "pause", 2 * SLOW)
            self.assertLess(time.time() - start, 2 * SLOW)
            self.assertTrue(doc["pause"]["active"])
            self.assertEqual(doc["pause"]["set_by"], "partner")
        finally:
            watch.stop()
        # A new watch starts with the partner's pause.
        again = WatchProcess(alex)
        try:
            first = again.next(5 * SLOW)
            self.assertEqual(first["update"], "pause")
            self.assertTrue(first["pause"]["active"])
            self.assertEqual(first["pause"]["set_by"], "partner")
        finally:
            again.stop()


class Commands(SyncCase):
    def test_pair_add_and_peer_commands_check_what_they_are_given(self):
        sam, alex, carol = self.device("sam"), self.device("alex"), self.device("carol")
        for d in (sam, alex, carol):
            d.init()
        sam.start()
        alex_id = self.device_id(alex)
        typo = alex_id[:-1] + ("A" if alex_id[-1] != "A" else "B")
        r = sam.hearth("--json", "pair", "add", typo)
        self.assertEqual(r.code, 1, r)
        r = sam.hearth("--json", "pair", "add", self.device_id(sam))
        self.assertEqual(r.code, 3, r)
        r = sam.hearth("--json", "sync")
        self.assertEqual(r.code, 3, r)  # not paired yet

        paired = sam.ok("pair", "add", alex_id, "--address", "127.0.0.1:9")
        self.assertEqual(paired["paired"]["device_id"], alex_id)
        sam.ok("pair", "add", alex_id)  # the same partner again is fine
        r = sam.hearth("--json", "pair", "add", self.device_id(carol))
        self.assertEqual(r.code, 3, r)
        self.assertIn("hearth unpair", r.json()["error"]["message"])

        sam.ok("peer", "add", "localhost")
        sam.ok("peer", "add", "[::1]:7421")
        self.assertEqual(sam.hearth("--json", "peer", "add", "host:0").code, 1)
        self.assertEqual(sam.hearth("--json", "peer", "add", "host:70000").code, 1)
        peers = sam.ok("peer", "list")["peers"]
        self.assertEqual(sorted(p["address"] for p in peers),
                         ["127.0.0.1:9", "[::1]:7421", "localhost:7420"])
        self.assertTrue(all(p["source"] == "manual" for p in peers))
        self.assertTrue(all(p["state"] in ("idle", "connecting") for p in peers))
        sam.ok("peer", "remove", "localhost:7420")
        self.assertEqual(sam.hearth("--json", "peer", "remove", "localhost:7420").code, 3)
        self.assertEqual(len(sam.ok("peer", "list")["peers"]), 2)
        # Nothing answers at those addresses: sam keeps trying, and says why.
        self.wait_for("a dial error", lambda: any(
            p["last_error"] for p in sam.ok("peer", "list")["peers"]))
        self.assertIn(sam.ok("status")["partner"]["connection"], ("offline", "connecting"))


class Resilience(SyncCase):
    EVENTS = 10_000

    def write_many(self, d, count):
        """count shared reflections on d, whose daemon is stopped."""
        self.assertIsNone(d.daemon)
        subprocess.run([FILL, "--home", d.home, "--count", str(count), "--bytes", "40"],
                       check=True, stdout=subprocess.DEVNULL)

    def known(self, d):
        r = d.hearth("--json", "status", timeout=10)
        if r.code != 0:  # e.g. a daemon just restarted and not answering yet
            return None
        return r.json()["sync"]["partner_events_known"]

    def kill_mid_catch_up(self, receiver, to_kill, low, high):
        """Kills `to_kill` with SIGKILL once the receiver holds between low and high events."""
        deadline = time.time() + 120 * SLOW
        while time.time() < deadline:
            n = self.known(receiver)
            if n is not None and low < n < high:
                to_kill.kill9()
                return n
            if n is not None and n >= high:
                self.fail(f"catch-up passed {high} before a kill ({n})")
            time.sleep(0.005)
        self.fail("catch-up did not start")

    def test_a_restart_mid_catch_up_of_10000_events_loses_and_duplicates_nothing(self):
        sam, alex = self.device("sam"), self.device("alex")
        for d in (sam, alex):
            d.init()
        self.write_many(sam, self.EVENTS)
        sam.start(listen=True)
        # Alex reaches Sam through a slow link, so the catch-up takes seconds
        # and can be cut in the middle.
        proxy = SlowProxy(sam.listen, bytes_per_second=1_000_000)
        self.addCleanup(proxy.close)
        # Written before pairing: sent because Sam says so.
        sam.ok("pair", "add", self.device_id(alex), "--send-earlier")
        written = set(self.reflection_ids(sam))
        self.assertEqual(len(written), self.EVENTS)

        # The receiver dies mid-way, then the sender.
        alex.start()
        alex.ok("pair", "add", self.device_id(sam), "--address", proxy.address)
        first = self.kill_mid_catch_up(alex, alex, 0, self.EVENTS)
        alex.start()
        held = self.wait_for("alex's status", lambda: self.known(alex))
        self.assertGreaterEqual(held, 1)
        self.assertLess(held, self.EVENTS)
        self.assertGreaterEqual(held, first)
        self.kill_mid_catch_up(alex, sam, held, self.EVENTS)
        sam.start(listen=True)

        self.sync_wait(alex, timeout=300)
        got = self.reflection_ids(alex, "partner")
        self.assertEqual(len(got), self.EVENTS)
        self.assertEqual(set(got), written)
        self.assertEqual(alex.ok("status")["sync"]["partner_events_known"], self.EVENTS)
        info = self.sync_wait(sam, timeout=60)
        self.assertEqual(info["partner_has_mine"], self.EVENTS)

    def test_a_device_that_is_not_the_partner_is_refused_and_logged(self):
        sam, alex = self.couple()
        carol = self.device("carol")
        carol.init()
        carol.start()
        carol.ok("pair", "add", self.device_id(sam), "--address", sam.listen)
        carol_short = self.device_id(carol).split("-")[0]
        self.wait_for("the refusal in sam's log",
                      lambda: any(f"refused a connection from an unknown device {carol_short} "
                                  "at 127.0.0.1" in m for m in self.log_messages(sam)))
        self.assertNotEqual(self.connection(carol), "connected")
        peers = carol.ok("peer", "list")["peers"]
        self.wait_for("carol's failure",
                      lambda: carol.ok("peer", "list")["peers"][0]["last_error"])
        self.assertEqual(peers[0]["address"], sam.listen)
        # Sam's own partner is still connected.
        self.assertEqual(self.connection(sam), "connected")

    def tamper(self, d, author_hex, seq, column):
        """Flips one bit of one column of one event in d's store (d must be stopped)."""
        db = os.path.join(d.home, "hearth.db")
        where = f"author = (SELECT id FROM authors WHERE key = x'{author_hex}') AND seq = {seq}"
        r = subprocess.run(["sqlite3", db, f"SELECT hex({column}) FROM events WHERE {where}"],
                           capture_output=True, text=True, check=True)
        data = bytearray.fromhex(r.stdout.strip())
        self.assertGreater(len(data), 8)
        data[len(data) // 2] ^= 0x04
        subprocess.run(["sqlite3", db,
                        f"UPDATE events SET {column} = x'{data.hex()}' WHERE {where}"],
                       capture_output=True, text=True, check=True)

    @unittest.skipUnless(subprocess.run(["sh", "-c", "command -v sqlite3"],
                                        capture_output=True).returncode == 0,
                         "needs the sqlite3 command")
    def test_a_tampered_event_is_refused_whole_the_connection_closed_and_logged(self):
        # (column, seq): a middle header and body break the chain or the body
        # hash; the last signature is the one a batch is checked by.
        for column, seq in (("header", 2), ("body", 2), ("signature", 3)):
            with self.subTest(column=column):
                sam, alex = self.couple("-" + column)
                sam_key = self.sam_key(sam)
                alex.stop()
                for i in range(3):
                    sam.ok("reflect", "add", f"tamper {i}", "--share")
                sam.stop()
                self.tamper(sam, sam_key, seq, column)
                alex.start(listen=True)
                sam.start(listen=True)
                self.wait_for("the refusal in alex's log",
                              lambda: any("refused a batch of events" in m
                                          for m in self.log_messages(alex)))
                refusal = next(m for m in self.log_messages(alex) if "refused a batch" in m)
                self.assertIn("Nothing of that batch was stored", refusal)
                self.assertEqual(self.reflection_ids(alex, "partner"), [])
                self.assertEqual(alex.ok("status")["sync"]["partner_events_known"], 0)
                self.wait_for("the sender to hear why",
                              lambda: any("refused this device's messages" in m and
                                          "invalid batch" in m for m in self.log_messages(sam)))
                sam.stop()
                alex.stop()

    def sam_key(self, sam):
        """The hex Ed25519 key of a device, from its own store."""
        r = subprocess.run(["sqlite3", os.path.join(sam.home, "hearth.db"),
                            "SELECT hex(device_key) FROM devices WHERE role = 'self'"],
                           capture_output=True, text=True, check=True)
        return r.stdout.strip()


class SlowProxy:
    """A TCP relay to `target` that forwards what the target sends at a set rate."""

    CHUNK = 8192

    def __init__(self, target, bytes_per_second):
        host, port = target.rsplit(":", 1)
        self.target = (host, int(port))
        self.delay = self.CHUNK / bytes_per_second
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(4)
        self.address = "127.0.0.1:%d" % self.server.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, upstream, 0), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, self.delay),
                             daemon=True).start()

    def _pump(self, src, dst, delay):
        try:
            while True:
                data = src.recv(self.CHUNK)
                if not data:
                    break
                dst.sendall(data)
                if delay:
                    time.sleep(delay)
        except OSError:
            pass
        for sock in (src, dst):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self):
        self.closed = True
        self.server.close()


class WatchProcess:
    """`hearth --json watch` in the background; one JSON document per line."""

    def __init__(self, device):
        self.proc = subprocess.Popen([HEARTH, "--home", device.home, "--json", "watch"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stdout:
            if line.strip():
                self.lines.put(line)

    def next(self, timeout):
        try:
            return json.loads(self.lines.get(timeout=timeout))
        except queue.Empty:
            raise AssertionError("watch printed nothing in time")

    def next_matching(self, pred, timeout):
        deadline = time.time() + timeout
        while True:
            left = deadline - time.time()
            if left <= 0:
                raise AssertionError("watch did not print the expected update in time")
            doc = self.next(left)
            if pred(doc):
                return doc

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


if __name__ == "__main__":
    unittest.main()
