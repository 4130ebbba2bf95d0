#!/usr/bin/env bash
# Times rendering one lesson: a cold render (the compiler's module cache emptied, as after a fresh
# `swift build`) and the median of several warm re-renders. Run after `swift build`.
#   Benchmarks/render-lesson.sh [LESSON] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
lesson="${1:-1}"
runs="${2:-7}"
cuaderno=.build/debug/cuaderno
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# Prints the seconds a command took, with millisecond precision.
seconds() {
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null
  end=$(date +%s%N)
  printf '%d.%03d' $(( (end - start) / 1000000000 )) $(( (end - start) / 1000000 % 1000 ))
}

rm -rf .build/debug/cuaderno-module-cache
cold=$(seconds "$cuaderno" render "$lesson" --output "$out")
warm=()
for _ in $(seq "$runs"); do warm+=("$(seconds "$cuaderno" render "$lesson" --output "$out")"); done
median=$(printf '%s\n' "${warm[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
printf '{"lesson": "%s", "cold-render-seconds": %s, "warm-render-median-seconds": %s, "warm-runs": %d}\n' \
  "$lesson" "$cold" "$median" "$runs"
