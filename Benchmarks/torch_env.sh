#!/usr/bin/env bash
# The virtual environment of the PyTorch side of the benchmark (Benchmarks/torch_bench.py), and
# nothing else: tests, lessons and CI never use PyTorch. See Benchmarks/README.md, "Training
# epochs against PyTorch".
#
#     Benchmarks/torch_env.sh              # creates Benchmarks/.venv-torch (git-ignored) if missing
#     Benchmarks/.venv-torch/bin/python Benchmarks/torch_bench.py --list
#
# It installs PyPI's default `torch` wheel, which also pulls NVIDIA's CUDA libraries (several GB)
# that a CPU-only benchmark never loads. A CPU-only build is smaller (pass pip's options after the
# script's name, e.g. `--index-url https://download.pytorch.org/whl/cpu`), but the README's
# numbers are from the default wheel, as `pip install torch` gives it.
#
# Prints how long the installation took, which the README reports for the first one.
set -euo pipefail
cd "$(dirname "$0")"

venv=.venv-torch
python=${PYTHON:-python3}

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import torch, numpy' 2>/dev/null; then
    echo "torch_env.sh: $venv already has torch $("$venv/bin/python" -c 'import torch; print(torch.__version__)')" >&2
    exit 0
fi

start=$(date +%s)
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet "$@" torch numpy
end=$(date +%s)

versions=$("$venv/bin/python" -c 'import torch, numpy; print(f"torch {torch.__version__}, NumPy {numpy.__version__}")')
size=$(du -sh "$venv" | cut -f1)
echo "torch_env.sh: installed $versions in Benchmarks/$venv ($size) in $((end - start)) s" >&2
