// The tensor core's speed: one JSON object mapping each case to the median of several timed runs.
//
//     swift run -c release --scratch-path .build-bench cuaderno-bench [--list | --check] [CASE-OR-PREFIX ...]
//
// `--check` runs each case once and prints the sum of its result instead of timing it.
//
// Benchmarks/numpy_bench.py runs the same cases, by the same names and the same method, in NumPy;
// Benchmarks/compare.py puts the two (and the C OpenBLAS baseline) side by side. See
// Benchmarks/README.md for what each case measures.
//
// Method (identical in numpy_bench.py and openblas_baseline.c):
// - the inputs are made once per case, outside the timing;
// - warm-up: the case runs at least once and until 0.1 s has gone by (at most 1,000 calls);
// - runs: enough to fill about 0.5 s at the warm-up's median speed, at least 5, at most 100,000;
// - each run is timed alone with the monotonic clock (CLOCK_MONOTONIC); the median is reported.
// The result of every run is handed to `blackHole`, so the optimizer cannot drop the work; it is
// released inside the timed region, as NumPy frees a discarded result.

import Foundation
import Glibc
import NN
import TensorCore

// MARK: - Timing

enum Timing {
    static let warmUpSeconds = 0.1
    static let maxWarmUpCalls = 1_000
    static let targetSeconds = 0.5
    static let minRuns = 5
    static let maxRuns = 100_000

    /// Seconds on the monotonic clock.
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) * 1e-9
    }

    static func time(_ body: () -> Void) -> Double {
        let start = now()
        body()
        return now() - start
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The median time of `body` over the runs, and how many runs there were.
    static func measure(_ body: () -> Void) -> (median: Double, runs: Int) {
        var warmUp: [Double] = []
        let warmUpStart = now()
        repeat {
            warmUp.append(time(body))
        } while now() - warmUpStart < warmUpSeconds && warmUp.count < maxWarmUpCalls
        let estimate = Swift.max(median(warmUp), 1e-9)
        let runs = Swift.min(Swift.max(Int((targetSeconds / estimate).rounded(.up)), minRuns), maxRuns)
        var times: [Double] = []
        times.reserveCapacity(runs)
        for _ in 0..<runs { times.append(time(body)) }
        return (median(times), runs)
    }
}

/// Keeps a result observable, so the optimizer cannot remove the work that made it.
enum Sink {
    nonisolated(unsafe) static var total = 0
    /// With `--check`, the sum of the last result's elements.
    nonisolated(unsafe) static var recording = false
    nonisolated(unsafe) static var lastSum = 0.0

    @inline(never)
    static func blackHole(_ tensor: Tensor) {
        total &+= tensor.shape.reduce(0, &+) &+ (tensor.dtype == .bool ? 1 : 0)
        if recording { lastSum = tensor.sum() }
    }

    @inline(never)
    static func blackHole(_ value: Int) {
        total &+= value
        if recording { lastSum = Double(value) }
    }
}

// MARK: - Cases

/// A benchmark case: `prepare` makes the inputs (untimed) and returns the body to time, or nil
/// when the case cannot run here (a pretrained model not fetched), having said why.
struct BenchCase {
    let name: String
    /// Floating-point operations of one run, for GFLOP/s (matrix products only).
    let flops: Double?
    let prepare: () -> (() -> Void)?
}

/// Single-head attention, `softmax(Q·Kᵀ/√d) · V`, optionally causal: the division by √64 and the
/// causal mask folded into the softmax's pass (`maskedSoftmax`), which gives the numbers of
/// `(scores / 8 + Tensor.causalMask(n)).softmax(axis: -1)` without building the mask.
func attention(_ q: Tensor, _ k: Tensor, _ v: Tensor, causal: Bool) -> Tensor {
    q.matmul(k.T).maskedSoftmax(temperature: 8, causal: causal).matmul(v)
}

