"""The CLI's care for what a person writes and types, with real processes.

Words written in the editor are never lost and never left in plaintext:
drafts live in a private directory in $XDG_RUNTIME_DIR, are kept (with the
command that saves them) when saving fails, and are wiped when the terminal
closes or the CLI is told to stop. A mistyped command or option is named with
the closest valid ones. Codes and texts can stay off the command line.
"""
import os
import pty
import select
import shlex
import signal
import stat
import subprocess
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from harness import HEARTH, SLOW, HearthTestCase  # noqa: E402
from test_pairing import PairingCase  # noqa: E402


def wait_until(what, predicate, timeout=10):
    deadline = time.time() + timeout * SLOW
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def files_holding(roots, needle):
    """Every regular file under `roots` (up to 4 MiB each) whose bytes hold `needle`."""
    found = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root, onerror=lambda e: None):
            for name in filenames:
                path = os.path.join(dirpath, name)
                try:
                    st = os.lstat(path)
                    if not stat.S_ISREG(st.st_mode) or st.st_size > 4 << 20:
                        continue
                    with open(path, "rb") as f:
                        if needle.encode() in f.read():
                            found.append(path)
                except OSError:
                    continue
    return found


class EditorCase(HearthTestCase):
    """One partner whose editor is a script; drafts go to a runtime directory of the test's."""

    def setUp(self):
        super().setUp()
        self.sam = self.device()
        self.sam.init()
        self.sam.start()
        self.runtime = os.path.join(self.root, "runtime")
        os.mkdir(self.runtime, 0o700)
        # Words no other file on this computer holds.
        self.words = "words-" + uuid.uuid4().hex

    def editor(self, body):
        """A tiny $EDITOR: a shell script run as `editor FILE`."""
        path = os.path.join(self.root, f"editor-{uuid.uuid4().hex[:8]}.sh")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, 0o700)
        return path

    def env(self, editor):
        # The words reach the editor scripts through the environment, so no
        # file of the test's holds them.
        return {"EDITOR": editor, "VISUAL": editor, "XDG_RUNTIME_DIR": self.runtime,
                "WORDS": self.words}

    def marker(self, name):
        return os.path.join(self.root, name)

    def drafts(self):
        return sorted(os.listdir(self.runtime))

    def assert_no_words_left(self):
        self.assertEqual(self.drafts(), [])
        self.assertEqual(files_holding([self.runtime, "/tmp", "/dev/shm"], self.words), [])

    def kept_draft(self, err):
        """The kept draft named on stderr, and the command printed to save it."""
        lines = err.splitlines()
        path = next(line.strip() for line in lines if line.strip().startswith(self.runtime))
        command = next(line.strip() for line in lines if line.strip().startswith("hearth "))
        return path, command

    def run_printed(self, command):
        """Runs a `hearth ...` line as printed for a person."""
        args = shlex.split(command)
        self.assertEqual(args[0], "hearth")
        return subprocess.run([HEARTH, *args[1:]], capture_output=True, text=True,
                              timeout=30 * SLOW)


