"""Living with it: the settings file, hearthd with no flags, what `hearth
status` says about reaching this computer, and pairing without an address
(invite announcements, schema/PROTOCOL.md §5.5). Loopback only: announcements
go to 127.255.255.255 or to a port the test listens on, never to a network."""
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import free_port, SLOW  # noqa: E402
from test_pairing import InviteProcess  # noqa: E402
from test_sync import SyncCase  # noqa: E402

MAGIC = b"HEARTH-INVITE/1"


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Settings(SyncCase):
    def test_config_set_without_hearthd_writes_the_file_and_hearthd_listens_there(self):
        sam = self.device("sam")
        sam.init()
        port = free_port()
        r = sam.hearth("config", "set", "listen-port", str(port))
        self.assertEqual(r.code, 0, r)
        self.assertIn(f"listen-port is now {port}", r.out)
        with open(os.path.join(sam.home, "hearth.conf")) as f:
            self.assertIn(f"listen-port = {port}\n", f.read())
        self.assertEqual(os.stat(os.path.join(sam.home, "hearth.conf")).st_mode & 0o777, 0o600)
        self.assertEqual(sam.hearth("config", "get", "listen-port").out.strip(), str(port))
        self.assertEqual(sam.hearth("config", "set", "listen-port", "http").code, 1)

        # No flags: where the file says, this computer only while unpaired.
        sam.start(listen="settings")
        self.assertEqual(sam.ok("status")["listening"], f"127.0.0.1:{port}")
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        r = sam.hearth("status")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Only this computer can connect for now", r.out)
        listed = sam.ok("config", "list")
        self.assertEqual(listed["listen-port"], str(port))
        self.assertEqual(listed["listen-address"], "auto")

        # While an invite is open, every network; back to loopback after.
        inv = InviteProcess(sam)
        self.addCleanup(inv.stop)
        inv.first_line()
        self.wait_for("listening everywhere",
                      lambda: sam.ok("status")["listening"] == f"0.0.0.0:{port}")
        inv.stop()
        self.wait_for("back on loopback",
                      lambda: sam.ok("status")["listening"] == f"127.0.0.1:{port}")

    def test_listen_address_off_and_a_taken_port_are_said_by_status(self):
        sam = self.device("sam")
        sam.init()
        self.assertEqual(sam.hearth("config", "set", "listen-address", "off").code, 0)
        sam.start(listen="settings")
        self.assertFalse(sam.ok("status").get("listening"))
        self.assertIn("hearthd is not listening", sam.hearth("status").out)
        sam.stop()

        # A port someone else holds: hearthd still runs, and says so.
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            self.assertEqual(sam.hearth("config", "set", "listen-address", "auto").code, 0)
            self.assertEqual(sam.hearth("config", "set", "listen-port", str(port)).code, 0)
            sam.start(listen="settings")
            self.assertFalse(sam.ok("status").get("listening"))
            self.assertIn("cannot connect", sam.hearth("status").out)

    def test_a_settings_line_hearthd_cannot_read_stops_it_naming_the_line(self):
        sam = self.device("sam")
        sam.init()
        with open(os.path.join(sam.home, "hearth.conf"), "w") as f:
            f.write("# mine\nlisten-port = lots\n")
        import subprocess
        from harness import HEARTHD
        p = subprocess.run([HEARTHD, "--home", sam.home], capture_output=True, text=True,
                           timeout=30 * SLOW)
        self.assertEqual(p.returncode, 1, p)
        self.assertIn("hearth.conf line 2", p.stderr)

    def test_a_setting_changed_while_hearthd_runs_is_written_to_the_file(self):
        sam = self.device("sam")
        sam.init()
        sam.start()
        self.assertEqual(sam.ok("config", "set", "auto-lock", "1h")["config"]["value"], "1h")
        with open(os.path.join(sam.home, "hearth.conf")) as f:
            self.assertIn("auto-lock = 1h\n", f.read())
        self.assertEqual(sam.hearth("config", "get", "auto-lock").out.strip(), "1h")


