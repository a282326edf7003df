"""Who may use `hearth ui` (docs/DESIGN.md §10, client/ui/guard.h), tested
with raw HTTP against a real server and daemon: a foreign Host (DNS
rebinding), a missing or wrong cookie, a launch secret used twice, a
cross-origin POST, a client of another uid, bodies too large, garbage; the
Content-Security-Policy on every response; loopback only; and the server
stopping a while after its last page closed, or on a signal."""
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import SLOW, HearthTestCase  # noqa: E402
from ui_browser import UiServer  # noqa: E402

CSP_MUST = ["default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"]


def multipart(fields):
    """(content type, body) of a multipart/form-data form, as a browser sends it."""
    boundary = "hearthtestboundary7MA4YWxkTrZu0gW"
    out = b""
    for k, v in fields.items():
        out += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n").encode()
        out += v.encode() + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return f"multipart/form-data; boundary={boundary}", out


def request(port, method, path, host=None, headers=None, body=None, form=None):
    """(status, headers, body) for one request with the exact headers given;
    `body` is sent urlencoded, `form` (a dict) as multipart/form-data."""
    content_type = "application/x-www-form-urlencoded"
    if form is not None:
        content_type, body = multipart(form)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20 * SLOW)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    if body is not None:
        data = body.encode() if isinstance(body, str) else body
        conn.putheader("Content-Type", content_type)
        conn.putheader("Content-Length", str(len(data)))
        conn.endheaders(data)
    else:
        conn.endheaders()
    res = conn.getresponse()
    out = (res.status, {k.lower(): v for k, v in res.getheaders()}, res.read().decode(errors="replace"))
    conn.close()
    return out


