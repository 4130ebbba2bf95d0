#!/usr/bin/env python3
"""NumPy's side of the Cuaderno benchmark: the same cases, names and method as cuaderno-bench.

    python3 Benchmarks/numpy_bench.py [--list | --check] [CASE-OR-PREFIX ...]

`--check` runs each case once and prints the sum of its result instead of timing it.

Prints one JSON object mapping each case to {"median_seconds", "gflops" (matrix products only),
"runs"}; progress goes to standard error. See Benchmarks/README.md.

Method (identical in cuaderno-bench and openblas_baseline.c):
- the inputs are made once per case, outside the timing;
- warm-up: the case runs at least once and until 0.1 s has gone by (at most 1,000 calls);
- runs: enough to fill about 0.5 s at the warm-up's median speed, at least 5, at most 100,000;
- each run is timed alone with the monotonic clock (time.perf_counter_ns); the median is reported.
Each run's result is discarded inside the timed region, so freeing it is timed, as in Swift.
"""

import json
import math
import statistics
import sys
import time

import numpy as np

WARM_UP_SECONDS = 0.1
MAX_WARM_UP_CALLS = 1_000
TARGET_SECONDS = 0.5
MIN_RUNS = 5
MAX_RUNS = 100_000


def _time(body):
    start = time.perf_counter_ns()
    body()
    return (time.perf_counter_ns() - start) * 1e-9


def measure(body):
    """The median time of `body` over the runs, and how many runs there were."""
    warm_up = []
    warm_up_start = time.perf_counter_ns()
    while True:
        warm_up.append(_time(body))
        if (time.perf_counter_ns() - warm_up_start) * 1e-9 >= WARM_UP_SECONDS or len(warm_up) >= MAX_WARM_UP_CALLS:
            break
    estimate = max(statistics.median(warm_up), 1e-9)
    runs = min(max(math.ceil(TARGET_SECONDS / estimate), MIN_RUNS), MAX_RUNS)
    times = [_time(body) for _ in range(runs)]
    return statistics.median(times), runs


def softmax(x, axis=-1):
    shifted = np.exp(x - x.max(axis=axis, keepdims=True))
    return shifted / shifted.sum(axis=axis, keepdims=True)


def attention(q, k, v, causal):
    """Single-head attention, softmax(Q·Kᵀ/√d)·V, optionally causal."""
    scores = (q @ k.T) / 8.0  # √64
    if causal:
        n = q.shape[0]
        scores = scores + np.triu(np.full((n, n), -np.inf), k=1)
    return softmax(scores, axis=-1) @ v


