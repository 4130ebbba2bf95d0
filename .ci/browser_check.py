#!/usr/bin/env python3
"""Opens every rendered page in headless Chromium and fails on anything a reader would hit.

For each page of each site folder given (default: Output), in light and dark colour schemes and at
desktop (1280 px) and phone (390 px, mobile viewport) widths, it:

- saves a full-page PNG screenshot to .ci/screenshots/<folder>/<page>-<scheme>-<width>.png
  (git-ignored), to be looked at;
- fails on any console message or uncaught exception (the pages have no scripts, so any message
  is a problem), on any failed load, and on any request that is not to a local file (pages must
  work offline);
- fails when the page is wider than the phone's screen (something does not wrap or scroll);
- fails when a page with <math> has formulas that the browser did not lay out as MathML;
- where a site has search.html, searches it as a reader would: a lesson page's search box (found
  by its label, focused, typed into with key events, submitted with Enter) must open search.html
  with results that link into the course, and a search for nonsense must say it found nothing.

It drives Chromium through the DevTools protocol over a pipe (--remote-debugging-pipe), with the
standard library only. Chromium comes from Debian's `chromium` package, installed when missing.

Usage: python3 .ci/browser_check.py [SITE_FOLDER ...]
"""

import base64
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / ".ci" / "screenshots"
VIEWPORTS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}
SCHEMES = ("light", "dark")
TIMEOUT = 30.0


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    print("chromium is missing; installing Debian's chromium package")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
    subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "chromium"], check=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return shutil.which("chromium")


class Browser:
    """One headless Chromium, spoken to with DevTools protocol messages on fds 3 (in) and 4 (out)."""

    def __init__(self, executable, profile):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        command = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   "--remote-debugging-pipe", "--no-first-run", "--mute-audio",
                   f"--user-data-dir={profile}", "about:blank"]
        # The shell puts the pipe ends where --remote-debugging-pipe expects them.
        shell = f'exec "$@" 3<&{to_browser_read} 4>&{from_browser_write}'
        self.process = subprocess.Popen(["sh", "-c", shell, "sh", *command],
                                        pass_fds=(to_browser_read, from_browser_write),
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._read(deadline, f"{method} got no answer")
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method, what):
        deadline = time.monotonic() + TIMEOUT
        for position, event in enumerate(self.events):
            if event.get("method") == method:
                return self.events.pop(position)
        while True:
            event = self._read(deadline, what)
            if event.get("method") == method:
                return event
            self.events.append(event)

    def _read(self, deadline, what):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe (did it crash?)")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def close(self):
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def problems_in(events):
    """What went wrong while a page loaded, from the events collected meanwhile."""
    found = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            found.append(f"console.{params.get('type')}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            found.append(f"exception: {details.get('exception', {}).get('description', details.get('text'))}")
        elif method == "Log.entryAdded":
            entry = params["entry"]
            found.append(f"console {entry.get('level')}: {entry.get('text')} {entry.get('url', '')}".rstrip())
        elif method == "Network.requestWillBeSent":
            url = params["request"]["url"]
            if not url.startswith(("file:", "data:", "about:")):
                found.append(f"request to {url} (pages must work offline)")
        elif method == "Network.loadingFailed":
            found.append(f"failed load: {params.get('errorText')}")
    return found


PAGE_FACTS = """(() => {
  const maths = [...document.querySelectorAll('math')];
  const unrendered = maths.filter(m => m.namespaceURI !== 'http://www.w3.org/1998/Math/MathML'
                                      || m.getBoundingClientRect().width === 0).length;
  return JSON.stringify({width: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth,
                         height: document.documentElement.scrollHeight, maths: maths.length, unrendered});
})()"""


def check_page(browser, session, page, folder_name, scheme, viewport):
    width, height, mobile = VIEWPORTS[viewport]
    browser.send("Emulation.setDeviceMetricsOverride",
                 {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session)
    browser.send("Emulation.setEmulatedMedia",
                 {"features": [{"name": "prefers-color-scheme", "value": scheme}]}, session)
    browser.events.clear()
    browser.send("Page.navigate", {"url": page.as_uri()}, session)
    browser.wait_for("Page.loadEventFired", f"{page.name} did not finish loading")
    result = browser.send("Runtime.evaluate", {"expression": PAGE_FACTS, "returnByValue": True}, session)
    facts = json.loads(result["result"]["value"])
    problems = problems_in(browser.events)
    if facts["width"] > facts["viewport"]:
        problems.append(f"the page is {facts['width']} px wide in a {facts['viewport']} px {viewport} viewport")
    if facts["unrendered"]:
        problems.append(f"{facts['unrendered']} of {facts['maths']} formulas were not laid out as MathML")
    shot = browser.send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": facts["height"], "scale": 1}}, session)
    target = SCREENSHOTS / folder_name / f"{page.stem}-{scheme}-{viewport}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(base64.b64decode(shot["data"]))
    return problems


SEARCH_FACTS = """(() => {
  const links = [...document.querySelectorAll('#search-results li a')].map(a => a.getAttribute('href'));
  return JSON.stringify({url: location.href, query: document.getElementById('search-query').value,
                         status: document.getElementById('search-status').textContent, links});
})()"""


def check_search(browser, session, folder, word):
    """Searches the site in `folder` through a lesson page's box, with the keyboard; returns problems."""
    problems = []
    lesson = next((page for page in sorted(folder.resolve().glob("[0-9]*.html"))), None)
    if lesson is None:
        return ["no lesson page to search from"]
    browser.events.clear()
    browser.send("Page.navigate", {"url": lesson.as_uri()}, session)
    browser.wait_for("Page.loadEventFired", f"{lesson.name} did not finish loading")
    focused = browser.send("Runtime.evaluate", {"expression": """(() => {
      const label = [...document.querySelectorAll('label')].find(l => l.htmlFor === 'search-query');
      const box = label && document.getElementById(label.htmlFor);
      if (!box) return false;
      box.focus();
      return document.activeElement === box;
    })()""", "returnByValue": True}, session)["result"].get("value")
    if not focused:
        return [f"{lesson.name} has no labelled search box that takes the focus"]
    for character in word:
        browser.send("Input.dispatchKeyEvent", {"type": "char", "text": character}, session)
    browser.events.clear()
    for kind in ("keyDown", "keyUp"):
        browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                "windowsVirtualKeyCode": 13, "text": "\r" if kind == "keyDown" else ""},
                     session)
    browser.wait_for("Page.loadEventFired", "submitting the search box opened no page")
    facts = json.loads(browser.send("Runtime.evaluate", {"expression": SEARCH_FACTS, "returnByValue": True},
                                    session)["result"]["value"])
    problems += problems_in(browser.events)
    if "search.html?q=" not in facts["url"] or facts["query"] != word:
        problems.append(f"the box opened {facts['url']} with '{facts['query']}' in it, not search.html?q={word}")
    if not facts["links"] or not all(link.split("#")[0].endswith(".html") for link in facts["links"]):
        problems.append(f"searching for '{word}' found {facts['status']!r}: {facts['links'][:3]}")
    nothing = "zzqxv"
    browser.send("Runtime.evaluate", {"expression": f"""(() => {{ const box = document.getElementById('search-query');
      box.value = '{nothing}'; box.dispatchEvent(new Event('input')); }})()"""}, session)
    after = json.loads(browser.send("Runtime.evaluate", {"expression": SEARCH_FACTS, "returnByValue": True},
                                    session)["result"]["value"])
    if after["links"] or not after["status"].startswith("0 "):
        problems.append(f"searching for '{nothing}' said {after['status']!r} with {len(after['links'])} results")
    if not problems:
        print(f"ok     {folder}: the search box found {facts['status']} for '{word}', then {after['status']} for '{nothing}'")
    return problems


