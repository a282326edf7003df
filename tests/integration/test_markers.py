"""After a full life of two partners (pairing by code, sync, edits, forgets,
pauses, boundaries and answers to them, check-ins, unpairing), no file under
either home and no daemon log holds any word they wrote: the database, its
-wal, -shm and -journal files, the key file and the logs included, while the
daemons run and after they stop.

And someone with a home and its key file (a stolen disk of a device without
a passphrase) finds nothing that was forgotten or erased: every page image
of every file, the WAL's older ones included, opened with the device's own
keys (page_scan.py), holds no forgotten word, no former partner's erased
entry or log key, and no address of a former partner."""
import os
import secrets
import stat
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import page_scan  # noqa: E402
from test_pairing import InviteProcess  # noqa: E402
from test_sync import SyncCase  # noqa: E402


def scan(root, markers):
    """Every (marker, file) where a marker appears in a file under root, in
    any letter case. Sockets are skipped; files that vanish are too (SQLite
    removes -journal files)."""
    wanted = [(m, m.lower().encode()) for m in markers]
    found = []
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            try:
                if not stat.S_ISREG(os.lstat(path).st_mode):
                    continue
                with open(path, "rb") as f:
                    data = f.read().lower()
            except FileNotFoundError:
                continue
            found += [f"{m} in {path}" for m, needle in wanted if needle in data]
    return found


