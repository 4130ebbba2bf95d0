#!/usr/bin/env python3
"""Runs (or reads) the three benchmark suites and prints one Markdown table comparing them.

    python3 Benchmarks/compare.py [CASE-OR-PREFIX ...]              # build, run all three, compare
    python3 Benchmarks/compare.py --from-dir .build-bench/results   # compare saved JSON only

The suites, each printing one JSON object of {"median_seconds", "gflops"?, "runs"} per case:
- cuaderno-bench (Swift, TensorCore), built with `swift build -c release --scratch-path .build-bench`;
- Benchmarks/numpy_bench.py (NumPy), run with this Python;
- Benchmarks/openblas_baseline.c (Debian's OpenBLAS from C, matmul cases only), built with gcc.
They run one after the other, never at once, in --rounds interleaved rounds (default 3:
Swift, NumPy, C, Swift, NumPy, C, ...); each case keeps its best median over the rounds, so a
noisy neighbour on a shared machine slows one round rather than one side. Their JSON is saved
in --out-dir (default .build-bench/results) as cuaderno.json, numpy.json and openblas.json.

Targets: matmul with N >= 256 reaches at least 90% of the C GFLOP/s; the small cases
(matmul-*-64, attention*-128) are faster than NumPy; every other case is at least as fast as NumPy.
"""

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".build-bench"
C_SOURCE = ROOT / "Benchmarks" / "openblas_baseline.c"
C_BINARY = SCRATCH / "openblas_baseline"
SUITES = ("cuaderno", "numpy", "openblas")


def log(message):
    print(f"compare: {message}", file=sys.stderr, flush=True)


def build_cuaderno():
    log("building cuaderno-bench (release)")
    command = ["swift", "build", "-c", "release", "--scratch-path", str(SCRATCH), "--product", "cuaderno-bench"]
    subprocess.run(command, cwd=ROOT, check=True, stdout=sys.stderr)
    bin_path = subprocess.run(command[:-2] + ["--show-bin-path"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    return Path(bin_path) / "cuaderno-bench"


def limit_threads(threads):
    """Gives OpenBLAS `threads` threads (OPENBLAS_NUM_THREADS, inherited by the suites) and returns
    the `taskset` prefix that pins a command to as many cores, when that is fewer than the
    machine has: TensorCore splits long elementwise loops across every core it sees and has no
    setting for it, so only pinning keeps it to `threads` cores."""
    os.environ["OPENBLAS_NUM_THREADS"] = str(threads)
    return ["taskset", "-c", f"0-{threads - 1}"] if threads < os.cpu_count() else []


def interleaved_rounds(commands, filters, out_dir, count, label):
    """Runs the suites (name → command) one after the other, `count` times; returns each suite's
    results of every round, and the one-minute load average read before each suite."""
    rounds = {name: [] for name in commands}
    loads = []
    for number in range(max(count, 1)):
        log(f"round {number + 1} of {max(count, 1)}, {label}")
        for name, command in commands.items():
            loads.append(os.getloadavg()[0])
            rounds[name].append(run_suite(name, command, filters, out_dir))
    return rounds, loads


def build_c_baseline():
    if C_BINARY.exists() and C_BINARY.stat().st_mtime >= C_SOURCE.stat().st_mtime:
        return C_BINARY
    log("building openblas_baseline")
    SCRATCH.mkdir(exist_ok=True)
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "openblas"], check=True,
                           capture_output=True, text=True).stdout.split()
    subprocess.run(["gcc", "-O2", "-o", str(C_BINARY), str(C_SOURCE), *flags, "-lm"], check=True)
    return C_BINARY


def run_suite(name, command, filters, out_dir):
    """Runs one suite with the filters that match its cases; returns its results (or {})."""
    names = subprocess.run(command + ["--list"], check=True, capture_output=True, text=True).stdout.split()
    wanted = [f for f in filters if any(n.startswith(f) for n in names)]
    if filters and not wanted:
        return {}
    log(f"running {name}")
    output = subprocess.run(command + wanted, check=True, stdout=subprocess.PIPE, text=True).stdout
    results = json.loads(output)
    (out_dir / f"{name}.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def best_of(rounds):
    """Per case, the round with the lowest median."""
    best = {}
    for results in rounds:
        for case, result in results.items():
            if case not in best or result["median_seconds"] < best[case]["median_seconds"]:
                best[case] = result
    return best


def read_suite(directory, name):
    path = Path(directory) / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def format_seconds(seconds):
    if seconds is None:
        return "–"
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds * 1e9:.3g} ns"


