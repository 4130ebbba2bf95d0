#!/usr/bin/env python3
"""How fast `cuaderno grade` grades a class: 100 submissions of lesson 01, on this machine.

Makes a class in a scratch folder (.build-bench/grade-class/, rebuilt every time) from the
learner's version of Lessons/01-self-attention.md: a third of the learners solve every exercise
(the reference solutions, filled in as .ci/learner_check.py does), a third get the causal mask
wrong (triu(0) instead of triu(1)), and a third hand it in untouched. Then runs

    cuaderno grade CLASS --lesson 1 --jobs N --sandbox bwrap   (and --sandbox none)

and prints lesson-submissions per minute, measured around the whole command (reference check,
grading, writing every output), with the sandbox and without, and what the sandbox costs: per
lesson-submission (the difference of the two runs, in wall-clock time and in processor time,
which another load on the machine disturbs less) and per program start (bwrap with the grader's
namespaces around /bin/true, against /bin/true alone). With --repeat K the two modes take turns
K times and the fastest run of each counts. Uses the debug build that
`make render` makes (.build/debug), which is what an instructor runs.

Usage: python3 Benchmarks/grade_bench.py [--learners 100] [--jobs N] [--sandbox bwrap|none|both] [--repeat K]
"""

import argparse
import os
import pathlib
import re
import resource
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
    parser.add_argument("--sandbox", choices=["bwrap", "none", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=1)
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

    modes = ["bwrap", "none"] if options.sandbox == "both" else [options.sandbox]
    best = {}
    for _ in range(options.repeat):
        for mode in modes:
            seconds, processor = grade(mode, options)
            if mode not in best or seconds < best[mode][0]:
                best[mode] = (seconds, processor)
    for mode in modes:
        seconds, processor = best[mode]
        print(f"--sandbox {mode}: best of {options.repeat}: {seconds:.1f} s, "
              f"{options.learners / seconds * 60:.0f} lesson-submissions per minute, "
              f"{processor / options.learners:.2f} s of processor time per lesson-submission")
    if len(modes) == 2:
        extra = (best["bwrap"][0] - best["none"][0]) / options.learners
        extra_processor = (best["bwrap"][1] - best["none"][1]) / options.learners
        print(f"the sandbox costs {extra * 1000:.0f} ms of wall-clock time per lesson-submission at --jobs {options.jobs} "
              f"({(best['bwrap'][0] / best['none'][0] - 1) * 100:.0f} %) and {extra_processor * 1000:.0f} ms of processor time")
        if shutil.which("bwrap"):
            print(f"a bare bwrap start with the grader's namespaces: {bwrap_start_ms():.1f} ms "
                  f"(/bin/true alone: {bwrap_start_ms(bare=True):.1f} ms)")


def grade(sandbox, options):
    """Grades the class once; returns the seconds the whole command took, and the processor
    seconds (user + system) it and every process it started used — except, in the sandbox, the
    lesson programs: bwrap does not pass its namespace's processor time on to its parent."""
    shutil.rmtree(SCRATCH / "results", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    result = subprocess.run([str(CUADERNO), "grade", str(SCRATCH / "class"), "--lesson", "1",
                             "--jobs", str(options.jobs), "--output", str(SCRATCH / "results"),
                             "--sandbox", sandbox],
                            cwd=ROOT, capture_output=True, text=True)
    seconds = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    processor = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if result.returncode != 0:
        sys.exit(f"grade_bench: cuaderno grade failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    scores = [line for line in result.stdout.splitlines() if line.startswith("  learner-")]
    print(f"--sandbox {sandbox}: graded {options.learners} submissions of lesson 01 with --jobs {options.jobs} "
          f"in {seconds:.1f} s ({processor:.1f} s of processor time): "
          f"{options.learners / seconds * 60:.0f} lesson-submissions per minute")
    print(f"  e.g. {scores[0].strip()} | {scores[1].strip()} | {scores[2].strip()}")
    return seconds, processor


def bwrap_start_ms(bare=False, runs=50):
    """Milliseconds per start of /bin/true, in a bwrap sandbox with the namespaces, mounts and
    user the grader uses (Sources/LessonEngine/Run/Sandbox.swift), or alone."""
    command = ["/bin/true"]
    if not bare:
        command = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
                   "--new-session", "--uid", "65534", "--gid", "65534", "--clearenv",
                   "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin",
                   "--ro-bind", "/usr/lib", "/usr/lib", "--ro-bind", "/usr/lib64", "/usr/lib64", "--ro-bind", "/usr/bin/true", "/usr/bin/true", "--ro-bind", "/usr/bin/prlimit", "/usr/bin/prlimit",
                   "--proc", "/proc", "--dev", "/dev", "--size", str(256 << 20), "--tmpfs", "/tmp",
                   "--remount-ro", "/", "--", "/usr/bin/prlimit", "--nproc=128", "--", "/usr/bin/true"]
        if os.geteuid() == 0:
            command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] + command
    start = time.monotonic()
    for _ in range(runs):
        subprocess.run(command, check=True)
    return (time.monotonic() - start) / runs * 1000


if __name__ == "__main__":
    main()
