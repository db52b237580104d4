"""The HTML report in a real browser: headless Chromium opens index.html and result pages from disk
(file://). What is checked: no console error, uncaught exception, failed load (a missing file) or
JavaScript dialog on any page; the dependency graph is drawn and visible, one node and one link per
result, and the blocked node names its blocker; a result page has its maths typeset by the vendored
KaTeX (fonts loaded from disk, no leftover source) and its six plots; an escaped statement is shown as
text and runs nothing. At a phone's width (390 px) and a desktop's (1280 px), every result's verdict cell
is on screen, every graph label lies inside its box, and the graph's filter and zoom work; a result page
on a phone shows the claims before the parameters. A full-page screenshot of each page is saved to the
test's tmp dir (its path printed), and a negative-control page shows the harness does see each kind of
problem.

Why Selenium with Debian's ``chromium`` and ``chromedriver``: a maintained WebDriver client instead of a
hand-written DevTools websocket one, and a driver that Debian builds for exactly its Chromium version.
Both binaries are passed to Selenium explicitly (and SE_OFFLINE is set), so Selenium Manager never tries
to download a browser or a driver. They are installed with apt-get by a session fixture where missing;
the tests are skipped, with the reason, only where that cannot be done.
"""
from __future__ import annotations

import base64
import importlib.util
import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

try:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # skipped, with the reason, by the binaries fixture
    By = EC = WebDriverWait = None

from verifier.presentation import html as html_report

CHROMIUM_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                  "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--mute-audio", "--disable-breakpad", "--window-size=1280,1000"]
PACKAGES = {"chromium": ("chromium", "chromium-browser"), "chromium-driver": ("chromedriver",)}

# Installed before any page script: records uncaught errors, rejected promises, console.error calls,
# resources that fail to load, and dialogs (answered, so that none blocks the driver).
COLLECTOR = """
window.__problems = [];
const note = (text) => window.__problems.push(String(text));
window.addEventListener('error', (event) => {
  const target = event.target;
  if (target && target !== window && (target.src || target.href)) note('failed load: ' + (target.src || target.href));
  else note('uncaught exception: ' + (event.error && event.error.stack || event.message));
}, true);
window.addEventListener('unhandledrejection', (event) => note('unhandled rejection: ' + event.reason));
const consoleError = console.error.bind(console);
console.error = (...args) => { note('console.error: ' + args.join(' ')); consoleError(...args); };
for (const name of ['alert', 'confirm', 'prompt']) window[name] = (message) => { note('a JavaScript dialog opened: ' + message); };
"""


def _find(names: tuple[str, ...]) -> str | None:
    for name in names:
        path = shutil.which(name) or (f"/usr/bin/{name}" if os.access(f"/usr/bin/{name}", os.X_OK) else None)
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def binaries() -> tuple[str, str]:
    """Paths of Chromium and chromedriver; Debian's packages are installed with apt-get when missing."""
    pytest.importorskip("selenium", reason="selenium is a test dependency: pip install -e '.[test]'")
    missing = [package for package, names in PACKAGES.items() if _find(names) is None]
    if missing:
        if shutil.which("apt-get") is None:
            pytest.skip(f"{', '.join(missing)} not installed and apt-get is not available to install it")
        sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
        if sudo is None:
            pytest.skip(f"{', '.join(missing)} not installed and installing needs root (no sudo)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        # Both packages in one install, even where only one is missing: Debian's chromium-driver is built
        # for (and depends on) the chromium of the same version.
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES]):
            try:
                done = subprocess.run(sudo + command, capture_output=True, text=True, timeout=900, env=env)
            except (OSError, subprocess.TimeoutExpired) as exc:
                pytest.skip(f"could not install {', '.join(missing)}: {' '.join(command)}: {exc}")
            if done.returncode != 0:
                pytest.skip(f"could not install {', '.join(missing)}: {' '.join(command)} exited {done.returncode}: "
                            f"{(done.stdout + done.stderr).strip()[-500:]}")
    chromium, driver = _find(PACKAGES["chromium"]), _find(PACKAGES["chromium-driver"])
    if chromium is None or driver is None:
        pytest.skip("apt-get ran but chromium or chromedriver is still not on PATH")
    return chromium, driver