func makeCases() -> [BenchCase] {
    var cases: [BenchCase] = []

    for (dtype, label) in [(DType.float32, "f32"), (DType.float64, "f64")] {
        for n in [64, 256, 1024, 2048] {
            cases.append(BenchCase(name: "matmul-\(label)-\(n)", flops: 2 * pow(Double(n), 3)) {
                var rng = RandomState(seed: 0)
                let a = rng.randn(n, n, dtype: dtype)
                let b = rng.randn(n, n, dtype: dtype)
                return { Sink.blackHole(a.matmul(b)) }
            })
        }
    }

    for causal in [false, true] {
        for n in [128, 512, 2048] {
            let name = causal ? "attention-causal-\(n)" : "attention-\(n)"
            // Q·Kᵀ and weights·V: 2·N·N·64 each.
            cases.append(BenchCase(name: name, flops: 4 * Double(n) * Double(n) * 64) {
                var rng = RandomState(seed: 0)
                let q = rng.randn(n, 64), k = rng.randn(n, 64), v = rng.randn(n, 64)
                return { Sink.blackHole(attention(q, k, v, causal: causal)) }
            })
        }
    }

    // Four projections 4·2·T·D·D, plus per head Q·Kᵀ and weights·V: 2·(2·T·T·64)·8.
    let (t, d, heads) = (512, 512, 8)
    let mhaFlops = 4 * 2 * Double(t * d * d) + Double(heads) * 4 * Double(t * t * (d / heads))
    cases.append(BenchCase(name: "mha-512", flops: mhaFlops) {
        var rng = RandomState(seed: 0)
        let x = rng.randn(t, d)
        let scale = 1 / Double(d).squareRoot()
        let wq = rng.randn(d, d) * scale, wk = rng.randn(d, d) * scale
        let wv = rng.randn(d, d) * scale, wo = rng.randn(d, d) * scale
        let headSize = d / heads
        return {
            let q = x.matmul(wq).reshaped(t, heads, headSize).permuted(1, 0, 2)  // (8, 512, 64)
            let k = x.matmul(wk).reshaped(t, heads, headSize).permuted(1, 0, 2)
            let v = x.matmul(wv).reshaped(t, heads, headSize).permuted(1, 0, 2)
            let scores = q.matmul(k.transposed(-2, -1))  // (8, 512, 512)
            let perHead = scores.maskedSoftmax(temperature: Double(headSize).squareRoot()).matmul(v)  // (8, 512, 64)
            let merged = perHead.permuted(1, 0, 2).reshaped(t, d)
            Sink.blackHole(merged.matmul(wo))
        }
    })

    cases.append(BenchCase(name: "pe-5000x512", flops: nil) {
        return {
            let (positions, dModel) = (5000, 512)
            let position = Tensor.arange(positions).reshaped(positions, 1)  // (5000, 1)
            // 1 / 10000^(2i/d) = exp(2i · (−ln 10000 / d))
            let frequencies = (Tensor.arange(0, Double(dModel), step: 2) * (-Glibc.log(10000.0) / Double(dModel))).exp()
            let angles = position * frequencies  // (5000, 256)
            Sink.blackHole(Tensor.stack([angles.sin(), angles.cos()], axis: -1).reshaped(positions, dModel))
        }
    })

    for n in [256, 1024] {
        cases.append(BenchCase(name: "rank-\(n)", flops: nil) {
            var rng = RandomState(seed: 0)
            let a = rng.randn(n, n)
            return { Sink.blackHole(a.matrixRank()) }
        })
    }

    // One LoRA training step: a frozen 100×128 layer with a rank-2 adapter (α/r = 4/2), ReLU, a
    // trainable 128×2 head, cross-entropy, backward, SGD. NumPy's side writes the same step by hand.
    cases.append(BenchCase(name: "lora-step", flops: nil) {
        var rng = RandomState(seed: 0)
        let x = rng.randn(256, 100)
        let labels = Tensor(indices: rng.randint(0, 2, count: 256))
        let base = Linear(weight: rng.randn(100, 128) * 0.1, bias: Tensor.zeros([128]))
        var unused = RandomState(seed: 1)
        let lora = LoRALinear(base: base, rank: 2, alpha: 4, random: &unused)
        lora.a.update(to: rng.randn(100, 2) * 0.01)   // NumPy's numbers, in NumPy's order
        let head = Linear(weight: rng.randn(128, 2) * 0.1, bias: Tensor.zeros([2]))
        let model = Sequential(lora, ReLU(), head)
        let optimizer = SGD(parameters: model.trainableParameters, learningRate: 0.1)
        return {
            optimizer.zeroGradients()
            let loss = crossEntropy(model(x), labels)
            loss.backward()
            optimizer.step()
            Sink.blackHole(loss)
        }
    })

    // One epoch of the digits MLP (64 → 128 → ReLU → 10, Adam, batches of 32) on the 1,347
    // training digits; TrainingEndToEndTests trains this network for 15 epochs to ≥ 95%.
    cases.append(BenchCase(name: "digits-mlp-epoch", flops: nil) {
        guard let (images, labels) = try? Digits.load(from: "Lessons/data/digits.csv") else {
            Progress.write("cuaderno-bench: digits-mlp-epoch needs Lessons/data/digits.csv; run it from the package folder")
            exit(1)
        }
        let split = trainTestSplit(images / 16, labels, testFraction: 0.25, seed: 0)
        var rng = RandomState(seed: 0)
        let model = Sequential(Linear(64, 128, random: &rng), ReLU(), Linear(128, 10, random: &rng))
        let optimizer = Adam(parameters: model.trainableParameters, learningRate: 1e-2)
        return {
            var last = Tensor(0.0)
            for batch in MiniBatches(count: split.trainFeatures.shape[0], batchSize: 32, random: &rng) {
                optimizer.zeroGradients()
                last = crossEntropy(model(split.trainFeatures.rows(batch)), split.trainLabels.rows(batch))
                last.backward()
                optimizer.step()
            }
            Sink.blackHole(last)
        }
    })

    // Lesson 8's classifier (ReviewClassifier.swift): one full training step on a batch of 64
    // made-up sentences of 5 to 40 tokens — forward, cross-entropy, backward, clipping, AdamW.
    // With `--check` the dropout is off, so that the step's loss is torch_bench.py's to rounding.
    cases.append(BenchCase(name: "classifier-step", flops: nil) {
        var random = RandomState(seed: 0)
        let batch = ReviewBatch(size: 64, maxLength: 40, random: &random)
        let model = ReviewClassifier(maxLength: 40, dropout: Sink.recording ? 0 : 0.1)
        return { Sink.blackHole(model.step(batch)) }
    })
    // Its encoder block's forward pass alone, in training mode (dropout on, gradients recorded),
    // on a (64, 40, 32) batch with the same kind of padding.
    cases.append(BenchCase(name: "encoder-forward-64x40x32", flops: nil) {
        var random = RandomState(seed: 0)
        let batch = ReviewBatch(size: 64, maxLength: 40, random: &random)
        let input = random.randn(64, 40, 32)
        let model = ReviewClassifier(maxLength: 40)
        return { Sink.blackHole(model.encoder.encode(input, keyPaddingMask: batch.padding).output) }
    })

    // The pretrained all-MiniLM-L6-v2 (BERT, 6 layers, 22.7 M parameters) from Models/ (`make model`):
    // loading its configuration, 87 MB of float32 weights and its vocabulary; one forward pass.
    cases.append(BenchCase(name: "bert-load", flops: nil) {
        guard let folder = pretrainedFolder("all-MiniLM-L6-v2") else { return nil }
        return {
            let model = try! SentenceTransformer.load(from: folder)
            Sink.blackHole(model.model.parameterCounts.total &+ model.tokenizer.count)
        }
    })
    cases.append(BenchCase(name: "bert-forward-32", flops: nil) {
        guard let folder = pretrainedFolder("all-MiniLM-L6-v2") else { return nil }
        let model = try! SentenceTransformer.load(from: folder)
        let encoded = model.tokenizer.encode(benchmarkSentence)
        precondition(encoded.count == 32, "the benchmark sentence should be 32 tokens, [CLS] and [SEP] included")
        return { Sink.blackHole(model.model(encoded).lastHiddenState) }
    })
    cases.append(BenchCase(name: "bert-forward-32-f64", flops: nil) {
        guard let folder = pretrainedFolder("all-MiniLM-L6-v2") else { return nil }
        let model = try! SentenceTransformer.load(from: folder, dtype: .float64)
        let encoded = model.tokenizer.encode(benchmarkSentence)
        return { Sink.blackHole(model.model(encoded).lastHiddenState) }
    })
    cases.append(bertForwardBatchCase())
    cases.append(bertLoRAStepCase())

    // SmolLM2's tokenizer from its GGUF file in Models/ (`make model`): reading it (49,152 tokens,
    // 48,900 merges), and encoding 107 kB of text, Tests/NNTests/Fixtures/bpe/corpus.txt ten times
    // (review sentences, accents, emoji, CJK, code, numbers).
    cases.append(BenchCase(name: "smollm2-tokenizer-load", flops: nil) {
        guard let url = smolLM2File() else { return nil }
        return { Sink.blackHole(try! BPETokenizer(gguf: GGUFFile(contentsOf: url)).count) }
    })
    cases.append(BenchCase(name: "smollm2-encode-100k", flops: nil) {
        guard let url = smolLM2File() else { return nil }
        let tokenizer = try! BPETokenizer(gguf: GGUFFile(contentsOf: url))
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Tests/NNTests/Fixtures/bpe/corpus.txt")
        let text = String(repeating: try! String(contentsOf: corpus, encoding: .utf8), count: 10)
        Progress.write("smollm2-encode-100k: \(text.utf8.count) bytes, \(tokenizer.encode(text).count) tokens")
        return { Sink.blackHole(tokenizer.encode(text).count) }
    })

    let sizes = [(1_000_000, "1e6"), (10_000_000, "1e7")]
    for (count, label) in sizes {
        cases.append(BenchCase(name: "exp-\(label)", flops: nil) {
            var rng = RandomState(seed: 0)
            let x = rng.randn(count)
            return { Sink.blackHole(x.exp()) }
        })
    }
    for (count, label) in sizes {
        cases.append(BenchCase(name: "add-\(label)", flops: nil) {
            var rng = RandomState(seed: 0)
            let a = rng.randn(count), b = rng.randn(count)
            return { Sink.blackHole(a + b) }
        })
    }
    cases += trainingEpochCases()
    return cases
}

