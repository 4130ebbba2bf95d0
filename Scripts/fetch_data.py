#!/usr/bin/env python3
"""Fetches the movie-review sentences lessons 8 and 9 train on into Lessons/data/movie-reviews/.

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

Nothing half-written is left behind: the files are written into a temporary folder beside the
target, verified there, and only then renamed into place.
"""
import hashlib
import io
import sys
import tarfile

from pinned_files import (REPOSITORY, FetchError, fetch_main, install_folder, pip_download, shown,
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


if __name__ == "__main__":
    sys.exit(fetch_main(__doc__.splitlines()[0], TARGET, FILES, "data", ARCHIVE_NAME, download, install))
