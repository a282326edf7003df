"""One partner on one computer: every local command through real processes."""
import os
import re
import stat
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HearthTestCase, HEARTH  # noqa: E402

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


class InitAndKeys(HearthTestCase):
    def test_init_creates_a_private_home_and_id_prints_the_device_id(self):
        sam = self.device()
        sam.init()
        mode = stat.S_IMODE(os.stat(sam.home).st_mode)
        self.assertEqual(mode, 0o700)
        self.assertEqual(stat.S_IMODE(os.stat(os.path.join(sam.home, "keys")).st_mode), 0o600)
        r = sam.hearth("id")
        self.assertEqual(r.code, 0, r)
        device_id = r.out.strip()
        self.assertRegex(device_id, r"^[A-Z2-7]{7}(-[A-Z2-7]{7}){7}$")
        self.assertEqual(sam.ok("id")["device_id"], device_id)

    def test_init_json_prints_one_document_with_the_id_the_home_and_whether_sealed(self):
        sam = self.device()
        r = sam.hearth("--json", "init", "--no-passphrase", "--name", "Sam")
        self.assertEqual(r.code, 0, r)
        doc = r.json()
        self.assertEqual(set(doc), {"device_id", "home", "sealed"}, doc)
        self.assertEqual(doc["device_id"], sam.hearth("id").out.strip())
        self.assertEqual(os.path.realpath(doc["home"]), os.path.realpath(sam.home))
        self.assertIs(doc["sealed"], False)

        alex = self.device("alex")
        pw = os.path.join(self.root, "pw")
        with open(pw, "w") as f:
            f.write("a long and private passphrase\n")
        doc = alex.ok("init", "--passphrase-file", pw)  # --json after the command
        self.assertIs(doc["sealed"], True)
        self.assertRegex(doc["device_id"], r"^[A-Z2-7]{7}(-[A-Z2-7]{7}){7}$")
        self.assertNotEqual(doc["device_id"], sam.hearth("id").out.strip())
        # Refused the second time, as one JSON error document.
        r = alex.hearth("--json", "init", "--no-passphrase")
        self.assertEqual(r.code, 3, r)
        self.assertIn("error", r.json())

    def test_init_twice_is_refused_and_changes_nothing(self):
        sam = self.device()
        sam.init()
        before = sam.hearth("id").out
        r = sam.hearth("init", "--no-passphrase")
        self.assertEqual(r.code, 3, r)
        self.assertEqual(sam.hearth("id").out, before)

    def test_a_sealed_daemon_starts_locked_and_unlocks_with_the_right_passphrase(self):
        sam = self.device()
        pw = os.path.join(self.root, "pw")
        with open(pw, "w") as f:
            f.write("a long and private passphrase\n")
        sam.init("--passphrase-file", pw)
        sam.start()
        # Locked is exit 2 ("not running or locked"), with the status shown in full.
        r = sam.hearth("--json", "status")
        self.assertEqual(r.code, 2, r)
        self.assertTrue(r.json()["locked"])
        r = sam.hearth("--json", "reflect", "list")
        self.assertEqual(r.code, 2, r)

        wrong = os.path.join(self.root, "wrong")
        with open(wrong, "w") as f:
            f.write("not the passphrase\n")
        r = sam.hearth("unlock", "--passphrase-file", wrong)
        self.assertEqual(r.code, 3, r)
        self.assertIn("passphrase", r.err.lower())
        r = sam.hearth("--json", "status")
        self.assertEqual(r.code, 2, r)
        self.assertTrue(r.json()["locked"])

        sam.ok("unlock", "--passphrase-file", pw)
        self.assertFalse(sam.ok("status")["locked"])
        self.assertEqual(sam.ok("reflect", "list")["reflections"], [])

    def test_commands_say_when_the_daemon_is_not_running(self):
        sam = self.device()
        sam.init()
        r = sam.hearth("status")
        self.assertEqual(r.code, 2, r)
        self.assertIn("hearthd", r.err)
        r = sam.hearth("--json", "status")
        self.assertEqual(r.code, 2, r)
        self.assertIn("error", r.json())

    def test_usage_errors_exit_1(self):
        sam = self.device()
        sam.init()
        sam.start()
        self.assertEqual(sam.hearth("reflect", "frobnicate").code, 1)
        self.assertEqual(sam.hearth("pause", "--for", "5m").code, 1)
        self.assertEqual(sam.hearth("checkin", "--capacity", "purple").code, 1)