class Completion(SyncCase):
    def test_bash_completes_entry_ids_from_hearthd(self):
        from harness import BIN_DIR
        script = os.path.join(BIN_DIR, "doc", "bash", "hearth")
        if not os.path.exists(script):
            self.skipTest("no generated completion script (the hearth_docs target)")
        sam = self.device("sam")
        sam.init()
        sam.start()
        added = sam.ok("reflect", "add", "a quiet evening")["reflection"]["id"]
        env = dict(os.environ)
        env["PATH"] = os.path.join(BIN_DIR, "client") + os.pathsep + env["PATH"]
        import subprocess
        out = subprocess.run(
            ["bash", "-c", 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))\n'
             '_hearth_complete; printf "%s\\n" "${COMPREPLY[@]}"', "sh", script,
             "hearth", "--home", sam.home, "reflect", "show", ""],
            capture_output=True, text=True, env=env, timeout=30).stdout.split()
        self.assertEqual(out, [added[-8:]])


class PairWithoutAddress(SyncCase):
    def test_join_without_address_finds_the_invite_and_pairs(self):
        hear = free_udp_port()
        sam, alex = self.device("sam"), self.device("alex")
        for d in (sam, alex):
            d.init()
        # alex announces to the loopback broadcast address; sam's hearthd hears
        # announcements (and beacons) on `hear`.
        alex.start(listen=True, extra=["--beacon-to", f"127.255.255.255:{hear}"])
        sam.start(listen=True, extra=["--discovery-port", str(hear)])
        inv = InviteProcess(alex)
        self.addCleanup(inv.stop)
        code = inv.first_line()
        r = sam.hearth("--json", "pair", "join", code, timeout=90)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["paired"]["name"], "alex")
        rc, out, err = inv.finish()
        self.assertEqual(rc, 0, (out, err))
        self.assertIn("Paired with sam", out)
        for d in (sam, alex):
            self.wait_for(f"{d.name} to connect", lambda d=d: self.connection(d) == "connected")
        # The walkthrough's end: what one shares reaches the other.
        shared = sam.ok("reflect", "add", "we found each other", "--share")["reflection"]
        self.wait_for("sam's reflection on alex's side",
                      lambda: any(r["id"] == shared["id"]
                                  for r in alex.ok("reflect", "list")["reflections"]))

    def test_join_without_address_and_no_invite_says_what_to_do(self):
        sam = self.device("sam")
        sam.init()
        sam.start(extra=["--discovery-port", str(free_udp_port())])
        sam.ok("config", "set", "discovery", "off")
        r = sam.hearth("pair", "join", "maple-river-otter")
        self.assertEqual(r.code, 3, r)
        self.assertIn("--address", r.err)


class NothingFromTheCodeBeforeCPace(SyncCase):
    def test_announcements_are_the_same_bytes_whatever_the_code(self):
        capture = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(capture.close)
        capture.bind(("127.0.0.1", 0))
        capture.settimeout(0.2)
        alex = self.device("alex")
        alex.init()
        alex.start(listen=True, extra=["--beacon-to", f"127.0.0.1:{capture.getsockname()[1]}"])
        port = int(alex.listen.rsplit(":", 1)[1])

        def heard_during_an_invite():
            inv = InviteProcess(alex)
            code = inv.first_line()
            packets = []
            deadline = time.time() + 5 * SLOW
            while time.time() < deadline and len(packets) < 3:
                try:
                    packets.append(capture.recvfrom(2048)[0])
                except socket.timeout:
                    pass
            inv.stop()
            return code, packets

        code1, first = heard_during_an_invite()
        time.sleep(0.3)
        while True:  # what the first invite sent after it closed
            try:
                capture.recvfrom(2048)
            except socket.timeout:
                break
        code2, second = heard_during_an_invite()
        self.assertNotEqual(code1, code2)
        self.assertGreaterEqual(len(first), 2)
        self.assertGreaterEqual(len(second), 2)
        expected = MAGIC + port.to_bytes(2, "big")
        # Every byte sent is the magic and the port: the same for any code,
        # so nothing heard can check a guess of it offline.
        for packet in first + second:
            self.assertEqual(packet, expected)
        for code in (code1, code2):
            for word in code.split("-"):
                self.assertNotIn(word.encode(), b"".join(first + second))
        # Nothing is sent once the invite is closed.
        time.sleep(2.5 * SLOW)
        with self.assertRaises(socket.timeout):
            capture.recvfrom(2048)


if __name__ == "__main__":
    unittest.main()
