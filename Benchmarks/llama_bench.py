#!/usr/bin/env python3
"""SmolLM2-135M on two threads: Cuaderno's LlamaModel beside llama.cpp, in one run.

    Benchmarks/llama_env.sh                                   # once: Benchmarks/.venv-llama
    Benchmarks/.venv-llama/bin/python Benchmarks/llama_bench.py [--threads 2] [--generate 128] [--repeats 3]

Both sides read the same GGUF file (Models/SmolLM2-135M-Instruct/…Q4_1.gguf), get the same token
ids (llama.cpp tokenises the prompt; Cuaderno is given the ids), use the same number of threads,
and decode greedily. For each it measures
- load: opening the file until the model is ready (llama.cpp memory-maps; Cuaderno copies the
  quantised matrices out of its mapping);
- prompt: the ~64-token prompt in one batch, until the next token's logits are ready;
- generation: 128 tokens, one at a time, each fed back (argmax of the logits, then one forward pass);
  also as tokens per CPU-second of the process (all its threads), which a busy machine disturbs
  less than the wall clock — with one thread, the work a token takes.
With --repeats N, prompt and generation run N times on a fresh context and the best time is kept
(the first run pages the weights in). Cuaderno's side is the release build of
`cuaderno-llama-bench` (Benchmarks/llama-bench/main.swift), built first by this script in
`.build-bench/`.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
from llama_cpp import Llama, __version__ as llama_cpp_version

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "Models" / "SmolLM2-135M-Instruct" / "SmolLM2-135M-Instruct.Q4_1.gguf"
PROMPT = ("Once upon a time, in a small village at the edge of a great forest, there lived an old "
          "clockmaker who repaired every clock in the valley. One winter morning, a young girl knocked "
          "on his door carrying a broken pocket watch that had belonged to her grandmother, and she asked "
          "him whether it could ever tick again.")


def last_logits(llm):
    """The logits of the last token evaluated, as a view of llama.cpp's buffer (llama-cpp-python
    0.3.36 no longer copies them into `Llama.scores` unless the model was opened with logits_all)."""
    return np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),))


def llama_cpp_side(ids, threads, generate, repeats):
    start = time.perf_counter()
    llm = Llama(model_path=str(MODEL), n_ctx=512, n_batch=512, n_threads=threads, n_threads_batch=threads,
                verbose=False)
    load = time.perf_counter() - start
    best_prompt = best_generate = float("inf")
    generated = []
    for _ in range(repeats):
        llm.reset()
        start = time.perf_counter()
        llm.eval(ids)
        logits = last_logits(llm)
        best_prompt = min(best_prompt, time.perf_counter() - start)
        tokens = []
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(generate):
            token = int(np.argmax(logits))
            tokens.append(token)
            llm.eval([token])
            logits = last_logits(llm)
        if time.perf_counter() - start < best_generate:
            best_generate, generate_cpu = time.perf_counter() - start, time.process_time() - cpu_start
        generated = tokens
    return {
        "implementation": f"llama.cpp (llama-cpp-python {llama_cpp_version})",
        "threads": threads, "load_seconds": load,
        "prompt_tokens": len(ids), "prompt_seconds": best_prompt, "prompt_tokens_per_second": len(ids) / best_prompt,
        "generated_tokens": generate, "generate_seconds": best_generate,
        "generate_tokens_per_second": generate / best_generate, "generate_cpu_seconds": generate_cpu,
        "generated_ids": generated,
    }


def cuaderno_side(ids, threads, generate, repeats, arithmetic):
    # In .build-bench, as Benchmarks/run.sh builds: never the main .build, so a build in progress is not locked.
    build = ["swift", "build", "-c", "release", "--scratch-path", ".build-bench"]
    subprocess.run(build + ["--product", "cuaderno-llama-bench"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    binary = subprocess.run(build + ["--show-bin-path"], cwd=ROOT, check=True,
                            capture_output=True, text=True).stdout.strip()
    out = subprocess.run([os.path.join(binary, "cuaderno-llama-bench"), "--model", str(MODEL),
                          "--prompt-ids", ",".join(map(str, ids)), "--generate", str(generate),
                          "--threads", str(threads), "--repeats", str(repeats), "--arithmetic", arithmetic],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="threads on both sides")
    parser.add_argument("--generate", type=int, default=128, help="tokens to generate")
    parser.add_argument("--repeats", type=int, default=3, help="runs of prompt and generation; the best is kept")
    parser.add_argument("--arithmetic", default="int8", choices=["int8", "float32"], help="Cuaderno's LlamaArithmetic")
    parser.add_argument("--json", action="store_true", help="print the raw results as JSON too")
    args = parser.parse_args()
    if not MODEL.is_file():
        sys.exit(f"error: {MODEL.relative_to(ROOT)} is missing; run `make model` first")

    ids = Llama(model_path=str(MODEL), vocab_only=True, verbose=False).tokenize(PROMPT.encode(), add_bos=False)
    llama = llama_cpp_side(ids, args.threads, args.generate, args.repeats)
    cuaderno = cuaderno_side(ids, args.threads, args.generate, args.repeats, args.arithmetic)

    print(f"SmolLM2-135M-Instruct Q4_1, {args.threads} threads, prompt {len(ids)} tokens, "
          f"greedy {args.generate} tokens, best of {args.repeats}; load average {os.getloadavg()[0]:.2f}")
    print(f"{'':34} {'load s':>8} {'prompt tok/s':>13} {'generate tok/s':>15} {'tokens/CPU-s':>13}")
    for side in (cuaderno, llama):
        print(f"{side['implementation']:34.34} {side['load_seconds']:8.3f} {side['prompt_tokens_per_second']:13.1f} "
              f"{side['generate_tokens_per_second']:15.1f} {args.generate / side['generate_cpu_seconds']:13.1f}")
    print(f"{'Cuaderno / llama.cpp':34} {cuaderno['load_seconds'] / llama['load_seconds']:7.2f}× "
          f"{cuaderno['prompt_tokens_per_second'] / llama['prompt_tokens_per_second']:12.2f}× "
          f"{cuaderno['generate_tokens_per_second'] / llama['generate_tokens_per_second']:14.2f}×")
    agree = 0
    for ours, theirs in zip(cuaderno["generated_ids"], llama["generated_ids"]):
        if ours != theirs:
            break
        agree += 1
    print(f"greedy tokens: the first {agree} of {args.generate} are the same on both sides")
    bound = cuaderno["bandwidth_bound_tokens_per_second"]
    print(f"bound by memory: {cuaderno['weight_bytes_per_token'] / 1e6:.1f} MB of weights a token, read at "
          f"{cuaderno['read_bytes_per_second'] / 1e9:.1f} GB/s by {args.threads} threads: at most {bound:.0f} tokens/s")
    if args.json:
        print(json.dumps({"cuaderno": cuaderno, "llama_cpp": llama}, indent=1))


if __name__ == "__main__":
    main()