/// 32 tokens with [CLS] and [SEP] (sentence 5 of Tests/NNTests/Fixtures/bert/model.json).
let benchmarkSentence = "Attention lets every word in a sentence look at all the other words, so that the model can learn which of its neighbours matter most to its meaning."

/// The folder of a pretrained model, or nil after saying how to get it (the case is skipped).
func pretrainedFolder(_ name: String) -> URL? {
    do {
        return try PretrainedModel.folder(named: name)
    } catch {
        Progress.write("cuaderno-bench: skipped: \(error)")
        return nil
    }
}

/// SmolLM2-135M-Instruct's GGUF file, or nil after saying how to get it (the case is skipped).
func smolLM2File() -> URL? {
    pretrainedFolder("SmolLM2-135M-Instruct")?.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf")
}

// MARK: - Main

func jsonNumber(_ value: Double) -> String {
    value.isFinite ? "\(value)" : "null"
}

let cases = makeCases()
let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.contains("--list") {
    for benchCase in cases { print(benchCase.name) }
    exit(0)
}
let checking = arguments.contains("--check")
let filters = arguments.filter { $0 != "--check" }
if let option = filters.first(where: { $0.hasPrefix("-") }) {
    Progress.write("cuaderno-bench: unknown option \(option); usage: cuaderno-bench [--list | --check] [CASE-OR-PREFIX ...]")
    exit(2)
}
for filter in filters where !cases.contains(where: { $0.name.hasPrefix(filter) }) {
    Progress.write("cuaderno-bench: no case is named or starts with '\(filter)'; see --list")
    exit(2)
}
let selected = filters.isEmpty ? cases : cases.filter { c in filters.contains { c.name.hasPrefix($0) } }

