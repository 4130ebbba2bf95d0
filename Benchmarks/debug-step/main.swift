// Lesson 8's training step timed in the build lessons use: this file and
// ../cuaderno-bench/ReviewClassifier.swift compiled with `swiftc -Onone` against the debug
// build's libLessonKit.so, as the runner compiles a lesson. Run it with Benchmarks/debug-step.sh.
//
//     debug-step [--repeat SECONDS]
//
// Prints the median and the fastest run of each part of the step (same method as
// cuaderno-bench: warm-up, then enough runs to fill about half a second; on a busy machine the
// fastest run moves less than the median). `--repeat` runs only whole steps for that long (for
// `perf record`) and prints the wall-clock and CPU time per step.

import Foundation
import NN
import TensorCore

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

/// The median and the fastest of the timed runs.
func measure(_ body: () -> Void) -> (median: Double, fastest: Double) {
    var warmUp: [Double] = []
    let start = now()
    repeat {
        let t = now()
        body()
        warmUp.append(now() - t)
    } while now() - start < 0.1
    let estimate = Swift.max(warmUp.sorted()[warmUp.count / 2], 1e-9)
    let runs = Swift.min(Swift.max(Int((0.5 / estimate).rounded(.up)), 5), 10_000)
    var times: [Double] = []
    for _ in 0..<runs {
        let t = now()
        body()
        times.append(now() - t)
    }
    times.sort()
    return (times[times.count / 2], times[0])
}

var random = RandomState(seed: 0)
let batch = ReviewBatch(size: 64, maxLength: 40, random: &random)
let input = random.randn(64, 40, 32)
let model = ReviewClassifier(maxLength: 40)
let arguments = CommandLine.arguments

/// Seconds of CPU time this process has used, all threads: on a machine shared with other work
/// it counts only the time the step really ran, not the time it waited for a core.
func cpuTime() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let (user, system) = (usage.ru_utime, usage.ru_stime)
    return Double(user.tv_sec + system.tv_sec) + Double(user.tv_usec + system.tv_usec) * 1e-6
}

if let flag = arguments.firstIndex(of: "--repeat"), flag + 1 < arguments.count, let seconds = Double(arguments[flag + 1]) {
    let (start, startCPU) = (now(), cpuTime())
    var steps = 0
    while now() - start < seconds {
        _ = model.step(batch)
        steps += 1
    }
    let (wall, cpu) = ((now() - start) / Double(steps), (cpuTime() - startCPU) / Double(steps))
    print(String(format: "%d steps: %.2f ms per step, %.2f ms of CPU time per step", steps, wall * 1000, cpu * 1000))
    exit(0)
}

func report(_ name: String, _ body: () -> Void) {
    let (median, fastest) = measure(body)
    print(name.padding(toLength: 28, withPad: " ", startingAt: 0),
          String(format: "median %7.2f ms   fastest %7.2f ms", median * 1000, fastest * 1000))
}
report("classifier-step") { _ = model.step(batch) }
report("  forward") { _ = crossEntropy(model.logits(batch.ids, padding: batch.padding), batch.labels) }
report("  forward + backward") {
    model.optimizer.zeroGradients()
    crossEntropy(model.logits(batch.ids, padding: batch.padding), batch.labels).backward()
}
report("  clip + AdamW step") {
    clipGradientNorm(model.optimizer.parameters, maxNorm: 1)
    model.optimizer.step()
}
report("encoder-forward-64x40x32") { _ = model.encoder.encode(input, keyPaddingMask: batch.padding) }
