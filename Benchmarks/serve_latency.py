#!/usr/bin/env python3
"""How long `cuaderno serve` takes to show a change, measured in headless Chromium.

Three latencies, each measured N times on a temporary copy of lesson 1 with the real binary:

1. Prose edit (author mode, `cuaderno serve --lessons-dir … --output … --cache-dir …`, all in a
   temporary folder): a word in the lesson's first paragraph is changed and the file saved
   atomically, as editors do (the whole text written to a temporary file beside it, then renamed
   over it). Measured from just before the write to the moment the reloaded page's
   `document.body.innerText` contains the new word. The page is opened and the lesson run once
   first (it compiles; the execution cache is empty), then one prose edit is made and not counted,
   so that the counted edits hit the execution cache as an author's do.
2. Code edit (same server): the divisor of `print("an even split would be:", 1.0 / 3.0)` is changed
   (a different value each time, so the execution cache never has it and the lesson is compiled
   and run again); measured from just before the write to the moment the page's text contains the
   new printed value (`1.0 / 7.0` → `0.14285714285714285`, Swift and Python print a Double alike).
3. Run (learner mode, `cuaderno start`, then `cuaderno serve --workbook`): a correct softmax is
   typed into the exercise's editor (focus, select all, Input.insertText, as .ci/serve_check.py
   does), alternating two different correct solutions, each ending in a comment with the repeat's
   number so that the exercise's code is new every time and the workbook's execution cache never
   has it. Measured from the click on Run (in the page) to the moment a reloaded page shows the
   new code in the editor and ✓ on every check of the exercise. One Run is made first and not
   counted (the first one turns the failing checks into passing ones).

How the end is detected: a script added to every new document of the tab
(Page.addScriptToEvaluateOnNewDocument) tests, when the reloaded document's DOMContentLoaded fires
(the served pages are static, so their whole text is in the DOM then), whether the page shows what
is awaited (the awaited word is put in sessionStorage before the write), and writes the time
(`performance.timeOrigin + performance.now()`, the wall clock in ms) into sessionStorage; the next
animation frame's time is kept too (≈ the first frame painted with it). Python polls that record
every 5 ms (reading sessionStorage, not the page's text, so that the polling does not slow the
page down), and converts the time to its own clock with the offset between the two clocks, measured
at the start (printed; it is well under a millisecond on one machine). The same script wraps
`WebSocket`, so that the time each of the server's messages reached the page (`running`: the server
noticed the change and started the lesson; `reload`: the new page is written) is kept too; the
breakdown columns come from these:

  noticed   write → `running` message (the server's watcher looks at the file every 0.3 s and runs it
            once two looks in a row agree, so 0.3–0.6 s here by design)
  run       `running` → `reload` message (compile and run the lesson, or take it from the cache;
            write the page)
  reload    `reload` message → DOMContentLoaded of the new document (the browser asks for the page
            again, parses and lays it out)

For a Run, "noticed" is the click → `running` (the page's POST, the exercise written into the file);
the server runs the lesson at once, without the watcher. The server sends `reload` before it answers
the POST; when the reload wins, the page never reads the answer and keeps the typed text in
sessionStorage with the exercise's old code as its base, so the next Run would get a false conflict
(409). The script counts these Runs ("stale base"), and clears the stale text and reloads the page
outside the measured time, so that the next Run can be measured.

Usage:
    python3 Benchmarks/serve_latency.py [--repeats N] [--binary PATH] [--chromium PATH] [--json FILE]

--repeats N sets N for all three (default: 10 prose edits, 5 code edits, 5 Runs). The binary is
.build/debug/cuaderno unless --binary says otherwise; it is not built here (`make build` or
`swift build` first). Chromium comes from browser_check.find_chromium() (Debian's `chromium`,
installed when missing). Each wait gives up after --wait seconds (default 120; the first run of the
lesson, which compiles it, gets 3 times as long) and says what did not happen. Everything is in
temporary folders, removed at the end; the servers are stopped with Ctrl-C (SIGINT), Chromium is
closed, also after a failure. Nothing in the repository is written.
"""

import argparse
import json
import os
import pathlib
import platform
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / ".ci"))
from browser_check import Browser, find_chromium  # noqa: E402

