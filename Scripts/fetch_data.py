#!/usr/bin/env python3
"""Fetches the movie-review sentences lessons 8 and 9 train on into Lessons/data/movie-reviews/, and
the fortunes lesson 10's tiny GPT learns to write into Lessons/data/fortunes/.

    python3 Scripts/fetch_data.py             # fetch when missing; otherwise verify, one line, exit 0
    python3 Scripts/fetch_data.py --check     # verify only; exit 1 when missing or changed
    python3 Scripts/fetch_data.py --archive FILE   # unpack a copy of the source archive instead of pip

`make data` runs the first form; `make render` and `make test` depend on it. Python 3 standard
library only.

Where the data comes from: 10,605 sentences of Rotten Tomatoes movie reviews (Pang & Lee, 2004),
each rated from -4 to +4 by at least 20 people (Hutto & Gilbert, "VADER", ICWSM 2014; MIT
licence). They ship inside the source archive of the PyPI package vaderSentiment 3.3.2 (its wheel
has no data), as additional_resources/hutto_ICWSM_2014.tar.gz, which holds
hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt. pip downloads the source archive (it
prepares the package's metadata to do so, in a throwaway build environment, but installs nothing);
the archive, the inner archive and every file taken from them are pinned by size and SHA-256, and
anything with other bytes is refused, never used.

The fortunes come from Debian's package `fortunes` 1:1.99.1-7.3 (bookworm; BSD licence), which
`apt-get download` fetches without installing; the .deb is pinned by size and SHA-256. From its
folder usr/share/games/fortunes/ every file is read, in name order, except `ethnic`, `men-women`
and `drugs` (jokes a classroom would not want) and `ascii-art` (pictures, not sentences). Each file
holds fortunes separated by lines holding only `%`; a fortune with a character that is not
printable ASCII, a tab or a newline (backspace overstrikes, bells, a few mis-encoded quotes) is left
out. The rest are written to fortunes.txt in that order, each followed by a `%` line, as in the
package's files; fortunes.txt is pinned too, so the extraction is the same on every machine.

Nothing half-written is left behind: the files are written into a temporary folder beside the
target, verified there, and only then renamed into place.
"""
import hashlib
import io
import subprocess
import sys
import tarfile
from pathlib import Path

from pinned_files import (REPOSITORY, Fetchable, FetchError, fetch_each, install_folder, pip_download, shown,
                          verify_download)

TARGET = REPOSITORY / "Lessons" / "data" / "movie-reviews"

PACKAGE = "vaderSentiment"
VERSION = "3.3.2"
ARCHIVE_NAME = "vaderSentiment-3.3.2.tar.gz"
ARCHIVE_SIZE = 2_466_783
ARCHIVE_SHA256 = "5d7c06e027fc8b99238edb0d53d970cf97066ef97654009890b83703849632f9"

# The archive inside the source archive that holds the rated sentences.
INNER_ARCHIVE = ("vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz", 2_338_514,
                 "d5bb07d87474b3eb8d30b4deccbc23f19d742a6c5718fbacc65485b70b95c5fa")

# Path in Lessons/data/movie-reviews/ → (where it comes from, size in bytes, SHA-256). A source
# starting with "inner:" is a member of the inner archive; any other, of the source archive.
FILES = {
    # 10,605 lines `id<TAB>mean rating<TAB>sentence`, UTF-8, CRLF line ends.
    "movieReviewSnippets_GroundTruth.txt": (
        "inner:hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt", 1_383_098,
        "c8293b0d942e90e223ea2c0955d969040d1a1be514a978b9af0698940bd13350"),
    # The package's licence (MIT, C.J. Hutto), which covers the data it ships.
    "LICENSE.txt": (
        "vaderSentiment-3.3.2/LICENSE.txt", 1_096,
        "74cfe41cdbf7f6925aeb4c18c148ec8db042540edb6739fd81069aa4e3c8b118"),
}


def member_bytes(archive, name, where):
    """The bytes of the regular file `name` in the open tar `archive`, or a FetchError."""
    try:
        info = archive.getmember(name)
    except KeyError:
        raise FetchError(f"{where} has no member {name}") from None
    if not info.isfile():
        raise FetchError(f"{name} in {where} is not a regular file")
    return archive.extractfile(info).read()


def unpack(source_archive, into):
    """Writes each pinned file, read from the source archive (and the archive inside it), under `into`."""
    with tarfile.open(source_archive, "r:gz") as outer:
        inner_name, inner_size, inner_sha256 = INNER_ARCHIVE
        inner_bytes = member_bytes(outer, inner_name, ARCHIVE_NAME)
        if len(inner_bytes) != inner_size or hashlib.sha256(inner_bytes).hexdigest() != inner_sha256:
            raise FetchError(f"{inner_name} in {ARCHIVE_NAME} is not the one pinned "
                             f"({len(inner_bytes)} bytes, expected {inner_size}); nothing was written")
        with tarfile.open(fileobj=io.BytesIO(inner_bytes), mode="r:gz") as inner:
            for relative, (source, _, _) in FILES.items():
                if source.startswith("inner:"):
                    contents = member_bytes(inner, source.removeprefix("inner:"), inner_name)
                else:
                    contents = member_bytes(outer, source, ARCHIVE_NAME)
                (into / relative).write_bytes(contents)


