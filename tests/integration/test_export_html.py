"""The capacity calendar and the HTML export with two real daemons
(docs/DESIGN.md §5.3, §8.2): `hearth checkin calendar` shows each day's
lowest capacity for both partners; `hearth export --format html` writes one
self-contained page, which headless Chromium renders with the calendar drawn
in its colours. Screenshots go to $HEARTH_BIN_DIR/test-screenshots/."""
import os
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import unittest
import zlib
from datetime import date

sys.path.insert(0, os.path.dirname(__file__))
from harness import BIN_DIR  # noqa: E402
from test_safety import skewed  # noqa: E402
from test_sync import SyncCase  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = os.path.join(BIN_DIR, "test-screenshots")
# The fills of the calendar's days (client/export_html.h); nothing else on
# the page has them.
GREEN = (0x2E, 0x7D, 0x4F)
YELLOW = (0xF2, 0xC1, 0x4E)
RED = (0xB3, 0x40, 0x3A)


def read_png(path):
    """(width, height, channels, rows) of an 8-bit RGB or RGBA PNG, rows as
    bytes, with the standard library only."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{path} is not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace != 0:
        raise AssertionError(f"unexpected PNG format {header}")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def pixels_of(png, rgb, tolerance=3):
    """How many pixels are within `tolerance` of the colour `rgb`."""
    width, _, channels, rows = png
    n = 0
    for row in rows:
        for x in range(0, width * channels, channels):
            if (abs(row[x] - rgb[0]) <= tolerance and abs(row[x + 1] - rgb[1]) <= tolerance
                    and abs(row[x + 2] - rgb[2]) <= tolerance):
                n += 1
    return n


def screenshot(page, png, scratch):
    """Renders the file `page` with headless Chromium into `png`."""
    profile = tempfile.mkdtemp(prefix="chromium-", dir=scratch)
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={png}",
            "--window-size=1200,1600", "file://" + os.path.abspath(page)]
    env = dict(os.environ, HOME=profile)
    proc = subprocess.run(args, capture_output=True, text=True, timeout=180, env=env)
    if proc.returncode != 0 or not os.path.exists(png):
        raise AssertionError(f"chromium failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    shutil.rmtree(profile, ignore_errors=True)


class ExportHtml(SyncCase):
    def partners_with_check_ins(self):
        """Sam: green two days ago (a daemon with its clock two days back),
        green and yellow today (private), a reflection with markup; Alex: red
        today and a reflection, both shared. Paired and synced."""
        sam, alex = self.device("sam"), self.device("alex")
        for d in (sam, alex):
            d.init()
        sam.start(env=skewed("-2d"))
        sam.ok("checkin", "--capacity", "green", "--feeling", "rested")
        sam.stop()
        for d in (sam, alex):
            d.start(listen=True)
        self.pair(sam, alex)
        self.pair(alex, sam)
        for d in (sam, alex):
            self.wait_for(f"{d.name} to connect", lambda d=d: self.connection(d) == "connected")
        sam.ok("checkin", "--capacity", "green")
        sam.ok("checkin", "--capacity", "yellow", "--need", "a quiet evening")
        sam.ok("reflect", "add", "<script>document.title='x'</script> The walk helped.", "--share")
        alex.ok("checkin", "--capacity", "red", "--need", "some space", "--share")
        alex.ok("reflect", "add", "Alex's words about the week.", "--share")
        self.sync_wait(alex)
        self.wait_for("alex's check-in on sam's device", lambda: any(
            c["author"] == "partner" for c in sam.ok("checkin", "list")["checkins"]))
        return sam, alex

    def test_the_calendar_and_the_html_export_show_each_days_lowest_capacity(self):
        first_day = date.today()
        sam, alex = self.partners_with_check_ins()
        if date.today() != first_day:
            self.skipTest("the local day changed while the check-ins were written")

        # The terminal calendar, without a terminal: letters, lowest of the day.
        r = sam.hearth("checkin", "calendar")
        self.assertEqual(r.code, 0, r)
        self.assertNotIn("\x1b", r.out)
        rows = {line.split()[0]: line for line in r.out.splitlines() if line[:1].isalpha()}
        self.assertTrue(rows["You"].rstrip().endswith("Y"), r.out)
        self.assertTrue(rows["alex"].rstrip().endswith("R"), r.out)
        self.assertIn("G", rows["You"], r.out)
        self.assertIn("^ today", r.out)
        doc = sam.ok("checkin", "calendar", "--weeks", "2")["calendar"]
        self.assertEqual(doc["today"], first_day.isoformat())
        self.assertEqual(doc["days"][-1], {"date": first_day.isoformat(),
                                           "weekday": first_day.strftime("%a"),
                                           "me": "yellow", "partner": "red"})
        self.assertIn("green", [d["me"] for d in doc["days"]])
        self.assertEqual(sam.hearth("checkin", "calendar", "--weeks", "53").code, 1)

        # The page: private file, plaintext warning, nothing that loads or runs.
        page = os.path.join(self.root, "journal.html")
        r = sam.hearth("export", "--format", "html", "--out", page)
        self.assertEqual(r.code, 0, r)
        self.assertIn("plaintext", r.err)
        self.assertEqual(stat.S_IMODE(os.stat(page).st_mode), 0o600)
        with open(page, encoding="utf-8") as f:
            html = f.read()
        for bad in ("<script", "http", "src=", "url("):
            self.assertNotIn(bad, html.lower())
        self.assertIn("&lt;script&gt;document.title=&#39;x&#39;&lt;/script&gt; The walk helped.",
                      html)
        self.assertIn("Alex&#39;s words about the week.", html)
        self.assertIn("a quiet evening", html)
        self.assertIn('role="img"', html)

        mine = os.path.join(self.root, "mine.html")
        r = sam.hearth("export", "--format", "html", "--mine", "--out", mine)
        self.assertEqual(r.code, 0, r)
        with open(mine, encoding="utf-8") as f:
            mine_html = f.read()
        self.assertNotIn("Alex&#39;s words", mine_html)
        self.assertNotIn("some space", mine_html)

        # --since today leaves out the check-in of two days ago.
        r = sam.hearth("--json", "export", "--format", "json", "--since", first_day.isoformat())
        self.assertEqual(r.code, 0, r)
        kept = r.json()["checkins"]
        self.assertEqual(sorted(c["capacity"] for c in kept), ["green", "red", "yellow"])
        self.assertNotIn("rested", str(kept))

        with self.subTest("rendered by headless Chromium"):
            if not os.path.exists(CHROMIUM):
                self.skipTest(f"{CHROMIUM} is absent: the page was not rendered "
                              "(deploy/install-deps.sh test installs chromium)")
            os.makedirs(SCREENSHOTS, exist_ok=True)
            shot = os.path.join(SCREENSHOTS, "export-calendar.png")
            screenshot(page, shot, self.root)
            png = read_png(shot)
            self.assertEqual(png[:2], (1200, 1600))
            for name, rgb in (("green", GREEN), ("yellow", YELLOW), ("red", RED)):
                self.assertGreater(pixels_of(png, rgb), 150, f"no {name} day in {shot}")
            # Without Alex's row, the only red day is gone.
            shot_mine = os.path.join(SCREENSHOTS, "export-calendar-mine.png")
            screenshot(mine, shot_mine, self.root)
            png = read_png(shot_mine)
            self.assertGreater(pixels_of(png, GREEN), 150, shot_mine)
            self.assertGreater(pixels_of(png, YELLOW), 150, shot_mine)
            self.assertEqual(pixels_of(png, RED), 0, shot_mine)


if __name__ == "__main__":
    unittest.main()