class Journal(HearthTestCase):
    def setUp(self):
        super().setUp()
        self.sam = self.device()
        self.sam.init()
        self.sam.start()

    def test_reflections_add_list_show_edit_share_forget(self):
        sam = self.sam
        private = sam.ok("reflect", "add", "a private thought", "--feeling", "unsure")["reflection"]
        self.assertEqual(private["author"], "me")
        self.assertFalse(private["shared"])
        self.assertEqual(private["text"], "a private thought")
        self.assertEqual(private["feelings"], ["unsure"])
        self.assertRegex(private["created_at"], RFC3339)
        self.assertRegex(private["id"], r"^[0-9a-f]{32}$")

        shared = sam.ok("reflect", "add", "thank you for today", "--share")["reflection"]
        self.assertTrue(shared["shared"])

        listed = sam.ok("reflect", "list")["reflections"]
        self.assertEqual([r["id"] for r in listed], [shared["id"], private["id"]])

        short = private["id"][-8:]
        edited = sam.ok("reflect", "edit", short, "a private thought, said better")["reflection"]
        self.assertEqual(edited["text"], "a private thought, said better")
        self.assertFalse(edited["shared"])
        shown = sam.ok("reflect", "show", short)["reflection"]
        self.assertEqual([v["text"] for v in shown["history"]],
                         ["a private thought", "a private thought, said better"])

        now_shared = sam.ok("reflect", "share", short)["reflection"]
        self.assertTrue(now_shared["shared"])

        sam.ok("reflect", "forget", short, "--yes")
        ids = [r["id"] for r in sam.ok("reflect", "list")["reflections"]]
        self.assertEqual(ids, [shared["id"]])
        r = sam.hearth("--json", "reflect", "show", short)
        self.assertEqual(r.code, 3, r)

    def test_reflect_add_reads_stdin_and_opens_the_editor(self):
        sam = self.sam
        from_stdin = sam.ok("reflect", "add", "-", input="written on stdin\n")["reflection"]
        self.assertEqual(from_stdin["text"].strip(), "written on stdin")

        editor = os.path.join(self.root, "editor.sh")
        with open(editor, "w") as f:
            f.write("#!/bin/sh\nprintf 'written in the editor\\n' > \"$1\"\n")
        os.chmod(editor, 0o700)
        r = sam.hearth("--json", "reflect", "add",
                       env={"EDITOR": editor, "VISUAL": editor, "XDG_RUNTIME_DIR": self.root})
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json()["reflection"]["text"].strip(), "written in the editor")

    def editor(self, body):
        """A tiny $EDITOR: a shell script run as `editor FILE`."""
        path = os.path.join(self.root, f"editor-{len(os.listdir(self.root))}.sh")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, 0o700)
        return {"EDITOR": path, "VISUAL": path, "XDG_RUNTIME_DIR": self.root}

    def test_reflect_edit_without_text_opens_the_editor_on_the_current_text(self):
        sam = self.sam
        made = sam.ok("reflect", "add", "the first draft of it", "--feeling", "calm")["reflection"]
        seen = os.path.join(self.root, "seen")
        # The editor keeps a copy of what it was given and where, then changes
        # one word in place: the result shows it started from the current text.
        env = self.editor(f"cp \"$1\" {seen}.text\nprintf '%s' \"$1\" > {seen}.path\n"
                          "sed -i 's/first draft/second draft/' \"$1\"\n")
        r = sam.hearth("--json", "reflect", "edit", made["id"][-8:], env=env)
        self.assertEqual(r.code, 0, r)
        edited = r.json()["reflection"]
        self.assertEqual(edited["id"], made["id"])
        self.assertEqual(edited["text"], "the second draft of it")
        self.assertEqual(edited["feelings"], ["calm"])
        with open(seen + ".text") as f:
            given = f.read()
        self.assertEqual(given, "the first draft of it\n")  # the instructions are on the terminal
        # The draft, and the private directory made for it, are gone once the command ends.
        with open(seen + ".path") as f:
            draft = f.read()
        self.assertFalse(os.path.exists(draft))
        self.assertFalse(os.path.exists(os.path.dirname(draft)))
        shown = sam.ok("reflect", "show", made["id"])["reflection"]
        self.assertEqual(shown["text"], "the second draft of it")
        self.assertEqual([v["text"] for v in shown["history"]],
                         ["the first draft of it", "the second draft of it"])

        # An editor that changes nothing saves nothing.
        r = sam.hearth("--json", "reflect", "edit", made["id"], env=self.editor("true\n"))
        self.assertEqual(r.code, 0, r)
        self.assertEqual(r.json(), {"ok": True})
        self.assertEqual(len(sam.ok("reflect", "show", made["id"])["reflection"]["history"]), 2)
        # An editor that fails saves nothing either, and keeps what it wrote.
        r = sam.hearth("--json", "reflect", "edit", made["id"],
                       env=self.editor("echo gone > \"$1\"\nexit 3\n"))
        self.assertNotEqual(r.code, 0, r)
        self.assertEqual(sam.ok("reflect", "show", made["id"])["reflection"]["text"],
                         "the second draft of it")
        with open(r.json()["error"]["draft"]) as f:
            self.assertEqual(f.read(), "gone\n")

    def test_an_ambiguous_id_prefix_is_refused_with_exit_1_and_asks_for_more(self):
        # IDs start with the time they were made (node/crypto/entity_id.cpp):
        # IDs made together share their first characters. The lists show the
        # last 8; the daemon accepts the first or the last characters.
        sam = self.sam
        made = {}
        prefix = None
        while prefix is None:
            r = sam.ok("reflect", "add", f"note {len(made)}")["reflection"]
            made[r["id"]] = r["text"]
            firsts = {}
            for rid in made:
                firsts.setdefault(rid[:4], []).append(rid)
            prefix = next((p for p, ids in firsts.items() if len(ids) > 1), None)
            self.assertLess(len(made), 10, "ten IDs made in a row share no first 4 characters")
        for args in (["reflect", "show", prefix], ["reflect", "edit", prefix, "new words"],
                     ["reflect", "forget", prefix, "--yes"]):
            r = sam.hearth("--json", *args)
            self.assertEqual(r.code, 1, (args, r))
            self.assertIn("type more", r.err, (args, r))
            self.assertEqual(r.json()["error"]["code"], "usage")
        # Nothing was changed, and more characters find one.
        for rid, text in made.items():
            shown = sam.ok("reflect", "show", rid[-8:])["reflection"]
            self.assertEqual((shown["id"], shown["text"]), (rid, text))
            shown = sam.ok("reflect", "show", rid[:24])["reflection"]
            self.assertEqual(shown["id"], rid)

        b1 = sam.ok("boundary", "propose", "first boundary")["boundary"]
        b2 = sam.ok("boundary", "propose", "second boundary")["boundary"]
        common = os.path.commonprefix([b1["id"], b2["id"]])
        self.assertGreaterEqual(len(common), 4, (b1["id"], b2["id"]))
        r = sam.hearth("--json", "boundary", "withdraw", common[:4])
        self.assertEqual(r.code, 1, r)
        self.assertIn("type more", r.err)
        statuses = {b["id"]: b["status"] for b in sam.ok("boundary", "list")["boundaries"]}
        self.assertEqual(statuses, {b1["id"]: "proposed", b2["id"]: "proposed"})

    def test_list_limits(self):
        for i in range(25):
            self.sam.ok("reflect", "add", f"note {i}")
        self.assertEqual(len(self.sam.ok("reflect", "list")["reflections"]), 20)
        self.assertEqual(len(self.sam.ok("reflect", "list", "--limit", "3")["reflections"]), 3)
        self.assertEqual(len(self.sam.ok("reflect", "list", "--limit", "0")["reflections"]), 25)

    def test_an_unknown_or_ambiguous_id_is_refused(self):
        r = self.sam.hearth("--json", "reflect", "show", "abcdef12")
        self.assertEqual(r.code, 3, r)
        r = self.sam.hearth("--json", "reflect", "show", "zz")
        self.assertIn(r.code, (1, 3), r)

    def test_boundaries_propose_revise_withdraw_list(self):
        sam = self.sam
        b = sam.ok("boundary", "propose", "no phones at dinner", "--category", "home")["boundary"]
        self.assertEqual(b["status"], "proposed")
        self.assertEqual(b["author"], "me")
        self.assertRegex(b["created_at"], RFC3339)
        short = b["id"][-8:]
        # One cannot answer one's own wording: agreement is implied.
        r = sam.hearth("--json", "boundary", "agree", short)
        self.assertEqual(r.code, 3, r)
        revised = sam.ok("boundary", "revise", short, "no phones at dinner on weekdays")["boundary"]
        self.assertEqual(revised["text"], "no phones at dinner on weekdays")
        self.assertEqual(len(revised["revisions"]), 2)
        w = sam.ok("boundary", "withdraw", short, "--note", "let's rethink")["boundary"]
        self.assertEqual(w["status"], "withdrawn")
        r = sam.hearth("--json", "boundary", "revise", short, "again")
        self.assertEqual(r.code, 3, r)
        # A boundary left is history: listed with --all only.
        self.assertEqual(sam.ok("boundary", "list")["boundaries"], [])
        listed = sam.ok("boundary", "list", "--all")["boundaries"]
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]["status"], "withdrawn")

    def test_checkins(self):
        sam = self.sam
        c = sam.ok("checkin", "--capacity", "red", "--feeling", "overwhelmed", "--need", "space")["checkin"]
        self.assertEqual(c["capacity"], "red")
        self.assertEqual(c["feelings"], ["overwhelmed"])
        self.assertEqual(c["need"], "space")
        self.assertFalse(c["shared"])
        sam.ok("checkin", "--capacity", "green", "--share")
        listed = sam.ok("checkin", "list")["checkins"]
        self.assertEqual([x["capacity"] for x in listed], ["green", "red"])
        self.assertEqual(listed[0]["author"], "me")

    def test_pause_and_resume(self):
        sam = self.sam
        sam.ok("pause", "--for", "45m", "--note", "a walk")
        st = sam.ok("status")
        self.assertTrue(st["my_pause"]["active"])
        self.assertEqual(st["my_pause"]["note"], "a walk")
        self.assertFalse(st["partner_pause"]["active"])
        sam.ok("resume")
        self.assertFalse(sam.ok("status")["my_pause"]["active"])

    def test_status_and_log(self):
        st = self.sam.ok("status")
        self.assertFalse(st["locked"])
        self.assertEqual(st["device_id"], self.sam.hearth("id").out.strip())
        log = self.sam.ok("log")["log"]
        self.assertTrue(any("unlocked" in e["message"] for e in log), log)

    def test_export_markdown_and_json(self):
        sam = self.sam
        sam.ok("reflect", "add", "exported words", "--share")
        sam.ok("boundary", "propose", "exported boundary")
        out = os.path.join(self.root, "export.md")
        r = sam.hearth("export", "--format", "markdown", "--out", out)
        self.assertEqual(r.code, 0, r)
        self.assertEqual(stat.S_IMODE(os.stat(out).st_mode), 0o600)
        with open(out) as f:
            text = f.read()
        self.assertIn("exported words", text)
        self.assertIn("exported boundary", text)
        doc = sam.ok("export", "--format", "json")
        self.assertIn("reflections", doc)
        self.assertEqual(doc["reflections"][0]["text"], "exported words")
        r = sam.hearth("export", "--format", "markdown", "--out", out)
        self.assertNotEqual(r.code, 0, "export must not overwrite without --force")


