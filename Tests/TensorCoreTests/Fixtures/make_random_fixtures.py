#!/usr/bin/env python3
"""Writes random.json: draws from NumPy's legacy RandomState that RandomStateTests must match exactly.

Run from this folder: python3 make_random_fixtures.py  (NumPy 2.x; the legacy generator is frozen,
so any NumPy version gives the same numbers).
"""
import json

import numpy as np


def lesson_attention():
    """Lesson 1's seven-token example, drawn in the lesson's order from the global generator."""
    np.random.seed(42)
    X = np.random.randn(7, 16) * 0.5
    W_Q = np.random.randn(16, 16) * np.sqrt(1 / 16)
    W_K = np.random.randn(16, 16) * np.sqrt(1 / 16)
    W_V = np.random.randn(16, 16) * np.sqrt(1 / 16)
    Q, K = X @ W_Q, X @ W_K
    scores = Q @ K.T / np.sqrt(16)
    weights = np.exp(scores - scores.max(axis=-1, keepdims=True))
    weights /= weights.sum(axis=-1, keepdims=True)
    return {"X": X.ravel().tolist(), "W_V": W_V.ravel().tolist(), "weights": weights.ravel().tolist()}


def main():
    fixtures = {}
    fixtures["raw_seed42"] = np.random.RandomState(42)._bit_generator.random_raw(1300).tolist()
    fixtures["rand_seed42"] = np.random.RandomState(42).rand(5).tolist()
    fixtures["randn_seed0"] = np.random.RandomState(0).randn(3, 5).ravel().tolist()
    rs = np.random.RandomState(123)
    fixtures["interleaved_seed123"] = {
        "randn3": rs.randn(3).tolist(),
        "rand2": rs.rand(2).tolist(),
        "randn2": rs.randn(2).tolist(),
    }
    fixtures["randint_seed1"] = np.random.RandomState(1).randint(0, 10, 20).tolist()
    fixtures["randint_seed7"] = np.random.RandomState(7).randint(-5, 1000, 10).tolist()
    fixtures["permutation_seed3"] = np.random.RandomState(3).permutation(10).tolist()
    values = list(range(7))
    np.random.RandomState(5).shuffle(values)
    fixtures["shuffle_seed5"] = values
    fixtures["lesson_attention"] = lesson_attention()
    with open("random.json", "w") as out:
        json.dump(fixtures, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
