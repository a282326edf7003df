"""LAN discovery with real hearthd processes: beacons over loopback UDP.

Each daemon hears beacons on its own UDP port (--discovery-port) and sends
its beacons where the test says (--beacon-to), so tests never broadcast.
"""
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SLOW  # noqa: E402
from test_sync import SyncCase  # noqa: E402

BEACON_BYTES = 34


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Capture:
    """A UDP socket the test owns: an extra beacon target, and a replayer."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def receive(self, timeout=10):
        self.sock.settimeout(timeout * SLOW)
        data, _ = self.sock.recvfrom(4096)
        return data

    def drain(self):
        self.sock.setblocking(False)
        try:
            while True:
                self.sock.recvfrom(4096)
        except BlockingIOError:
            pass
        self.sock.setblocking(True)

    def send(self, data, port, source=None):
        if source is None:
            self.sock.sendto(data, ("127.0.0.1", port))
            return
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((source, 0))
            s.sendto(data, ("127.0.0.1", port))

    def close(self):
        self.sock.close()


class DiscoveryCase(SyncCase):
    def setUp(self):
        super().setUp()
        self.capture = Capture()
        self.addCleanup(self.capture.close)
        # Beacons nobody should act on go here.
        self.sink = Capture()
        self.addCleanup(self.sink.close)

    def daemon(self, name, hear_port, beacon_to):
        d = self.device(name)
        d.init()
        d.hear_port = hear_port
        d.start(listen=True, extra=self.discovery_flags(hear_port, beacon_to))
        return d

    def discovery_flags(self, hear_port, beacon_to):
        flags = ["--discovery-port", str(hear_port)]
        for port in beacon_to:
            flags += ["--beacon-to", f"127.0.0.1:{port}"]
        return flags

    def restart(self, d, beacon_to):
        d.stop()
        d.start(listen=True, extra=self.discovery_flags(d.hear_port, beacon_to))

    def peers(self, d):
        return d.ok("peer", "list")["peers"]

    def refused_anyone(self, d):
        return any("refused a connection" in m for m in self.log_messages(d))


class Discovery(DiscoveryCase):
    def test_the_partners_beacon_leads_to_a_connection_a_strangers_and_a_replay_do_not(self):
        sam_port = free_udp_port()
        # sam hears beacons; its own go to a sink. It knows alex's ID, no address.
        sam = self.daemon("sam", sam_port, [self.sink.port])
        alex = self.device("alex")
        alex.init()
        sam.ok("pair", "add", self.device_id(alex))

        # A stranger paired with someone else beacons at sam.
        stranger = self.daemon("stranger", free_udp_port(), [sam_port])
        someone = self.device("someone")
        someone.init()
        stranger.ok("pair", "add", self.device_id(someone))  # sends a beacon at once
        time.sleep(1.5 * SLOW)
        self.assertEqual(self.peers(sam), [])
        self.assertNotEqual(self.connection(sam), "connected")

        # alex, sam's partner, beacons at sam and at the test's socket.
        alex.hear_port = free_udp_port()
        alex.start(listen=True, extra=self.discovery_flags(alex.hear_port,
                                                           [sam_port, self.capture.port]))
        alex.ok("pair", "add", self.device_id(sam))  # no address: only the beacon tells
        beacon = self.capture.receive()
        self.assertEqual(len(beacon), BEACON_BYTES)

        for d in (sam, alex):
            self.wait_for(f"{d.name} to connect", lambda d=d: self.connection(d) == "connected")
        self.assertEqual([(p["address"], p["source"]) for p in self.peers(sam)],
                         [(alex.listen, "discovery")])
        self.assertTrue(any(f"found your partner's device at {alex.listen}" in m
                            for m in self.log_messages(sam)))
        # The stranger's beacons led nowhere: no address, no connection attempt.
        self.assertFalse(self.refused_anyone(stranger))
        self.assertEqual(self.peers(stranger), [])

        # Disconnect for good: alex stops beaconing and goes away, sam forgets
        # where it was.
        alex.ok("config", "set", "discovery", "off")
        sam.ok("peer", "remove", alex.listen)
        alex.stop()
        self.wait_for("sam to notice", lambda: self.connection(sam) != "connected")
        alex.start(listen=True, extra=self.discovery_flags(alex.hear_port,
                                                           [sam_port, self.capture.port]))
        self.capture.drain()

        # The captured beacon, replayed, does not bring them together.
        self.capture.send(beacon, sam_port)
        time.sleep(2 * SLOW)
        self.assertNotEqual(self.connection(sam), "connected")
        self.assertEqual(self.peers(sam), [])

        # A fresh beacon does.
        alex.ok("config", "set", "discovery", "on")
        self.wait_for("sam to connect again", lambda: self.connection(sam) == "connected")

    def test_a_beacon_forwarded_from_another_address_does_not_replace_the_one_that_works(self):
        sam_port = free_udp_port()
        sam = self.daemon("sam", sam_port, [self.sink.port])
        # Alex's beacons reach only the test, which forwards them.
        alex = self.daemon("alex", free_udp_port(), [self.capture.port])
        sam.ok("pair", "add", self.device_id(alex))
        alex.ok("pair", "add", self.device_id(sam))  # sends one beacon at once
        self.capture.send(self.capture.receive(), sam_port)  # from alex's own address
        self.wait_for("sam to connect", lambda: self.connection(sam) == "connected")
        self.assertEqual([p["address"] for p in self.peers(sam)], [alex.listen])

        # A fresh authentic beacon, forwarded by someone else from another address.
        alex.ok("config", "set", "discovery", "off")
        self.capture.drain()
        alex.ok("config", "set", "discovery", "on")
        self.capture.send(self.capture.receive(), sam_port, source="127.0.0.9")
        time.sleep(1.0 * SLOW)
        addresses = [p["address"] for p in self.peers(sam)]
        self.assertIn(alex.listen, addresses)
        self.assertEqual(self.connection(sam), "connected")
        # Even with the connection gone, the address that worked is dialed
        # again (and the hint is not dialed in a loop).
        alex.stop()
        alex.start(listen=True, extra=self.discovery_flags(free_udp_port(), [self.sink.port]))
        self.wait_for("sam to reconnect", lambda: self.connection(sam) == "connected", timeout=20)
        self.assertIn(alex.listen, [p["address"] for p in self.peers(sam)])

    def test_with_discovery_off_beacons_are_neither_sent_nor_heard(self):
        sam_port, alex_port = free_udp_port(), free_udp_port()
        sam = self.daemon("sam", sam_port, [self.sink.port])
        alex = self.daemon("alex", alex_port, [sam_port, self.capture.port])
        sam.ok("config", "set", "discovery", "off")
        sam.ok("pair", "add", self.device_id(alex))
        alex.ok("pair", "add", self.device_id(sam))
        self.capture.receive()  # alex does send
        time.sleep(1.5 * SLOW)
        self.assertNotEqual(self.connection(sam), "connected")
        self.assertEqual(self.peers(sam), [])

        alex.ok("config", "set", "discovery", "off")
        self.capture.drain()
        alex.ok("config", "set", "discovery", "on")  # sends one at once
        self.capture.receive()
        alex.ok("config", "set", "discovery", "off")
        self.capture.drain()
        time.sleep(0.5 * SLOW)
        self.capture.sock.settimeout(1.0)
        with self.assertRaises(socket.timeout):
            self.capture.sock.recvfrom(4096)

        # Manual addresses keep working with discovery off.
        sam.ok("peer", "add", alex.listen)
        self.wait_for("sam to connect", lambda: self.connection(sam) == "connected")

    def test_beacons_stop_at_once_when_unpaired(self):
        sam_port = free_udp_port()
        sam = self.daemon("sam", sam_port, [self.sink.port])
        alex = self.daemon("alex", free_udp_port(), [sam_port, self.capture.port])
        sam.ok("pair", "add", self.device_id(alex))
        alex.ok("pair", "add", self.device_id(sam))
        self.capture.receive()
        self.wait_for("sam to connect", lambda: self.connection(sam) == "connected")
        r = alex.hearth("unpair", "--yes")
        self.assertEqual(r.code, 0, r)
        self.capture.drain()
        alex.ok("config", "set", "discovery", "on")  # would send at once if paired
        self.capture.sock.settimeout(1.0 * SLOW)
        with self.assertRaises(socket.timeout):
            self.capture.sock.recvfrom(4096)


if __name__ == "__main__":
    unittest.main()
