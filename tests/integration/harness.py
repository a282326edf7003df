"""Real hearthd and hearth processes in temporary homes, for integration tests.

Binaries come from $HEARTH_BIN_DIR (set by CTest): $HEARTH_BIN_DIR/node/hearthd
and $HEARTH_BIN_DIR/client/hearth.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest

BIN_DIR = os.environ.get("HEARTH_BIN_DIR", os.path.join(os.path.dirname(__file__), "../../build/dev"))
HEARTHD = os.path.join(BIN_DIR, "node", "hearthd")
HEARTH = os.path.join(BIN_DIR, "client", "hearth")
# Sanitizer builds are slower: scale every wait.
SLOW = float(os.environ.get("HEARTH_TEST_SLOWDOWN", "1"))


# ---- comparing what two partners' devices show

SWAP = {"me": "partner", "partner": "me"}
# Fields that name a side: seen from the other device, "mine" is "theirs".
SIDE_KEYS = {"my_response": "partner_response", "partner_response": "my_response",
             "my_note": "partner_note", "partner_note": "my_note"}
WHO_VALUES = ("author", "withdrawn_by", "set_by", "ended_by")


def as_seen_by_partner(doc):
    """The same document as the other device would show it."""
    if isinstance(doc, list):
        return [as_seen_by_partner(x) for x in doc]
    if not isinstance(doc, dict):
        return doc
    out = {}
    for key, value in doc.items():
        if key == "partner_has_it":  # shown to the author only
            continue
        if key in WHO_VALUES and value in SWAP:
            value = SWAP[value]
        out[SIDE_KEYS.get(key, key)] = as_seen_by_partner(value)
    return out


def without_author_only(doc):
    if isinstance(doc, list):
        return [without_author_only(x) for x in doc]
    if isinstance(doc, dict):
        return {k: without_author_only(v) for k, v in doc.items() if k != "partner_has_it"}
    return doc


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        try:
            return json.loads(self.out)
        except ValueError as e:
            raise AssertionError(f"not one JSON document ({e}): {self.out!r}\nstderr: {self.err}")

    def __repr__(self):
        return f"<exit {self.code} out={self.out!r} err={self.err!r}>"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Device:
    """One partner's home, daemon and CLI."""

    def __init__(self, root, name):
        self.name = name
        self.home = os.path.join(root, name)
        self.daemon = None
        self.log_path = os.path.join(root, name + "-hearthd.log")
        self.listen = None

    # -- CLI --
    def hearth(self, *args, input=None, env=None, timeout=60):
        full_env = dict(os.environ)
        full_env.pop("HEARTH_HOME", None)
        if env:
            full_env.update(env)
        proc = subprocess.run([HEARTH, "--home", self.home, *args], input=input,
                              capture_output=True, text=True, env=full_env, timeout=timeout * SLOW)
        return Result(proc)

    def ok(self, *args, **kw):
        """Runs `hearth --json ARGS`, requires exit 0, returns the JSON document."""
        r = self.hearth("--json", *args, **kw)
        if r.code != 0:
            raise AssertionError(f"hearth {' '.join(args)} failed: {r!r}")
        return r.json()

    def init(self, *extra, name=None):
        r = self.hearth("init", "--name", name or self.name, *(extra or ("--no-passphrase",)))
        if r.code != 0:
            raise AssertionError(f"init failed: {r!r}")
        return r

    # -- daemon --
    def start(self, listen=False, extra=(), env=None):
        """Starts hearthd; `env` adds to its environment (e.g. a skewed clock).
        listen: False (not listening), True (a free loopback port), or
        "settings" (no --listen: where hearth.conf says)."""
        args = [HEARTHD, "--home", self.home, "--log-level", "debug"]
        if listen == "settings":
            pass  # where hearth.conf says, as installed
        elif listen:
            if self.listen is None:
                self.listen = f"127.0.0.1:{free_port()}"
            args += ["--listen", self.listen]
        elif "--listen" not in extra:
            # Not the listen-address setting's default (127.0.0.1:7420, then
            # every network once paired): tests open no fixed port.
            args += ["--listen", "off"]
        args += list(extra)
        # LAN discovery stays inside each test: nothing broadcast and no
        # beacons heard unless the test asks (--discovery-port, --beacon-to).
        if "--discovery-port" not in args:
            args += ["--discovery-port", "0"]
        if "--beacon-to" not in args:
            args += ["--beacon-to", "127.0.0.1:9"]
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        with open(self.log_path, "ab") as log:
            self.daemon = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=full_env)
        self.wait_ready()
        return self

    def wait_ready(self, timeout=10):
        sock = os.path.join(self.home, "control.sock")
        deadline = time.time() + timeout * SLOW
        while time.time() < deadline:
            if self.daemon.poll() is not None:
                raise AssertionError(f"hearthd exited with {self.daemon.returncode}:\n{self.log()}")
            if os.path.exists(sock):
                r = self.hearth("--json", "status")
                if r.code == 0:
                    return
                # A socket file left by a killed daemon answers "not running".
                if r.code == 2 and '"not_running"' not in r.out:
                    return
            time.sleep(0.05)
        raise AssertionError("hearthd did not become ready:\n" + self.log())

    def kill9(self):
        """SIGKILLs the daemon. Returns its exit status: -SIGKILL when this
        killed it; any other value means it had exited by itself before (a
        crash, a sanitizer report); None when no daemon was started."""
        code = None
        if self.daemon:
            if self.daemon.poll() is None:
                self.daemon.send_signal(signal.SIGKILL)
                self.daemon.wait()
            code = self.daemon.returncode
        self.daemon = None
        return code

    def stop(self):
        if self.daemon and self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            try:
                self.daemon.wait(timeout=10 * SLOW)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        code = self.daemon.returncode if self.daemon else 0
        self.daemon = None
        return code

    def log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode(errors="replace")[-4000:]
        except OSError:
            return ""


class HearthTestCase(unittest.TestCase):
    """A fresh temporary root per test; daemons stopped and checked at the end."""

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="hearth-it-")
        self.devices = []

    def tearDown(self):
        failures = []
        for d in self.devices:
            if d.daemon is not None:
                alive = d.daemon.poll() is None
                code = d.stop()
                # A daemon must survive everything a test throws at it, and
                # exit cleanly (0) on SIGTERM; a sanitizer report exits non-zero.
                if not alive or code != 0:
                    failures.append(f"{d.name}: hearthd ended with {code}\n{d.log()}")
        shutil.rmtree(self.root, ignore_errors=True)
        if failures:
            self.fail("\n".join(failures))

    def device(self, name="sam"):
        d = Device(self.root, name)
        self.devices.append(d)
        return d
