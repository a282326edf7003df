"""After a full life of two partners (pairing, sync, edits, forgets, pauses,
boundaries, check-ins), no file under either home holds any word they wrote:
WAL, journals and the key file included."""
import os
import stat
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from test_sync import SyncCase  # noqa: E402


class Markers(SyncCase):
    def scan(self, homes, markers):
        found = []
        for home in homes:
            for dirpath, _, files in os.walk(home):
                for name in files:
                    path = os.path.join(dirpath, name)
                    if stat.S_ISSOCK(os.lstat(path).st_mode):
                        continue
                    with open(path, "rb") as f:
                        data = f.read()
                    for m in markers:
                        if m.encode() in data:
                            found.append(f"{m} in {path}")
        return found

    def test_no_written_word_is_in_any_file_after_a_full_demo(self):
        m = {k: f"HEARTHMARK{k.upper()}7Q" for k in
             ("name1", "name2", "private", "shared", "edit", "forgot", "feeling", "boundary",
              "revision", "note", "category", "need", "pause", "reply")}
        sam, alex = self.device("sam"), self.device("alex")
        sam.init("--no-passphrase", name=m["name1"])
        alex.init("--no-passphrase", name=m["name2"])
        for d in (sam, alex):
            d.start(listen=True)
        self.pair(sam, alex)
        self.pair(alex, sam)
        for d in (sam, alex):
            self.wait_for(f"{d.name} to connect", lambda d=d: self.connection(d) == "connected")

        sam.ok("reflect", "add", f"{m['private']} only mine", "--feeling", m["feeling"])
        shared = sam.ok("reflect", "add", f"{m['shared']} for you", "--share")["reflection"]
        sam.ok("reflect", "edit", shared["id"], f"{m['edit']} said better")
        gone = sam.ok("reflect", "add", f"{m['forgot']} soon gone", "--share")["reflection"]
        alex.ok("reflect", "add", f"{m['reply']} answer", "--share", "--reply-to", shared["id"])
        b = sam.ok("boundary", "propose", f"{m['boundary']} text", "--category", m["category"])["boundary"]
        self.sync_wait(alex)
        alex.ok("boundary", "discuss", b["id"], "--note", m["note"])
        sam.ok("boundary", "revise", b["id"], f"{m['revision']} text")
        alex.ok("checkin", "--capacity", "red", "--need", m["need"], "--share")
        sam.ok("pause", "--for", "20m", "--note", m["pause"])
        self.sync_wait(alex)
        self.sync_wait(sam)
        sam.ok("reflect", "forget", gone["id"], "--yes")
        self.sync_wait(alex)
        self.wait_for("the forget to reach Alex",
                      lambda: gone["id"] not in self.reflection_ids(alex))
        # The scan sees what is there: the schema is stored in plain text.
        self.assertNotEqual(self.scan([sam.home], ["CREATE TABLE"]), [])
        # While running (WAL not checkpointed), then after a kill.
        self.assertEqual(self.scan([sam.home, alex.home], m.values()), [])
        for d in (sam, alex):
            d.kill9()
        self.assertEqual(self.scan([sam.home, alex.home], m.values()), [])
        for d in (sam, alex):
            d.start(listen=True)


if __name__ == "__main__":
    unittest.main()
