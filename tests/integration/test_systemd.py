"""hearthd under systemd, without systemd: a stand-in notification socket
($NOTIFY_SOCKET) hears READY=1 and the status line (Type=notify), and with
$JOURNAL_STREAM naming its stderr each log line starts with its syslog
priority and carries no timestamp (docs/DESIGN.md §11.5)."""
import os
import re
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HearthTestCase, SLOW  # noqa: E402


class Systemd(HearthTestCase):
    def notify_socket(self):
        path = os.path.join(self.root, "notify.sock")
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.bind(path)
        s.settimeout(0.2)
        self.addCleanup(s.close)
        return s, path

    def messages(self, s, until, timeout=10):
        got = []
        deadline = time.time() + timeout * SLOW
        while time.time() < deadline:
            try:
                got.append(s.recv(4096).decode())
            except socket.timeout:
                pass
            if any(until in m for m in got):
                return got
        self.fail(f"{until!r} never sent; got {got!r}")

    def test_ready_and_status_reach_the_notify_socket(self):
        s, path = self.notify_socket()
        sam = self.device("sam")
        sam.init()
        sam.start(env={"NOTIFY_SOCKET": path})
        ready = self.messages(s, "READY=1")
        self.assertTrue(any("STATUS=unlocked" in m for m in ready), ready)
        sam.stop()
        self.messages(s, "STOPPING=1")

    def test_a_locked_start_says_so_in_the_status(self):
        s, path = self.notify_socket()
        sam = self.device("sam")
        pw = os.path.join(self.root, "pw")
        with open(pw, "w") as f:
            f.write("a long enough passphrase\n")
        sam.init("--passphrase-file", pw)
        sam.start(env={"NOTIFY_SOCKET": path})
        ready = self.messages(s, "READY=1")
        self.assertTrue(any("STATUS=locked" in m for m in ready), ready)
        self.assertEqual(sam.hearth("unlock", "--passphrase-file", pw).code, 0)
        self.messages(s, "STATUS=unlocked")

    def test_log_lines_carry_priorities_for_the_journal(self):
        sam = self.device("sam")
        sam.init()
        # The harness sends hearthd's stderr to this file: naming it in
        # JOURNAL_STREAM is what systemd does for the journal's stream.
        open(sam.log_path, "ab").close()
        st = os.stat(sam.log_path)
        sam.start(env={"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"})
        sam.hearth("status")
        sam.stop()
        with open(sam.log_path) as f:
            lines = [line for line in f.read().splitlines() if line]
        self.assertTrue(lines)
        for line in lines:
            self.assertRegex(line, r"^<[3467]>")
            self.assertIsNone(re.match(r"^<\d>\d{4}-\d\d-\d\dT", line), line)
        self.assertTrue(any(line.startswith("<6>") for line in lines), lines)


if __name__ == "__main__":
    unittest.main()
