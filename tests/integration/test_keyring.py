"""Unlocking with the desktop session (docs/DESIGN.md §11.3) against a real
Secret Service: gnome-keyring on a private D-Bus session, with HOME and the
runtime directory in a temporary folder, so nothing touches a real keyring.
The test re-runs itself under dbus-run-session."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HearthTestCase  # noqa: E402

INSIDE = "HEARTH_KEYRING_TEST_INSIDE"
PASSPHRASE = "a long enough passphrase\n"


class Keyring(HearthTestCase):
    def setUp(self):
        super().setUp()
        self.pw = os.path.join(self.root, "pw")
        with open(self.pw, "w") as f:
            f.write(PASSPHRASE)
        self.sam = self.device("sam")
        self.sam.init("--passphrase-file", self.pw)
        self.sam.start()

    def locked(self):
        return self.sam.hearth("--json", "status").json()["locked"]

    def restart_locked(self):
        self.sam.stop()
        self.sam.start()
        self.assertTrue(self.locked())

    def test_login_unlocks_with_the_kept_key_until_it_is_turned_off(self):
        sam = self.sam
        r = sam.hearth("config", "set", "unlock-with-login", "on", "--passphrase-file", self.pw)
        self.assertEqual(r.code, 0, r)
        self.assertIn("desktop keyring now holds the key", r.out)
        self.assertEqual(sam.hearth("config", "get", "unlock-with-login").out.strip(), "on")
        self.assertTrue(self.locked())

        r = sam.hearth("unlock", "--from-keyring")
        self.assertEqual(r.code, 0, r)
        self.assertFalse(self.locked())

        self.restart_locked()
        r = sam.hearth("config", "set", "unlock-with-login", "off")
        self.assertEqual(r.code, 0, r)
        r = sam.hearth("unlock", "--from-keyring")
        self.assertEqual(r.code, 0, r)  # at login with the setting off: nothing to do
        self.assertIn("unlock-with-login is off", r.err)
        self.assertTrue(self.locked())
        # The key is gone from the keyring, not only switched off.
        with open(os.path.join(sam.home, "hearth.conf")) as f:
            text = f.read()
        with open(os.path.join(sam.home, "hearth.conf"), "w") as f:
            f.write(text.replace("unlock-with-login = off", "unlock-with-login = on"))
        r = sam.hearth("unlock", "--from-keyring")
        self.assertEqual(r.code, 3, r)
        self.assertIn("holds no key", r.err)
        self.assertTrue(self.locked())

    def test_a_wrong_passphrase_keeps_nothing_and_a_changed_one_retires_the_key(self):
        sam = self.sam
        wrong = os.path.join(self.root, "wrong")
        with open(wrong, "w") as f:
            f.write("not the passphrase\n")
        r = sam.hearth("config", "set", "unlock-with-login", "on", "--passphrase-file", wrong)
        self.assertEqual(r.code, 3, r)
        self.assertEqual(sam.hearth("config", "get", "unlock-with-login").out.strip(), "off")

        r = sam.hearth("config", "set", "unlock-with-login", "on", "--passphrase-file", self.pw)
        self.assertEqual(r.code, 0, r)
        new = os.path.join(self.root, "new")
        with open(new, "w") as f:
            f.write("another long passphrase\n")
        r = sam.hearth("passphrase", "change", "--passphrase-file", self.pw,
                       "--new-passphrase-file", new)
        self.assertEqual(r.code, 0, r)
        self.restart_locked()
        r = sam.hearth("unlock", "--from-keyring")
        self.assertEqual(r.code, 3, r)
        self.assertIn("no longer opens", r.err)
        self.assertTrue(self.locked())


def thread_sanitized():
    """Whether hearth is a ThreadSanitizer build: libsecret and GLib start
    threads of their own that are not built with it, and it reads their
    internal locking as races; the other builds run this test."""
    hearth = os.path.join(os.environ.get("HEARTH_BIN_DIR", "build/dev"), "client", "hearth")
    try:
        linked = subprocess.run(["ldd", hearth], capture_output=True, text=True).stdout
    except OSError:
        return False
    return "libtsan" in linked


def main():
    if os.environ.get(INSIDE) != "1":
        if thread_sanitized():
            print("skipped: a ThreadSanitizer build (GLib's threads are not built with it)",
                  file=sys.stderr)
            return 0
        if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
            print("skipped: needs dbus-run-session and gnome-keyring "
                  "(deploy/install-deps.sh test)", file=sys.stderr)
            return 0
        scratch = tempfile.mkdtemp(prefix="hearth-keyring-")
        try:
            env = dict(os.environ)
            env.update({INSIDE: "1", "HOME": os.path.join(scratch, "home"),
                        "XDG_DATA_HOME": os.path.join(scratch, "home", ".local", "share"),
                        "XDG_RUNTIME_DIR": os.path.join(scratch, "run")})
            os.makedirs(env["XDG_DATA_HOME"])
            os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700)
            return subprocess.run(["dbus-run-session", "--", sys.executable, __file__,
                                   *sys.argv[1:]], env=env).returncode
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    keyring = subprocess.Popen(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                               stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    keyring.communicate(b"test-login-password", timeout=30)
    unittest.main()


if __name__ == "__main__":
    sys.exit(main())
