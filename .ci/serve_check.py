#!/usr/bin/env python3
"""`cuaderno serve` as an author and as a learner use it, in headless Chromium.

It copies lesson 1 into a temporary course, starts the real binary on a free port, and:

- opens the URL it prints (with the token): the browser is sent on to the index, and the token
  becomes a cookie; then opens the lesson's page;
- saves a prose edit to the lesson file and waits — without reloading by hand — until the page
  shows it;
- breaks a cell (a type error) and waits for the overlay that names the broken line (the
  compiler's, not the cell's fence), with the cell outlined; mends it and waits for the overlay to go,
  with the page still scrolled to that cell;
- asks for a page without the token, and with another Host: both 403;
- stops the server with Ctrl-C (SIGINT) and expects a clean exit;
- then, on a learner's workbook (`cuaderno start`, `cuaderno serve --workbook`): types lesson 1's
  softmax into the exercise's editor, presses Run, and expects the checks to pass and the workbook
  file to be the released one with only that exercise replaced; types again while the same
  exercise is edited in the file, presses Run, and expects the conflict message with both versions
  kept and the file untouched.

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


SOLUTION = """/// The softmax of each row of `scores`: `exp(s − max(s)) / Σ exp(s − max(s))`.
func softmaxRows(_ scores: Tensor) -> Tensor {
    let shifted = scores - scores.max(axis: -1, keepDims: true)
    let exponentials = shifted.exp()
    return exponentials / exponentials.sum(axis: -1, keepDims: true)
}"""


def learner_session(failures):
    """`cuaderno serve --workbook`: type a solution into the page, press Run, see the checks pass, and
    find the solution in the workbook's file with every other byte unchanged; then edit the file in
    between and see the conflict, with both versions kept."""
    with tempfile.TemporaryDirectory(prefix="cuaderno-serve-workbook-") as temporary:
        course = pathlib.Path(temporary)
        (course / "Lessons").mkdir()
        shutil.copy(ROOT / "Lessons" / LESSON, course / "Lessons" / LESSON)
        subprocess.run([str(CUADERNO), "start"], cwd=course, check=True, stdout=subprocess.DEVNULL)
        workbook_file = course / "Workbook" / LESSON
        released = workbook_file.read_text(encoding="utf-8")
        port = free_port()
        server = subprocess.Popen([str(CUADERNO), "serve", "--workbook", "--port", str(port), "--no-open"],
                                  cwd=course, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            url = re.search(r"(http://\S+token=[0-9a-f]{64})", server.stdout.readline()).group(1)
            with tempfile.TemporaryDirectory(prefix="cuaderno-chromium-") as profile:
                browser = Browser(find_chromium(), profile)
                try:
                    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
                    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
                    for domain in ("Page", "Runtime"):
                        browser.send(f"{domain}.enable", {}, session)
                    browser.send("Emulation.setDeviceMetricsOverride",
                                 {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session)
                    browser.send("Page.navigate", {"url": url}, session)
                    wait_until(browser, session, "location.pathname === '/' && document.readyState === 'complete'",
                               "the workbook's URL did not open its index")
                    browser.send("Page.navigate", {"url": f"http://127.0.0.1:{port}/{LESSON[:-3]}.html"}, session)
                    editor = "document.getElementById('cuaderno-editor-softmax-rows')"
                    wait_until(browser, session, f"!!{editor}", "the exercise has no editor in the page")
                    cell = "document.getElementById('cell-softmax-rows').closest('.cell') || document.getElementById('cell-softmax-rows')"
                    # Typed as a learner types: focus the box, select all, insert the text.
                    evaluate(browser, session, f"{editor}.focus(); {editor}.select(); true")
                    browser.send("Input.insertText", {"text": SOLUTION}, session)
                    evaluate(browser, session, f"{editor}.scrollIntoView({{block: 'center'}}); true")
                    screenshot(browser, session, "6-workbook-typed")
                    evaluate(browser, session, f"{editor}.parentElement.querySelector('button.cuaderno-run').click(); true")
                    wait_until(browser, session,
                               f"!!{editor} && {editor}.value.includes('exponentials.sum') && !sessionStorage.getItem('cuaderno:{LESSON[:-3]}.html:softmax-rows')"
                               " && document.body.innerText.includes('Check passed')",
                               "Run did not lead to a page where the checks pass")
                    evaluate(browser, session, f"{editor}.scrollIntoView({{block: 'start'}}); true")
                    screenshot(browser, session, "7-workbook-run-passed")
                    written = workbook_file.read_text(encoding="utf-8")
                    start = released.index("func softmaxRows")
                    start = released.rindex("\n", 0, start)
                    start = released.rindex("\n", 0, start) + 1
                    end = released.index("\n```", start) + 1
                    if written != released[:start] + SOLUTION + "\n" + released[end:]:
                        failures.append("the workbook file is not the released one with only the exercise replaced")
                    else:
                        print("ok     Run in the page wrote only the exercise into the workbook file, and its checks pass")

                    # Run again, three times with new text each time: the server tells the page to reload
                    # while the Run's answer is on its way, and the page must still take the answer
                    # (once it did not, and the next Run saw a false conflict).
                    for again in range(1, 4):
                        evaluate(browser, session, f"{editor}.focus(); {editor}.select(); true")
                        browser.send("Input.insertText", {"text": f"{SOLUTION}\n// run {again}"}, session)
                        evaluate(browser, session, f"{editor}.parentElement.querySelector('button.cuaderno-run').click(); true")
                        wait_until(browser, session,
                                   f"!!document.querySelector('.cuaderno-conflict') || (!!{editor} && {editor}.value.includes('// run {again}')"
                                   f" && !sessionStorage.getItem('cuaderno:{LESSON[:-3]}.html:softmax-rows') && document.readyState === 'complete'"
                                   " && document.body.innerText.includes('Check passed'))",
                                   f"Run {again + 1} did not lead to a page where the checks pass")
                        if evaluate(browser, session, "!!document.querySelector('.cuaderno-conflict')"):
                            failures.append(f"Run {again + 1} saw a conflict although nothing else changed the file")
                            break
                    else:
                        print("ok     three more Runs in a row, each written and passing, with no false conflict")
                    written = workbook_file.read_text(encoding="utf-8")

                    # A conflict: the learner types in the page, and meanwhile edits the file elsewhere.
                    evaluate(browser, session, f"{editor}.focus(); {editor}.select(); true")
                    browser.send("Input.insertText", {"text": SOLUTION + "\n// typed in the page"}, session)
                    in_editor = written.replace("    let shifted = scores", "    // edited in the editor\n    let shifted = scores")
                    workbook_file.write_text(in_editor, encoding="utf-8")
                    # The page reloads after the save; the typed text is kept across the reload.
                    wait_until(browser, session, f"!!{editor} && {editor}.value.includes('typed in the page')"
                               " && document.readyState === 'complete'", "the typed text was lost")
                    time.sleep(1.0)
                    wait_until(browser, session, f"!!{editor} && {editor}.value.includes('typed in the page')",
                               "the typed text was lost after the reload")
                    evaluate(browser, session, f"{editor}.parentElement.querySelector('button.cuaderno-run').click(); true")
                    wait_until(browser, session, "!!document.querySelector('.cuaderno-conflict')",
                               "no conflict message when the file changed under the page")
                    facts = json.loads(evaluate(browser, session, f"""JSON.stringify({{
                        mine: {editor}.value, theirs: document.querySelector('.cuaderno-file-version').textContent}})"""))
                    evaluate(browser, session, "document.querySelector('.cuaderno-conflict').scrollIntoView({block: 'center'}); true")
                    screenshot(browser, session, "8-workbook-conflict")
                    if "typed in the page" not in facts["mine"] or "edited in the editor" not in facts["theirs"]:
                        failures.append(f"the conflict does not keep both versions: {facts}")
                    elif workbook_file.read_text(encoding="utf-8") != in_editor:
                        failures.append("the file was overwritten despite the conflict")
                    else:
                        print("ok     an exercise edited on disk meanwhile: the conflict message, both versions kept, the file untouched")
                finally:
                    browser.close()
        finally:
            server.send_signal(signal.SIGINT)
            try:
                server.communicate(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                failures.append("Ctrl-C did not stop the workbook server within 20 s")


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
                    # The sentence is below the first screen: bring it into the screenshot.
                    evaluate(browser, session, "[...document.querySelectorAll('main p')]"
                             f".find(p => p.textContent.includes({json.dumps(marker)})).scrollIntoView({{block: 'center'}})")
                    screenshot(browser, session, "3-prose-edit")
                    print("ok     a saved prose edit appeared in the page without a manual reload")

                    # A cell that does not compile: the overlay names its line.
                    fence = next(number for number, line in enumerate(edited.split("\n"), 1) if line.startswith("```swift"))
                    lines = edited.split("\n")
                    lines.insert(fence, 'let broken: Int = "not a number"')
                    broken = fence + 1  # the inserted line, right under the fence
                    lesson_file.write_text("\n".join(lines), encoding="utf-8")
                    wait_until(browser, session,
                               f"!!document.querySelector('#cuaderno-problems-overlay .cuaderno-problem[data-line=\"{broken}\"]')",
                               f"no overlay at the broken line {broken}")
                    text = evaluate(browser, session, "document.getElementById('cuaderno-problems-overlay').innerText")
                    if "cannot convert" not in text:
                        failures.append(f"the overlay does not say what is wrong: {text[:300]!r}")
                    screenshot(browser, session, "4-broken-cell-overlay")
                    print(f"ok     a broken cell showed the overlay at the compiler's line, {broken}")

                    # The page stays where the author was: at the failing cell it scrolled to.
                    scrolled = evaluate(browser, session, "Math.round(scrollY)")
                    lesson_file.write_text(edited, encoding="utf-8")
                    wait_until(browser, session, "!document.getElementById('cuaderno-problems-overlay')"
                               " && document.readyState === 'complete' && !!document.querySelector('.cell')",
                               "the overlay stayed after the cell was mended")
                    try:
                        wait_until(browser, session, f"Math.abs(scrollY - {scrolled}) <= 1",
                                   "the mended page did not keep its scroll position")
                    except TimeoutError as error:
                        failures.append(f"{error}: it was at {scrolled} px, it is at "
                                        f"{evaluate(browser, session, 'Math.round(scrollY)')} px")
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
    try:
        learner_session(failures)
    except (TimeoutError, RuntimeError, AttributeError) as error:
        failures.append(f"the workbook session: {error}")
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
