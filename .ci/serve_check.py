#!/usr/bin/env python3
"""`cuaderno serve` as an author uses it, in headless Chromium.

It copies lesson 1 into a temporary course, starts the real binary on a free port, and:

- opens the URL it prints (with the token): the browser is sent on to the index, and the token
  becomes a cookie; then opens the lesson's page;
- saves a prose edit to the lesson file and waits — without reloading by hand — until the page
  shows it;
- breaks a cell (a type error) and waits for the overlay that names the cell's line, with the
  cell outlined; mends it and waits for the overlay to go;
- asks for a page without the token, and with another Host: both 403;
- stops the server with Ctrl-C (SIGINT) and expects a clean exit.

Screenshots of each state go to .ci/screenshots/serve/. Chromium is driven over the DevTools
protocol (browser_check.Browser), with the standard library only.

Usage: python3 .ci/serve_check.py
"""

import base64
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from browser_check import Browser, find_chromium, problems_in  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / ".ci" / "screenshots" / "serve"
CUADERNO = ROOT / ".build" / "debug" / "cuaderno"
LESSON = "01-self-attention.md"
WAIT = 120.0


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def evaluate(browser, session, expression):
    result = browser.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
    return result["result"].get("value")


def wait_until(browser, session, expression, what):
    """Polls `expression` in the page until it is true (the page may reload meanwhile)."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            if evaluate(browser, session, expression):
                return
        except RuntimeError:
            pass  # the page was between two documents
        time.sleep(0.25)
    raise TimeoutError(what)


def screenshot(browser, session, name):
    height = evaluate(browser, session, "document.documentElement.scrollHeight") or 900
    shot = browser.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False}, session)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
    return height


def http_status(url, headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main():
    if not CUADERNO.exists():
        print("build cuaderno first (make build)")
        return 1
    failures = []
    with tempfile.TemporaryDirectory(prefix="cuaderno-serve-") as temporary:
        course = pathlib.Path(temporary)
        lessons = course / "Lessons"
        lessons.mkdir()
        lesson_file = lessons / LESSON
        original = (ROOT / "Lessons" / LESSON).read_text(encoding="utf-8")
        lesson_file.write_text(original, encoding="utf-8")
        port = free_port()
        server = subprocess.Popen(
            [str(CUADERNO), "serve", "--port", str(port), "--no-open", "--lessons-dir", str(lessons),
             "--output", str(course / "Output"), "--cache-dir", str(ROOT / ".cuaderno-cache")],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            first_line = server.stdout.readline()
            match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{64})", first_line)
            if not match:
                print(f"FAILED serve printed no URL with a token: {first_line!r}")
                return 1
            url = match.group(1)
            print(f"ok     serve printed {url[:url.index('token=') + 10]}…")

            base = f"http://127.0.0.1:{port}"
            if http_status(f"{base}/{LESSON[:-3]}.html", {}) != 403:
                failures.append("a request without the token was not refused with 403")
            if http_status(f"{base}/{LESSON[:-3]}.html", {"Host": f"evil.example:{port}"}) != 403:
                failures.append("a request with another Host was not refused with 403")
            if not failures:
                print("ok     without the token, and with another Host: 403")

            with tempfile.TemporaryDirectory(prefix="cuaderno-chromium-") as profile:
                browser = Browser(find_chromium(), profile)
                try:
                    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
                    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
                    for domain in ("Page", "Runtime", "Log"):
                        browser.send(f"{domain}.enable", {}, session)
                    browser.send("Emulation.setDeviceMetricsOverride",
                                 {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)

                    browser.send("Page.navigate", {"url": url}, session)
                    wait_until(browser, session, "location.pathname === '/' && document.readyState === 'complete'"
                               " && !!document.querySelector('a[href$=\".html\"]')", "the token URL did not lead to the index")
                    if "token" in evaluate(browser, session, "location.href"):
                        failures.append("the token stayed in the address bar")
                    screenshot(browser, session, "1-index")
                    print("ok     the URL with the token opened the index, and the token left the address bar")

                    page = f"{base}/{LESSON[:-3]}.html"
                    browser.send("Page.navigate", {"url": page}, session)
                    wait_until(browser, session, "document.readyState === 'complete' && !!document.querySelector('.cell')",
                               "the lesson page did not load")
                    browser.events.clear()
                    screenshot(browser, session, "2-lesson")

                    # A prose edit, saved as an editor would: the page follows by itself.
                    marker = "Served live: this sentence was added while the page was open."
                    edited = original.replace("\n## ", f"\n{marker}\n\n## ", 1)
                    lesson_file.write_text(edited, encoding="utf-8")
                    wait_until(browser, session, f"document.body.innerText.includes({json.dumps(marker)})",
                               "the page did not show the saved prose edit")
                    screenshot(browser, session, "3-prose-edit")
                    print("ok     a saved prose edit appeared in the page without a manual reload")

                    # A cell that does not compile: the overlay names its line.
                    fence = next(number for number, line in enumerate(edited.split("\n"), 1) if line.startswith("```swift"))
                    lines = edited.split("\n")
                    lines.insert(fence, 'let broken: Int = "not a number"')
                    lesson_file.write_text("\n".join(lines), encoding="utf-8")
                    wait_until(browser, session,
                               f"!!document.querySelector('#cuaderno-problems-overlay .cuaderno-problem[data-line=\"{fence}\"]')",
                               f"no overlay for the broken cell at line {fence}")
                    text = evaluate(browser, session, "document.getElementById('cuaderno-problems-overlay').innerText")
                    if "cannot convert" not in text:
                        failures.append(f"the overlay does not say what is wrong: {text[:300]!r}")
                    screenshot(browser, session, "4-broken-cell-overlay")
                    print(f"ok     a broken cell showed the overlay at line {fence}")

                    lesson_file.write_text(edited, encoding="utf-8")
                    wait_until(browser, session, "!document.getElementById('cuaderno-problems-overlay')"
                               " && document.readyState === 'complete' && !!document.querySelector('.cell')",
                               "the overlay stayed after the cell was mended")
                    screenshot(browser, session, "5-mended")
                    print("ok     the next good save cleared the overlay")
                    problems = [p for p in problems_in(browser.events) if "request to" not in p]
                    failures += [f"in the page: {p}" for p in problems]
                finally:
                    browser.close()

            server.send_signal(signal.SIGINT)
            try:
                rest, _ = server.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                failures.append("Ctrl-C did not stop the server within 20 s")
                rest = ""
            if server.returncode != 0 or "Stopped serving." not in rest:
                failures.append(f"Ctrl-C: exit status {server.returncode}, output {rest[-300:]!r}")
            else:
                print("ok     Ctrl-C stopped the server cleanly")
        finally:
            if server.poll() is None:
                server.kill()
    for failure in failures:
        print(f"FAILED {failure}")
    print(f"screenshots in {SCREENSHOTS.relative_to(ROOT)}/")
    if failures:
        print(f"serve check failed: {len(failures)} problems")
        return 1
    print("serve check passed")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