LESSON = "01-self-attention.md"
PAGE = LESSON[:-3] + ".html"
EXERCISE = "softmax-rows"
AIMS = {"prose": "≤ 200 ms", "code": "≤ 1 s", "run": "none"}

# The first paragraph's last words, where the prose edit puts its word.
PROSE_ANCHOR = "check\nevery number."
# The printed value whose constant the code edit changes.
CODE_LINE = 'print("an even split would be:", 1.0 / 3.0)'

SOLUTIONS = [
    ("exponentials.sum", """/// The softmax of each row of `scores`: `exp(s − max(s)) / Σ exp(s − max(s))`.
func softmaxRows(_ scores: Tensor) -> Tensor {
    let shifted = scores - scores.max(axis: -1, keepDims: true)
    let exponentials = shifted.exp()
    return exponentials / exponentials.sum(axis: -1, keepDims: true)
}"""),
    ("let rowTotals = e.sum", """/// The softmax of each row of `scores`: `exp(s − max(s)) / Σ exp(s − max(s))`.
func softmaxRows(_ scores: Tensor) -> Tensor {
    let rowMax = scores.max(axis: -1, keepDims: true)
    let e = (scores - rowMax).exp()
    let rowTotals = e.sum(axis: -1, keepDims: true)
    return e / rowTotals
}"""),
]

# Runs at the start of every document of the tab, before the page's own scripts.
PROBE_SCRIPT = r"""
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const probe = () => JSON.parse(sessionStorage.getItem("__latency_probe") || "null");
  // The server's messages: when each reached the page (before live.js reloads it).
  const Native = window.WebSocket;
  function Probed(...args) {
    const socket = new Native(...args);
    socket.addEventListener("message", (event) => {
      const current = probe();
      if (!current) return;
      let kind = "?";
      try { kind = JSON.parse(event.data).kind; } catch (error) {}
      const key = "__latency_ws:" + current.id;
      const log = JSON.parse(sessionStorage.getItem(key) || "[]");
      log.push({ kind, t: now() });
      sessionStorage.setItem(key, JSON.stringify(log));
    });
    return socket;
  }
  Probed.prototype = Native.prototype;
  Object.assign(Probed, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
  window.WebSocket = Probed;

  function exerciseDone(id, marker) {
    const editor = document.getElementById("cuaderno-editor-" + id);
    if (!editor || !editor.value.includes(marker)) return false;
    const cells = [...document.querySelectorAll(".cell")];
    const at = cells.findIndex((cell) => cell.id === "cell-" + id);
    if (at < 0) return false;
    let checks = 0;
    for (let i = at + 1; i < cells.length && cells[i].classList.contains("cell-check"); i++) {
      if (!cells[i].querySelector(".check.passed") || cells[i].querySelector(".check.failed")) return false;
      checks++;
    }
    return checks > 0;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const current = probe();
    if (!current) return;
    const key = "__latency_seen:" + current.id;
    if (sessionStorage.getItem(key)) return;
    const shown = current.kind === "text" ? document.body.innerText.includes(current.text)
                                          : exerciseDone(current.exercise, current.text);
    if (!shown) return;
    const record = { shown: now(), origin: performance.timeOrigin };
    sessionStorage.setItem(key, JSON.stringify(record));
    requestAnimationFrame(() => {
      record.frame = now();
      sessionStorage.setItem(key, JSON.stringify(record));
    });
  });
})();
"""


class Failure(Exception):
    """Something did not happen; the message says what."""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def retrying(what, action, attempts=6, pause=5.0):
    """`action()`, tried again after a pause when the binary cannot be started (being relinked)."""
    for attempt in range(attempts):
        try:
            return action()
        except (OSError, Failure) as error:
            if attempt == attempts - 1:
                raise Failure(f"{what}: {error}") from error
            print(f"  {what} failed ({error}); trying again in {pause:.0f} s (is the binary being rebuilt?)")
            time.sleep(pause)


