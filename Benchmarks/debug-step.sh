#!/usr/bin/env bash
# Lesson 8's training step in the build lessons use: compiles Benchmarks/debug-step/main.swift
# and the model (Benchmarks/cuaderno-bench/ReviewClassifier.swift) with the runner's flags
# (-Onone, Swift 5 mode) against .build/debug/libLessonKit.so, then runs it. Build first with
# `swift build`. Arguments go to the program (`--repeat SECONDS` for perf record).
#
#     Benchmarks/debug-step.sh [--repeat SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/debug-step
mkdir -p "$out"
openblas=$(pkg-config --cflags-only-I openblas | tr ' ' '\n' | grep . | sed 's/^/-Xcc /' | tr '\n' ' ' || true)
# shellcheck disable=SC2086
swiftc -Onone -swift-version 5 -suppress-warnings -module-name DebugStep \
    -I .build/debug/Modules -I Sources/COpenBLAS -I Sources/CTensorKernels/include $openblas \
    -L .build/debug -lLessonKit -Xlinker -rpath -Xlinker "$PWD/.build/debug" \
    Benchmarks/debug-step/main.swift Benchmarks/cuaderno-bench/ReviewClassifier.swift -o "$out/debug-step"
exec "$out/debug-step" "$@"