class Durability(HearthTestCase):
    def test_a_write_reported_saved_survives_kill_9_right_after(self):
        sam = self.device()
        sam.init()
        sam.start()
        ids = []
        for i in range(20):
            ids.append(sam.ok("reflect", "add", f"durable {i}", "--share")["reflection"]["id"])
            sam.kill9()
            sam.start()
        got = {r["id"] for r in sam.ok("reflect", "list", "--limit", "0")["reflections"]}
        self.assertEqual(got, set(ids))
        check = subprocess.run(["sqlite3", os.path.join(sam.home, "hearth.db"), "PRAGMA integrity_check"],
                               capture_output=True, text=True)
        if check.returncode == 0:
            self.assertEqual(check.stdout.strip(), "ok")


    def test_a_private_write_reported_saved_survives_kill_9_right_after(self):
        sam = self.device()
        sam.init()
        sam.start()
        reflections, checkins = {}, {}
        for i in range(8):
            r = sam.ok("reflect", "add", f"private durable {i}")["reflection"]
            self.assertFalse(r["shared"])
            reflections[r["id"]] = r["text"]
            sam.kill9()
            sam.start()
            text = f"private durable {i}, edited"
            self.assertEqual(sam.ok("reflect", "edit", r["id"], text)["reflection"]["text"], text)
            reflections[r["id"]] = text
            sam.kill9()
            sam.start()
            c = sam.ok("checkin", "--capacity", "red", "--need", f"private need {i}")["checkin"]
            self.assertFalse(c["shared"])
            checkins[c["id"]] = c["need"]
            sam.kill9()
            sam.start()
        got = {r["id"]: r["text"] for r in sam.ok("reflect", "list", "--limit", "0")["reflections"]}
        self.assertEqual(got, reflections)
        got = {c["id"]: c["need"] for c in sam.ok("checkin", "list", "--limit", "0")["checkins"]}
        self.assertEqual(got, checkins)
        for rid in reflections:
            history = sam.ok("reflect", "show", rid)["reflection"]["history"]
            self.assertEqual(len(history), 2, history)
        # Nothing private became shared along the way.
        self.assertEqual(sam.ok("status")["sync"]["my_shared_events"], 0)


