#!/usr/bin/env python3
"""The learner's workflow on the real course, through the cuaderno executable.

In a scratch folder (.ci/learner/, git-ignored) holding a copy of Lessons/, as a new learner would:

1. `cuaderno start` makes Workbook/; `cuaderno status` lists every lesson as not started.
2. For every lesson with exercises, `cuaderno run N` must exit 1 with "not done yet" and a hint.
3. Each `todo()` placeholder is replaced by the reference solution it stands for (the k-th
   placeholder of a lesson by the k-th `// BEGIN SOLUTION` … `// END SOLUTION` region).
4. `cuaderno run N` must now exit 0, and `cuaderno status` must say every exercise passes.
5. `cuaderno start` again must keep every edited lesson.

The workbook's pages are left in .ci/learner/Output/workbook/ for the HTML and browser checks.

Usage: python3 .ci/learner_check.py
"""

import pathlib
import re
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".ci" / "learner"
CUADERNO = ROOT / ".build" / "debug" / "cuaderno"
PLACEHOLDER = re.compile(r"^([ \t]*)todo\(\)  // .*$", re.MULTILINE)


def cuaderno(*arguments, expect):
    """Runs cuaderno in the scratch folder; fails unless it exits with `expect`."""
    result = subprocess.run([str(CUADERNO), *arguments], cwd=SCRATCH, capture_output=True, text=True)
    output = result.stdout + result.stderr
    print(f"$ cuaderno {' '.join(arguments)}   (exit {result.returncode})")
    print("    " + output.rstrip().replace("\n", "\n    "))
    if result.returncode != expect:
        sys.exit(f"learner check: 'cuaderno {' '.join(arguments)}' exited {result.returncode}, expected {expect}")
    return output


def solutions(reference_text):
    """The reference solutions of a lesson, in order, each as its lines."""
    regions, current = [], None
    for line in reference_text.split("\n"):
        if line.strip() == "// BEGIN SOLUTION":
            current = []
        elif line.strip() == "// END SOLUTION":
            regions.append(current)
            current = None
        elif current is not None:
            current.append(line)
    return regions


def solve(workbook_lesson, reference_lesson):
    """Writes the reference solutions in place of the workbook lesson's placeholders."""
    regions = iter(solutions(reference_lesson.read_text()))
    text = PLACEHOLDER.sub(lambda match: "\n".join(next(regions)), workbook_lesson.read_text())
    workbook_lesson.write_text(text)
    return text


def main():
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True)
    shutil.copytree(ROOT / "Lessons", SCRATCH / "Lessons")

    cuaderno("start", expect=0)
    status = cuaderno("status", expect=0)
    exercises = []
    for lesson in sorted((SCRATCH / "Lessons").glob("[0-9]*.md")):
        number = int(lesson.name.split("-")[0])
        if "swift exercise" in lesson.read_text():
            exercises.append((number, lesson))
            if not re.search(rf"·\s+{number}  .* not started", status):
                sys.exit(f"learner check: status does not show lesson {number} as not started")
    if not exercises:
        sys.exit("learner check: the course has no exercises")

    for number, _ in exercises:
        output = cuaderno("run", str(number), expect=1)
        if "not done yet" not in output or "hint:" not in output:
            sys.exit(f"learner check: lesson {number} failed without 'not done yet' and a hint")

    for number, reference in exercises:
        solve(SCRATCH / "Workbook" / reference.name, reference)
        output = cuaderno("run", str(number), expect=0)
        if "✗" in output:
            sys.exit(f"learner check: lesson {number} passed but printed a failure")

    if "Every exercise in your workbook passes." not in cuaderno("status", expect=0):
        sys.exit("learner check: status does not say that every exercise passes")

    before = {path.name: path.read_text() for path in (SCRATCH / "Workbook").glob("*.md")}
    cuaderno("start", expect=0)
    after = {path.name: path.read_text() for path in (SCRATCH / "Workbook").glob("*.md")}
    if before != after:
        sys.exit("learner check: a second 'cuaderno start' changed the learner's lessons")
    print(f"learner check passed: {len(exercises)} lesson(s) with exercises failed as given and passed once solved.")


if __name__ == "__main__":
    main()
