#!/usr/bin/env python3
"""Writes references.json, what Cuaderno's GGUF reader is tested against on the real model.

    make model                                            # fetches Models/SmolLM2-135M-Instruct/
    python3 Tests/NNTests/Fixtures/gguf/make_references.py

The model is SmolLM2-135M-Instruct in Q4_1 (Models/README.md). The reference implementation is
the `gguf` Python package, llama.cpp's own reader and writer of the format (`GGUFReader` for the
layout and metadata, `gguf.quants.dequantize` — NumPy — for the blocks). It is installed in a
private virtual environment under /tmp, which this script makes and re-runs itself in when the
package is missing; neither the tests nor CI need it.

Numbers are written as JSON numbers: a float32 value becomes the float64 that equals it, so the
tests can compare dequantised values exactly. Sums are `math.fsum` of those float64 values
(correctly rounded), with the tolerance for a different order of addition left to the tests.
"""
import importlib.util
import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parents[3]
MODEL = REPOSITORY / "Models" / "SmolLM2-135M-Instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"

# Loaded by its path: with Fixtures/ on sys.path, the folder Fixtures/gguf would pass for the package.
_spec = importlib.util.spec_from_file_location("gguf_environment", HERE.parent / "gguf_environment.py")
gguf_environment = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gguf_environment)
REQUIREMENT = gguf_environment.REQUIREMENT
gguf_environment.ensure_gguf(__file__)
import numpy as np  # noqa: E402
from gguf import GGUFReader, GGUFValueType  # noqa: E402
from gguf.quants import dequantize  # noqa: E402


# Scalar metadata the tests check value by value (every scalar key of the file).
ARRAY_EDGE = 3  # how many first and last elements of an array are recorded


def plain(value):
    """A metadata value as JSON: numpy scalars as Python numbers, bytes as text."""
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8")
    if isinstance(value, np.generic):
        return value.item()
    return value


def metadata_entry(field):
    entry = {"key": field.name, "type": field.types[0].name}
    if field.types[0] == GGUFValueType.ARRAY:
        values = [plain(v) for v in field.contents()]
        entry.update({"element_type": field.types[1].name, "count": len(values),
                      "first": values[:ARRAY_EDGE], "last": values[-ARRAY_EDGE:]})
    else:
        entry["value"] = plain(field.contents())
    return entry


# One tensor of each type in the file, and a second Q4_1 one from the last block.
SLICED = ["token_embd.weight", "blk.0.attn_q.weight", "blk.29.ffn_down.weight",
          "blk.0.attn_norm.weight", "output_norm.weight"]


def tensor_slices(tensor):
    values = dequantize(tensor.data, tensor.tensor_type)
    assert values.dtype == np.float32, values.dtype
    flat = values.reshape(-1).astype(np.float64)
    middle_row = values.shape[0] // 2 if values.ndim == 2 else None
    entry = {
        "name": tensor.name,
        "type": tensor.tensor_type.name,
        "shape": list(values.shape),  # row-major: the file's dimensions reversed
        "first8": flat[:8].tolist(),
        "last8": flat[-8:].tolist(),
        "sum": math.fsum(flat),
        "sum_of_squares": math.fsum(flat * flat),
    }
    if middle_row is not None:
        entry["row"] = middle_row
        entry["row_first8"] = values[middle_row, :8].astype(np.float64).tolist()
    return entry


def main():
    if not MODEL.is_file():
        sys.exit(f"error: {MODEL.relative_to(REPOSITORY)} is missing; run `make model` first")
    reader = GGUFReader(str(MODEL))
    fields = [f for f in reader.fields.values() if not f.name.startswith("GGUF.")]
    type_counts = {}
    for tensor in reader.tensors:
        type_counts[tensor.tensor_type.name] = type_counts.get(tensor.tensor_type.name, 0) + 1
    by_name = {t.name: t for t in reader.tensors}
    references = {
        "made_with": f"{REQUIREMENT} (GGUFReader, gguf.quants.dequantize), NumPy {np.__version__}",
        "file": {"path": str(MODEL.relative_to(REPOSITORY)), "bytes": MODEL.stat().st_size},
        "version": int(reader.fields["GGUF.version"].contents()),
        "alignment": int(reader.alignment),
        "data_offset": int(reader.data_offset),
        "metadata": [metadata_entry(f) for f in fields],
        "tensor_type_counts": type_counts,
        # dimensions as the file stores them (ggml's ne), offsets from the start of the tensor data
        "tensors": [{"name": t.name, "dimensions": [int(d) for d in t.shape], "type": t.tensor_type.name,
                     "offset": int(t.data_offset) - int(reader.data_offset)} for t in reader.tensors],
        "slices": [tensor_slices(by_name[name]) for name in SLICED],
    }
    out = HERE / "references.json"
    out.write_text(json.dumps(references, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(REPOSITORY)}: {len(references['metadata'])} metadata keys, "
          f"{len(references['tensors'])} tensors, {len(references['slices'])} slices")


if __name__ == "__main__":
    main()
