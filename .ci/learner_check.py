#!/usr/bin/env python3
"""The learner's workflow on the real course, through the cuaderno executable.

In a scratch folder (.ci/learner/, git-ignored) holding a copy of Lessons/, as a new learner would:

1. `cuaderno start` makes Workbook/; `cuaderno status` lists every lesson as not started.
2. For every lesson with exercises, `cuaderno run N` must exit 1 with "not done yet", no hint, and
   the honest total ("… hidden checks run when grading"); `cuaderno hint N` must say to try first.
3. In lesson 1, a first attempt (each placeholder becomes `fatalError("first attempt")`) fails with
   "hint available: cuaderno hint 1"; `cuaderno hint 1` shows tier 1, then tier 2; `cuaderno reset 1`
   without a terminal and without --yes changes nothing, and with --yes gives back the released
   file and keeps the attempt in Workbook/01-….md.~1~.
4. Each `todo()` placeholder is replaced by the reference solution it stands for (the k-th
   placeholder of a lesson by the k-th `// BEGIN SOLUTION` … `// END SOLUTION` region).
5. `cuaderno run N` must now exit 0, and `cuaderno status` must say every exercise passes.
6. `cuaderno start` again must keep every edited lesson.

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
    # No terminal on standard input, as in CI: commands that would ask must refuse instead.
    result = subprocess.run([str(CUADERNO), *arguments], cwd=SCRATCH, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
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
        if "not done yet" not in output:
            sys.exit(f"learner check: lesson {number} failed without 'not done yet'")
        if "hint" in output:
            sys.exit(f"learner check: lesson {number} showed a hint before any attempt")
        if "hidden check" not in output:
            sys.exit(f"learner check: lesson {number}'s total does not mention its hidden checks")
        if "Try first" not in cuaderno("hint", str(number), expect=0):
            sys.exit(f"learner check: 'cuaderno hint {number}' did not say to try first")

    first_number, first_reference = exercises[0]
    first_lesson = SCRATCH / "Workbook" / first_reference.name
    released = first_lesson.read_text()
    attempt = PLACEHOLDER.sub(lambda match: f'{match.group(1)}fatalError("first attempt")', released)
    first_lesson.write_text(attempt)
    output = cuaderno("run", str(first_number), expect=1)
    if f"hint available: cuaderno hint {first_number}" not in output:
        sys.exit("learner check: a failed attempt did not offer a hint")
    if "Hint 1 of" not in cuaderno("hint", str(first_number), expect=0):
        sys.exit("learner check: 'cuaderno hint' did not show the first tier")
    if "Hint 2 of" not in cuaderno("hint", str(first_number), expect=0):
        sys.exit("learner check: 'cuaderno hint' did not show the second tier")
    if "no terminal" not in cuaderno("reset", str(first_number), expect=1) or first_lesson.read_text() != attempt:
        sys.exit("learner check: 'cuaderno reset' without a terminal and without --yes did not refuse")
    cuaderno("reset", str(first_number), "--yes", expect=0)
    backup = first_lesson.with_name(first_lesson.name + ".~1~")
    if first_lesson.read_text() != released or not backup.exists() or backup.read_text() != attempt:
        sys.exit("learner check: 'cuaderno reset --yes' did not restore the released lesson and keep the attempt")

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
    print(f"learner check passed: {len(exercises)} lesson(s) with exercises failed as given, without hints, "
          "and passed once solved; hints came one tier at a time after an attempt; reset kept the attempt.")


if __name__ == "__main__":
    main()