class UiSecurity(HearthTestCase):
    def setUp(self):
        super().setUp()
        self.sam = self.device("sam")
        self.sam.init(name="Sam")
        self.sam.start()
        self.ui = UiServer(self.sam)
        self.addCleanup(self.ui.stop)
        self.port = self.ui.port
        self.origin = self.ui.origin
        self.responses = []

    def req(self, *args, **kw):
        r = request(self.port, *args, **kw)
        self.responses.append((args[:2], r))
        return r

    def sign_in(self):
        status, headers, _ = self.req("POST", "/api/session", headers={"Origin": self.origin},
                                      body=f"k={self.ui.secret}")
        self.assertEqual(status, 200)
        cookie = headers["set-cookie"]
        self.assertIn("HttpOnly", cookie)
        self.assertIn("SameSite=Strict", cookie)
        return cookie.split(";")[0]

    def paused(self):
        return self.sam.ok("status")["my_pause"]["active"]

    def tearDown(self):
        # Every response of every test carries the policy.
        for what, (status, headers, _) in self.responses:
            csp = headers.get("content-security-policy", "")
            for part in CSP_MUST:
                self.assertIn(part, csp, f"{what} ({status}) lacks {part}")
            self.assertNotIn("unsafe", csp)
            self.assertEqual(headers.get("x-content-type-options"), "nosniff", what)
        super().tearDown()

    def test_a_foreign_host_is_refused(self):
        for host in ("evil.example", f"evil.example:{self.port}", f"localhost:{self.port}",
                     f"127.0.0.1:{self.port + 1}", "127.0.0.1", ""):
            status, _, body = self.req("GET", "/", host=host)
            self.assertEqual(status, 421, host)
            self.assertNotIn("<script", body)
        cookie = self.sign_in()
        status, _, body = self.req("POST", "/api/pause", host=f"rebound.example:{self.port}",
                                   headers={"Origin": f"http://rebound.example:{self.port}",
                                            "Cookie": cookie}, body="minutes=30")
        self.assertEqual(status, 421)
        self.assertFalse(self.paused())
        self.assertEqual(self.req("GET", "/")[0], 200)

    def test_a_missing_or_wrong_cookie_is_refused(self):
        for cookie in (None, "hearth_ui=", "hearth_ui=" + "0" * 64, "other=" + self.ui.secret,
                       "hearth_ui=" + self.ui.secret):
            headers = {"Cookie": cookie} if cookie else {}
            for method, path, body in (("GET", "/api/state", None), ("GET", "/api/events", None),
                                       ("GET", "/api/reflections", None),
                                       ("POST", "/api/pause", "minutes=30")):
                h = dict(headers, Origin=self.origin) if method == "POST" else headers
                status, _, text = self.req(method, path, headers=h, body=body)
                self.assertEqual(status, 401, (cookie, path))
                self.assertNotIn("device_id", text)
        self.assertFalse(self.paused())
        # The page itself (no secrets in it) loads without one.
        self.assertEqual(self.req("GET", "/")[0], 200)
        self.assertEqual(self.req("GET", "/app.js")[0], 200)

    def test_the_launch_secret_works_once(self):
        status, _, _ = self.req("POST", "/api/session", headers={"Origin": self.origin},
                                body="k=" + "f" * 64)
        self.assertEqual(status, 403)
        cookie = self.sign_in()
        status, _, _ = self.req("POST", "/api/session", headers={"Origin": self.origin},
                                body=f"k={self.ui.secret}")
        self.assertEqual(status, 403)
        status, _, body = self.req("GET", "/api/state", headers={"Cookie": cookie})
        self.assertEqual(status, 200)
        self.assertIn('"name":"Sam"', body)

    def test_a_cross_origin_post_is_refused(self):
        cookie = self.sign_in()
        for origin in ("http://evil.example", "null", f"https://127.0.0.1:{self.port}",
                       f"http://localhost:{self.port}", None):
            headers = {"Cookie": cookie}
            if origin:
                headers["Origin"] = origin
            status, _, _ = self.req("POST", "/api/pause", headers=headers, body="minutes=30")
            self.assertEqual(status, 403, origin)
        # A cross-site form could also try the session exchange.
        status, _, _ = self.req("POST", "/api/session", headers={"Origin": "http://evil.example"},
                                body=f"k={self.ui.secret}")
        self.assertEqual(status, 403)
        self.assertFalse(self.paused())
        status, _, _ = self.req("POST", "/api/pause", headers={"Cookie": cookie, "Origin": self.origin},
                                body="minutes=30")
        self.assertEqual(status, 200)
        self.assertTrue(self.paused())
        for method in ("PUT", "DELETE", "OPTIONS"):
            self.assertEqual(self.req(method, "/api/resume", headers={"Cookie": cookie,
                                                                      "Origin": self.origin})[0], 405)

    def test_a_client_of_another_uid_is_refused(self):
        if os.geteuid() != 0:
            self.skipTest(f"runs as uid {os.geteuid()}: running a client as another user "
                          "(setpriv) needs root; CI runs as root")
        if not os.path.exists("/usr/bin/python3"):
            self.skipTest("/usr/bin/python3 is missing for the other user's client")
        cookie = self.sign_in()
        # Even holding a valid cookie, as if it had leaked.
        script = (
            "import http.client, sys\n"
            f"c = http.client.HTTPConnection('127.0.0.1', {self.port}, timeout=20)\n"
            f"c.request('GET', '/api/state', headers={{'Cookie': '{cookie}'}})\n"
            "r = c.getresponse(); sys.stdout.write(f'{r.status} {r.read().decode()}')\n")
        other = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                                "/usr/bin/python3", "-c", script],
                               capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
        self.assertEqual(other.returncode, 0, other.stderr)
        self.assertTrue(other.stdout.startswith("403 "), other.stdout)
        self.assertIn("another user", other.stdout)
        self.assertNotIn("device_id", other.stdout)
        self.assertEqual(self.req("GET", "/api/state", headers={"Cookie": cookie})[0], 200)

    def test_oversized_and_garbage_requests_are_refused_and_serving_goes_on(self):
        cookie = self.sign_in()
        h = {"Cookie": cookie, "Origin": self.origin}
        # A body over the limit is refused before it is read.
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20 * SLOW)
        conn.putrequest("POST", "/api/reflect/add", skip_host=True)
        conn.putheader("Host", f"127.0.0.1:{self.port}")
        for k, v in h.items():
            conn.putheader(k, v)
        conn.putheader("Content-Type", "application/x-www-form-urlencoded")
        conn.putheader("Content-Length", str(50 * 1024 * 1024))
        conn.endheaders()
        try:
            conn.send(b"text=" + b"a" * 65536)
        except OSError:
            pass
        res = conn.getresponse()
        self.assertEqual(res.status, 413)
        self.responses.append((("POST", "/api/reflect/add 50 MiB"),
                               (res.status, {k.lower(): v for k, v in res.getheaders()}, "")))
        conn.close()
        # A field over 64 KiB, within the body limit: refused with a sentence.
        status, _, body = self.req("POST", "/api/reflect/add", headers=h,
                                   form={"text": "a" * (65 * 1024)})
        self.assertEqual(status, 413)
        self.assertIn("64 KiB", body)
        # 64 KiB of words, most of them two bytes long, is saved whole.
        words = ("é" * 32767 + "a")
        status, _, body = self.req("POST", "/api/reflect/add", headers=h, form={"text": words})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.sam.ok("reflect", "list")["reflections"][0]["text"], words)
        self.sam.ok("reflect", "forget", "--yes", self.sam.ok("reflect", "list")["reflections"][0]["id"])
        # Garbage, a huge header and a half request on raw sockets.
        for junk in (b"\x00\xff" * 500 + b"\r\n\r\n", b"GET / HTTP/1.1\r\nHost: " + b"a" * 20000 + b"\r\n\r\n",
                     b"POST /api/pause HTTP/1.1\r\nContent-Length: 5"):
            with socket.create_connection(("127.0.0.1", self.port), timeout=15 * SLOW) as s:
                s.sendall(junk)
                s.shutdown(socket.SHUT_WR)
                try:
                    s.recv(65536)
                except OSError:
                    pass
        status, _, body = self.req("GET", "/api/state", headers={"Cookie": cookie})
        self.assertEqual(status, 200)
                # The policy is on error pages too.
        self.assertEqual(self.req("GET", "/no/such/page")[0], 404)

    def test_it_listens_on_loopback_only(self):
        listening = []
        with open("/proc/net/tcp") as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                local, state = fields[1], fields[3]
                if state == "0A" and int(local.split(":")[1], 16) == self.port:
                    listening.append(local.split(":")[0])
        self.assertEqual(listening, ["0100007F"])

    def test_it_stops_after_its_last_page_closed_and_on_a_signal(self):
        quick = UiServer(self.sam, linger=1)
        self.addCleanup(quick.stop)
        status, headers, _ = request(quick.port, "POST", "/api/session",
                                     headers={"Origin": quick.origin}, body=f"k={quick.secret}")
        cookie = headers["set-cookie"].split(";")[0]
        # A page's event stream holds it open...
        conn = http.client.HTTPConnection("127.0.0.1", quick.port, timeout=20 * SLOW)
        conn.request("GET", "/api/events", headers={"Cookie": cookie})
        res = conn.getresponse()
        self.assertEqual(res.status, 200)
        self.assertEqual(res.getheader("Content-Type"), "text/event-stream")
        res.fp.readline()
        time.sleep(3 * SLOW)
        self.assertIsNone(quick.proc.poll(), "hearth ui stopped while a page was open")
        # ...and a while after it closed, the server stops by itself.
        conn.close()
        quick.proc.wait(timeout=20 * SLOW)
        self.assertEqual(quick.proc.returncode, 0)
        # Ctrl-C stops it at once, cleanly.
        self.ui.proc.send_signal(signal.SIGINT)
        self.assertEqual(self.ui.proc.wait(timeout=10 * SLOW), 0)


if __name__ == "__main__":
    unittest.main()
