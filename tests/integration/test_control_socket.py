"""The control socket refuses bad input and the daemon keeps serving."""
import os
import socket
import struct
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HearthTestCase, SLOW  # noqa: E402


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

    def test_many_bad_clients_in_a_row(self):
        for i in range(200):
            s = self.connect()
            junk = os.urandom(i % 50)
            s.sendall(struct.pack(">I", 8 * (1 + i % 9)) + junk)
            s.close()
        self.still_serving()


if __name__ == "__main__":
    unittest.main()