class NoWordLost(EditorCase):
    def test_the_editor_does_not_open_while_hearthd_is_stopped(self):
        sam = self.sam
        ran = self.marker("ran")
        editor = self.editor(f"touch {ran}\nprintf '%s\\n' \"$WORDS\" > \"$1\"\n")
        sam.stop()
        r = sam.hearth("reflect", "add", env=self.env(editor))
        self.assertEqual(r.code, 2, r)
        self.assertIn("hearthd is not running", r.err)
        self.assertIn("Hearth opens your editor only once it can save what you write.", r.err)
        self.assertFalse(os.path.exists(ran), "the editor opened")
        r = sam.hearth("reflect", "edit", "abcdabcd", env=self.env(editor))
        self.assertEqual(r.code, 2, r)
        self.assertFalse(os.path.exists(ran), "the editor opened")
        self.assert_no_words_left()

    def test_the_editor_does_not_open_while_hearthd_is_locked(self):
        alex = self.device("alex")
        pw = os.path.join(self.root, "pw")
        with open(pw, "w") as f:
            f.write("a long and private passphrase\n")
        alex.init("--passphrase-file", pw)
        alex.start()
        ran = self.marker("ran")
        editor = self.editor(f"touch {ran}\nprintf '%s\\n' \"$WORDS\" > \"$1\"\n")
        r = alex.hearth("--json", "reflect", "add", env=self.env(editor))
        self.assertEqual(r.code, 2, r)
        self.assertEqual(r.json()["error"]["code"], "locked")
        self.assertIn("run `hearth unlock` first", r.err)
        self.assertFalse(os.path.exists(ran), "the editor opened")

    def test_words_are_kept_when_hearthd_stops_while_the_editor_is_open(self):
        sam = self.sam
        ready, go = self.marker("ready"), self.marker("go")
        editor = self.editor(f"printf '# Tuesday\\n%s\\n' \"$WORDS\" > \"$1\"\ntouch {ready}\n"
                             f"while [ ! -e {go} ]; do sleep 0.05; done\n")
        env = dict(os.environ, **self.env(editor))
        env.pop("HEARTH_HOME", None)
        proc = subprocess.Popen([HEARTH, "--home", sam.home, "reflect", "add", "--share",
                                 "--feeling", "a bit shaky"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            wait_until("the editor", lambda: os.path.exists(ready))
            sam.stop()
            open(go, "w").close()
            out, err = proc.communicate(timeout=30 * SLOW)
        finally:
            if proc.poll() is None:
                proc.kill()
        self.assertEqual(proc.returncode, 2, (out, err))
        self.assertIn("hearthd is not running", err)
        self.assertIn("Your words are not lost.", err)
        path, command = self.kept_draft(err)
        self.assertEqual(os.path.dirname(os.path.dirname(path)), self.runtime)
        self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode), 0o700)
        with open(path) as f:
            self.assertEqual(f.read(), f"# Tuesday\n{self.words}\n")
        self.assertIn("Once hearthd runs, save them with:", err)
        self.assertEqual(shlex.split(command)[-2:], ["--from", path])

        # The printed command saves them, with the options first given, and
        # wipes the kept draft.
        sam.start()
        r = self.run_printed(command)
        self.assertEqual(r.returncode, 0, r)
        self.assertIn("is wiped", r.stderr)
        [saved] = sam.ok("reflect", "list")["reflections"]
        self.assertEqual(saved["text"], f"# Tuesday\n{self.words}")
        self.assertTrue(saved["shared"])
        self.assertEqual(saved["feelings"], ["a bit shaky"])
        self.assert_no_words_left()

    def test_too_long_a_text_is_kept_and_the_limit_named(self):
        sam = self.sam
        editor = self.editor("printf '%s\\n' \"$WORDS\" > \"$1\"\n"
                             "head -c 71680 /dev/zero | tr '\\0' 'a' >> \"$1\"\n")
        r = sam.hearth("reflect", "add", env=self.env(editor))
        self.assertEqual(r.code, 1, r)
        self.assertIn("a reflection holds at most 64 KiB, so nothing was saved", r.err)
        path, command = self.kept_draft(r.err)
        self.assertGreater(os.path.getsize(path), 70 * 1024)
        self.assertIn("Shorten them there, then save them with:", r.err)
        self.assertEqual(sam.ok("reflect", "list")["reflections"], [])

        # Shortened, it saves.
        with open(path, "w") as f:
            f.write(self.words + "\n")
        r = self.run_printed(command)
        self.assertEqual(r.returncode, 0, r)
        self.assertEqual(sam.ok("reflect", "list")["reflections"][0]["text"], self.words)
        self.assert_no_words_left()

    def test_every_line_written_in_the_editor_is_kept_and_the_instructions_are_on_the_terminal(self):
        sam = self.sam
        seen = self.marker("seen")
        text = "# Tuesday\n\n#1 thing I noticed: I slept\n# and a heading at the end"
        editor = self.editor(f"cp \"$1\" {seen}\nprintf '%s\\n' '{text}' > \"$1\"\n")
        r = sam.hearth("--json", "reflect", "add", env=self.env(editor))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["reflection"]["text"], text)
        with open(seen) as f:
            self.assertEqual(f.read(), "")  # no instructions in the file
        self.assertIn("Write your reflection, then save and close the editor.", r.err)
        self.assertIn("Every line you write is kept.", r.err)
        self.assertEqual(self.drafts(), [])

        # An empty text saves nothing, and says so.
        r = sam.hearth("reflect", "add", env=self.env(self.editor("printf '\\n  \\n' > \"$1\"\n")))
        self.assertEqual(r.code, 1, r)
        self.assertIn("Nothing was written, so nothing was saved.", r.err)
        self.assertEqual(len(sam.ok("reflect", "list")["reflections"]), 1)
        self.assertEqual(self.drafts(), [])

    def test_reflect_add_dash_reads_stdin_and_keeps_the_text_off_the_command_line(self):
        sam = self.sam
        r = sam.hearth("--json", "reflect", "add", "-", input=f"# heading\n{self.words}\n")
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["reflection"]["text"], f"# heading\n{self.words}")
        r = sam.hearth("--json", "reflect", "add", "-", input=" \n")
        self.assertEqual(r.code, 1, r)