def matmul_size(case):
    match = re.fullmatch(r"matmul-f(?:32|64)-(\d+)", case)
    return int(match.group(1)) if match else None


def is_small(case):
    size = matmul_size(case)
    return (size is not None and size <= 128) or re.fullmatch(r"attention(-causal)?-128", case) is not None


def target(case, ours, numpy, c):
    """(met or None when it cannot be judged, what the target is)."""
    size = matmul_size(case)
    if size is not None and size >= 256:
        if ours is None or c is None or "gflops" not in c:
            return None, "≥ 90% of C"
        return ours["gflops"] >= 0.9 * c["gflops"], "≥ 90% of C"
    if ours is None or numpy is None:
        return None, "vs NumPy"
    if is_small(case):
        return ours["median_seconds"] < numpy["median_seconds"], "faster than NumPy"
    return ours["median_seconds"] <= numpy["median_seconds"], "≤ NumPy time"


def table(results):
    ours_all, numpy_all, c_all = (results[s] for s in SUITES)
    cases = list(ours_all) + [c for c in numpy_all if c not in ours_all]
    cases += [c for c in c_all if c not in cases]
    lines = [
        "| case | Cuaderno median | NumPy median | ratio | C OpenBLAS GFLOP/s | Cuaderno GFLOP/s | % of C | target met? |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    met = judged = 0
    for case in cases:
        ours, numpy, c = ours_all.get(case), numpy_all.get(case), c_all.get(case)
        ours_time = ours and ours["median_seconds"]
        numpy_time = numpy and numpy["median_seconds"]
        ratio = f"{ours_time / numpy_time:.2f}×" if ours_time and numpy_time else "–"
        c_gflops = f"{c['gflops']:.1f}" if c and "gflops" in c else "–"
        ours_gflops = f"{ours['gflops']:.1f}" if ours and "gflops" in ours else "–"
        percent = f"{100 * ours['gflops'] / c['gflops']:.0f}%" if c and ours and "gflops" in ours else "–"
        ok, what = target(case, ours, numpy, c)
        if ok is not None:
            judged += 1
            met += ok
        verdict = "?" if ok is None else "yes" if ok else "**no**"
        lines.append(f"| {case} | {format_seconds(ours_time)} | {format_seconds(numpy_time)} | {ratio} "
                     f"| {c_gflops} | {ours_gflops} | {percent} | {verdict} ({what}) |")
    lines.append("")
    lines.append("ratio = Cuaderno median / NumPy median (below 1: Cuaderno is faster). "
                 "GFLOP/s counts matrix-product flops only. "
                 f"Targets met: {met} of {judged}.")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("filters", nargs="*", metavar="CASE-OR-PREFIX", help="run only these cases")
    parser.add_argument("--from-dir", metavar="DIR",
                        help="read cuaderno.json, numpy.json, openblas.json from DIR instead of running")
    parser.add_argument("--out-dir", metavar="DIR", default=str(SCRATCH / "results"),
                        help="where the suites' JSON is saved (default .build-bench/results)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="interleaved rounds of the suites; each case keeps its best median (default 3)")
    parser.add_argument("--only", choices=SUITES, action="append",
                        help="run only this suite (repeatable); the others are read from --out-dir")
    args = parser.parse_args()

    if args.from_dir:
        results = {s: read_suite(args.from_dir, s) for s in SUITES}
    else:
        out_dir = Path(args.out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        to_run = args.only or SUITES
        results = {s: read_suite(out_dir, s) for s in SUITES if s not in to_run}
        commands = {}
        if "cuaderno" in to_run:
            commands["cuaderno"] = [str(build_cuaderno())]
        if "numpy" in to_run:
            commands["numpy"] = [sys.executable, str(ROOT / "Benchmarks" / "numpy_bench.py")]
        if "openblas" in to_run:
            commands["openblas"] = [str(build_c_baseline())]
        rounds, _ = interleaved_rounds(commands, args.filters, out_dir, args.rounds, "all threads")
        for name in commands:
            results[name] = best_of(rounds[name])
            (out_dir / f"{name}.json").write_text(json.dumps(results[name], indent=2) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except subprocess.CalledProcessError as error:
        log(f"{' '.join(map(str, error.cmd))} failed with status {error.returncode}")
        sys.exit(1)
