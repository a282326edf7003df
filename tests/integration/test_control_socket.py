"""The control socket refuses bad input and the daemon keeps serving."""
import json
import os
import socket
import struct
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HEARTH, HearthTestCase, SLOW  # noqa: E402


# control.capnp Request{watch}: one segment of 3 words, the root pointer to a
# struct of 1 data word (the union's discriminant, 3: watch) and 1 pointer.
WATCH_MESSAGE = (struct.pack("<II", 0, 3) + struct.pack("<Q", 0x0001000100000000)
                 + struct.pack("<Q", 3) + bytes(8))
WATCH_FRAME = struct.pack(">I", len(WATCH_MESSAGE)) + WATCH_MESSAGE


def still_open(s):
    """Whether the daemon still holds this connection (what it sent is read and dropped)."""
    s.setblocking(False)
    try:
        while True:
            if not s.recv(65536):
                return False
    except BlockingIOError:
        return True
    except ConnectionResetError:
        return False
    finally:
        s.settimeout(15 * SLOW)


class ControlSocket(HearthTestCase):
    def setUp(self):
        super().setUp()
        self.sam = self.device()
        self.sam.init()
        self.sam.start()
        self.path = os.path.join(self.sam.home, "control.sock")

    def connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(self.path)  # blocking: waits while the daemon's backlog is full
        s.settimeout(15 * SLOW)
        return s

    def read_all(self, s):
        chunks = []
        while True:
            try:
                b = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not b:
                break
            chunks.append(b)
        return b"".join(chunks)

    def still_serving(self):
        self.assertFalse(self.sam.ok("status")["locked"])

    def test_the_socket_is_private(self):
        mode = os.stat(self.path).st_mode & 0o777
        self.assertEqual(mode, 0o600)

    def test_garbage_is_answered_with_an_error_or_closed(self):
        s = self.connect()
        payload = os.urandom(64)
        s.sendall(struct.pack(">I", len(payload)) + payload)
        reply = self.read_all(s)
        s.close()
        # Either an error response frame or a closed connection; never a crash.
        if reply:
            (n,) = struct.unpack(">I", reply[:4])
            self.assertEqual(len(reply), 4 + n)
        self.still_serving()

    def test_an_oversized_length_is_refused_before_reading(self):
        s = self.connect()
        s.sendall(struct.pack(">I", 0xFFFFFFF0) + b"\0" * 16)
        self.assertEqual(self.read_all(s), b"")
        s.close()
        self.still_serving()

    def test_a_zero_or_unaligned_length_is_refused(self):
        for n in (0, 7):
            s = self.connect()
            s.sendall(struct.pack(">I", n) + b"\0" * n)
            self.assertEqual(self.read_all(s), b"")
            s.close()
        self.still_serving()

    def test_a_truncated_request_is_dropped(self):
        s = self.connect()
        s.sendall(struct.pack(">I", 4096) + b"\0" * 100)
        s.shutdown(socket.SHUT_WR)
        self.assertEqual(self.read_all(s), b"")
        s.close()
        self.still_serving()

    def test_an_unknown_request_kind_gets_an_error(self):
        # One segment of 2 words: a root struct pointer (1 data word, 0
        # pointers) and a data word of 0xFF: an unknown union discriminant.
        root = struct.pack("<II", 0, (1) | (0 << 16))
        msg = struct.pack("<II", 0, 2) + root + b"\xff" * 8
        s = self.connect()
        s.sendall(struct.pack(">I", len(msg)) + msg)
        reply = self.read_all(s)
        s.close()
        self.assertGreater(len(reply), 4)
        self.still_serving()

    def test_an_idle_client_does_not_block_others(self):
        idle = [self.connect() for _ in range(5)]
        t0 = time.time()
        self.still_serving()
        self.assertLess(time.time() - t0, 5 * SLOW)
        for s in idle:
            s.close()

    def test_sixty_four_idle_clients_and_many_watchers_do_not_lock_the_cli_out(self):
        idle = [self.connect() for _ in range(64)]
        t0 = time.time()
        r = self.sam.hearth("--json", "status", timeout=10)
        took = time.time() - t0
        self.assertEqual(r.code, 0, r)
        self.assertLess(took, 2 * SLOW)
        # Long-running requests (`watch`) are capped too: the oldest goes,
        # and short requests still get in. (Sent raw: `hearth watch` itself
        # would connect again at once.)
        watchers = []
        for _ in range(24):
            w = self.connect()
            w.sendall(WATCH_FRAME)
            watchers.append(w)
            time.sleep(0.01)
        time.sleep(1.5 * SLOW)
        t0 = time.time()
        self.still_serving()
        self.assertLess(time.time() - t0, 2 * SLOW)
        running = sum(1 for w in watchers if still_open(w))
        self.assertTrue(still_open(watchers[-1]), "the newest watch was closed")
        for w in watchers + idle:
            w.close()
        print(f"\n  control: status answered in {took * 1000:.0f} ms beside 64 idle clients; "
              f"{running} of 24 watchers kept", file=sys.stderr)
        self.assertLessEqual(running, 16)

    def test_many_bad_clients_in_a_row(self):
        for i in range(200):
            s = self.connect()
            junk = os.urandom(i % 50)
            s.sendall(struct.pack(">I", 8 * (1 + i % 9)) + junk)
            s.close()
        self.still_serving()


