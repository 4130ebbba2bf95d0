#!/usr/bin/env python3
"""How fast `cuaderno grade` grades a class: 100 submissions of lesson 01, on this machine.

Makes a class in a scratch folder (.build-bench/grade-class/, rebuilt every time) from the
learner's version of Lessons/01-self-attention.md: a third of the learners solve every exercise
(the reference solutions, filled in as .ci/learner_check.py does), a third get the causal mask
wrong (triu(0) instead of triu(1)), and a third hand it in untouched. Then runs

    cuaderno grade CLASS --lesson 1 --jobs N

and prints lesson-submissions per minute, measured around the whole command (reference check,
grading, writing every output). Uses the debug build that `make render` makes (.build/debug),
which is what an instructor runs.

Usage: python3 Benchmarks/grade_bench.py [--learners 100] [--jobs N]
"""

import argparse
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".build-bench" / "grade-class"
CUADERNO = ROOT / ".build" / "debug" / "cuaderno"
PLACEHOLDER = re.compile(r"^([ \t]*)todo\(\)  // .*$", re.MULTILINE)
SOLUTION = re.compile(r"^[ \t]*// BEGIN SOLUTION\n(.*?)^[ \t]*// END SOLUTION\n", re.MULTILINE | re.DOTALL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    options = parser.parse_args()
    if not CUADERNO.exists():
        sys.exit("grade_bench: build first (swift build)")

    shutil.rmtree(SCRATCH, ignore_errors=True)
    course = SCRATCH / "course"
    subprocess.run([str(CUADERNO), "release", "--to", str(course)], cwd=ROOT, check=True, capture_output=True)
    learner_text = (course / "01-self-attention.md").read_text()
    solutions = [m.group(1) for m in SOLUTION.finditer((ROOT / "Lessons" / "01-self-attention.md").read_text())]
    placeholders = list(PLACEHOLDER.finditer(learner_text))
    assert len(solutions) == len(placeholders), "one solution per placeholder"
    solved = learner_text
    for match, solution in reversed(list(zip(placeholders, solutions))):
        solved = solved[:match.start()] + solution.rstrip("\n") + solved[match.end():]
    wrong = solved.replace("triu(1) .> 0", "triu(0) .> 0")
    assert wrong != solved

    for number in range(options.learners):
        folder = SCRATCH / "class" / f"learner-{number:03d}"
        folder.mkdir(parents=True)
        (folder / "01-self-attention.md").write_text([solved, wrong, learner_text][number % 3])

    start = time.monotonic()
    result = subprocess.run([str(CUADERNO), "grade", str(SCRATCH / "class"), "--lesson", "1",
                             "--jobs", str(options.jobs), "--output", str(SCRATCH / "results")],
                            cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if result.returncode != 0:
        sys.exit(f"grade_bench: cuaderno grade failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    scores = [line for line in result.stdout.splitlines() if line.startswith("  learner-")]
    print(f"graded {options.learners} submissions of lesson 01 with --jobs {options.jobs} in {seconds:.1f} s: "
          f"{options.learners / seconds * 60:.0f} lesson-submissions per minute")
    print(f"  e.g. {scores[0].strip()} | {scores[1].strip()} | {scores[2].strip()}")


if __name__ == "__main__":
    main()
