// One training epoch of lesson 8's transformer classifier and of an LSTM classifier on the same
// made-up sentences: the `classifier-epoch` and `lstm-epoch` cases. Benchmarks/torch_bench.py runs
// the same two epochs in PyTorch, on the same sentences, batches and initial weights.
//
// Only the public API of NN and TensorCore is used.

import Foundation
import NN
import TensorCore

/// The cases of this file, appended to `makeCases()`. Each takes about a minute (a warm-up epoch
/// and five timed ones of 5 to 15 s), so they run only when the command line names them, or a
/// prefix of their names: `cuaderno-bench classifier-epoch lstm-epoch`, not a bare `cuaderno-bench`
/// (nor `run.sh`, whose NumPy suite has nothing to compare them with).
func trainingEpochCases() -> [BenchCase] {
    [
        BenchCase(name: "classifier-epoch", flops: nil) {
            guard isNamedOnCommandLine("classifier-epoch") else { return nil }
            let sentences = EpochSentences()
            // With `--check` (`Sink.recording`, set before any case is prepared) the dropouts are
            // off, so that the epoch's mean loss is the same number on both sides (PyTorch cannot
            // draw Cuaderno's dropout masks); timed runs use lesson 8's 0.1.
            let model = EpochClassifier(dropout: Sink.recording ? 0 : 0.1)
            return { Sink.blackHole(trainOneEpoch(model, on: sentences.batches)) }
        },
        BenchCase(name: "lstm-epoch", flops: nil) {
            guard isNamedOnCommandLine("lstm-epoch") else { return nil }
            let sentences = EpochSentences()
            let model = EpochLSTM()
            return { Sink.blackHole(trainOneEpoch(model, on: sentences.batches)) }
        },
    ]
}

/// Whether a case-name argument of cuaderno-bench is `name` or a prefix of it; says so when not.
private func isNamedOnCommandLine(_ name: String) -> Bool {
    let filters = CommandLine.arguments.dropFirst().filter { !$0.hasPrefix("-") }
    if filters.contains(where: { name.hasPrefix($0) }) { return true }
    Progress.write("cuaderno-bench: skipped \(name), which takes about a minute; name it to run it")
    return false
}

// MARK: - The sentences

/// 8,454 made-up sentences (as many as lesson 8's training reviews) cut into the batches of one
/// epoch. The rule, which torch_bench.py's `EpochSentences` follows draw for draw:
///
/// ```
/// random  = RandomState(0)
/// z       = random.randn(8454)
/// length  = min(64, max(3, ⌊exp(3.3 + 0.5·z)⌋))        log-normal: mean 29.3, median 26, 4…64
/// ids     = random.randint(2, 4000, Σ length)           cut into the sentences in order
/// label   = 1 when more than half of a sentence's ids are ≤ 2000, else 0
/// batches = RandomState(1).permutation(8454) cut into 64s (the last has 6),
///           each padded with id 0 to its longest sentence
/// ```
///
/// The labels follow a rule rather than coin flips, so that there is something to learn (one
/// epoch takes the mean loss only from 0.69 to about 0.68). Nearly every batch has a sentence of
/// 64 ids, so the 247,522 real ids become 537,600 padded positions. The batches are made once,
/// outside the timing; every timed epoch trains on them again, so every run does the same work.
struct EpochSentences {
    static let count = 8454
    static let vocabularySize = 4000
    static let batchSize = 64
    /// Σ length: both sides check it, so that a difference in the rule cannot go unnoticed.
    static let tokenCount = 247_522

    struct Batch {
        /// `(b, t)` int64 token ids, 0 after each sentence's end.
        let ids: Tensor
        /// `(b, t)` bool, true at padding.
        let padding: Tensor
        /// Each sentence's number of real tokens.
        let lengths: [Int]
        /// `(b,)` int64.
        let labels: Tensor
    }

    let batches: [Batch]

    init() {
        var random = RandomState(seed: 0)
        let lengths = random.randn(Self.count).scalars.map { z in
            Swift.min(64, Swift.max(3, Int(Foundation.exp(3.3 + 0.5 * z).rounded(.down))))
        }
        let allIDs = random.randint(2, Self.vocabularySize, count: lengths.reduce(0, +))
        precondition(allIDs.count == Self.tokenCount, "EpochSentences: \(allIDs.count) tokens, expected \(Self.tokenCount)")
        var sentences: [[Int]] = []
        var start = 0
        for length in lengths {
            sentences.append(Array(allIDs[start..<(start + length)]))
            start += length
        }
        let labels = sentences.map { ids in 2 * ids.filter { $0 <= 2000 }.count > ids.count ? 1 : 0 }
        batches = MiniBatches(count: Self.count, batchSize: Self.batchSize, seed: 1).map { rows in
            Self.padded(rows.map { sentences[$0] }, labels: rows.map { labels[$0] })
        }
    }