if checking {
    // Runs each case once and prints the sum of its result's elements, to compare with
    // `numpy_bench.py --check`: the inputs are the same numbers, so the sums agree to rounding.
    Sink.recording = true
    let sums = selected.compactMap { benchCase -> String? in
        guard let body = benchCase.prepare() else { return nil }
        body()
        return "  \"\(benchCase.name)\": \(jsonNumber(Sink.lastSum))"
    }
    print("{\n\(sums.joined(separator: ",\n"))\n}")
    exit(0)
}

var entries: [String] = []
for benchCase in selected {
    guard let body = benchCase.prepare() else { continue }
    let (median, runs) = Timing.measure(body)
    var fields = ["\"median_seconds\": \(jsonNumber(median))"]
    if let flops = benchCase.flops { fields.append("\"gflops\": \(jsonNumber(flops / median / 1e9))") }
    fields.append("\"runs\": \(runs)")
    Progress.write("\(benchCase.name): \(median) s (\(runs) runs)")
    entries.append("  \"\(benchCase.name)\": {\(fields.joined(separator: ", "))}")
}
print("{\n\(entries.joined(separator: ",\n"))\n}")
if Sink.total == Int.min { print(Sink.total) }

/// Progress lines go to standard error, so standard output is only the JSON.
enum Progress {
    static func write(_ line: String) {
        let text = line + "\n"
        _ = text.withCString { Glibc.write(2, $0, strlen($0)) }
    }
}
