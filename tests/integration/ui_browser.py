"""Driving `hearth ui` in Debian's headless Chromium (Selenium and
chromium-driver), for test_ui.py: starting the UI server of a device,
opening its address in a browser, waiting for the page, screenshots, and the
axe-core accessibility check.

axe-core comes from npm, into build/ui-test-node (deploy/install-deps.sh
test installs it there, or the first test that needs it does); it is never
part of the repository."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

from harness import BIN_DIR, HEARTH, SLOW

try:
    import selenium  # noqa: F401
except ImportError:
    # Debian's python3-selenium, when the tests run under another python3
    # of the same version (a pyenv shim, say).
    sys.path.append("/usr/lib/python3/dist-packages")
try:
    from selenium import webdriver
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    webdriver = None

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
SCREENSHOTS = os.path.join(BIN_DIR, "screenshots", "ui")
# deploy/install-deps.sh test puts axe-core here; else the tests do.
AXE_DIR = os.environ.get("HEARTH_AXE_DIR", os.path.join(os.path.dirname(__file__), "..", "..",
                                                         "build", "ui-test-node"))
AXE_JS = os.path.join(AXE_DIR, "node_modules", "axe-core", "axe.min.js")


def missing_browser():
    """Why browser tests cannot run here, or None."""
    if webdriver is None:
        return "Selenium is not installed (apt-get install python3-selenium)"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.path.exists(path):
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


def axe_source():
    """axe-core's script, installed from npm on first use; None without npm."""
    if not os.path.exists(AXE_JS):
        npm = shutil.which("npm")
        if not npm:
            return None
        os.makedirs(AXE_DIR, exist_ok=True)
        subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", AXE_DIR,
                        "axe-core@4"], check=True, capture_output=True, timeout=300)
    with open(AXE_JS, encoding="utf-8") as f:
        return f.read()


class UiServer:
    """`hearth ui --no-open` for one device; the address it prints."""

    def __init__(self, device, linger=120, extra=()):
        env = dict(os.environ)
        env.pop("HEARTH_HOME", None)
        self.proc = subprocess.Popen(
            [HEARTH, "--home", device.home, "ui", "--no-open", "--linger", str(linger), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            raise AssertionError(f"hearth ui printed {self.url!r}: {self.proc.stderr.read()}")
        self.origin = self.url.split("/#")[0]
        self.port = int(self.origin.rsplit(":", 1)[1])
        self.secret = self.url.split("#k=")[1]

    def stop(self):
        """SIGTERM; returns the exit code."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20 * SLOW)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.returncode != 0:
            sys.stderr.write(f"hearth ui ended with {self.proc.returncode}:\n{self.proc.stderr.read()}\n")
        return self.proc.returncode


def browser(scratch, reduced_motion=False, width=1100, height=1400):
    profile = tempfile.mkdtemp(prefix="chromium-", dir=scratch)
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                f"--window-size={width},{height}"):
        opts.add_argument(arg)
    if reduced_motion:
        opts.add_argument("--force-prefers-reduced-motion")
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def wait(driver, what, check, timeout=15):
    try:
        return WebDriverWait(driver, timeout * SLOW, poll_frequency=0.05).until(lambda d: check(d))
    except TimeoutException:
        raise AssertionError(f"timed out waiting for {what}; the page says:\n"
                             + driver.find_element(By.TAG_NAME, "body").text[:3000])


def click(driver, element_id, timeout=15):
    """Clicks the element with that id once it is there, again if the page
    redrew it just then (a live update)."""
    from selenium.common.exceptions import StaleElementReferenceException

    def attempt(d):
        try:
            els = d.find_elements(By.ID, element_id)
            if not els:
                return False
            els[0].click()
            return True
        except StaleElementReferenceException:
            return False
    wait(driver, f"#{element_id} to click", attempt, timeout)


def text_of(driver, css):
    """The text of the first element `css` finds; "" when there is none, or
    when the page redrew it between finding and reading (a wait asks again)."""
    from selenium.common.exceptions import StaleElementReferenceException
    els = driver.find_elements(By.CSS_SELECTOR, css)
    try:
        return els[0].text if els else ""
    except StaleElementReferenceException:
        return ""


def go(driver, screen):
    """Opens a screen by its link, as a person would, and waits for it: the
    screen before it stays shown until the new one has what it asked the
    daemon for (a draft, the lists), so its heading must have gone first."""
    from selenium.common.exceptions import StaleElementReferenceException

    moving = driver.execute_script("return location.hash") != f"#/{screen}"
    before = driver.find_elements(By.CSS_SELECTOR, "main h1") if moving else []
    driver.find_element(By.CSS_SELECTOR, f'#nav a[href="#/{screen}"]').click()

    def replaced(d):
        if before:
            try:
                before[0].is_enabled()
                return False  # still the screen before
            except StaleElementReferenceException:
                pass
        return True

    # The page titles itself after its screen is drawn in full (app.js
    # show()), which may be after its heading, e.g. once the partner screen
    # has hearthd's status.
    drawn = ("const h = document.querySelector('main h1');"
             "return !!h && document.title === `${h.textContent || 'Hearth'} \u00b7 Hearth`;")
    wait(driver, f"the {screen} screen",
         lambda d: d.execute_script("return location.hash") == f"#/{screen}"
         and replaced(d)
         and d.find_elements(By.CSS_SELECTOR, "main h1")
         and "Opening" not in text_of(d, "main")
         and d.execute_script(drawn))


def screenshot(driver, name):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, name + ".png")
    driver.save_screenshot(path)
    return path


def axe_violations(driver, source):
    """Serious and critical axe-core violations on the page as it is now."""
    driver.execute_script(source + "\nreturn true;")
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.html.slice(0, 200))}))))"
        ".catch(e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));")
    return [v for v in result if v["impact"] in ("serious", "critical")]


def settle(seconds):
    time.sleep(seconds * SLOW)
