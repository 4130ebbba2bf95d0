#!/usr/bin/env python3
"""One LoRA fine-tuning step of all-MiniLM-L6-v2, Cuaderno beside PyTorch + PEFT, in one run; prints
a Markdown table with both medians and their ratio. See Benchmarks/README.md, "LoRA fine-tuning
of MiniLM against PyTorch + PEFT".

    Benchmarks/torch_env.sh && Benchmarks/.venv-torch/bin/pip install transformers peft   # once
    python3 Benchmarks/bert_lora_compare.py [--threads 2] [--rounds 3] [--check]

The thread count goes to both sides: OPENBLAS_NUM_THREADS=N for cuaderno-bench and
torch.set_num_threads(N) for bert_lora_bench.py; below the machine's cores both run under
`taskset -c 0-(N-1)`. The two suites take turns in interleaved rounds (as compare.py) and each
keeps its best median; the one-minute load average is read before every suite. `--check` runs
each side once with dropout off and prints the second step's loss of both, which must agree.
"""

import argparse
import json
import os
import subprocess
import sys

import compare

ROOT = compare.ROOT
VENV_PYTHON = ROOT / "Benchmarks" / ".venv-torch" / "bin" / "python"
CASE = "bert-lora-step"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="threads for OpenBLAS and for PyTorch")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; each side keeps its best median")
    parser.add_argument("--check", action="store_true", help="print both sides' second-step loss instead of times")
    args = parser.parse_args()

    if not VENV_PYTHON.exists():
        compare.log("no Benchmarks/.venv-torch: run Benchmarks/torch_env.sh, then pip install transformers peft into it")
        return 1
    out_dir = compare.SCRATCH / f"results-bert-lora-{args.threads}"
    out_dir.mkdir(parents=True, exist_ok=True)
    pinned = compare.limit_threads(args.threads)
    commands = {
        "cuaderno": pinned + [str(compare.build_cuaderno())],
        "torch": pinned + [str(VENV_PYTHON), str(ROOT / "Benchmarks" / "bert_lora_bench.py"), "--threads", str(args.threads)],
    }
    if args.check:
        for name, command in commands.items():
            output = subprocess.run(command + ["--check", CASE], check=True, stdout=subprocess.PIPE, text=True).stdout
            print(f"{name}: second step's loss {json.loads(output)[CASE]}")
        return 0

    rounds, loads = compare.interleaved_rounds(commands, [CASE], out_dir, args.rounds, f"{args.threads} thread(s)")
    results = {name: compare.best_of(rounds[name]) for name in commands}
    ours, theirs = (results[name][CASE]["median_seconds"] for name in ("cuaderno", "torch"))
    each = {name: ", ".join(compare.format_seconds(r[CASE]["median_seconds"]) for r in rounds[name]) for name in commands}
    print(f"| {CASE} ({args.threads} thread{'s' if args.threads > 1 else ''}) | Cuaderno (float32) | PyTorch + PEFT (float32) | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| best median | {compare.format_seconds(ours)} | {compare.format_seconds(theirs)} | {ours / theirs:.2f}× |")
    print(f"| each round's median | {each['cuaderno']} | {each['torch']} | |")
    print()
    print(f"ratio = Cuaderno / PyTorch (below 1: Cuaderno is faster). OPENBLAS_NUM_THREADS={args.threads}, "
          f"torch.set_num_threads({args.threads}){', pinned by taskset' if pinned else ''}. "
          f"One-minute load average before each suite: {min(loads):.2f} to {max(loads):.2f}.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as error:
        compare.log(f"{' '.join(map(str, error.cmd))} failed with status {error.returncode}")
        sys.exit(1)
