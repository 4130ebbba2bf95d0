import Testing
@testable import NN
import TensorCore

/// Checks a module's gradients — with respect to every trainable parameter and to the input —
/// against central finite differences in float64. The loss is `Σ forward(x) · R` for a fixed
/// random `R`, so every output element counts with its own weight.
func expectLayerGradientsMatchFiniteDifferences(
    _ module: any Module, input: Tensor, step: Double = 1e-6, rtol: Double = 1e-5, atol: Double = 1e-7,
    sourceLocation: SourceLocation = #_sourceLocation, forward: (Tensor) -> Tensor
) {
    var random = RandomState(seed: 11)
    let leafInput = input.dtype.isFloatingPoint ? input.requiringGradient() : input
    module.zeroGradients()
    let output = forward(leafInput)
    let weights = random.randn(shape: output.shape)
    (output * weights).sumAll().backward()

    func loss(_ x: Tensor) -> Double {
        Tensor.withoutGradients { (forward(x) * weights).sum() }
    }
    /// ∂loss/∂(each element), moving one element at a time through `set`.
    func numericGradient(of values: Tensor, set: (Tensor) -> Void, evaluate: () -> Double) -> Tensor {
        var scalars = values.scalars
        var gradient: [Double] = []
        for index in scalars.indices {
            let original = scalars[index]
            scalars[index] = original + step
            set(Tensor(shape: values.shape, scalars: scalars))
            let above = evaluate()
            scalars[index] = original - step
            set(Tensor(shape: values.shape, scalars: scalars))
            let below = evaluate()
            scalars[index] = original
            gradient.append((above - below) / (2 * step))
        }
        set(values)
        return Tensor(shape: values.shape, scalars: gradient)
    }

    let closeness = Closeness(rtol: rtol, atol: atol)
    for (name, parameter) in module.parameters where !parameter.isFrozen {
        let original = parameter.value.detachedFromGradients()
        guard let analytic = parameter.gradient else {
            Issue.record("\(name) got no gradient", sourceLocation: sourceLocation)
            continue
        }
        let numeric = numericGradient(of: original, set: { parameter.update(to: $0) }, evaluate: { loss(input) })
        let mismatch = closeness.mismatch(analytic, numeric)
        #expect(mismatch == nil, "\(name): \(mismatch ?? "")", sourceLocation: sourceLocation)
    }
    if input.dtype.isFloatingPoint, let analytic = leafInput.gradient {
        var current = input
        let numeric = numericGradient(of: input, set: { current = $0 }, evaluate: { loss(current) })
        let mismatch = closeness.mismatch(analytic, numeric)
        #expect(mismatch == nil, "input: \(mismatch ?? "")", sourceLocation: sourceLocation)
    }
}

@Suite struct LayerGradientTests {
    var random = RandomState(seed: 3)

    @Test mutating func linearWithAndWithoutBias() {
        let layer = Linear(4, 3, random: &random)
        expectLayerGradientsMatchFiniteDifferences(layer, input: random.randn(5, 4)) { layer($0) }
        let noBias = Linear(4, 3, bias: false, random: &random)
        expectLayerGradientsMatchFiniteDifferences(noBias, input: random.randn(2, 5, 4)) { noBias($0) }
    }

    @Test mutating func sequentialWithReLUAndTanh() {
        let model = Sequential(Linear(3, 6, random: &random), ReLU(), Linear(6, 4, random: &random), Tanh(),
                               Linear(4, 2, random: &random))
        expectLayerGradientsMatchFiniteDifferences(model, input: random.randn(4, 3)) { model($0) }
    }

    @Test mutating func embeddingOnlyTheRowsLookedUp() {
        let embedding = Embedding(6, 3, random: &random)
        let ids = Tensor(indices: [4, 1, 4, 0])
        expectLayerGradientsMatchFiniteDifferences(embedding, input: ids) { embedding($0) }
        let rowsOfTheGradient = embedding.table.gradient!.abs().sum(axis: 1).scalars
        #expect(rowsOfTheGradient[2] == 0 && rowsOfTheGradient[3] == 0 && rowsOfTheGradient[5] == 0)
        #expect(rowsOfTheGradient[4] > 0)
    }

    @Test mutating func layerNorm() {
        let norm = LayerNorm(5)
        norm.scale.update(to: random.randn(5))
        norm.shift.update(to: random.randn(5))
        expectLayerGradientsMatchFiniteDifferences(norm, input: random.randn(3, 5)) { norm($0) }
    }

    @Test mutating func dropoutPassesTheGradientOfTheKeptElements() {
        let dropout = Dropout(0.5, seed: 1)
        let input = random.randn(4, 6)
        // The same mask for every evaluation: a fresh layer with the same seed each time.
        expectLayerGradientsMatchFiniteDifferences(dropout, input: input) { Dropout(0.5, seed: 1)($0) }
    }

    @Test mutating func multiHeadAttentionWithMasks() {
        let attention = MultiHeadAttention(modelDimension: 4, headCount: 2, random: &random)
        let x = random.randn(3, 4)
        expectLayerGradientsMatchFiniteDifferences(attention, input: x) { attention($0) }
        expectLayerGradientsMatchFiniteDifferences(attention, input: x) {
            attention.attend(query: $0, key: $0, value: $0, causal: true).output
        }
        let padding = Tensor([false, false, true, false, true, true]).reshaped(2, 3)
        expectLayerGradientsMatchFiniteDifferences(attention, input: random.randn(2, 3, 4)) {
            attention.attend(query: $0, key: $0, value: $0, keyPaddingMask: padding).output
        }
    }

    @Test mutating func transformerEncoderLayer() {
        let block = TransformerEncoderLayer(modelDimension: 4, headCount: 2, feedForwardDimension: 8, dropout: 0,
                                            random: &random)
        expectLayerGradientsMatchFiniteDifferences(block, input: random.randn(2, 3, 4)) { block($0) }
        let preLN = TransformerEncoderLayer(modelDimension: 4, headCount: 2, feedForwardDimension: 8, dropout: 0,
                                            normFirst: true, random: &random)
        expectLayerGradientsMatchFiniteDifferences(preLN, input: random.randn(2, 3, 4)) { preLN($0) }
    }

    @Test mutating func positionalEncodings() {
        let learned = LearnedPositionalEncoding(maxLength: 5, dimension: 4, random: &random)
        expectLayerGradientsMatchFiniteDifferences(learned, input: random.randn(3, 4)) { learned($0) }
        let fixed = SinusoidalPositionalEncoding(maxLength: 5, dimension: 4)
        expectLayerGradientsMatchFiniteDifferences(fixed, input: random.randn(2, 3, 4)) { fixed($0) }
    }

    @Test mutating func loraTrainsOnlyItsAdapter() {
        let lora = LoRALinear(base: Linear(5, 4, random: &random), rank: 2, alpha: 4, random: &random)
        // B starts at zero, where A's gradient vanishes; move it so both are checked.
        lora.b.update(to: random.randn(2, 4))
        expectLayerGradientsMatchFiniteDifferences(lora, input: random.randn(3, 5)) { lora($0) }
        #expect(lora.base.weight.gradient == nil && lora.base.bias?.gradient == nil)
    }
}
