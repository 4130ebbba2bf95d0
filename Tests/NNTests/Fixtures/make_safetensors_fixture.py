#!/usr/bin/env python3
"""Writes reference.safetensors with the reference safetensors library, for ParameterFileTests.

Run from this folder: python3 make_safetensors_fixture.py  (pip install safetensors numpy; made with
safetensors 0.8.0 and NumPy 2). The Swift tests read the file and check every value below, and
check that Cuaderno writes the same tensors to the very same bytes.

    python3 make_safetensors_fixture.py --check FILE

instead loads FILE (one Cuaderno wrote from the same tensors) with the reference library and
checks that it holds exactly these tensors and metadata.
"""
import sys

import numpy as np
from safetensors.numpy import load_file, save_file
from safetensors import safe_open

FIXTURE = "reference.safetensors"
METADATA = {"format": "np"}  # One key: the reference writes several in hash-map order.


def tensors():
    """One tensor of each dtype Cuaderno holds, with values that show any loss of bits."""
    return {
        "layer.weight": np.array([[1.5, -2.25, 1e-300], [np.pi, -0.0, 1e300]], dtype=np.float64),
        "layer.bias": np.array([0.1, -1.5, 3.4028235e38], dtype=np.float32),
        "token_ids": np.array([[0, -1], [2**62, -(2**63)]], dtype=np.int64),
        "mask": np.array([True, False, False, True]),
        "temperature": np.array(0.5, dtype=np.float64),  # a 0-d tensor, shape []
        "empty": np.zeros((0, 3), dtype=np.float32),
    }


def check(path):
    expected = tensors()
    loaded = load_file(path)
    assert sorted(loaded) == sorted(expected), (sorted(loaded), sorted(expected))
    for name, array in expected.items():
        assert loaded[name].dtype == array.dtype, (name, loaded[name].dtype, array.dtype)
        assert loaded[name].shape == array.shape, (name, loaded[name].shape, array.shape)
        assert loaded[name].tobytes() == array.tobytes(), name
    with safe_open(path, framework="np") as f:
        assert f.metadata() == METADATA, f.metadata()
    print(f"{path}: {len(expected)} tensors and the metadata match, bit for bit")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
        return
    save_file(tensors(), FIXTURE, metadata=METADATA)
    with open(FIXTURE, "rb") as f:
        length = int.from_bytes(f.read(8), "little")
        print(f.read(length).decode())


if __name__ == "__main__":
    main()
