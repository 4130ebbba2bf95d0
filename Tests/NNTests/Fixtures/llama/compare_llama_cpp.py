#!/usr/bin/env python3
"""Writes llama_cpp.json: how far llama.cpp's own logits are from the NumPy reference in
references.json — the yardstick for the tolerance of Cuaderno's int8 path — and llama.cpp's greedy
continuation of the greedy prompt, which Cuaderno's int8 path is tested against.

    Benchmarks/.venv-llama/bin/python Tests/NNTests/Fixtures/llama/compare_llama_cpp.py

llama.cpp (llama-cpp-python 0.3.36, CPU, 1 thread) quantises activations to Q8_1/Q8_0 blocks of 32
before each product with a quantised matrix, and keeps keys and values in float16; it computes the
logits of every position (logits_all) on the reference's prompt, and decodes greedily from the
greedy prompt. The numbers compared are the ones the tests compare: every position's top 20 ids of
the reference and every 128th logit of the last position.
"""
import json
import platform
from pathlib import Path

import numpy as np
from llama_cpp import Llama, __version__

HERE = Path(__file__).resolve().parent
MODEL = HERE.parents[3] / "Models" / "SmolLM2-135M-Instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"


def main():
    references = json.loads((HERE / "references.json").read_text(encoding="utf-8"))
    llm = Llama(model_path=str(MODEL), n_ctx=256, n_threads=1, n_threads_batch=1, logits_all=True, verbose=False)
    expected = references["logits"]
    llm.eval(expected["ids"])
    logits = np.array(llm.scores[: len(expected["ids"])], dtype=np.float64)
    largest = 0.0
    for row, top in zip(logits, expected["top"]):
        largest = max(largest, float(np.abs(row[top["ids"]] - np.array(top["values"])).max()))
    strided = logits[-1][:: expected["last_stride"]]
    largest = max(largest, float(np.abs(strided - np.array(expected["last_strided"])).max()))
    print(f"llama-cpp-python {__version__}: logits differ from the float64 reference by at most {largest:.4f}")

    llm.reset()
    greedy = references["greedy"]
    llm.eval(greedy["ids"])
    generated = []
    for _ in greedy["generated"]:
        token = int(np.argmax(llm.scores[llm.n_tokens - 1]))
        generated.append(token)
        llm.eval([token])
    same = next((i for i, (a, b) in enumerate(zip(generated, greedy["generated"])) if a != b), len(generated))
    print(f"greedy: {generated}\nreference: {greedy['generated']}\nidentical for the first {same} tokens")
    print(f"reference margins: {[round(m, 3) for m in greedy['margins']]}")
    out = HERE / "llama_cpp.json"
    out.write_text(json.dumps({
        "made_with": f"llama-cpp-python {__version__}, CPU ({platform.machine()}), 1 thread",
        "logits_largest_difference": largest,
        "greedy": {"ids": greedy["ids"], "generated": generated, "same_as_reference_for": same},
    }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
