#!/usr/bin/env python3
"""An instructor grades a small class on the real course, with a roster, as the README says.

Makes a class in .ci/grading/ from the learner's version of Lessons/01-self-attention.md
(`cuaderno release`): two learners solve every exercise (the reference solutions, filled in as
learner_check.py does), two mask the diagonal too (triu(0) instead of triu(1)), one hands the
lesson in untouched, and one has an empty folder; the roster has one more learner with no folder.
Then runs

    cuaderno grade class --lesson 1 --roster roster.csv --output results

in the bubblewrap sandbox, and checks what an instructor would look at: the two who masked the
diagonal form one group of the causal-mask check's failures, with the value they got where; who
did not submit; the Canvas and Moodle files. The results folder is left for the HTML checker and
the browser (report.html and the learners' feedback pages).
"""

import csv
import json
import pathlib
import shutil
import subprocess
import sys

from learner_check import PLACEHOLDER, solutions

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".ci" / "grading"
CUADERNO = ROOT / ".build" / "debug" / "cuaderno"
LESSON = "01-self-attention.md"


def fail(message):
    sys.exit(f"grade check: {message}")


def main():
    shutil.rmtree(SCRATCH, ignore_errors=True)
    SCRATCH.mkdir(parents=True)
    subprocess.run([str(CUADERNO), "release", "--to", str(SCRATCH / "course")], cwd=ROOT, check=True, capture_output=True)
    untouched = (SCRATCH / "course" / LESSON).read_text()
    regions = iter(solutions((ROOT / "Lessons" / LESSON).read_text()))
    solved = PLACEHOLDER.sub(lambda match: "\n".join(next(regions)), untouched)
    masked = solved.replace("triu(1) .> 0", "triu(0) .> 0")
    if masked == solved:
        fail("lesson 1's causal mask is no longer written triu(1) .> 0; update this check")

    learners = {"ana": solved, "ben": masked, "cruz": untouched, "dani": solved, "eli": masked, "fer": None}
    for name, text in learners.items():
        folder = SCRATCH / "class" / name
        folder.mkdir(parents=True)
        if text is not None:
            (folder / LESSON).write_text(text)
    roster_rows = [["folder", "name", "sis_user_id", "section", "email"]]
    for number, name in enumerate(list(learners) + ["gil"]):
        roster_rows.append([name, f"{name.capitalize()}, Learner", f"S{100 + number}", "Group A", f"{name}@uni.example"])
    with open(SCRATCH / "roster.csv", "w", newline="") as file:
        csv.writer(file).writerows(roster_rows)

    command = [str(CUADERNO), "grade", "class", "--lessons-dir", str(ROOT / "Lessons"), "--lesson", "1",
               "--roster", "roster.csv", "--output", "results"]
    print("$ cuaderno " + " ".join(command[1:]))
    result = subprocess.run(command, cwd=SCRATCH, capture_output=True, text=True)
    print("    " + (result.stdout + result.stderr).rstrip().replace("\n", "\n    "))
    if result.returncode != 0:
        fail(f"cuaderno grade exited {result.returncode}")

    results = SCRATCH / "results"
    report = json.loads((results / "report.json").read_text())
    lesson = report["lessons"][0]
    if lesson["submitted"] != 5 or lesson["notSubmitted"] != ["fer", "gil"]:
        fail(f"expected 5 submissions and fer, gil missing; got {lesson['submitted']} and {lesson['notSubmitted']}")
    mask = next(check for check in lesson["checks"] if check["name"] == "01-self-attention/causal-mask/1")
    groups = {" ".join(group["learners"]): group for group in mask["failures"]}
    diagonal = groups.get("ben eli")
    if diagonal is None or "expected 0.0, got 1.0" not in diagonal["cause"]["summary"] or "[0, 0]" not in diagonal["cause"]["summary"]:
        fail(f"ben and eli masked the diagonal and should form one group with the value at [0, 0]; got {groups}")
    if "not done yet" not in groups.get("cruz", {}).get("cause", {}).get("summary", ""):
        fail(f"cruz handed the lesson in untouched; got {groups}")
    if mask["passed"] != 2 or mask["attempted"] != 5:
        fail(f"two of five should pass the causal mask's first check; got {mask['passed']} of {mask['attempted']}")

    canvas = list(csv.reader(open(results / "canvas.csv", newline="")))
    if canvas[0][:5] != ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] or canvas[1][0] != "Points Possible":
        fail(f"canvas.csv does not have Canvas's layout: {canvas[:2]}")
    points = {row[2]: row[5] for row in canvas[2:]}
    if points["S100"] != canvas[1][5] or points["S106"] != "0" or len(points) != 7:
        fail(f"canvas.csv: ana should have full marks and gil 0; got {points}")
    moodle = list(csv.reader(open(results / "moodle.csv", newline="")))
    if moodle[0] != ["email", "01-self-attention"] or len(moodle) != 8:
        fail(f"moodle.csv does not have a column per grade item keyed by email: {moodle[:2]}")
    if not (results / "report.html").is_file():
        fail("no report.html")
    print("grade check: the report groups the class's mistakes, lists who did not submit, and the LMS files are right")


if __name__ == "__main__":
    main()
