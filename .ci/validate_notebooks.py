#!/usr/bin/env python3
"""Validates exported notebooks with Jupyter's own nbformat library.

    python3 .ci/validate_notebooks.py Notebooks Notebooks/learner

Every .ipynb in the folders (not their subfolders) and files given must:
- be valid against the nbformat 4.5 schema (`nbformat.validate`), with unique cell ids (checked
  here: nbformat's reader repairs duplicates instead of reporting them);
- be nbformat 4.5 and carry Cuaderno's metadata (`metadata.cuaderno` with slug, title, version);
- have the bytes Jupyter itself writes for it (`nbformat.writes` plus a final newline), so a
  notebook opened and saved in Jupyter shows no diff.

nbformat comes from PyPI, pinned below, into a virtual environment in .ci/.venv-nbformat/
(git-ignored), made on the first run; the script then runs itself again inside it.
"""
import collections
import json
import os
import subprocess
import sys
import venv

NBFORMAT = "nbformat==5.11.1"
HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv-nbformat")
PYTHON = os.path.join(VENV, "bin", "python")


def ensure_environment():
    """Runs this script inside the virtual environment with the pinned nbformat."""
    if os.path.realpath(sys.prefix) == os.path.realpath(VENV):
        return
    marker = os.path.join(VENV, "installed.txt")
    installed = open(marker).read().strip() if os.path.exists(marker) else None
    if installed != NBFORMAT:
        print(f"Installing {NBFORMAT} into {os.path.relpath(VENV)}/", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", NBFORMAT], check=True)
        with open(marker, "w") as file:
            file.write(NBFORMAT + "\n")
    os.execv(PYTHON, [PYTHON, os.path.abspath(__file__)] + sys.argv[1:])


def notebooks(arguments):
    for argument in arguments:
        if os.path.isdir(argument):
            for name in sorted(os.listdir(argument)):
                if name.endswith(".ipynb"):
                    yield os.path.join(argument, name)
        else:
            yield argument


def problems(path):
    """What is wrong with one notebook; empty when nothing is."""
    import nbformat

    with open(path, encoding="utf-8") as file:
        text = file.read()
    found = []
    # Read before nbformat does: its reader quietly replaces duplicate ids (with a warning).
    ids = collections.Counter(cell.get("id") for cell in json.loads(text).get("cells", []))
    repeated = sorted(str(id) for id, count in ids.items() if count > 1)
    if repeated:
        found.append("cell ids used more than once: " + ", ".join(repeated))
    notebook = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    try:
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        found.append(f"not valid nbformat: {error.message} (at {'/'.join(map(str, error.absolute_path))})")
    if (notebook.nbformat, notebook.nbformat_minor) != (4, 5):
        found.append(f"nbformat {notebook.nbformat}.{notebook.nbformat_minor}, expected 4.5")
    ours = notebook.metadata.get("cuaderno", {})
    if sorted(ours) != ["slug", "title", "version"] or ours.get("version") not in ("reference", "learner"):
        found.append(f"metadata.cuaderno is {dict(ours)!r}, expected slug, title and version (reference or learner)")
    if nbformat.writes(notebook) + "\n" != text:
        found.append("its bytes differ from what nbformat.writes gives for it")
    return found


def main():
    ensure_environment()
    import nbformat

    paths = list(notebooks(sys.argv[1:]))
    if not paths:
        print("No notebooks found in " + (", ".join(sys.argv[1:]) or "(no folders given)"))
        return 1
    failed = 0
    for path in paths:
        for problem in problems(path):
            print(f"✗ {path}: {problem}")
            failed += 1
    if failed:
        print(f"{failed} problems in {len(paths)} notebooks (nbformat {nbformat.__version__}).")
        return 1
    print(f"✓ {len(paths)} notebooks valid (nbformat {nbformat.__version__}, schema 4.5) and written as Jupyter writes them.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
