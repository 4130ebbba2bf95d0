import Foundation
import Testing
@testable import NN
import TensorCore

/// What the layers compute, against hand-written formulas.
@Suite struct LayerTests {
    var random = RandomState(seed: 5)

    @Test mutating func linearIsXTimesWPlusB() {
        let layer = Linear(weight: Tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]), bias: Tensor([0.5, -1.0]))
        #expect(layer(Tensor([[1.0, 0.0, -1.0]])).scalars == [-3.5, -5.0])  // (1 − 5 + 0.5, 2 − 6 − 1)
        #expect(layer.parameterCounts == ParameterCounts(total: 8, trainable: 8))
        #expect(layer.parameters.map(\.name) == ["weight", "bias"])
    }

    @Test mutating func linearInitialisationIsUniformInTheFanInBound() {
        let layer = Linear(100, 128, random: &random)
        let bound = 0.1
        #expect(layer.weight.value.max() <= bound && layer.weight.value.min() >= -bound)
        #expect(Swift.abs(layer.weight.value.mean()) < 0.01)
        // Uniform on ±0.1 has standard deviation 0.1/√3.
        #expect(Swift.abs(layer.weight.value.std(axis: 0).mean() - 0.1 / 3.0.squareRoot()) < 0.005)
    }

    @Test func sequentialNamesItsLayersByPosition() {
        var random = RandomState(seed: 1)
        let model = Sequential(Linear(64, 32, random: &random), ReLU(), Linear(32, 10, random: &random))
        #expect(model.parameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(model.parameterCounts.total == 64 * 32 + 32 + 32 * 10 + 10)
        model.layers[0].freeze()
        #expect(model.parameterCounts == ParameterCounts(total: 2410, trainable: 330))
    }

    @Test func layerNormGivesMeanZeroAndVarianceOne() {
        let x = Tensor([[1.0, 2.0, 3.0, 6.0], [-1.0, 0.0, 0.0, 1.0]])
        let y = LayerNorm(4)(x)
        for row in 0..<2 {
            #expect(Swift.abs(y[row].mean()) < 1e-12)
            #expect(Swift.abs(y[row].variance(axis: 0).item() - 1) < 1e-4)  // ε = 1e-5 takes a little
        }
        // Row 0: mean 3, variance 3.5, so 6 ↦ 3/√(3.5 + 1e-5).
        #expect(Swift.abs(y[0, 3].item() - 3 / (3.5 + 1e-5).squareRoot()) < 1e-12)
    }

    @Test func dropoutKeepsTheExpectedValueAndIsOffInEvaluation() {
        let dropout = Dropout(0.25, seed: 9)
        let ones = Tensor.ones([100, 100])
        let dropped = dropout(ones)
        let kept = (dropped .> 0).sum()
        #expect(kept > 7_300 && kept < 7_700)  // 75% of 10,000, give or take
        #expect(Set(dropped.scalars) == [0, 1 / 0.75])
        #expect(Swift.abs(dropped.mean() - 1) < 0.03)
        // Seeded: the same layer made again drops the same elements.
        #expect(Dropout(0.25, seed: 9)(ones).scalars == dropped.scalars)
        let model = Sequential(dropout)
        model.setTraining(false)
        #expect(model(ones).scalars == ones.scalars)
    }

    @Test func sinusoidalEncodingFollowsTheFormula() {
        let table = sinusoidalPositionalEncoding(positions: 50, dimension: 16)
        #expect(table.shape == [50, 16])
        // Position 7, pair 3: sin and cos of 7 / 10000^(6/16).
        let angle = 7 / pow(10_000, 6.0 / 16)
        #expect(Swift.abs(table[7, 6].item() - sin(angle)) < 1e-15)
        #expect(Swift.abs(table[7, 7].item() - cos(angle)) < 1e-15)
        #expect(table[0].scalars == (0..<16).map { $0 % 2 == 0 ? 0 : 1 })
    }

    @Test mutating func multiHeadAttentionEqualsTheHandWrittenFormula() {
        let (d, heads, length) = (8, 2, 5)
        let (wq, wk, wv, wo) = (random.randn(d, d), random.randn(d, d), random.randn(d, d), random.randn(d, d))
        let x = random.randn(length, d)
        let layer = MultiHeadAttention(queryWeight: wq, keyWeight: wk, valueWeight: wv, outputWeight: wo, headCount: heads)
        let (output, weights) = layer.attend(query: x, key: x, value: x, causal: true)

        // By hand: each head on its slice of the projections, then joined and projected.
        let (q, k, v) = (x.matmul(wq), x.matmul(wk), x.matmul(wv))
        let headWidth = d / heads
        var headOutputs: [Tensor] = []
        for head in 0..<heads {
            let columns = (head * headWidth)..<((head + 1) * headWidth)
            let scores = q[..., columns].matmul(k[..., columns].T) / Double(headWidth).squareRoot()
            let masked = scores.maskedFill(Tensor.ones([length, length]).triu(1) .> 0, with: -.infinity)
            let w = masked.softmax(axis: -1)
            #expect(Closeness(rtol: 1e-12, atol: 1e-14).mismatch(weights[head], w) == nil)
            headOutputs.append(w.matmul(v[..., columns]))
        }
        let expected = Tensor.concat(headOutputs, axis: 1).matmul(wo)
        #expect(Closeness(rtol: 1e-12, atol: 1e-12).mismatch(output, expected) == nil)
        #expect(weights.shape == [heads, length, length])
        #expect(weights[1, 0, 1...].scalars.allSatisfy { $0 == 0 })  // the first token sees only itself
    }

    @Test mutating func keyPaddingHidesPaddedKeysInEveryBatchRow() {
        let layer = MultiHeadAttention(modelDimension: 4, headCount: 2, random: &random)
        let x = random.randn(2, 3, 4)
        let padding = Tensor([false, false, true, false, true, true]).reshaped(2, 3)
        let (output, weights) = layer.attend(query: x, key: x, value: x, keyPaddingMask: padding)
        #expect(output.shape == [2, 3, 4] && weights.shape == [2, 2, 3, 3])
        #expect(weights[0][..., ..., 2].scalars.allSatisfy { $0 == 0 })
        #expect(weights[1][..., ..., 0].scalars.allSatisfy { Swift.abs($0 - 1) < 1e-15 })
        // Each batch row is attended on its own: row 1 alone gives the same result.
        let alone = layer.attend(query: x[1], key: x[1], value: x[1], keyPaddingMask: padding[1])
        #expect(Closeness(rtol: 1e-12, atol: 1e-14).mismatch(alone.output, output[1]) == nil)
    }

    @Test mutating func transformerLayerKeepsTheShapeAndNormalises() {
        let block = TransformerEncoderLayer(modelDimension: 8, headCount: 4, feedForwardDimension: 16, random: &random)
        block.setTraining(false)
        let x = random.randn(3, 6, 8)
        let (output, weights) = block.encode(x, causal: true)
        #expect(output.shape == [3, 6, 8] && weights.shape == [3, 4, 6, 6])
        #expect(Swift.abs(output[1, 2].mean()) < 1e-12)
        #expect(block.parameterCounts.total == 4 * (8 * 8 + 8) + 2 * 2 * 8 + (8 * 16 + 16) + (16 * 8 + 8))
    }

    @Test mutating func preLNBlockNormalisesEachBranchAndKeepsTheIdentityPath() {
        let block = TransformerEncoderLayer(modelDimension: 8, headCount: 2, feedForwardDimension: 32, normFirst: true,
                                            random: &random)
        block.setTraining(false)
        block.firstNorm.scale.update(to: random.randn(8))
        block.secondNorm.shift.update(to: random.randn(8))
        let x = random.randn(2, 5, 8)
        let padding = Tensor([false, false, false, true, true, false, false, false, false, false]).reshaped(2, 5)
        // x + Attention(LN₁(x)), then + W₂·ReLU(W₁·LN₂(·)), composed here from the block's own parts.
        let normalised = block.firstNorm(x)
        let attended = block.attention.attend(query: normalised, key: normalised, value: normalised, keyPaddingMask: padding)
        let middle = x + attended.output
        #expect(block.expand === block.feedForward.layers[0] && block.contract === block.feedForward.layers[3])
        let expected = middle + block.contract(block.expand(block.secondNorm(middle)).relu())
        let (output, weights) = block.encode(x, keyPaddingMask: padding)
        #expect(Closeness(rtol: 1e-12, atol: 1e-13).mismatch(output, expected) == nil)
        #expect(weights.scalars == attended.weights.scalars)
        // Unlike post-LN, the output is not normalised: its rows keep the residual stream's mean.
        #expect(Swift.abs(output[0, 1].mean()) > 1e-3)
        #expect(block.parameterCounts == TransformerEncoderLayer(modelDimension: 8, headCount: 2, feedForwardDimension: 32,
                                                                 random: &random).parameterCounts)
    }

    @Test mutating func loraStartsAsTheBaseLayerAndMergesExactly() {
        let base = Linear(100, 128, random: &random)
        let baseWeight = base.weight.value
        let lora = LoRALinear(base: base, rank: 2, alpha: 4, random: &random)
        let x = random.randn(16, 100)
        #expect(lora(x).scalars == base(x).scalars)   // B = 0: exactly the base layer
        #expect(lora.parameterCounts == ParameterCounts(total: 100 * 128 + 128 + 2 * (100 + 128), trainable: 456))
        #expect(lora.trainableParameters.count == 2)

        lora.b.update(to: random.randn(2, 128))
        let merged = lora.merged()
        #expect(Closeness(rtol: 1e-12, atol: 1e-12).mismatch(merged(x), lora(x)) == nil)
        #expect(base.weight.value.scalars == baseWeight.scalars)   // the base is untouched
        #expect(Closeness(rtol: 1e-12, atol: 1e-14).mismatch(lora.weightUpdate, lora.a.value.matmul(lora.b.value) * 2) == nil)
    }
}

