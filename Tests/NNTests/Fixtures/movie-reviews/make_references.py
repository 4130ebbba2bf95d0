#!/usr/bin/env python3
"""Writes splits.json, the reference NN.MovieReviews's loading and splits are tested against.

    make data                                                      # Lessons/data/movie-reviews/
    python3 Tests/NNTests/Fixtures/movie-reviews/make_references.py

Reads the file in plain Python, labels each sentence by the sign of its mean rating (leaving out
those rated exactly 0), and splits the labelled ones as the Swift documentation says: NumPy's
RandomState(0).permutation(n); the first ceil(0.1 n) are the test part, the next ceil(0.1 n) the
validation part, the rest the training part. Records the counts and, for each part, the ids of
its first ten sentences and the sum of all its ids.
"""
import json
import math
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[3] / "Lessons" / "data" / "movie-reviews" / "movieReviewSnippets_GroundTruth.txt"

rows = []
for line in DATA.read_bytes().decode("utf-8").split("\r\n"):
    if not line:
        continue
    identifier, rating, text = line.split("\t", 2)
    rows.append((int(identifier), float(rating), text))
labelled = [row for row in rows if row[1] != 0]
order = np.random.RandomState(0).permutation(len(labelled))
held_out = math.ceil(0.1 * len(labelled))
parts = {"test": order[:held_out], "validation": order[held_out:2 * held_out], "train": order[2 * held_out:]}

reference = {
    "lines": len(rows),
    "positive": sum(1 for row in labelled if row[1] > 0),
    "negative": sum(1 for row in labelled if row[1] < 0),
    "unlabelled": len(rows) - len(labelled),
    "splits": {
        name: {
            "count": len(indices),
            "firstIds": [labelled[i][0] for i in indices[:10]],
            "idSum": int(sum(labelled[i][0] for i in indices)),
            "positive": sum(1 for i in indices if labelled[i][1] > 0),
        }
        for name, indices in parts.items()
    },
}
(HERE / "splits.json").write_text(json.dumps(reference, indent=1) + "\n")
print(json.dumps(reference))