class AnotherUser(HearthTestCase):
    """A daemon run by a second user, created here, refuses root's connection:
    root can open the socket file whatever its mode, so only SO_PEERCRED
    stands in the way."""
    USER = "hearth-test-other"

    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.skipTest(f"runs as uid {os.geteuid()}: creating a second user (useradd) and "
                          "running hearthd as that user (setpriv) needs root; CI runs as root")
        import pwd
        try:
            pwd.getpwnam(self.USER)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                            self.USER], check=True)
        self.pw = pwd.getpwnam(self.USER)
        self.base = os.path.join("/tmp", f"hearth-other-{os.getpid()}")
        os.makedirs(self.base, exist_ok=True)
        os.chown(self.base, self.pw.pw_uid, self.pw.pw_gid)
        self.home = os.path.join(self.base, "home")
        self.as_other = ["setpriv", f"--reuid={self.pw.pw_uid}", f"--regid={self.pw.pw_gid}",
                         "--clear-groups", "--"]
        from harness import HEARTH, HEARTHD
        self.hearth_bin, self.hearthd_bin = HEARTH, HEARTHD
        env = {"PATH": "/usr/bin:/bin", "HOME": self.base}
        # Sanitizer settings (tests/CMakeLists.txt) reach the other user's processes too.
        env.update({k: v for k, v in os.environ.items() if k.endswith("SAN_OPTIONS")})
        subprocess.run(self.as_other + [HEARTH, "--home", self.home, "init", "--no-passphrase"],
                       check=True, capture_output=True, env=env)
        # The log goes to a file of root's, through the descriptor it inherits.
        self.log_path = os.path.join(self.root, "other-hearthd.log")
        with open(self.log_path, "ab") as log:
            self.daemon = subprocess.Popen(
                self.as_other + [HEARTHD, "--home", self.home, "--log-level", "debug",
                                 "--discovery-port", "0", "--beacon-to", "127.0.0.1:9"],
                stdout=log, stderr=subprocess.STDOUT, env=env)
        self.env = env

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode(errors="replace")[-4000:]

    def stop_daemon(self):
        """SIGTERM; returns the exit code (setpriv execs hearthd: this is its own)."""
        if self.daemon.poll() is None:
            self.daemon.terminate()
            try:
                self.daemon.wait(timeout=10 * SLOW)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        return self.daemon.returncode

    def tearDown(self):
        import shutil
        if getattr(self, "daemon", None):
            self.stop_daemon()
        shutil.rmtree(getattr(self, "base", "/nonexistent"), ignore_errors=True)
        super().tearDown()

    def other_status(self):
        return subprocess.run(self.as_other + [self.hearth_bin, "--home", self.home, "--json", "status"],
                              capture_output=True, text=True, env=self.env)

    def test_a_caller_with_another_uid_is_refused_and_the_owner_is_served(self):
        path = os.path.join(self.home, "control.sock")
        deadline = time.time() + 10 * SLOW
        while self.other_status().returncode != 0:
            self.assertIsNone(self.daemon.poll(), "the other user's daemon exited:\n" + self.log())
            self.assertLess(time.time(), deadline, "the other user's daemon did not start:\n" +
                            self.log())
            time.sleep(0.05)
        # Root, whose uid differs from the daemon's, gets nothing back: the
        # daemon closes the connection at once. Waiting out the timeout
        # would not count: a daemon that hangs is not one that refuses.
        timeout = 10 * SLOW
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        s.settimeout(timeout)
        # A well-formed status request: one segment of 2 words, the root
        # pointer and a zero data word (union discriminant 0 = status).
        request = struct.pack("<II", 0, 2) + struct.pack("<II", 0, 1) + b"\0" * 8
        reply = b""
        t0 = time.time()
        how = None
        try:
            s.sendall(struct.pack(">I", len(request)) + request)
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    how = "end of stream"
                    break
                reply += chunk
        except (BrokenPipeError, ConnectionResetError) as e:
            how = type(e).__name__  # closed at once, before or while we wrote
        except socket.timeout:
            how = None
        elapsed = time.time() - t0
        s.close()
        self.assertEqual(reply, b"")
        self.assertIsNotNone(how, f"the daemon kept the connection open for {timeout:.0f} s "
                                  f"instead of closing it:\n{self.log()}")
        self.assertLess(elapsed, 2 * SLOW, f"the connection was closed ({how}) only after "
                                           f"{elapsed:.1f} s")
        # The root-run hearth CLI is refused too; the owner still gets answers.
        r = subprocess.run([self.hearth_bin, "--home", self.home, "--json", "status"],
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0, r.stdout)
        status = self.other_status()
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertIn("device_id", json.loads(status.stdout))
        self.assertIsNone(self.daemon.poll(), self.log())
        self.assertEqual(self.stop_daemon(), 0, self.log())
        self.assertIn("refused a connection from another user", self.log())


if __name__ == "__main__":
    unittest.main()
