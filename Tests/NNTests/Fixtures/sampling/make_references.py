#!/usr/bin/env python3
"""Writes references.json, what Cuaderno's token samplers are tested against.

    python3 Tests/NNTests/Fixtures/sampling/make_references.py

Computed here in plain NumPy (float64), by the rules of Hugging Face transformers' logits
warpers, applied in the order `generate` applies them — temperature, then top-k, then top-p:

- temperature T: logits / T;
- top-k: keep the k largest logits (ties at the k-th value are all kept, as
  `logits < topk(logits, k).values[-1]` is what TopKLogitsWarper removes);
- top-p: sort the probabilities ascending, remove the tokens whose cumulative probability is
  <= 1 - p, always keeping the most probable one (TopPLogitsWarper with min_tokens_to_keep=1):
  what stays is the smallest set of most probable tokens whose mass reaches p;
- the kept logits' softmax is the distribution sampled from.

Sampling draws like NumPy's legacy `RandomState(seed).choice(n, p=probs)`: one `random_sample()`
per token, cdf = cumsum(p) / its last entry, the token is `searchsorted(cdf, u, side="right")`.
The script checks its draws against `choice` itself.

When transformers and torch are importable (not needed), the warpers are also checked against
TopKLogitsWarper and TopPLogitsWarper and the script says so. The committed references.json was
so checked, with transformers 5.24.0 and torch 2.15.0 (2026-12-03).
"""
import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def softmax(x):
    x = np.asarray(x, dtype=np.float64)
    finite = np.isfinite(x)
    e = np.zeros_like(x)
    e[finite] = np.exp(x[finite] - x[finite].max())
    return e / e.sum()


def filtered_logits(logits, temperature=1.0, top_k=None, top_p=None):
    x = np.asarray(logits, dtype=np.float64) / temperature
    if top_k is not None:
        k = min(top_k, x.size)
        threshold = np.sort(x)[::-1][k - 1]
        x = np.where(x < threshold, -np.inf, x)
    if top_p is not None:
        order = np.argsort(x, kind="stable")          # ascending
        cumulative = np.cumsum(softmax(x[order]))
        remove_sorted = cumulative <= 1 - top_p
        remove_sorted[-1] = False                       # keep at least the most probable token
        remove = np.zeros(x.size, dtype=bool)
        remove[order] = remove_sorted
        x = np.where(remove, -np.inf, x)
    return x


def draws(probabilities, seed, count):
    random = np.random.RandomState(seed)
    cdf = np.cumsum(probabilities)
    cdf /= cdf[-1]
    ours = [int(np.searchsorted(cdf, random.random_sample(), side="right")) for _ in range(count)]
    theirs = np.random.RandomState(seed).choice(len(probabilities), size=count, p=probabilities)
    assert ours == [int(t) for t in theirs], "the draws differ from RandomState.choice"
    return ours


def main():
    random = np.random.RandomState(2026)
    cases = []
    settings = [
        dict(temperature=1.0), dict(temperature=0.5), dict(temperature=1.5),
        dict(temperature=1.0, top_k=1), dict(temperature=1.0, top_k=5), dict(temperature=0.7, top_k=3),
        dict(temperature=1.0, top_p=0.9), dict(temperature=1.0, top_p=0.5), dict(temperature=1.3, top_p=0.75),
        dict(temperature=0.8, top_k=6, top_p=0.8), dict(temperature=1.0, top_p=1.0), dict(temperature=1.0, top_p=0.01),
    ]
    for index, setting in enumerate(settings):
        logits = random.randn(12) * 2
        if index == 5:
            logits[3] = logits[7] = np.sort(logits)[-3]    # a tie at the k-th largest logit
        kept = filtered_logits(logits, **setting)
        probabilities = softmax(kept)
        seed = 100 + index
        cases.append(dict(
            logits=logits.tolist(),
            temperature=setting["temperature"], top_k=setting.get("top_k"), top_p=setting.get("top_p"),
            kept=[bool(v) for v in np.isfinite(kept)],
            probabilities=probabilities.tolist(),
            seed=seed, draws=draws(probabilities, seed, 40),
        ))

    try:
        import torch
        from transformers.generation.logits_process import TopKLogitsWarper, TopPLogitsWarper
    except ImportError:
        print("transformers not importable: the warpers were not cross-checked")
    else:
        for case in cases:
            x = torch.tensor([case["logits"]], dtype=torch.float64) / case["temperature"]
            if case["top_k"] is not None:
                x = TopKLogitsWarper(case["top_k"])(None, x)
            if case["top_p"] is not None:
                x = TopPLogitsWarper(case["top_p"])(None, x)
            assert [bool(v) for v in torch.isfinite(x[0])] == case["kept"], case
        print("checked against transformers' TopKLogitsWarper and TopPLogitsWarper")

    (HERE / "references.json").write_text(json.dumps(dict(cases=cases), indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {HERE / 'references.json'}")


if __name__ == "__main__":
    main()