def main(folders):
    pages = []
    for folder in folders:
        found = sorted(pathlib.Path(folder).resolve().glob("*.html"))
        if not found:
            print(f"no pages in {folder}; render the site first")
            return 1
        pages += [(pathlib.Path(folder), page) for page in found]
    executable = find_chromium()
    failures = 0
    with tempfile.TemporaryDirectory(prefix="cuaderno-chromium-") as profile:
        browser = Browser(executable, profile)
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                browser.send(f"{domain}.enable", {}, session)
            for folder in {folder for folder, _ in pages}:
                if (folder / "search.html").exists():
                    problems = check_search(browser, session, folder, "softmax")
                    for problem in problems:
                        print(f"FAILED {folder}: search: {problem}")
                    failures += bool(problems)
            for folder, page in pages:
                folder_name = str(folder).replace("/", "-").strip(".-") or "site"
                for scheme in SCHEMES:
                    for viewport in VIEWPORTS:
                        problems = check_page(browser, session, page, folder_name, scheme, viewport)
                        status = "ok" if not problems else "FAILED"
                        print(f"{status:6} {folder / page.name} ({scheme}, {viewport})")
                        for problem in problems:
                            print(f"       {problem}")
                        failures += bool(problems)
        finally:
            browser.close()
    print(f"screenshots in {SCREENSHOTS.relative_to(ROOT)}/")
    if failures:
        print(f"browser check failed: {failures} page views with problems")
        return 1
    print(f"browser check passed: {len(pages)} pages, each in {len(SCHEMES)} schemes at {len(VIEWPORTS)} widths")
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main(sys.argv[1:] or ["Output"]))
