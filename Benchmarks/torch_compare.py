#!/usr/bin/env python3
"""Cuaderno against PyTorch on the CPU, training cases only, with one thread count for both; prints
a Markdown table. See Benchmarks/README.md, "Training epochs against PyTorch".

    Benchmarks/torch_env.sh                                          # once: Benchmarks/.venv-torch
    python3 Benchmarks/torch_compare.py --threads 1 [--rounds 3] [CASE-OR-PREFIX ...]

The thread count goes to both sides explicitly: OPENBLAS_NUM_THREADS=N for cuaderno-bench and
`--threads N` (torch.set_num_threads) for torch_bench.py. With fewer threads than the machine has
cores, both also run under `taskset -c 0-(N-1)`: TensorCore splits elementwise loops of 2·65,536
elements or more across all the cores it sees and has no setting for it. (The classifier's
feed-forward activations and dropout masks, (64, 64, 128), are that large: unpinned, with
OPENBLAS_NUM_THREADS=1, a classifier-epoch run used 1.07 cores, user time over wall time.) Only
pinning keeps it to N cores. PyTorch runs twice: in float64, what Cuaderno computes, and in
float32, PyTorch's default.

As compare.py does, the suites run one after the other in interleaved rounds and each case keeps
its best median; the one-minute load average is read before every suite and reported with the
table. JSON goes to .build-bench/results-torch-N/ (cuaderno.json, torch.json, torch-f32.json).
"""

import argparse
import json
import os
import sys
from pathlib import Path

import compare

ROOT = compare.ROOT
VENV_PYTHON = ROOT / "Benchmarks" / ".venv-torch" / "bin" / "python"
CASES = ["classifier-step", "classifier-epoch", "lstm-epoch"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("filters", nargs="*", metavar="CASE-OR-PREFIX", help=f"default: {' '.join(CASES)}")
    parser.add_argument("--threads", type=int, required=True, help="threads for OpenBLAS and for PyTorch")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; each case keeps its best median")
    args = parser.parse_args()

    if not VENV_PYTHON.exists():
        compare.log("no Benchmarks/.venv-torch: run Benchmarks/torch_env.sh first")
        return 1
    out_dir = compare.SCRATCH / f"results-torch-{args.threads}"
    out_dir.mkdir(parents=True, exist_ok=True)
    pinned = compare.limit_threads(args.threads)
    torch_bench = pinned + [str(VENV_PYTHON), str(ROOT / "Benchmarks" / "torch_bench.py"), "--threads", str(args.threads)]
    commands = {
        "cuaderno": pinned + [str(compare.build_cuaderno())],
        "torch": torch_bench + ["--dtype", "float64"],
        "torch-f32": torch_bench + ["--dtype", "float32"],
    }
    filters = args.filters or CASES
    rounds, loads = compare.interleaved_rounds(commands, filters, out_dir, args.rounds, f"{args.threads} thread(s)")
    results = {}
    for name in commands:
        results[name] = compare.best_of(rounds[name])
        (out_dir / f"{name}.json").write_text(json.dumps(results[name], indent=2) + "\n")
    print(table(results, args.threads, loads))
    return 0


def table(results, threads, loads):
    ours_all, torch64_all, torch32_all = results["cuaderno"], results["torch"], results["torch-f32"]
    cases = list(torch64_all) + [c for c in ours_all if c not in torch64_all]

    def seconds(entry):
        return entry["median_seconds"] if entry else None

    def ratio(ours, theirs):
        return f"{ours / theirs:.2f}×" if ours and theirs else "–"

    lines = [
        f"| case ({threads} thread{'s' if threads > 1 else ''}) | Cuaderno (float64) | PyTorch float64 | ratio "
        "| PyTorch float32 | ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for case in cases:
        ours, t64, t32 = (seconds(r.get(case)) for r in (ours_all, torch64_all, torch32_all))
        lines.append(f"| {case} | {compare.format_seconds(ours)} | {compare.format_seconds(t64)} | {ratio(ours, t64)} "
                     f"| {compare.format_seconds(t32)} | {ratio(ours, t32)} |")
    lines.append("")
    lines.append(f"ratio = Cuaderno median / PyTorch median (below 1: Cuaderno is faster). "
                 f"OPENBLAS_NUM_THREADS={threads}, torch.set_num_threads({threads})"
                 f"{f', both pinned to {threads} core(s) by taskset' if threads < os.cpu_count() else ''}. "
                 f"One-minute load average before each suite: {min(loads):.2f} to {max(loads):.2f}.")
    return "\n".join(lines)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except compare.subprocess.CalledProcessError as error:
        compare.log(f"{' '.join(map(str, error.cmd))} failed with status {error.returncode}")
        sys.exit(1)