def download(folder):
    # A source archive: pip prepares its metadata in a throwaway build environment to download it.
    return pip_download(f"{PACKAGE}=={VERSION}", ARCHIVE_NAME, folder, ["--no-binary=:all:"], "2.5 MB",
                        f"copy the folder {shown(TARGET)} from a machine that has it (or the archive "
                        f"{ARCHIVE_NAME}, and run: python3 Scripts/fetch_data.py --archive FILE)")


def install(source_archive):
    verify_download(source_archive, ARCHIVE_SIZE, ARCHIVE_SHA256, f"{PACKAGE} {VERSION}", __file__)
    install_folder(TARGET, FILES, lambda staging: unpack(source_archive, staging))


# The fortunes of lesson 10.
FORTUNES_TARGET = REPOSITORY / "Lessons" / "data" / "fortunes"
FORTUNES_PACKAGE = "fortunes"
FORTUNES_VERSION = "1:1.99.1-7.3"
FORTUNES_DEB = "fortunes_1%3a1.99.1-7.3_all.deb"
FORTUNES_DEB_SIZE = 848_988
FORTUNES_DEB_SHA256 = "41d0551dc0ff52f875a2ecef7c39da2f672ab468c37e170119f7e0245a9d63c5"
FORTUNES_FOLDER = "./usr/share/games/fortunes/"
FORTUNES_LEFT_OUT = {"ethnic", "men-women", "drugs", "ascii-art"}
FORTUNES_CHARACTERS = set(chr(code) for code in range(32, 127)) | {"\t", "\n"}
FORTUNES_FILES = {
    # 13,346 fortunes, each followed by a line `%`.
    "fortunes.txt": ("", 2_271_656, "bfd0d76661ecbdeb49255df567c88d682d6f31887bf20618d6ee66fbd2c9c71f"),
    # The package's copyright file (BSD licence, the fortunes' sources).
    "COPYRIGHT": ("./usr/share/doc/fortunes/copyright", 3_755, "92d4ee89ff8ac72255bdcab1f4ea5bbfa31e5d3c85b56d275e48c96a4b4e8bd9"),
}


def fortunes_text(package):
    """The fortunes of the package's files, minus those left out, as one text (see above)."""
    kept = []
    names = sorted(member.name for member in package.getmembers()
                   if member.isfile() and member.name.startswith(FORTUNES_FOLDER) and "." not in Path(member.name).name)
    for name in names:
        if Path(name).name in FORTUNES_LEFT_OUT:
            continue
        text = package.extractfile(name).read().decode("latin-1")
        for fortune in text.split("\n%\n"):
            fortune = fortune.strip("\n")
            if fortune.strip() and set(fortune) <= FORTUNES_CHARACTERS and fortune != "%":
                kept.append(fortune)
    return "".join(fortune + "\n%\n" for fortune in kept)


def unpack_fortunes(deb, into):
    """Writes fortunes.txt and COPYRIGHT from the package's files (dpkg-deb reads the .deb)."""
    result = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True)
    if result.returncode != 0:
        raise FetchError(f"dpkg-deb could not read {deb.name}: {result.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(result.stdout), mode="r:") as package:
        (into / "fortunes.txt").write_text(fortunes_text(package), encoding="ascii")
        (into / "COPYRIGHT").write_bytes(member_bytes(package, FORTUNES_FILES["COPYRIGHT"][0], FORTUNES_DEB))


def download_fortunes(folder):
    print(f"Downloading Debian's {FORTUNES_PACKAGE} {FORTUNES_VERSION} with apt-get (0.8 MB)…", flush=True)
    result = subprocess.run(["apt-get", "download", f"{FORTUNES_PACKAGE}={FORTUNES_VERSION}"], cwd=folder,
                            capture_output=True, text=True)
    downloaded = Path(folder) / FORTUNES_DEB
    if result.returncode != 0 or not downloaded.is_file():
        said = (result.stderr.strip().splitlines() or ["nothing"])[-1]
        raise FetchError(f"could not download {FORTUNES_PACKAGE}={FORTUNES_VERSION}: apt-get said: {said}; "
                         f"check the connection (and run apt-get update), or copy the folder {shown(FORTUNES_TARGET)} "
                         f"from a machine that has it (or the package {FORTUNES_DEB}, and run: "
                         f"python3 Scripts/fetch_data.py --archive FILE)")
    return downloaded


def install_fortunes(deb):
    verify_download(deb, FORTUNES_DEB_SIZE, FORTUNES_DEB_SHA256, f"{FORTUNES_PACKAGE} {FORTUNES_VERSION}", __file__)
    install_folder(FORTUNES_TARGET, FORTUNES_FILES, lambda staging: unpack_fortunes(Path(deb), staging))


DATA_FETCHED = [
    Fetchable(TARGET, FILES, ARCHIVE_NAME, download, install),
    Fetchable(FORTUNES_TARGET, FORTUNES_FILES, FORTUNES_DEB, download_fortunes, install_fortunes),
]

if __name__ == "__main__":
    sys.exit(fetch_each(__doc__.splitlines()[0], DATA_FETCHED, "data"))