class Server:
    """`cuaderno serve …` on a free port; its output read by a thread (so its pipe never fills)."""

    def __init__(self, binary, arguments, cwd, wait):
        self.port = free_port()
        self.process = subprocess.Popen([str(binary), "serve", "--port", str(self.port), "--no-open", *arguments],
                                        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines = queue.Queue()
        self.output = []
        threading.Thread(target=self._read, daemon=True).start()
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    raise Failure(f"cuaderno serve printed no URL within {wait:.0f} s") from None
                if line is None:
                    raise Failure(f"cuaderno serve exited ({self.process.wait()}) before printing its URL: "
                                  f"{''.join(self.output)[-500:]!r}")
                match = re.search(r"(http://127\.0\.0\.1:\d+/\?token=[0-9a-f]{64})", line)
                if match:
                    self.url = match.group(1)
                    self.base = f"http://127.0.0.1:{self.port}"
                    return
        except BaseException:
            self.stop()
            raise

    def _read(self):
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)
        self.lines.put(None)

    def stop(self):
        """Ctrl-C; killed if it does not stop within 20 s. Returns a problem, or None."""
        if self.process.poll() is not None:
            return None
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return "Ctrl-C did not stop cuaderno serve within 20 s; killed"
        return None


class Tab:
    """One page of a headless Chromium, with the probe script in each of its documents."""

    def __init__(self, chromium, profile):
        self.browser = Browser(chromium, profile)
        target = self.browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False})
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE_SCRIPT})

    def send(self, method, params=None):
        result = self.browser.send(method, params or {}, self.session)
        self.browser.events.clear()   # nothing here reads events; do not let them pile up
        return result

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"in the page: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def wait_until(self, expression, what, wait, every=0.25):
        """Polls `expression` in the page until it is true (the page may reload meanwhile)."""
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
                if value:
                    return value
            except RuntimeError:
                pass  # the page was between two documents
            time.sleep(every)
        raise Failure(f"{what} within {wait:.0f} s")

    def open(self, server, wait, ready):
        self.send("Page.navigate", {"url": server.url})
        self.wait_until("location.pathname === '/' && document.readyState === 'complete'",
                        "the URL with the token did not open the index", wait)
        self.send("Page.navigate", {"url": f"{server.base}/{PAGE}"})
        self.wait_until(f"document.readyState === 'complete' && ({ready})",
                        f"{PAGE} did not load (the lesson's first run)", 3 * wait)

    def clock_offset(self):
        """Chromium's wall clock minus Python's, in ms (the median of a few looks)."""
        offsets = []
        for _ in range(7):
            before = time.time() * 1000
            page = self.evaluate("performance.timeOrigin + performance.now()")
            after = time.time() * 1000
            offsets.append((page - (before + after) / 2, after - before))
        offsets.sort(key=lambda o: o[1])          # the quickest round trips say it best
        return statistics.median(o[0] for o in offsets[:4])

    def close(self):
        self.browser.close()


def await_probe(tab, probe, wait, what):
    """Polls sessionStorage every 5 ms until the probe script saw the awaited page; its record."""
    key = json.dumps("__latency_seen:" + probe["id"])
    deadline = time.monotonic() + wait
    record = None
    while record is None:
        if time.monotonic() > deadline:
            raise Failure(f"{what} within {wait:.0f} s; the page: {page_state(tab)}")
        try:
            record = tab.evaluate(f"sessionStorage.getItem({key})")
        except RuntimeError:
            pass
        if record is None:
            time.sleep(0.005)
    record = json.loads(record)
    # The animation frame after it, and a settled page before the next step.
    tab.wait_until(f"document.readyState === 'complete' && !!JSON.parse(sessionStorage.getItem({key}) || '{{}}').frame",
                   f"{what}: the page did not finish loading", wait, every=0.02)
    record = json.loads(tab.evaluate(f"sessionStorage.getItem({key})"))
    record["ws"] = json.loads(tab.evaluate(f"sessionStorage.getItem({json.dumps('__latency_ws:' + probe['id'])}) || '[]'"))
    return record


def page_state(tab):
    """What the page says, for a failure's message."""
    try:
        return tab.evaluate("""JSON.stringify({
            overlay: document.getElementById('cuaderno-problems-overlay')?.innerText.slice(0, 400),
            banner: document.getElementById('cuaderno-banner')?.innerText,
            status: [...document.querySelectorAll('.cuaderno-status')].map(s => s.innerText.slice(0, 200)).filter(s => s),
            checks: [...document.querySelectorAll('.cell-check .check')].map(c => c.className)})""")
    except (RuntimeError, TimeoutError) as error:
        return f"(could not be read: {error})"