    private static func padded(_ sentences: [[Int]], labels: [Int]) -> Batch {
        let width = sentences.map(\.count).max()!
        let ids = sentences.flatMap { $0 + Array(repeating: 0, count: width - $0.count) }
        let padding = sentences.flatMap { sentence in (0..<width).map { $0 >= sentence.count } }
        return Batch(ids: Tensor(shape: [sentences.count, width], indices: ids),
                     padding: Tensor(padding).reshaped(sentences.count, width),
                     lengths: sentences.map(\.count), labels: Tensor(indices: labels))
    }
}

// MARK: - The models

/// A classifier of padded batches with its own optimizer.
protocol EpochModel {
    var optimizer: AdamW { get }
    /// The two class scores of each sentence, `(b, 2)`.
    func logits(_ batch: EpochSentences.Batch) -> Tensor
}

/// One epoch as lesson 8 trains: cross-entropy, backward, gradients clipped to norm 1, an AdamW
/// step, for every batch. Returns the epoch's mean loss (a 0-d tensor).
func trainOneEpoch(_ model: some EpochModel, on batches: [EpochSentences.Batch]) -> Tensor {
    var lossSum = 0.0
    for batch in batches {
        model.optimizer.zeroGradients()
        let loss = crossEntropy(model.logits(batch), batch.labels)
        loss.backward()
        clipGradientNorm(model.optimizer.parameters, maxNorm: 1)
        model.optimizer.step()
        lossSum += loss.item()
    }
    return Tensor(lossSum / Double(batches.count))
}

/// Lesson 8's model with one block: `Embedding(4000, 32)` (table N(0, 1)/√32) `· √32` + sinusoidal
/// positions → `TransformerEncoderLayer(32, 4 heads, 128)` with the key padding mask → masked mean
/// pooling → `Linear(32, 2)`; AdamW (lr 2·10⁻³, weight decay 0.01).
final class EpochClassifier: EpochModel {
    static let width = 32
    let embedding: Embedding
    let positions = sinusoidalPositionalEncoding(positions: 64, dimension: EpochClassifier.width)
    let encoder: TransformerEncoderLayer
    let head: Linear
    let optimizer: AdamW

    /// Weights drawn from `RandomState(0)` in this order: table, encoder (query, key, value,
    /// output, expand, contract: each weight then bias), head.
    init(dropout: Double) {
        var random = RandomState(seed: 0)
        let d = Self.width
        embedding = Embedding(table: random.randn(EpochSentences.vocabularySize, d) / Double(d).squareRoot())
        encoder = TransformerEncoderLayer(modelDimension: d, headCount: 4, feedForwardDimension: 4 * d,
                                          dropout: dropout, random: &random)
        head = Linear(d, 2, random: &random)
        optimizer = AdamW(parameters: embedding.trainableParameters + encoder.trainableParameters + head.trainableParameters,
                          learningRate: 2e-3, weightDecay: 0.01)
    }

    func logits(_ batch: EpochSentences.Batch) -> Tensor {
        let length = batch.ids.shape[1]
        let h = embedding(batch.ids) * Double(Self.width).squareRoot() + positions[0..<length]
        let encoded = encoder.encode(h, keyPaddingMask: batch.padding).output
        return head(maskedMeanPooling(encoded, paddingMask: batch.padding))
    }
}

/// The recurrent classifier: `Embedding(4000, 32)` (table N(0, 1)) → `LSTM(32 → 64)` run with each
/// sentence's length → its last hidden state → `Linear(64, 2)`; the same AdamW.
final class EpochLSTM: EpochModel {
    let embedding: Embedding
    let lstm: LSTM
    let head: Linear
    let optimizer: AdamW

    /// Weights drawn from `RandomState(0)` in this order: table, LSTM (input weight, hidden weight,
    /// input bias, hidden bias), head.
    init() {
        var random = RandomState(seed: 0)
        embedding = Embedding(EpochSentences.vocabularySize, 32, random: &random)
        lstm = LSTM(inputSize: 32, hiddenSize: 64, random: &random)
        head = Linear(64, 2, random: &random)
        optimizer = AdamW(parameters: embedding.trainableParameters + lstm.trainableParameters + head.trainableParameters,
                          learningRate: 2e-3, weightDecay: 0.01)
    }

    func logits(_ batch: EpochSentences.Batch) -> Tensor {
        head(lstm.run(embedding(batch.ids), lengths: batch.lengths).lastHidden)
    }
}
