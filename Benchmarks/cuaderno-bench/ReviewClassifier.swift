// The model of lesson 8, a one-block transformer classifier of movie-review sentences, on a batch
// of made-up sentences: the `classifier-step` and `encoder-forward-64x40x32` cases.
//
// This file uses only the public API (NN, TensorCore), so that Benchmarks/debug-step.sh can also
// compile it against the debug build's libLessonKit.so, as a lesson is compiled.

import NN
import TensorCore

/// `Embedding(8872, 32)` → `· √32` + sinusoidal positions → one `TransformerEncoderLayer(32, 4
/// heads, 128, dropout 0.1)` with the key padding mask → masked mean pooling → `Linear(32, 2)`,
/// trained with cross-entropy, gradient clipping at 1 and AdamW.
///
/// torch_bench.py's `classifier-step` builds the same model from the same draws.
final class ReviewClassifier {
    static let vocabularySize = 8872
    static let width = 32

    let embedding: Embedding
    let positions: Tensor
    let encoder: TransformerEncoderLayer
    let head: Linear
    let optimizer: AdamW

    /// `dropout` is lesson 8's 0.1 unless a check turns it off (PyTorch cannot draw Cuaderno's masks).
    init(maxLength: Int, dropout: Double = 0.1, seed: UInt32 = 0) {
        var random = RandomState(seed: seed)
        embedding = Embedding(Self.vocabularySize, Self.width, random: &random)
        positions = sinusoidalPositionalEncoding(positions: maxLength, dimension: Self.width)
        encoder = TransformerEncoderLayer(modelDimension: Self.width, headCount: 4, feedForwardDimension: 128,
                                          dropout: dropout, random: &random, dropoutSeed: seed)
        head = Linear(Self.width, 2, random: &random)
        optimizer = AdamW(parameters: embedding.trainableParameters + encoder.trainableParameters + head.trainableParameters,
                          learningRate: 1e-3)
    }

    /// Class scores `(b, 2)` for token ids `(b, t)` with `padding` `(b, t)` true at padding.
    func logits(_ ids: Tensor, padding: Tensor) -> Tensor {
        let length = ids.shape[1]
        let embedded = embedding(ids) * Double(Self.width).squareRoot() + positions[0..<length]
        let encoded = encoder.encode(embedded, keyPaddingMask: padding).output
        return head(maskedMeanPooling(encoded, paddingMask: padding))
    }

    /// One training step; returns the loss before the step.
    func step(_ batch: ReviewBatch) -> Tensor {
        optimizer.zeroGradients()
        let loss = crossEntropy(logits(batch.ids, padding: batch.padding), batch.labels)
        loss.backward()
        clipGradientNorm(optimizer.parameters, maxNorm: 1)
        optimizer.step()
        return loss
    }
}

/// A batch of made-up sentences: random token ids, lengths between 5 and the maximum, padding
/// (id 0) after each sentence's end, random labels.
struct ReviewBatch {
    let ids: Tensor
    let padding: Tensor
    let labels: Tensor

    init(size: Int, maxLength: Int, random: inout RandomState) {
        var ids: [Int] = []
        var padding: [Bool] = []
        for _ in 0..<size {
            let length = random.randint(5, maxLength + 1)
            let tokens = random.randint(0, ReviewClassifier.vocabularySize, count: length)
            ids += tokens + Array(repeating: 0, count: maxLength - length)
            padding += Array(repeating: false, count: length) + Array(repeating: true, count: maxLength - length)
        }
        self.ids = Tensor(shape: [size, maxLength], indices: ids)
        self.padding = Tensor(padding).reshaped(size, maxLength)
        labels = Tensor(indices: random.randint(0, 2, count: size))
    }
}