class NoPlaintext(HearthTestCase):
    def test_no_file_under_the_home_holds_written_words(self):
        sam = self.device()
        sam.init("--no-passphrase", name="MARKERNAME")
        sam.start()
        marker = "HEARTH-PLAINTEXT-MARKER-7f3a"
        sam.ok("reflect", "add", f"{marker} private", "--feeling", marker)
        shared = sam.ok("reflect", "add", f"{marker} shared", "--share")["reflection"]
        sam.ok("reflect", "edit", shared["id"][-8:], f"{marker} edited")
        sam.ok("boundary", "propose", f"{marker} boundary", "--category", marker)
        sam.ok("checkin", "--capacity", "yellow", "--need", marker, "--feeling", marker)
        sam.ok("pause", "--for", "20m", "--note", marker)
        # Scan while the daemon runs (WAL not yet checkpointed) and after a kill.
        for when in ("running", "killed"):
            if when == "killed":
                sam.kill9()
            for dirpath, _, files in os.walk(sam.home):
                for name in files:
                    path = os.path.join(dirpath, name)
                    if stat.S_ISSOCK(os.stat(path).st_mode):
                        continue
                    with open(path, "rb") as f:
                        data = f.read()
                    for needle in (marker.encode(), b"MARKERNAME"):
                        self.assertNotIn(needle, data, f"{needle!r} in plaintext in {path} ({when})")
        sam.start()


if __name__ == "__main__":
    unittest.main()