@Suite struct LoRAAdapterTests {
    @Test func anAdapterAloneReloadsIntoAFreshCopyOfTheBase() throws {
        var random = RandomState(seed: 8)
        let baseWeight = random.randn(6, 4), baseBias = random.randn(4)
        let trained = LoRALinear(base: Linear(weight: baseWeight, bias: baseBias), rank: 2, alpha: 3, random: &random)
        trained.b.update(to: random.randn(2, 4))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lora-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("adapter.safetensors").path
        try trained.saveAdapter(to: path)
        let saved = try ParameterFile.read(from: URL(fileURLWithPath: path))
        #expect(saved.tensors.keys.sorted() == ["a", "b"])   // the base is not in it
        #expect(saved.metadata == ["alpha": "3.0", "rank": "2"])

        let fresh = LoRALinear(base: Linear(weight: baseWeight, bias: baseBias), rank: 2, alpha: 1, random: &random)
        try fresh.loadAdapter(from: path)
        #expect(fresh.alpha == 3)
        let x = random.randn(5, 6)
        #expect(fresh(x).scalars == trained(x).scalars)

        // An adapter of another rank is refused, and changes nothing.
        let other = LoRALinear(base: Linear(weight: baseWeight), rank: 1, alpha: 1, random: &random)
        let before = other.a.value.scalars
        #expect(throws: ParameterFileError.self) { try other.loadAdapter(from: path) }
        #expect(other.a.value.scalars == before && other.alpha == 1)
    }
}