class NoPlaintextLeft(EditorCase):
    """The terminal closing, or a SIGTERM, while the editor is open."""

    # The editor writes the words, then waits; told to stop, it saves a
    # "swap file" beside the draft first, as vim and nano do.
    def waiting_editor(self, ready):
        return self.editor(
            "dir=$(dirname \"$1\")\n"
            "trap 'printf \"%s (swap)\\n\" \"$WORDS\" > \"$dir/.draft.swp\"; kill $!; exit 1' "
            "HUP TERM\n"
            "printf '%s\\n' \"$WORDS\" > \"$1\"\n"
            f"touch {ready}\n"
            "sleep 30 >/dev/null 2>&1 &\nwait\n")

    def test_closing_the_terminal_mid_edit_wipes_the_draft(self):
        ready = self.marker("ready")
        editor = self.waiting_editor(ready)
        env = dict(os.environ, **self.env(editor), TERM="dumb")
        env.pop("HEARTH_HOME", None)
        pid, master = pty.fork()
        if pid == 0:
            os.execve(HEARTH, [HEARTH, "--home", self.sam.home, "reflect", "add"], env)
        output = b""
        try:
            deadline = time.time() + 10 * SLOW
            while not os.path.exists(ready) and time.time() < deadline:
                if select.select([master], [], [], 0.05)[0]:
                    output += os.read(master, 4096)
            self.assertTrue(os.path.exists(ready), output)
            self.assertEqual(len(self.drafts()), 1)
        finally:
            os.close(master)  # the terminal is gone: SIGHUP
        _, status = os.waitpid(pid, 0)
        self.assertTrue(os.WIFSIGNALED(status), status)
        self.assertEqual(os.WTERMSIG(status), signal.SIGHUP)
        self.assert_no_words_left()
        self.assertEqual(self.sam.ok("reflect", "list")["reflections"], [])

    def test_sigterm_mid_edit_stops_the_editor_and_wipes_the_draft(self):
        ready = self.marker("ready")
        editor = self.waiting_editor(ready)
        env = dict(os.environ, **self.env(editor))
        env.pop("HEARTH_HOME", None)
        proc = subprocess.Popen([HEARTH, "--home", self.sam.home, "reflect", "add"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            wait_until("the editor", lambda: os.path.exists(ready))
            proc.send_signal(signal.SIGTERM)
            proc.communicate(timeout=30 * SLOW)
        finally:
            if proc.poll() is None:
                proc.kill()
        self.assertEqual(proc.returncode, -signal.SIGTERM)
        self.assert_no_words_left()


class Usage(HearthTestCase):
    def setUp(self):
        super().setUp()
        self.sam = self.device()
        self.sam.init()

    def test_a_mistyped_command_is_named_with_the_closest_one(self):
        r = self.sam.hearth("reflct", "add", "hi")
        self.assertEqual(r.code, 1, r)
        self.assertIn("`reflct` is not a command. Did you mean `reflect`?", r.err)
        r = self.sam.hearth("reflect", "ad", "hi")
        self.assertEqual(r.code, 1, r)
        self.assertIn("`ad` is not a command of `hearth reflect`. Did you mean `add`?", r.err)
        r = self.sam.hearth("--json", "reflct", "add", "hi")
        self.assertEqual(r.code, 1, r)
        self.assertEqual(r.json()["error"]["code"], "usage")
        self.assertIn("`reflect`", r.json()["error"]["message"])
        r = self.sam.hearth("reflect")
        self.assertEqual(r.code, 1, r)
        self.assertIn("`hearth reflect` needs one more word: add, list", r.err)

    def test_a_mistyped_option_is_named_and_unexpected_words_come_in_the_order_given(self):
        r = self.sam.hearth("checkin", "--capcity", "green")
        self.assertEqual(r.code, 1, r)
        self.assertIn("`--capcity` is not an option of `hearth checkin`. "
                      "Did you mean `--capacity`?", r.err)
        r = self.sam.hearth("status", "first", "second")
        self.assertEqual(r.code, 1, r)
        self.assertIn("Not expected after `hearth status`: first second", r.err)
        r = self.sam.hearth("reflect", "show", "abcdabcd", "first", "second")
        self.assertEqual(r.code, 1, r)
        self.assertIn("Not expected after `hearth reflect show`: first second", r.err)

    def test_help_shows_every_command_or_one(self):
        r = self.sam.hearth("help")
        self.assertEqual(r.code, 0, r)
        for name in ("reflect", "boundary", "checkin", "unpair", "help"):
            self.assertIn(name, r.out)
        r = self.sam.hearth("help", "reflect", "add")
        self.assertEqual(r.code, 0, r)
        self.assertIn("Usage: hearth reflect add", r.out)
        self.assertIn("--from", r.out)
        self.assertEqual(self.sam.hearth("reflect", "help").out,
                         self.sam.hearth("help", "reflect").out)
        r = self.sam.hearth("help", "reflct")
        self.assertEqual(r.code, 1, r)
        self.assertIn("Did you mean `reflect`?", r.err)

    def test_unpair_help_says_what_erase_shared_erases(self):
        r = self.sam.hearth("unpair", "--help")
        self.assertEqual(r.code, 0, r)
        text = " ".join(r.out.split())
        self.assertIn("erase every shared entry on this device, yours and your partner's "
                      "(your private entries stay)", text)
        self.assertIn("What you shared stays on their device", text)

    def test_pair_join_reads_the_code_from_stdin(self):
        r = self.sam.hearth("pair", "join", "--address", "127.0.0.1:9",
                            input="lantern notaword meadow\n")
        self.assertEqual(r.code, 1, r)
        self.assertIn("notaword", r.err)


class JoinWithoutTheCodeOnTheCommandLine(PairingCase):
    def test_pair_join_asks_for_the_code_and_pairs(self):
        sam, alex = self.two()
        inv, code = self.invite(alex)
        inv.wait_for_line("by itself; if not, add --address HOST:")
        r = sam.hearth("--json", "pair", "join", "--address", alex.listen, input=code + "\n")
        self.assertEqual(r.code, 0, r)
        self.assertIn("confirmation", r.json()["paired"])
        code_rc, out, err = inv.finish()
        self.assertEqual(code_rc, 0, (out, err))


if __name__ == "__main__":
    unittest.main()
