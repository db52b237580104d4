"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) opens index.html and a
result page from disk (file://), driven over the Chrome DevTools Protocol with a small stdlib
websocket client. Any console error, uncaught exception, failed load (a missing file) or JavaScript
dialog fails the test; the dependency graph and the KaTeX maths must be in the rendered DOM, and a
full-page screenshot of each page is saved to the test's tmp dir.

Chromium is installed with apt-get by a session fixture where it is missing; the tests are skipped,
with the reason, only where that cannot be done.
"""
from __future__ import annotations

import base64
import http.client
import importlib.util
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from verifier.presentation import html as html_report

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--mute-audio", "--disable-breakpad", "--disable-crash-reporter",
                  "--window-size=1280,1000"]


def _find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return "/usr/bin/chromium" if os.access("/usr/bin/chromium", os.X_OK) else None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a Chromium binary; installed with apt-get (Debian package ``chromium``) when missing."""
    found = _find_chromium()
    if found:
        return found
    if shutil.which("apt-get") is None:
        pytest.skip("chromium is not installed and apt-get is not available to install it")
    sudo = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if sudo is None:
        pytest.skip("chromium is not installed and installing it needs root (no sudo)")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    log = []
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
        try:
            done = subprocess.run(sudo + command, capture_output=True, text=True, timeout=900, env=env)
        except (OSError, subprocess.TimeoutExpired) as exc:
            pytest.skip(f"chromium could not be installed: {' '.join(command)}: {exc}")
        log.append(done.stdout[-2000:] + done.stderr[-2000:])
        if done.returncode != 0:
            pytest.skip(f"chromium could not be installed: {' '.join(command)} exited {done.returncode}: "
                        f"{log[-1].strip()[-500:]}")
    found = _find_chromium()
    if not found:
        pytest.skip("apt-get installed chromium but no chromium binary was found on PATH")
    return found


# ---------------------------------------------------------------------------------------------------
# A minimal websocket client (RFC 6455, text frames, client-side masking) and a CDP session on it.
# ---------------------------------------------------------------------------------------------------


class WebSocket:
    def __init__(self, url: str, timeout: float = 30.0):
        parts = urlparse(url)
        self.sock = socket.create_connection((parts.hostname, parts.port), timeout=timeout)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (f"GET {parts.path} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\nUpgrade: websocket\r\n"
                   f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n")
        self.sock.sendall(request.encode())
        response = b""
        while b"\r\n\r\n" not in response:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError("websocket handshake: connection closed")
            response += chunk
        head, self.buffer = response.split(b"\r\n\r\n", 1)
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"websocket handshake refused: {head[:200]!r}")

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(max(65536, n - len(self.buffer)))
            if not chunk:
                raise ConnectionError("websocket closed")
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def _frame(self, opcode: int, payload: bytes) -> None:
        header = bytes([0x80 | opcode])
        size = len(payload)
        if size < 126:
            header += bytes([0x80 | size])
        elif size < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", size)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", size)
        mask = os.urandom(4)
        masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        self.sock.sendall(header + mask + masked)

    def send(self, text: str) -> None:
        self._frame(0x1, text.encode())

    def recv(self) -> str:
        message = b""
        while True:
            first, second = self._read(2)
            opcode, size = first & 0x0F, second & 0x7F
            if size == 126:
                size = struct.unpack(">H", self._read(2))[0]
            elif size == 127:
                size = struct.unpack(">Q", self._read(8))[0]
            mask = self._read(4) if second & 0x80 else None
            payload = self._read(size)
            if mask:
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
            if opcode == 0x8:
                raise ConnectionError("websocket closed by the browser")
            if opcode == 0x9:
                self._frame(0xA, payload)
                continue
            if opcode in (0x0, 0x1, 0x2):
                message += payload
                if first & 0x80:
                    return message.decode()

    def close(self) -> None:
        try:
            self._frame(0x8, b"")
        except OSError:
            pass
        self.sock.close()