def make_cases():
    """(name, flops or None, prepare) where prepare() makes the inputs and returns the body."""
    cases = []

    for dtype, label in [(np.float32, "f32"), (np.float64, "f64")]:
        for n in [64, 256, 1024, 2048]:
            def prepare(n=n, dtype=dtype):
                rng = np.random.RandomState(0)
                a = rng.randn(n, n).astype(dtype)
                b = rng.randn(n, n).astype(dtype)
                return lambda: a @ b
            cases.append((f"matmul-{label}-{n}", 2.0 * n**3, prepare))

    for causal in [False, True]:
        for n in [128, 512, 2048]:
            def prepare(n=n, causal=causal):
                rng = np.random.RandomState(0)
                q, k, v = rng.randn(n, 64), rng.randn(n, 64), rng.randn(n, 64)
                return lambda: attention(q, k, v, causal)
            name = f"attention-causal-{n}" if causal else f"attention-{n}"
            # Q·Kᵀ and weights·V: 2·N·N·64 each.
            cases.append((name, 4.0 * n * n * 64, prepare))

    t, d, heads = 512, 512, 8
    head_size = d // heads

    def prepare_mha():
        rng = np.random.RandomState(0)
        x = rng.randn(t, d)
        scale = 1 / math.sqrt(d)
        wq, wk = rng.randn(d, d) * scale, rng.randn(d, d) * scale
        wv, wo = rng.randn(d, d) * scale, rng.randn(d, d) * scale

        def body():
            q = (x @ wq).reshape(t, heads, head_size).transpose(1, 0, 2)  # (8, 512, 64)
            k = (x @ wk).reshape(t, heads, head_size).transpose(1, 0, 2)
            v = (x @ wv).reshape(t, heads, head_size).transpose(1, 0, 2)
            scores = (q @ k.transpose(0, 2, 1)) / math.sqrt(head_size)  # (8, 512, 512)
            per_head = softmax(scores, axis=-1) @ v  # (8, 512, 64)
            merged = per_head.transpose(1, 0, 2).reshape(t, d)
            return merged @ wo
        return body
    # Four projections 4·2·T·D·D, plus per head Q·Kᵀ and weights·V: 2·(2·T·T·64)·8.
    cases.append(("mha-512", 4 * 2.0 * t * d * d + heads * 4.0 * t * t * head_size, prepare_mha))

    def prepare_pe():
        def body():
            positions, d_model = 5000, 512
            position = np.arange(positions, dtype=np.float64).reshape(positions, 1)  # (5000, 1)
            # 1 / 10000^(2i/d) = exp(2i · (−ln 10000 / d))
            frequencies = np.exp(np.arange(0, d_model, 2, dtype=np.float64) * (-math.log(10000.0) / d_model))
            angles = position * frequencies  # (5000, 256)
            return np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(positions, d_model)
        return body
    cases.append(("pe-5000x512", None, prepare_pe))

    for n in [256, 1024]:
        def prepare(n=n):
            a = np.random.RandomState(0).randn(n, n)
            return lambda: np.linalg.matrix_rank(a)
        cases.append((f"rank-{n}", None, prepare))

    def prepare_lora_step():
        # One LoRA training step, written by hand: a frozen 100×128 layer W0 with a rank-2 adapter
        # (scaling α/r = 4/2), ReLU, a trainable 128×2 head, cross-entropy, and an SGD update of
        # A, B and the head. The same numbers as cuaderno-bench's lora-step.
        rng = np.random.RandomState(0)
        n, rank, scale, learning_rate = 256, 2, 4.0 / 2, 0.1
        x = rng.randn(n, 100)
        labels = rng.randint(0, 2, n)
        w0, b0 = rng.randn(100, 128) * 0.1, np.zeros(128)
        a, b = rng.randn(100, rank) * 0.01, np.zeros((rank, 128))
        wh, bh = rng.randn(128, 2) * 0.1, np.zeros(2)
        rows = np.arange(n)

        def body():
            xa = x @ a                                   # (256, 2)
            h = x @ w0 + b0 + (xa @ b) * scale           # (256, 128)
            r = np.maximum(h, 0)
            logits = r @ wh + bh                         # (256, 2)
            shifted = logits - logits.max(axis=1, keepdims=True)
            p = np.exp(shifted)
            p /= p.sum(axis=1, keepdims=True)
            loss = -np.log(p[rows, labels]).mean()
            p[rows, labels] -= 1                         # ∂loss/∂logits = (softmax − onehot) / n
            d = p / n
            g_wh, g_bh = r.T @ d, d.sum(axis=0)
            dh = (d @ wh.T) * (h > 0)
            g_b = (xa.T @ dh) * scale
            g_a = (x.T @ (dh @ b.T)) * scale
            a[...] -= learning_rate * g_a
            b[...] -= learning_rate * g_b
            wh[...] -= learning_rate * g_wh
            bh[...] -= learning_rate * g_bh
            return np.array(loss)
        return body
    cases.append(("lora-step", None, prepare_lora_step))

    sizes = [(1_000_000, "1e6"), (10_000_000, "1e7")]
    for count, label in sizes:
        def prepare(count=count):
            x = np.random.RandomState(0).randn(count)
            return lambda: np.exp(x)
        cases.append((f"exp-{label}", None, prepare))
    for count, label in sizes:
        def prepare(count=count):
            rng = np.random.RandomState(0)
            a, b = rng.randn(count), rng.randn(count)
            return lambda: a + b
        cases.append((f"add-{label}", None, prepare))
    return cases


def main(arguments):
    cases = make_cases()
    if "--list" in arguments:
        for name, _, _ in cases:
            print(name)
        return 0
    checking = "--check" in arguments
    arguments = [a for a in arguments if a != "--check"]
    for option in arguments:
        if option.startswith("-"):
            print(f"numpy_bench: unknown option {option}; usage: numpy_bench.py [--list | --check] [CASE-OR-PREFIX ...]",
                  file=sys.stderr)
            return 2
    for prefix in arguments:
        if not any(name.startswith(prefix) for name, _, _ in cases):
            print(f"numpy_bench: no case is named or starts with '{prefix}'; see --list", file=sys.stderr)
            return 2
    selected = [c for c in cases if not arguments or any(c[0].startswith(p) for p in arguments)]

    if checking:
        # The sum of each case's result, to compare with `cuaderno-bench --check`.
        print(json.dumps({name: float(np.sum(prepare()())) for name, _, prepare in selected}, indent=2))
        return 0

    results = {}
    for name, flops, prepare in selected:
        median, runs = measure(prepare())
        entry = {"median_seconds": median}
        if flops is not None:
            entry["gflops"] = flops / median / 1e9
        entry["runs"] = runs
        results[name] = entry
        print(f"{name}: {median} s ({runs} runs)", file=sys.stderr)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
