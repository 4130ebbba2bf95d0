#!/usr/bin/env bash
# The virtual environment of the llama.cpp side of the SmolLM2 benchmark (Benchmarks/llama_bench.py),
# and nothing else: tests, lessons and CI never use llama.cpp. See Benchmarks/README.md, "SmolLM2
# generation against llama.cpp".
#
#     Benchmarks/llama_env.sh              # creates Benchmarks/.venv-llama (git-ignored) if missing
#     Benchmarks/.venv-llama/bin/python Benchmarks/llama_bench.py
#
# `llama-cpp-python` comes from PyPI as a source distribution: pip compiles llama.cpp with CMake
# for this CPU (minutes on two cores). The version is pinned so the comparison is repeatable.
#
# Prints how long the installation took, which the README reports for the first one.
set -euo pipefail
cd "$(dirname "$0")"

venv=.venv-llama
python=${PYTHON:-python3}
version=0.3.36

if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import llama_cpp, numpy' 2>/dev/null; then
    echo "llama_env.sh: $venv already has llama-cpp-python $("$venv/bin/python" -c 'import llama_cpp; print(llama_cpp.__version__)')" >&2
    exit 0
fi

start=$(date +%s)
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
"$venv/bin/python" -m pip install --quiet "$@" "llama-cpp-python==$version" numpy
end=$(date +%s)

versions=$("$venv/bin/python" -c 'import llama_cpp, numpy; print(f"llama-cpp-python {llama_cpp.__version__}, NumPy {numpy.__version__}")')
size=$(du -sh "$venv" | cut -f1)
echo "llama_env.sh: installed $versions in Benchmarks/$venv ($size) in $((end - start)) s" >&2
