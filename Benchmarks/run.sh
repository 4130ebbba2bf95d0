#!/usr/bin/env bash
# The whole comparison in one command: Cuaderno (Swift) against NumPy and against Debian's
# OpenBLAS called from C, printed as one Markdown table. See Benchmarks/README.md.
#
#     Benchmarks/run.sh [CASE-OR-PREFIX ...]      e.g. Benchmarks/run.sh matmul-f32 exp
#
# Builds into .build-bench (never the main .build), saves each suite's JSON in
# .build-bench/results/, and installs only what is missing: the Debian packages for OpenBLAS
# and a C compiler, and NumPy (with pip) if this Python lacks it.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=""
for package in libopenblas-dev liblapacke-dev pkg-config gcc; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
if [ -n "$missing" ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
    echo "run.sh: installing Debian packages:$missing" >&2
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import numpy' 2>/dev/null; then
    echo "run.sh: installing NumPy" >&2
    "$python" -m pip install --quiet numpy
fi

mkdir -p .build-bench
swift build -c release --scratch-path .build-bench --product cuaderno-bench >&2
gcc -O2 -o .build-bench/openblas_baseline Benchmarks/openblas_baseline.c $(pkg-config --cflags --libs openblas) -lm

exec "$python" Benchmarks/compare.py "$@"