class Browser:
    """A headless Chromium session (Selenium WebDriver) that records every console error, exception,
    failed load and dialog of the page it opens in ``problems``."""

    def __init__(self, chromium: str, driver: str, profile: Path):
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        os.environ.setdefault("SE_OFFLINE", "true")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={profile}"]:
            options.add_argument(flag)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.log = profile.parent / "chromedriver.log"
        self.driver = webdriver.Chrome(service=Service(executable_path=driver, log_output=str(self.log)), options=options)
        self.driver.set_script_timeout(30)
        self.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COLLECTOR})
        self.problems: list[str] = []

    def open(self, url: str) -> None:
        self.driver.get_log("browser")                       # drop what earlier pages logged
        self.driver.get(url)                                  # returns once the load event has fired
        self.driver.execute_async_script("const done = arguments[arguments.length - 1]; "
                                         "document.fonts.ready.then(() => done(true));")
        self.problems = list(self.driver.execute_script("return window.__problems || []"))
        self.problems += [f"browser log ({e.get('source')}): {e.get('message')}" for e in self.driver.get_log("browser")
                          if e.get("level") == "SEVERE"]

    def find(self, selector: str) -> list:
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def wait_for(self, selector: str, timeout: float = 30):
        """The first element matching ``selector`` once it is in the DOM and visible."""
        return WebDriverWait(self.driver, timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, selector)))

    def evaluate(self, expression: str):
        return self.driver.execute_script(f"return {expression};")

    def emulate(self, width: int, height: int = 900) -> None:
        """A screen ``width`` CSS pixels wide (a phone below 600: mobile viewport rules apply)."""
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})

    def screenshot(self, path: Path, width: int = 1280) -> Path:
        """The whole page at ``width``, as a PNG (Chromium's own capture, beyond the viewport)."""
        self.emulate(width)
        height = int(self.evaluate("document.documentElement.scrollHeight"))
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": min(height, 12000), "deviceScaleFactor": 1, "mobile": width < 600})
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
        self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        self.driver.quit()


# ---------------------------------------------------------------------------------------------------
# The tests
# ---------------------------------------------------------------------------------------------------


