"""`hearth ui`, the desktop client (docs/DESIGN.md §10), driven in Debian's
headless Chromium against two real daemons: pairing with the code through
both pages, writing and sharing, what one shares arriving live in the
other's open page, a pause reaching the partner's page at once and first,
a question answered blind, breathing together in step, unpairing; a draft
kept through a closed page; unlocking; the keyboard alone; axe-core finding
no serious or critical violation on any screen. Screenshots of each screen go
to $HEARTH_BIN_DIR/screenshots/ui/."""
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(__file__))
from harness import HEARTH  # noqa: E402
from test_sync import SyncCase  # noqa: E402
from ui_browser import (SCREENSHOTS, UiServer, axe_source, axe_violations, browser,  # noqa: E402
                        click, go, missing_browser, screenshot, settle, text_of, wait)

try:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
except ImportError:
    By = Keys = None

SCREENS = ["today", "write", "reflections", "boundaries", "checkins", "prompts", "practices",
           "partner", "activity", "settings"]


@unittest.skipIf(missing_browser(), missing_browser() or "")
class UiCase(SyncCase):
    def setUp(self):
        super().setUp()
        self.violations = []
        self.axe = None

    def open_ui(self, device, **kw):
        server = UiServer(device)
        self.addCleanup(self.assert_stops, server)
        driver = browser(self.root, **kw)
        self.addCleanup(driver.quit)
        driver.get(server.url)
        wait(driver, "the page to open",
             lambda d: d.execute_script("return location.hash") == "#/today"
             and "Opening" not in text_of(d, "main"))
        return server, driver

    def assert_stops(self, server):
        self.assertEqual(server.stop(), 0, "hearth ui did not end cleanly on SIGTERM")

    def check_a11y(self, driver, name):
        if self.axe is None:
            self.axe = axe_source() or ""
        if not self.axe:
            return
        for v in axe_violations(driver, self.axe):
            self.violations.append(f"{name}: {v['id']} ({v['impact']}): {v['help']} {v['nodes'][:2]}")

    def visit(self, driver, screen, shot=None):
        go(driver, screen)
        self.check_a11y(driver, screen)
        if shot:
            screenshot(driver, shot)

    def partners(self):
        """Sam and Alex, set up and listening, not yet paired."""
        sam, alex = self.device("sam"), self.device("alex")
        for d in (sam, alex):
            d.init(name=d.name.capitalize())
            d.start(listen=True)
        return sam, alex

    def couple(self, suffix=""):
        """Sam and Alex, paired and connected."""
        sam, alex = self.partners()
        self.pair(sam, alex)
        self.pair(alex, sam)
        for d in (sam, alex):
            self.wait_for(f"{d.name} to connect", lambda d=d: self.connection(d) == "connected")
        return sam, alex

    def test_two_partners_through_their_browsers(self):
        sam, alex = self.partners()
        _, s = self.open_ui(sam)
        _, a = self.open_ui(alex)

        # -- pairing with the code, through both pages
        self.visit(s, "partner", "partner-unpaired")
        s.find_element(By.ID, "invite").click()
        code = wait(s, "the invite code", lambda d: text_of(d, "#invite-code"))
        self.assertRegex(code, r"^[a-z]+-[a-z]+-[a-z]+$")
        screenshot(s, "partner-invite-code")
        go(a, "partner")
        a.find_element(By.ID, "join-code").send_keys(code)
        a.find_element(By.ID, "join-address").send_keys(sam.listen)
        a.find_element(By.ID, "join").click()
        alex_words = wait(a, "Alex's confirmation words", lambda d: text_of(d, "#confirm-words"), 60)
        sam_words = wait(s, "Sam's confirmation words", lambda d: text_of(d, "#confirm-words"), 30)
        self.assertEqual(alex_words, sam_words)
        self.assertEqual(len(sam_words.split()), 4)
        screenshot(s, "partner-paired")
        for d in (sam, alex):
            self.wait_for(f"{d.name} to connect", lambda d=d: self.connection(d) == "connected", 30)

        # -- what Sam shares arrives in Alex's open page by itself
        go(a, "reflections")
        self.visit(s, "write")
        words = "The walk by the river helped. Thank you for waiting for me."
        s.find_element(By.ID, "reflection-text").send_keys(words)
        s.find_element(By.CSS_SELECTOR, "input[name=share]").click()
        screenshot(s, "write")
        s.find_element(By.ID, "save-reflection").click()
        sent = time.time()
        wait(s, "the save to be confirmed", lambda d: "Saved and shared" in text_of(d, "#notice"))
        wait(a, "Sam's reflection in Alex's open page", lambda d: words in text_of(d, "#reflection-list"))
        print(f"\nshared reflection shown in the partner's open page after {time.time() - sent:.2f} s")
        self.visit(s, "reflections", "reflections")

        # -- a pause: Alex's page shows it at once, above everything else
        go(a, "today")
        s.find_element(By.ID, "pause").click()
        paused = time.time()
        banner = wait(a, "Sam's pause in Alex's page", lambda d: text_of(d, "#partnerpause"))
        print(f"partner's pause shown after {time.time() - paused:.2f} s")
        self.assertIn("Sam is pausing", banner)
        first = a.execute_script(
            "const p = document.getElementById('partnerpause'), m = document.querySelector('main');"
            "return !!(p.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING);")
        self.assertTrue(first, "the partner's pause is not shown before the page")
        wait(s, "Sam's own pause", lambda d: "You are pausing" in text_of(d, "#pausebar"))
        self.check_a11y(a, "today with the partner's pause")
        screenshot(a, "today-partner-pausing")
        s.find_element(By.ID, "resume").click()
        wait(a, "Sam's pause to end in Alex's page", lambda d: not text_of(d, "#partnerpause"))

        # -- today's question, answered blind
        self.visit(s, "prompts")
        go(a, "prompts")
        sam_answer = "Sitting on the step with tea, saying nothing."
        s.find_element(By.CSS_SELECTOR, "#prompt-today textarea").send_keys(sam_answer)
        s.find_element(By.CSS_SELECTOR, "#prompt-today button[type=submit]").click()
        wait(s, "Sam's answer sealed", lambda d: "waits, sealed" in text_of(d, "#prompt-today"))
        wait(a, "Alex to see that Sam answered", lambda d: "Sam has answered" in text_of(d, "#prompt-today"))
        self.assertNotIn(sam_answer, a.page_source)
        screenshot(a, "prompts-waiting-for-you")
        alex_answer = "Cooking together on a slow Sunday."
        a.find_element(By.CSS_SELECTOR, "#prompt-today textarea").send_keys(alex_answer)
        a.find_element(By.CSS_SELECTOR, "#prompt-today button[type=submit]").click()
        for d, who in ((s, "Sam"), (a, "Alex")):
            wait(d, f"both answers on {who}'s page",
                 lambda d: sam_answer in text_of(d, "main") and alex_answer in text_of(d, "main"), 30)
        screenshot(s, "prompts")

        # -- breathing together, in step
        self.visit(s, "practices")
        go(a, "practices")
        s.find_element(By.ID, "invite-breathe").click()
        click(a, "join-practice", 30)
        starts = [int(wait(d, "the pacer", lambda d: d.find_elements(By.CSS_SELECTOR, ".pacer")
                           and d.find_element(By.CSS_SELECTOR, ".pacer").get_attribute("data-start")))
                  for d in (s, a)]
        self.assertLess(abs(starts[0] - starts[1]), 250, f"the pacers start apart: {starts}")
        start = max(starts) / 1000
        # Sample both pages in the middle of a breath, well away from a turn.
        for _ in range(3):
            now = time.time()
            into = (now - start) % 10 if now > start else -1
            if into < 0:
                time.sleep(start - now + 1.5)
            elif into % 5 < 1 or into % 5 > 4:
                time.sleep(1.5)
            phases = [d.find_element(By.CSS_SELECTOR, ".pacer").get_attribute("data-phase")
                      for d in (s, a)]
            self.assertIn(phases[0], ("in", "out"))
            self.assertEqual(phases[0], phases[1], "the two pacers are out of step")
            time.sleep(2.5)
        self.check_a11y(s, "practices with the pacer")
        screenshot(s, "practices-breathing")
        a.find_element(By.ID, "stop-practice").click()
        wait(s, "the end in Sam's page", lambda d: "has ended" in text_of(d, "#practice-session"))

        # -- the other screens, each checked and pictured
        for screen in ("today", "boundaries", "checkins", "activity", "settings"):
            self.visit(s, screen, screen)

        # -- unpairing, its consequences said first
        self.visit(s, "partner")
        said = text_of(s, "main")
        self.assertIn("stays on Alex's computer", said)
        self.assertIn("cannot reach it", said)
        s.find_element(By.ID, "unpair").click()
        s.switch_to.alert.accept()
        wait(s, "the unpairing", lambda d: "Unpaired" in text_of(d, "#notice"), 30)
        self.assertFalse(sam.ok("status")["partner"]["paired"])
        print(f"screenshots: {SCREENSHOTS}")
        self.assertEqual(self.violations, [], "\n".join(self.violations))

    def test_limits_and_check_ins_reach_the_partner(self):
        sam, alex = self.couple()
        _, s = self.open_ui(sam)
        _, a = self.open_ui(alex)
        go(a, "boundaries")
        go(s, "boundaries")
        s.find_element(By.ID, "limit-text").send_keys("Say my name before you touch me.")
        s.find_element(By.ID, "limit-text").send_keys(Keys.ENTER)
        wait(a, "Sam's limit in Alex's page", lambda d: "Say my name" in text_of(d, "#boundary-list"))
        a.find_element(By.XPATH, "//button[normalize-space()=\"I've read it\"]").click()
        wait(s, "the acknowledgement", lambda d: "Alex has read it" in text_of(d, "#boundary-list"))
        s.find_element(By.ID, "agreement-text").send_keys("No phones at dinner.")
        s.find_element(By.ID, "agreement-text").send_keys(Keys.ENTER)
        wait(a, "the agreement to answer", lambda d: d.find_elements(By.XPATH, "//button[.='Agree']"))
        a.find_element(By.XPATH, "//button[.='Agree']").click()
        wait(s, "the agreement in force", lambda d: "Agreements in force" in text_of(d, "#boundary-list"))
        self.check_a11y(s, "boundaries with entries")
        screenshot(s, "boundaries")
        go(s, "checkins")
        go(a, "checkins")
        s.find_element(By.XPATH, "//label[starts-with(., 'Yellow')]").click()
        s.find_element(By.ID, "need").send_keys("a quiet evening")
        s.find_element(By.CSS_SELECTOR, "input[name=share]").click()
        s.find_element(By.XPATH, "//button[.='Check in']").click()
        wait(a, "Sam's check-in in Alex's calendar",
             lambda d: d.find_elements(By.CSS_SELECTOR, "#calendar td.cap-yellow"))
        self.assertIn("a quiet evening", text_of(a, "#checkin-list"))
        self.check_a11y(a, "check-ins with the calendar")
        screenshot(s, "checkins")
        self.assertEqual(self.violations, [], "\n".join(self.violations))

    def test_a_draft_outlives_a_closed_page(self):
        sam = self.device("sam")
        sam.init(name="Sam")
        sam.start()
        server, s = self.open_ui(sam)
        go(s, "write")
        words = "Half a thought, for later"
        s.find_element(By.ID, "reflection-text").send_keys(words)
        wait(s, "the draft kept", lambda d: "Kept as a draft" in text_of(d, "#draft-status"))
        s.quit()
        # Sealed in the store, not in the clear anywhere in the home.
        for base, _, files in os.walk(sam.home):
            for name in files:
                path = os.path.join(base, name)
                if os.path.isfile(path) and not name.endswith(".sock"):
                    with open(path, "rb") as f:
                        self.assertNotIn(words.encode(), f.read(), path)
        server.stop()
        again = UiServer(sam)
        self.addCleanup(again.stop)
        s2 = browser(self.root)
        self.addCleanup(s2.quit)
        s2.get(again.url)
        wait(s2, "the page", lambda d: "Opening" not in text_of(d, "main"))
        go(s2, "write")
        self.assertEqual(s2.find_element(By.ID, "reflection-text").get_attribute("value"), words)
        s2.find_element(By.ID, "save-reflection").click()
        wait(s2, "the save", lambda d: "Saved" in text_of(d, "#notice"))
        self.assertEqual(sam.ok("reflect", "list")["reflections"][0]["text"], words)
        go(s2, "write")
        self.assertEqual(s2.find_element(By.ID, "reflection-text").get_attribute("value"), "")

    def test_unlocking_from_the_page(self):
        sam = self.device("sam")
        pass_file = os.path.join(self.root, "pass")
        with open(pass_file, "w") as f:
            f.write("a quiet harbour at dusk\n")
        sam.init("--passphrase-file", pass_file)
        sam.start()
        _, s = self.open_ui(sam)
        wait(s, "the unlock screen", lambda d: "Hearth is locked" in text_of(d, "main"))
        self.check_a11y(s, "unlock")
        screenshot(s, "unlock")
        s.find_element(By.ID, "passphrase").send_keys("not it")
        s.find_element(By.ID, "passphrase").send_keys(Keys.ENTER)
        wait(s, "the refusal", lambda d: "did not open" in text_of(d, "#notice"), 40)
        self.assertIn("locked", text_of(s, "main"))
        self.assertTrue(sam.hearth("--json", "status").json()["locked"])
        s.find_element(By.ID, "passphrase").send_keys("a quiet harbour at dusk")
        s.find_element(By.ID, "passphrase").send_keys(Keys.ENTER)
        wait(s, "today after unlocking", lambda d: text_of(d, "main h1") == "Today", 60)
        self.assertFalse(sam.ok("status")["locked"])
        # Locking elsewhere (the CLI) reaches the open page.
        self.assertEqual(sam.hearth("lock").code, 0)
        wait(s, "the unlock screen again", lambda d: "Hearth is locked" in text_of(d, "main"), 30)
        self.assertEqual(self.violations, [], "\n".join(self.violations))

    def test_the_keyboard_alone_pauses_and_writes(self):
        sam = self.device("sam")
        sam.init(name="Sam")
        sam.start()
        _, s = self.open_ui(sam)
        body = s.find_element(By.TAG_NAME, "body")
        seen = []
        for _ in range(40):
            body.send_keys(Keys.TAB) if not seen else s.switch_to.active_element.send_keys(Keys.TAB)
            el = s.switch_to.active_element
            seen.append(el.get_attribute("id") or el.text)
            if el.get_attribute("id") == "pause":
                break
        self.assertEqual(s.switch_to.active_element.get_attribute("id"), "pause", seen)
        s.switch_to.active_element.send_keys(Keys.ENTER)
        wait(s, "the pause", lambda d: "You are pausing" in text_of(d, "#pausebar"))
        self.assertTrue(sam.ok("status")["my_pause"]["active"])
        # Every control reachable by Tab shows where the focus is.
        outline = s.execute_script(
            "const b = document.getElementById('resume'); b.focus();"
            "return getComputedStyle(b).outlineStyle;")
        self.assertNotEqual(outline, "none")

    def test_reduced_motion_keeps_the_pacer_still(self):
        sam, alex = self.couple()
        _, s = self.open_ui(sam, reduced_motion=True)
        # Alex invites from the terminal, where the pacer then runs.
        invite = subprocess.Popen([HEARTH, "--home", alex.home, "practice", "start", "breathe",
                                   "--together", "--minutes", "2"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.addCleanup(invite.wait)
        self.addCleanup(invite.terminate)
        go(s, "practices")
        click(s, "join-practice", 30)
        wait(s, "breathing", lambda d: d.find_elements(By.CSS_SELECTOR, ".pacer[data-phase=in]"), 20)
        transform = s.execute_script(
            "return getComputedStyle(document.querySelector('.pacer-circle')).transform;")
        self.assertEqual(transform, "none")
        self.assertEqual(text_of(s, "#pacer-phase"), "Breathe in")

    def test_text_enlarged_to_200_percent_still_fits(self):
        sam = self.device("sam")
        sam.init(name="Sam")
        sam.start()
        _, s = self.open_ui(sam, width=640, height=900)
        s.execute_script("document.documentElement.style.fontSize = '200%';")
        for screen in SCREENS:
            go(s, screen)
            overflow = s.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
            self.assertLessEqual(overflow, 1, f"{screen} scrolls sideways at 200% text")
        screenshot(s, "settings-200-percent")


if __name__ == "__main__":
    unittest.main()