class Browser:
    """Headless Chromium with one page target; records every console error, exception, failed load and
    dialog in ``problems``."""

    def __init__(self, binary: str, profile: Path):
        self.log = open(profile.parent / "chromium.log", "w")
        self.process = subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                         "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank"],
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.ws = None
        try:
            self._connect(profile)
        except BaseException:
            self.close()
            raise

    def _connect(self, profile: Path) -> None:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and len(port_file.read_text().splitlines()) >= 2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chromium did not open its DevTools port; see {profile.parent / 'chromium.log'}")
            time.sleep(0.1)
        port = int(port_file.read_text().splitlines()[0])
        page = None
        while page is None and time.monotonic() < deadline:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)  # no proxy, unlike urllib
            try:
                connection.request("GET", "/json/list")
                targets = json.loads(connection.getresponse().read() or b"[]")
            finally:
                connection.close()
            page = next((t for t in targets if t.get("type") == "page"), None)
            if page is None:
                time.sleep(0.1)
        if page is None:
            raise RuntimeError("chromium opened no page target")
        self.ws = WebSocket(page["webSocketDebuggerUrl"])
        self.next_id = 0
        self.problems: list[str] = []
        self.events: list[dict] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def _note(self, event: dict) -> None:
        method, params = event.get("method"), event.get("params", {})
        self.events.append(event)
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            self.problems.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.problems.append(f"uncaught exception: {details.get('exception', {}).get('description') or details.get('text')}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            self.problems.append(f"log error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}")
        elif method == "Network.loadingFailed":
            self.problems.append(f"failed load: {params.get('errorText')} ({params.get('type')})")
        elif method == "Page.javascriptDialogOpening":
            self.problems.append(f"a JavaScript dialog opened: {params.get('message')!r}")
            self.call("Page.handleJavaScriptDialog", accept=False)

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self._note(message)

    def wait_for(self, method: str, timeout: float = 30.0) -> dict:
        deadline = time.monotonic() + timeout
        for event in self.events:
            if event.get("method") == method:
                self.events.remove(event)
                return event
        while time.monotonic() < deadline:
            message = json.loads(self.ws.recv())
            if "method" in message:
                self._note(message)
                if message["method"] == method:
                    self.events.remove(message)
                    return message
        raise TimeoutError(f"no {method} within {timeout} s")

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        self.events.clear()
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.evaluate("document.fonts.ready.then(() => true)")

    def screenshot(self, path: Path) -> Path:
        size = self.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        self.call("Emulation.setDeviceMetricsOverride", width=1280, height=min(int(size[1]), 12000),
                  deviceScaleFactor=1, mobile=False)
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        self.call("Emulation.clearDeviceMetricsOverride")
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    def close(self) -> None:
        """Ask the browser to quit; kill the process group it was started in if it has not within 10 s."""
        if self.ws is not None:
            try:
                self.call("Browser.close")
            except (OSError, RuntimeError, ConnectionError):
                pass
            self.ws.close()
            self.ws = None
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the session (process group) started in __init__
            self.process.wait(timeout=10)
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # helpers it left behind in that group, if any
        except ProcessLookupError:
            pass
        self.log.close()


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
def browser(chromium, tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium") / "profile"
    profile.mkdir()
    session = Browser(chromium, profile)
    yield session
    session.close()


def _png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, f"{path} is not a non-empty PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 800 and height >= 400, (width, height)


def test_index_renders_the_graph_without_console_errors(browser, rendered, tmp_path):
    run, index = rendered
    browser.open(index.resolve().as_uri())
    assert browser.problems == []
    graph = browser.evaluate("""(() => {
        const svg = document.querySelector('svg.dependency-graph');
        if (!svg) return null;
        const box = svg.getBoundingClientRect();
        return {width: box.width, height: box.height, nodes: svg.querySelectorAll('g.node').length,
                links: svg.querySelectorAll('a[href$=".html"]').length,
                blocked: Array.from(svg.querySelectorAll('g.node[data-verdict=BLOCKED] text.blocked-by')).map(t => t.textContent).join(' ')};
    })()""")
    assert graph is not None, "no dependency graph in the rendered DOM"
    assert graph["width"] > 300 and graph["height"] > 100
    assert graph["nodes"] == len(run["results"]) and graph["links"] == len(run["results"])
    assert "lemma-error" in graph["blocked"]
    shot = browser.screenshot(tmp_path / "index.png")
    _png(shot)
    print(f"screenshot: {shot}")


def test_result_page_typesets_maths_and_draws_plots(browser, rendered, tmp_path):
    _, index = rendered
    page = index.parent / "toy--lemma-true.html"
    browser.open(page.resolve().as_uri())
    assert browser.problems == []
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
    text = browser.evaluate("document.querySelector('.statement details pre').textContent")
    assert text == "<script>alert(1)</script>"
    assert browser.evaluate("document.querySelectorAll('.statement .katex').length") == 1
    _png(browser.screenshot(tmp_path / "xss.png"))
