// Cuaderno's side of the SmolLM2 benchmark: load a GGUF llama model, feed a prompt in one batch,
// then generate greedily one token at a time, and print one JSON object of the times.
//
//     swift build -c release --scratch-path .build-bench --product cuaderno-llama-bench
//     .build-bench/release/cuaderno-llama-bench --model FILE --prompt-ids 504,3575,282 [--generate 128]
//                                         [--threads 2] [--arithmetic int8|float32] [--repeats 3]
//
// It also measures how fast the threads can read memory — a sum over 512 MiB, best of five — and
// divides it by the bytes of weights one token reads: the most tokens a second any implementation
// can generate on this machine.
//
// Benchmarks/llama_bench.py runs it and llama.cpp (llama-cpp-python) on the same file, the same
// token ids (tokenised by llama.cpp) and the same thread count, and prints the two side by side.
// Each phase is timed with the monotonic clock; with --repeats N, the prompt and the generation run
// N times on fresh sessions and the best time of each is reported (the first run pages the weights in).

import Foundation
import NN
import TensorCore

struct Options {
    var model = ""
    var promptIDs: [Int] = []
    var generate = 128
    var threads = 2
    var arithmetic = LlamaArithmetic.int8Activations
    var repeats = 3

    init(_ arguments: [String]) {
        var rest = arguments[...]
        func value(_ flag: String) -> String {
            guard let next = rest.popFirst() else { fail("\(flag) needs a value") }
            return next
        }
        func number(_ text: some StringProtocol, _ flag: String) -> Int {
            guard let number = Int(text) else { fail("\(flag) needs whole numbers, not \(text)") }
            return number
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--model": model = value(flag)
            case "--prompt-ids": promptIDs = value(flag).split(separator: ",").map { number($0, flag) }
            case "--generate": generate = number(value(flag), flag)
            case "--threads": threads = number(value(flag), flag)
            case "--repeats": repeats = max(1, number(value(flag), flag))
            case "--arithmetic":
                switch value(flag) {
                case "int8": arithmetic = .int8Activations
                case "float32": arithmetic = .float32
                case let other: fail("--arithmetic is int8 or float32, not \(other)")
                }
            default: fail("unknown option \(flag)")
            }
        }
        if model.isEmpty || promptIDs.isEmpty { fail("give --model FILE and --prompt-ids ID,ID,…") }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("cuaderno-llama-bench: error: \(message)\n".utf8))
    exit(2)
}

func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

/// CPU seconds of the whole process, every thread.
func processorTime() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let loadStart = now()
let model: LlamaModel
do {
    model = try LlamaModel(file: GGUFFile(contentsOf: URL(fileURLWithPath: options.model)))
} catch {
    fail("\(error)")
}
let loadSeconds = now() - loadStart

var promptSeconds = Double.infinity, generateSeconds = Double.infinity, generateCPUSeconds = 0.0
var generated: [Int] = []
for _ in 0..<options.repeats {
    let session = model.makeSession(arithmetic: options.arithmetic, threads: options.threads)
    var start = now()
    var logits = session.feed(options.promptIDs)
    promptSeconds = min(promptSeconds, now() - start)
    var sampler = TokenSampler(.greedy)
    var tokens: [Int] = []
    start = now()
    let cpuStart = processorTime()
    for _ in 0..<options.generate {
        let next = sampler.next(logits: logits)
        tokens.append(next)
        logits = session.feed(next)
    }
    if now() - start < generateSeconds {
        (generateSeconds, generateCPUSeconds) = (now() - start, processorTime() - cpuStart)
    }
    generated = tokens
}

/// Bytes a second that `threads` threads read, each summing its part of a 512 MiB buffer (far
/// larger than the caches), best of five.
func readBandwidth(threads: Int) -> Double {
    let count = 512 << 20 / MemoryLayout<UInt64>.size
    let buffer = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
    defer { buffer.deallocate() }
    for i in 0..<count { buffer[i] = UInt64(i) }
    let shared = UncheckedPointer(pointer: buffer)
    var best = Double.infinity
    var checksum: UInt64 = 0
    for _ in 0..<5 {
        let sums = UnsafeMutablePointer<UInt64>.allocate(capacity: threads)
        let sumsShared = UncheckedPointer(pointer: sums)
        let start = now()
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            var total: UInt64 = 0
            for i in (count * part / threads)..<(count * (part + 1) / threads) { total &+= shared.pointer[i] }
            sumsShared.pointer[part] = total
        }
        best = min(best, now() - start)
        for part in 0..<threads { checksum &+= sums[part] }
        sums.deallocate()
    }
    precondition(checksum != 1)   // keeps the sums
    return Double(count * MemoryLayout<UInt64>.size) / best
}

struct UncheckedPointer: @unchecked Sendable { let pointer: UnsafeMutablePointer<UInt64> }

let bandwidth = readBandwidth(threads: options.threads)
let c = model.configuration
let result: [String: Any] = [
    "implementation": "Cuaderno LlamaModel (\(options.arithmetic == .float32 ? "float32" : "int8") activations)",
    "threads": options.threads,
    "load_seconds": loadSeconds,
    "prompt_tokens": options.promptIDs.count,
    "prompt_seconds": promptSeconds,
    "prompt_tokens_per_second": Double(options.promptIDs.count) / promptSeconds,
    "generated_tokens": options.generate,
    "generate_seconds": generateSeconds,
    "generate_tokens_per_second": Double(options.generate) / generateSeconds,
    "generate_cpu_seconds": generateCPUSeconds,
    "generated_ids": generated,
    "model": ["layers": c.layerCount, "hidden": c.hiddenSize, "vocabulary": c.vocabularySize],
    "weight_bytes_per_token": model.bytesReadPerToken,
    "read_bytes_per_second": bandwidth,
    "bandwidth_bound_tokens_per_second": bandwidth / Double(model.bytesReadPerToken),
]
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