class Markers(SyncCase):
    def marker_set(self):
        # A random part makes each marker a string that cannot be in any file
        # by chance, and no marker is a part of another (fixed length).
        run = secrets.token_hex(3).upper()
        kinds = ("name1", "name2", "early", "private", "feeling", "shared", "edit", "forgot",
                 "forgotedit", "reply", "alexprivate", "boundary", "category", "discussnote",
                 "revision", "agreenote", "revision2", "declinenote", "boundary2",
                 "withdrawnote", "need", "needfeeling", "privateneed", "pause", "pause2",
                 "prompt", "privforgot")
        return {k: f"QMK{run}{k.upper():X<13}Z" for k in kinds}

    def test_no_written_word_is_in_any_file_after_a_full_life_and_unpairing(self):
        m = self.marker_set()
        self.assertEqual(len(set(m.values())), len(m))
        sam, alex = self.device("sam"), self.device("alex")
        sam.init("--no-passphrase", name=m["name1"])
        alex.init("--no-passphrase", name=m["name2"])
        for d in (sam, alex):
            d.start(listen=True)

        # Shared before pairing: reaches Alex once paired.
        early = sam.ok("reflect", "add", f"{m['early']} before we paired", "--share")["reflection"]

        # Pairing by code.
        inv = InviteProcess(alex)
        try:
            code = inv.first_line()
            joined = sam.ok("pair", "join", code, "--address", alex.listen,
                            "--send-earlier")["paired"]
        finally:
            rc, out, err = inv.finish()
            inv.proc.stdout.close()
            inv.proc.stderr.close()
        self.assertEqual(joined["name"], m["name2"])
        self.assertEqual(rc, 0, (out, err))
        for d in (sam, alex):
            self.wait_for(f"{d.name} to connect", lambda d=d: self.connection(d) == "connected")
        self.assertEqual(alex.ok("status")["partner"]["name"], m["name1"])

        # Reflections: private, shared, edited, answered, forgotten.
        sam.ok("reflect", "add", f"{m['private']} only mine", "--feeling", m["feeling"],
               "--prompt", m["prompt"])
        shared = sam.ok("reflect", "add", f"{m['shared']} for you", "--share")["reflection"]
        sam.ok("reflect", "edit", shared["id"], f"{m['edit']} said better")
        gone = sam.ok("reflect", "add", f"{m['forgot']} soon gone", "--share")["reflection"]
        sam.ok("reflect", "edit", gone["id"], f"{m['forgotedit']} also gone")
        alex.ok("reflect", "add", f"{m['alexprivate']} alex alone")
        self.wait_for("Sam's reflection on Alex's side",
                      lambda: shared["id"] in self.reflection_ids(alex))
        alex.ok("reflect", "add", f"{m['reply']} answer", "--share", "--reply-to", shared["id"])

        # Boundaries: proposed, talked over, revised, agreed, revised again and
        # declined, all with notes; a second one withdrawn with a note.
        b = sam.ok("boundary", "propose", f"{m['boundary']} text", "--category",
                   m["category"])["boundary"]
        self.sync_wait(sam)
        alex.ok("boundary", "discuss", b["id"], "--note", m["discussnote"])
        self.sync_wait(alex)
        sam.ok("boundary", "revise", b["id"], f"{m['revision']} text")
        self.sync_wait(sam)
        agreed = alex.ok("boundary", "agree", b["id"], "--note", m["agreenote"])["boundary"]
        self.assertEqual(agreed["status"], "agreed")
        self.sync_wait(alex)
        sam.ok("boundary", "revise", b["id"], f"{m['revision2']} text")
        self.sync_wait(sam)
        declined = alex.ok("boundary", "decline", b["id"], "--note", m["declinenote"])["boundary"]
        # The agreed revision stays in force while the newer one is declined.
        self.assertEqual(declined["in_force_text"], f"{m['revision']} text")
        b2 = alex.ok("boundary", "propose", f"{m['boundary2']} text")["boundary"]
        self.sync_wait(alex)
        w = sam.ok("boundary", "withdraw", b2["id"], "--note", m["withdrawnote"])["boundary"]
        self.assertEqual(w["status"], "withdrawn")

        # Check-ins and pauses with their words.
        alex.ok("checkin", "--capacity", "red", "--need", m["need"], "--feeling",
                m["needfeeling"], "--share")
        sam.ok("checkin", "--capacity", "yellow", "--need", m["privateneed"])
        sam.ok("pause", "--for", "20m", "--note", m["pause"])
        sam.ok("resume")
        alex.ok("pause", "--for", "25m", "--note", m["pause2"])

        self.sync_wait(sam)
        self.sync_wait(alex)
        sam.ok("reflect", "forget", gone["id"], "--yes")
        self.sync_wait(sam)
        self.wait_for("the forget to reach Alex",
                      lambda: gone["id"] not in self.reflection_ids(alex))
        secret = sam.ok("reflect", "add", f"{m['privforgot']} private, soon gone")["reflection"]
        sam.ok("reflect", "forget", secret["id"], "--yes")
        self.wait_for("the withdrawal to reach Alex", lambda: any(
            x["id"] == b2["id"] and x["status"] == "withdrawn"
            for x in alex.ok("boundary", "list", "--all", "--limit", "0")["boundaries"]))
        self.assertEqual(sam.ok("status")["partner_pause"]["note"], m["pause2"])
        # The notes were kept (so the scan below looks for words that are stored).
        on_sam = {x["id"]: x for x in sam.ok("boundary", "list", "--all", "--limit", "0")["boundaries"]}
        notes = {r["partner_note"] for r in on_sam[b["id"]]["revisions"]}
        self.assertTrue({m["discussnote"], m["agreenote"], m["declinenote"]} <= notes, notes)
        self.assertEqual(on_sam[b2["id"]]["withdraw_note"], m["withdrawnote"])
        # Everything went where it should: Alex sees what Sam shared.
        self.assertIn(early["id"], self.reflection_ids(alex, "partner"))
        alex_texts = {r["text"] for r in alex.ok("reflect", "list", "--limit", "0")["reflections"]}
        self.assertIn(f"{m['edit']} said better", alex_texts)

        # The scanner sees what is there: the schema is stored in plain text,
        # and a marker planted in a file (in another case) is found.
        self.assertNotEqual(scan(sam.home, ["CREATE TABLE"]), [])
        planted = os.path.join(alex.home, "planted")
        with open(planted, "wb") as f:
            f.write(b"\0\1" + m["need"].lower().encode() + b"\0")
        self.assertEqual(scan(self.root, m.values()), [f"{m['need']} in {planted}"])
        os.remove(planted)

        # Scan all of both homes and the daemons' logs while they run (WAL not
        # checkpointed).
        self.assertEqual(scan(self.root, m.values()), [], "while both daemons run")
        # With each device's own keys, every page image opens to what is kept,
        # and to nothing forgotten.
        forgotten = [m["forgot"], m["forgotedit"], m["privforgot"]]
        for d in (sam, alex):
            pages = page_scan.scan_home(d.home)
            self.assertGreater(pages["images"], 0)
            self.assertEqual(page_scan.found(pages, forgotten), [], f"{d.name}: forgotten words")
        kept = page_scan.found(page_scan.scan_home(sam.home), [m["shared"], m["private"], m["edit"]])
        self.assertEqual({k[0] for k in kept}, {m["shared"], m["private"], m["edit"]}, kept)
        self.assertIn(m["edit"], {k[0] for k in page_scan.found(page_scan.scan_home(alex.home),
                                                                    [m["edit"]])})

        # Unpairing: Sam keeps Alex's shared entries, Alex erases every shared one.
        u = sam.ok("unpair", "--yes")["unpaired"]
        self.assertFalse(u["erased_shared"])
        u = alex.ok("unpair", "--erase-shared", "--yes")["unpaired"]
        self.assertTrue(u["erased_shared"])
        left = alex.ok("reflect", "list", "--limit", "0")["reflections"]
        self.assertEqual([r["text"] for r in left], [f"{m['alexprivate']} alex alone"])
        self.assertEqual(alex.ok("boundary", "list", "--all", "--limit", "0")["boundaries"], [])
        self.assertIn(f"{m['reply']} answer",
                      {r["text"] for r in sam.ok("reflect", "list", "--limit", "0")["reflections"]})
        self.assertEqual(scan(self.root, m.values()), [], "after unpairing, daemons running")
        self.check_what_a_stolen_disk_gives(sam, alex, m, forgotten, "after unpairing")

        # After a clean stop (exit 0) and after a kill -9.
        for d in (sam, alex):
            self.assertEqual(d.stop(), 0, d.log())
        self.assertEqual(scan(self.root, m.values()), [], "after both daemons stopped")
        self.check_what_a_stolen_disk_gives(sam, alex, m, forgotten, "after both daemons stopped")
        for d in (sam, alex):
            d.start(listen=True)
        self.assertEqual(len(alex.ok("reflect", "list", "--limit", "0")["reflections"]), 1)
        for d in (sam, alex):
            d.kill9()
        self.assertEqual(scan(self.root, m.values()), [], "after both daemons were killed")
        self.check_what_a_stolen_disk_gives(sam, alex, m, forgotten, "after both were killed")

    def check_what_a_stolen_disk_gives(self, sam, alex, m, forgotten, when):
        """Sam unpaired keeping Alex's entries; Alex unpaired with --erase-shared."""
        sam_key = page_scan.read_keys(sam.home)["device"]
        on_sam, on_alex = page_scan.scan_home(sam.home), page_scan.scan_home(alex.home)
        self.assertEqual(page_scan.found(on_sam, forgotten), [], f"{when}: forgotten, on sam")
        self.assertEqual(page_scan.found(on_alex, forgotten), [], f"{when}: forgotten, on alex")
        # Nothing Sam wrote opens on Alex's device any more, nor does Sam's log
        # key (Sam's device name stays, sealed, to label the former partner).
        sams = [v for k, v in m.items() if k not in ("name1", "name2", "alexprivate", "reply",
                                                     "boundary2",
                                                     "need", "needfeeling", "pause2",
                                                     "discussnote", "agreenote", "declinenote")]
        self.assertEqual(page_scan.found(on_alex, sams), [], f"{when}: Sam's entries on alex")
        self.assertEqual([a for a, _ in on_alex["log_keys"] if a == sam_key], [],
                         f"{when}: Sam's log key on alex")
        self.assertIn(m["alexprivate"], {k[0] for k in page_scan.found(on_alex, [m["alexprivate"]])})
        # Where each other's device was is forgotten on both: in the clear and sealed.
        for d, other in ((sam, alex), (alex, sam)):
            self.assertEqual(scan(d.home, [other.listen]), [], f"{when}: {other.name}'s address")
            self.assertEqual(page_scan.found(page_scan.scan_home(d.home), [other.listen]), [],
                             f"{when}: {other.name}'s address, sealed")


if __name__ == "__main__":
    unittest.main()
