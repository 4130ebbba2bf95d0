#!/usr/bin/env python3
"""How fast the edit-render loop is: `cuaderno render` of lesson 01 and of the whole course.

For each, on a copy of the course (the real lessons are never touched):
  cold        the first render after a build: no execution cache, no highlight memo and an
              empty compiler module cache;
  code edit   one code cell changed (a new statement at the end of the lesson's first plain
              `swift` cell; a different one each run, so the cache never has it);
  unchanged   nothing changed since the last render;
  prose edit  one line of prose added near the top (which also moves every cell down a line).
The whole course also gets "every lesson runs": all lessons compiled and run (--no-cache) with a
warm compiler, the worst case of a warm render.

Warm figures are medians of --runs renders (default 5); every figure is the wall time of the
whole `cuaderno render` command, process start included. Run after `swift build`; prints a table
and, with --json, one JSON object.

    python3 Benchmarks/fast_loop.py [--runs 5] [--json]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CUADERNO = os.path.join(ROOT, ".build", "debug", "cuaderno")
MODULE_CACHE = os.path.join(ROOT, ".build", "debug", "cuaderno-module-cache")
AIMS = {  # seconds, from issue 10
    ("lesson 01", "unchanged"): 0.1,
    ("lesson 01", "prose edit"): 0.2,
    ("lesson 01", "code edit"): 1.0,
    ("course", "unchanged"): 0.1,  # per lesson
    ("course", "prose edit"): 0.2,  # per lesson
    ("course", "code edit"): 5.0,
}


def render(work, lessons, extra=()):
    command = [CUADERNO, "render", *lessons, "--lessons-dir", os.path.join(work, "Lessons"),
               "--output", os.path.join(work, "Output"), "--cache-dir", os.path.join(work, "cache"), *extra]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"cuaderno render failed:\n{result.stdout}{result.stderr}")
    return seconds


def edit_code(path, counter):
    """Adds a statement at the end of the first plain `swift` cell."""
    text = open(path, encoding="utf-8").read()
    match = re.search(r"^```swift\n(.*?)^```", text, flags=re.S | re.M)
    if not match:
        sys.exit(f"{path}: no plain swift cell to edit")
    end = match.end(1)
    text = text[:end] + f"let benchmarkEdit{counter} = {counter}\n" + text[end:]
    open(path, "w", encoding="utf-8").write(text)


def edit_prose(path, counter):
    """Adds a line of prose right after the front matter."""
    text = open(path, encoding="utf-8").read()
    closing = text.index("\n---\n", 4) + len("\n---\n")
    text = text[:closing] + f"An edit to the prose, number {counter}.\n\n" + text[closing:]
    open(path, "w", encoding="utf-8").write(text)


def measure(name, lessons, lesson_files, runs):
    work = tempfile.mkdtemp(prefix="cuaderno-fast-loop-")
    try:
        shutil.copytree(os.path.join(ROOT, "Lessons"), os.path.join(work, "Lessons"))
        files = [os.path.join(work, "Lessons", f) for f in lesson_files]
        shutil.rmtree(MODULE_CACHE, ignore_errors=True)
        figures = {"cold": render(work, lessons)}
        counter = 0
        samples = {"code edit": [], "unchanged": [], "prose edit": []}
        for _ in range(runs):
            counter += 1
            edit_code(files[0], counter)
            samples["code edit"].append(render(work, lessons))
            samples["unchanged"].append(render(work, lessons))
            counter += 1
            edit_prose(files[0], counter)
            samples["prose edit"].append(render(work, lessons))
        for kind, values in samples.items():
            figures[kind] = statistics.median(values)
        if len(lesson_files) > 1:
            figures["every lesson runs"] = statistics.median(
                render(work, lessons, ["--no-cache"]) for _ in range(max(1, runs // 2)))
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    arguments = parser.parse_args()
    if not os.path.exists(CUADERNO):
        sys.exit("build first: swift build")
    course = sorted(f for f in os.listdir(os.path.join(ROOT, "Lessons")) if re.match(r"\d+-.*\.md$", f))
    lesson01 = [f for f in course if f.startswith("01-")]
    results = {
        "lesson 01": measure("lesson 01", ["1"], lesson01, arguments.runs),
        # The code and prose edits touch lesson 01; the other lessons come from the cache.
        "course": measure("course", [], lesson01 + [f for f in course if f not in lesson01], arguments.runs),
    }
    lesson_count = len(course)
    if arguments.json:
        print(json.dumps({"lessons_in_course": lesson_count, "seconds": results}, indent=2))
        return
    print(f"cuaderno render, wall time in seconds (2 jobs; course = {lesson_count} lessons)")
    print(f"{'':10} {'case':18} {'seconds':>8} {'per lesson':>11}  aim")
    for scope, figures in results.items():
        count = lesson_count if scope == "course" else 1
        for kind, seconds in figures.items():
            aim = AIMS.get((scope, kind))
            per_lesson = seconds / count
            judged = per_lesson if scope == "course" and kind in ("unchanged", "prose edit") else seconds
            verdict = "" if aim is None else f"≤ {aim} s{' per lesson' if judged is per_lesson and count > 1 else ''}: " + (
                "met" if judged <= aim else "NOT met")
            print(f"{scope:10} {kind:18} {seconds:8.3f} {per_lesson:11.3f}  {verdict}")


if __name__ == "__main__":
    main()
