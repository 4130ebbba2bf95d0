"""Writes splits.json, the reference NN.Fortunes's reading and split are tested against.

    make data                                                  # Lessons/data/fortunes/
    python3 Tests/NNTests/Fixtures/fortunes/make_references.py

Reads fortunes.txt in plain Python (fortunes separated by lines holding only `%`, newlines at
either end stripped), and splits them as the Swift documentation says: NumPy's
RandomState(0).permutation(n); the first ceil(0.1 n) are the validation part, the rest the
training part. Records the counts and, for each part, its first ten fortunes and the total length
of its fortunes (the file has a few fortunes twice, so positions could not be told apart by text).
"""
import json
import math
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[3] / "Lessons" / "data" / "fortunes" / "fortunes.txt"

fortunes = [part.strip("\n") for part in DATA.read_text(encoding="ascii").split("\n%\n")]
fortunes = [fortune for fortune in fortunes if fortune and fortune != "%"]
order = np.random.RandomState(0).permutation(len(fortunes))
held_out = math.ceil(0.1 * len(fortunes))
parts = {"validation": order[:held_out], "train": order[held_out:]}

reference = {
    "count": len(fortunes),
    "characters": sum(len(fortune) for fortune in fortunes),
    "splits": {
        name: {
            "count": len(positions),
            "firstTen": [fortunes[i] for i in positions[:10]],
            "characters": sum(len(fortunes[i]) for i in positions),
        }
        for name, positions in parts.items()
    },
}
(HERE / "splits.json").write_text(json.dumps(reference, indent=1) + "\n")
print(json.dumps(reference)[:400])