def set_probe(tab, probe):
    tab.evaluate(f"sessionStorage.setItem('__latency_probe', {json.dumps(json.dumps(probe))}); true")


def measure(record, start_page_ms):
    """One sample from the probe's record; `start_page_ms` is the start, on the page's clock."""
    messages = {}
    for message in record["ws"]:
        messages.setdefault(message["kind"], message["t"])
    sample = {"total": record["shown"] - start_page_ms, "frame": record["frame"] - start_page_ms}
    running, reload = messages.get("running"), messages.get("reload")
    sample["noticed"] = running - start_page_ms if running else None
    sample["run"] = reload - running if running and reload else None
    sample["reload"] = record["shown"] - reload if reload else None
    sample["navigation_to_shown"] = record["shown"] - record["origin"]
    return {key: (round(value, 1) if value is not None else None) for key, value in sample.items()}


def write_atomically(path, text):
    temporary = path.with_name(f".{path.name}.latency-tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def author_session(args, chromium, results):
    with tempfile.TemporaryDirectory(prefix="cuaderno-latency-course-") as temporary:
        course = pathlib.Path(temporary)
        lessons = course / "Lessons"
        lessons.mkdir()
        lesson_file = lessons / LESSON
        original = (ROOT / "Lessons" / LESSON).read_text(encoding="utf-8")
        for needed in (PROSE_ANCHOR, CODE_LINE):
            if original.count(needed) != 1:
                raise Failure(f"Lessons/{LESSON} no longer has {needed!r} once; update serve_latency.py")
        lesson_file.write_text(original, encoding="utf-8")
        server = retrying("starting cuaderno serve", lambda: Server(
            args.binary, ["--lessons-dir", str(lessons), "--output", str(course / "Output"),
                          "--cache-dir", str(course / "cache")], course, args.wait))
        tab = None
        try:
            with tempfile.TemporaryDirectory(prefix="cuaderno-latency-chromium-") as profile:
                tab = Tab(chromium, profile)
                try:
                    started = time.monotonic()
                    tab.open(server, args.wait, "!!document.querySelector('.cell')")
                    print(f"  lesson 1 opened (its first run, compiling): {time.monotonic() - started:.1f} s")
                    offset = tab.clock_offset()
                    results["clock_offset_ms"] = round(offset, 3)
                    print(f"  Chromium's clock − Python's: {offset:+.3f} ms")

                    text = original

                    def edit(kind, new_text, awaited, what):
                        nonlocal text
                        probe = {"id": f"{kind}-{time.monotonic_ns()}", "kind": "text", "text": awaited}
                        if tab.evaluate(f"document.body.innerText.includes({json.dumps(awaited)})"):
                            raise Failure(f"the page already shows {awaited!r} before the edit")
                        set_probe(tab, probe)
                        start = time.time() * 1000
                        write_atomically(lesson_file, new_text)
                        text = new_text
                        record = await_probe(tab, probe, args.wait, f"{what}: the page did not show {awaited!r}")
                        return measure(record, start + offset)

                    def prose(word):
                        return edit("prose", text.replace(PROSE_ANCHOR, f"check\nevery number {word}."), word,
                                    "prose edit")

                    warm = prose("warmupword")
                    print(f"  prose edit, warm-up (not counted): {warm['total']:.0f} ms")
                    samples = []
                    for repeat in range(args.prose_repeats):
                        # Change the word (not only add one): the previous edit's word goes away.
                        text = text.replace("every number warmupword.", "every number.")
                        text = re.sub(r"every number latencyword\d+\.", "every number.", text)
                        sample = prose(f"latencyword{repeat + 1}")
                        samples.append(sample)
                        print(f"  prose edit {repeat + 1}: {sample['total']:.0f} ms  {breakdown(sample)}")
                    results["prose"] = samples

                    samples = []
                    for repeat in range(args.code_repeats):
                        divisor = 7 + 2 * repeat
                        new_text = re.sub(r'print\("an even split would be:", 1\.0 / \d+\.0\)',
                                          f'print("an even split would be:", 1.0 / {divisor}.0)', text)
                        awaited = f"an even split would be: {1.0 / divisor!r}"
                        sample = edit("code", new_text, awaited, "code edit")
                        samples.append(sample)
                        print(f"  code edit {repeat + 1} (1.0 / {divisor}.0): {sample['total']:.0f} ms  {breakdown(sample)}")
                    results["code"] = samples
                finally:
                    tab.close()
        finally:
            problem = server.stop()
            if problem:
                print(f"  {problem}")


def learner_session(args, chromium, results):
    with tempfile.TemporaryDirectory(prefix="cuaderno-latency-workbook-") as temporary:
        course = pathlib.Path(temporary)
        (course / "Lessons").mkdir()
        shutil.copy(ROOT / "Lessons" / LESSON, course / "Lessons" / LESSON)

        def start():
            done = subprocess.run([str(args.binary), "start"], cwd=course, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True, timeout=args.wait)
            if done.returncode != 0:
                raise Failure(f"cuaderno start exited {done.returncode}: {done.stdout[-500:]!r}")
        retrying("cuaderno start", start)
        server = retrying("starting cuaderno serve --workbook",
                          lambda: Server(args.binary, ["--workbook"], course, args.wait))
        try:
            with tempfile.TemporaryDirectory(prefix="cuaderno-latency-chromium-") as profile:
                tab = Tab(chromium, profile)
                try:
                    editor = f"document.getElementById('cuaderno-editor-{EXERCISE}')"
                    started = time.monotonic()
                    tab.open(server, args.wait, f"!!{editor}")
                    print(f"  workbook lesson 1 opened (its first run, compiling): {time.monotonic() - started:.1f} s")

                    def run(number):
                        marker, solution = SOLUTIONS[number % 2]
                        nonce = f"// Run {number} of serve_latency.py"
                        tab.evaluate(f"{editor}.focus(); {editor}.select(); true")
                        tab.send("Input.insertText", {"text": solution + "\n" + nonce})
                        if nonce not in tab.evaluate(f"{editor}.value"):
                            raise Failure("typing into the exercise's editor did not change its text")
                        probe = {"id": f"run-{time.monotonic_ns()}", "kind": "exercise", "exercise": EXERCISE,
                                 "text": nonce}
                        set_probe(tab, probe)
                        clicked = tab.evaluate(f"""(() => {{
                            const button = {editor}.parentElement.querySelector('button.cuaderno-run');
                            const t = performance.timeOrigin + performance.now();
                            button.click();
                            return t; }})()""")
                        record = await_probe(tab, probe, args.wait,
                                             f"Run {number}: no page with the new code and ✓ on every check of {EXERCISE}")
                        sample = measure(record, clicked)
                        # The server sends the WebSocket's `reload` before it answers the Run's request; when
                        # the reload wins, the page never reads the answer, and the typed text stays in
                        # sessionStorage with the exercise's old code as its base: the next Run would then
                        # get a false conflict (409). Counted, and cleared outside the measured time.
                        stale = f"sessionStorage.getItem('cuaderno:{PAGE}:{EXERCISE}')"
                        sample["stale_base"] = tab.evaluate(f"{stale} !== null")
                        if sample["stale_base"]:
                            tab.evaluate(f"sessionStorage.removeItem('cuaderno:{PAGE}:{EXERCISE}'); true")
                            tab.send("Page.reload")
                            tab.wait_until(f"document.readyState === 'complete' && !!{editor} && {editor}.value.includes({json.dumps(nonce)})"
                                           f" && {stale} === null",
                                           "the page did not load again after clearing the stale text", args.wait)
                        return sample

                    warm = run(0)
                    print(f"  Run, warm-up (not counted): {warm['total']:.0f} ms")
                    samples = []
                    for repeat in range(args.run_repeats):
                        sample = run(repeat + 1)
                        samples.append(sample)
                        print(f"  Run {repeat + 1} (solution {'AB'[(repeat + 1) % 2]}): {sample['total']:.0f} ms  {breakdown(sample)}"
                              + ("  [the page kept a stale base]" if sample["stale_base"] else ""))
                    results["run"] = samples
                    stale = sum(bool(s["stale_base"]) for s in [warm, *samples])
                    results["run_stale_base"] = stale
                    if stale:
                        print(f"  {stale} of {len(samples) + 1} Runs: the reload came before the page read the server's answer;"
                              " the page kept a stale base (cleared here; a learner's next Run would get a false conflict)")
                finally:
                    tab.close()
        finally:
            problem = server.stop()
            if problem:
                print(f"  {problem}")


def breakdown(sample):
    parts = []
    for key in ("noticed", "run", "reload"):
        if sample.get(key) is not None:
            parts.append(f"{key} {sample[key]:.0f}")
    return "(" + ", ".join(parts) + ")" if parts else ""


def machine_facts(binary):
    facts = {"cores": os.cpu_count(), "machine": platform.machine(), "binary": str(binary),
             "build": "debug" if "/debug/" in str(binary) else ("release" if "/release/" in str(binary) else "unknown")}
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                     if line.startswith("model name"))
        facts["cpu"] = model
    except (OSError, StopIteration):
        pass
    try:
        facts["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    facts["binary_modified"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(pathlib.Path(binary).stat().st_mtime))
    return facts


def summary_rows(results):
    rows = []
    for key, title in (("prose", "prose edit → page shows it"), ("code", "code edit → page shows new output"),
                       ("run", "Run (learner) → ✓ in the page")):
        samples = results.get(key)
        if not samples:
            continue
        totals = [s["total"] for s in samples]
        row = {"what": title, "n": len(totals), "median_ms": round(statistics.median(totals), 1),
               "min_ms": round(min(totals), 1), "max_ms": round(max(totals), 1), "aim": AIMS[key]}
        for part in ("noticed", "run", "reload"):
            values = [s[part] for s in samples if s.get(part) is not None]
            if values:
                row[f"median_{part}_ms"] = round(statistics.median(values), 1)
        rows.append(row)
    return rows


def print_table(rows, facts):
    print()
    print(f"machine: {facts['cores']} cores ({facts.get('cpu', facts['machine'])}), load average at start "
          f"{facts.get('load_average_at_start')}; cuaderno build: {facts['build']} ({facts['binary']}, "
          f"built {facts['binary_modified']})")
    header = f"{'what':36} {'N':>3} {'median':>9} {'min':>9} {'max':>9}  {'aim':9}  median parts: noticed / run / reload"
    print(header)
    print("-" * len(header))
    for row in rows:
        parts = " / ".join(f"{row[f'median_{p}_ms']:.0f}" if f"median_{p}_ms" in row else "–"
                           for p in ("noticed", "run", "reload"))
        print(f"{row['what']:36} {row['n']:>3} {row['median_ms']:>7.0f}ms {row['min_ms']:>7.0f}ms "
              f"{row['max_ms']:>7.0f}ms  {row['aim']:9}  {parts} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, help="N for all three (default: 10 prose edits, 5 code edits, 5 Runs)")
    parser.add_argument("--binary", type=pathlib.Path, default=ROOT / ".build" / "debug" / "cuaderno")
    parser.add_argument("--chromium", help="the Chromium to drive (default: browser_check.find_chromium())")
    parser.add_argument("--json", type=pathlib.Path, help="also write the numbers to this file")
    parser.add_argument("--wait", type=float, default=120.0,
                        help="seconds each step may take before it counts as not happening (the first run: 3×)")
    args = parser.parse_args()
    args.binary = args.binary.absolute()
    args.prose_repeats = args.repeats or 10
    args.code_repeats = args.repeats or 5
    args.run_repeats = args.repeats or 5
    if not args.binary.exists():
        print(f"no {args.binary}: build cuaderno first (make build)")
        return 1
    chromium = args.chromium or find_chromium()
    facts = machine_facts(args.binary)
    results = {}
    failure = None
    try:
        print("author mode (cuaderno serve):")
        author_session(args, chromium, results)
        print("learner mode (cuaderno serve --workbook):")
        learner_session(args, chromium, results)
    except (Failure, TimeoutError, RuntimeError, subprocess.TimeoutExpired) as error:
        failure = str(error)
    rows = summary_rows(results)
    print_table(rows, facts)
    if args.json:
        args.json.write_text(json.dumps({"machine": facts, "summary": rows, "samples": results,
                                         "failure": failure}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"numbers written to {args.json}")
    if failure:
        print(f"FAILED {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