def _make_run(folder: Path):
    """The toy plugin run of test_html_report (loaded by path so any pytest import mode works)."""
    spec = importlib.util.spec_from_file_location("_html_report_fixture", Path(__file__).with_name("test_html_report.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_run(folder)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    run, registry, store = _make_run(folder)
    index = html_report.write_report(run, folder / "report", registry, store)
    store.close()
    return run, index


@pytest.fixture(scope="module")
def browser(binaries, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium") / "profile"
    profile.mkdir()
    session = Browser(*binaries, profile)
    yield session
    session.close()


def _png(path: Path, min_width: int = 800) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, f"{path} is not a non-empty PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= min_width and height >= 400, (width, height)


def test_index_renders_the_graph_without_console_errors(browser, rendered, tmp_path):
    run, index = rendered
    browser.open(index.resolve().as_uri())
    assert browser.problems == []
    graphs = browser.find("svg.dependency-graph")
    assert graphs, "no dependency graph in the rendered DOM"
    svg = graphs[0]
    assert svg.is_displayed()
    assert svg.size["width"] > 300 and svg.size["height"] > 100, svg.size
    assert len(svg.find_elements(By.CSS_SELECTOR, "g.node")) == len(run["results"])
    assert len(svg.find_elements(By.CSS_SELECTOR, 'a[href$=".html"]')) == len(run["results"])
    blocked = " ".join(t.get_attribute("textContent")
                       for t in svg.find_elements(By.CSS_SELECTOR, "g.node[data-verdict=BLOCKED] text.blocked-by"))
    assert "lemma-error" in blocked
    shot = browser.screenshot(tmp_path / "index.png")
    _png(shot)
    print(f"screenshot: {shot}")


def test_result_page_typesets_maths_and_draws_plots(browser, rendered, tmp_path):
    _, index = rendered
    page = index.parent / "toy--lemma-true.html"
    browser.open(page.resolve().as_uri())
    assert browser.problems == []
    browser.wait_for(".statement .math.display .katex")
    state = browser.evaluate("""(() => ({
        katex: document.querySelectorAll('.katex').length,
        errors: document.querySelectorAll('.katex-error').length,
        statement: !!document.querySelector('.statement .math.display .katex'),
        leftover: Array.from(document.querySelectorAll('.math')).filter(m => !m.querySelector('.katex')).length,
        font: document.fonts.check('16px KaTeX_Main'),
        plots: document.querySelectorAll('figure svg.plot').length,
        done: document.documentElement.classList.contains('katex-done')
    }))()""")
    assert state["done"] and state["statement"], state
    assert state["katex"] >= 2 and state["errors"] == 0 and state["leftover"] == 0, state
    assert state["font"], "the vendored KaTeX fonts did not load from disk"
    assert state["plots"] == 6, state
    shot = browser.screenshot(tmp_path / "lemma-true.png")
    _png(shot)
    print(f"screenshot: {shot}")


def test_escaped_statement_is_typeset_as_text_and_runs_nothing(browser, rendered, tmp_path):
    _, index = rendered
    browser.open((index.parent / "toy--xss.html").resolve().as_uri())
    assert browser.problems == []  # a dialog from alert(1) would be recorded here
    scripts = browser.evaluate("Array.from(document.scripts).map(s => s.getAttribute('src'))")
    assert scripts == ["static/katex/katex.min.js", "static/report.js"]
    pre = browser.find(".statement details pre")
    assert pre and pre[0].get_attribute("textContent") == "<script>alert(1)</script>"
    assert len(browser.find(".statement .katex")) == 1
    _png(browser.screenshot(tmp_path / "xss.png"))


def test_the_browser_harness_sees_errors_missing_files_and_dialogs(browser, tmp_path):
    """Negative control of the checks above: a page that throws, logs an error, misses a file and opens a
    dialog is reported on each count."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><script src='missing.js'></script>"
                    "<script>console.error('logged'); alert('hi'); throw new Error('boom');</script></body></html>")
    browser.open(page.resolve().as_uri())
    text = "\n".join(browser.problems)
    assert "missing.js" in text and "console.error: logged" in text and "dialog opened: hi" in text and "boom" in text
    # and Chromium's own log, read through chromedriver (goog:loggingPrefs), sees them without the collector
    assert "browser log (network)" in text and "browser log (javascript)" in text and "browser log (console-api)" in text


# Where each results row's id and verdict cell lie, and how each graph label lies in its box.
GEOMETRY = """(() => {
    const view = document.documentElement.clientWidth;
    const cells = Array.from(document.querySelectorAll('table.results tbody tr')).map(tr => {
        const rid = tr.querySelector('td.rid').getBoundingClientRect();
        const verdict = tr.querySelector('td.verdict-cell .verdict').getBoundingClientRect();
        return {id: tr.querySelector('td.rid').textContent, rid: [rid.left, rid.right],
                verdict: [verdict.left, verdict.right, verdict.width]};
    });
    const svg = document.querySelector('svg.dependency-graph');
    const box = svg.viewBox.baseVal;
    const labels = [];
    svg.querySelectorAll('g.node').forEach(g => {
        const r = g.querySelector('rect').getBBox();
        g.querySelectorAll('text').forEach(t => {
            const b = t.getBBox();
            labels.push({id: g.dataset.id, text: t.textContent, inside: b.x >= r.x && b.x + b.width <= r.x + r.width &&
                         b.y >= r.y && b.y + b.height <= r.y + r.height && r.x + r.width <= box.width &&
                         r.y + r.height <= box.height});
        });
    });
    return {view, overflow: document.documentElement.scrollWidth - view, cells, labels};
})()"""


@pytest.mark.parametrize("width", [390, 1280])
def test_index_on_a_phone_and_a_desktop(browser, rendered, tmp_path, width):
    """Every result's id and verdict are within the screen; every graph label lies inside its box and the
    SVG; the graph's filter fades the other results and its zoom scales the drawing."""
    run, index = rendered
    browser.emulate(width)
    browser.open(index.resolve().as_uri())
    assert browser.problems == []
    state = browser.evaluate(GEOMETRY)
    assert state["view"] == width, state["view"]
    assert len(state["cells"]) == len(run["results"])
    for cell in state["cells"]:
        left, right, size = cell["verdict"]
        assert size > 0 and 0 <= left and right <= width, cell
        assert 0 <= cell["rid"][0] < width, cell
    assert state["labels"] and all(label["inside"] for label in state["labels"]), \
        [label for label in state["labels"] if not label["inside"]]
    svg = browser.find("svg.dependency-graph")[0]
    before = svg.size["width"]
    browser.find(".graph-controls button[data-zoom=in]")[0].click()
    assert svg.size["width"] == pytest.approx(before * 1.25, rel=0.02)
    browser.driver.execute_script("const s = document.querySelector('.graph-controls select[data-filter=verdict]');"
                                  "s.value = 'BLOCKED'; s.dispatchEvent(new Event('change', {bubbles: true}));")
    faded = browser.evaluate("Array.from(document.querySelectorAll('svg.dependency-graph g.node'))"
                             ".map(g => [g.dataset.verdict, g.classList.contains('faded')])")
    assert {verdict for verdict, dim in faded if not dim} == {"BLOCKED"} and any(dim for _, dim in faded)
    shot = browser.screenshot(tmp_path / f"index-{width}.png", width)
    _png(shot, min_width=width)
    print(f"screenshot: {shot}")


def test_result_page_on_a_phone_puts_the_evidence_first(browser, rendered, tmp_path):
    """At 390 px the verdict is on screen, nothing runs off the right edge but the wide formulas' own
    scroll boxes, and the claims (the deciding interval and plots) come before the parameters."""
    _, index = rendered
    browser.emulate(390)
    browser.open((index.parent / "toy--lemma-true.html").resolve().as_uri())
    assert browser.problems == []
    browser.wait_for(".statement .math.display .katex")
    state = browser.evaluate("""(() => {
        const v = document.querySelector('.verdict-line .verdict').getBoundingClientRect();
        const top = id => document.getElementById(id).getBoundingClientRect().top;
        return {view: document.documentElement.clientWidth, overflow: document.documentElement.scrollWidth,
                verdict: [v.left, v.right], claims: top('claims'), parameters: top('parameters')};
    })()""")
    assert 0 <= state["verdict"][0] and state["verdict"][1] <= state["view"] == 390, state
    assert state["overflow"] <= state["view"], state
    assert state["claims"] < state["parameters"], state
    shot = browser.screenshot(tmp_path / "lemma-true-390.png", 390)
    _png(shot, min_width=390)
    print(f"screenshot: {shot}")
