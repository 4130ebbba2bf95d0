import NN
import Testing
@_spi(Layers) import TensorCore

/// `layerNorm` is computed in one pass per row by TensorCore's `layerNormalized`. Its values must
/// be those of the definition written with tensor operations, to the last bit; its gradients,
/// from a closed form, must agree with the definition's to rounding (and with finite
/// differences: `LayerGradientTests.layerNorm`).
@Suite struct FusedLayerNormTests {
    /// The definition, as `layerNorm` wrote it before.
    static func composed(_ x: Tensor, scale: Tensor?, shift: Tensor?, epsilon: Double) -> Tensor {
        let centred = x - x.mean(axis: -1, keepDims: true)
        let variance = (centred * centred).mean(axis: -1, keepDims: true)
        var normalised = centred / (variance + epsilon).sqrt()
        if let scale { normalised = normalised * scale }
        if let shift { normalised = normalised + shift }
        return normalised
    }

    /// The output and the gradients of x, scale and shift for a fixed random weighting of the output.
    static func run(_ x: Tensor, _ scale: Tensor?, _ shift: Tensor?,
                    _ function: (Tensor, Tensor?, Tensor?) -> Tensor) -> (output: Tensor, gradients: [Tensor?]) {
        var random = RandomState(seed: 21)
        let (a, s, b) = (x.requiringGradient(), scale?.requiringGradient(), shift?.requiringGradient())
        let y = function(a, s, b)
        (y * random.randn(shape: y.shape, dtype: y.dtype)).sumAll().backward()
        return (y, [a.gradient, s?.gradient, b?.gradient])
    }

    @Test(arguments: [DType.float64, .float32])
    func equalsTheDefinition(dtype: DType) {
        var random = RandomState(seed: 3)
        // Rows far from mean 0 and variance 1, and an offset shared by a whole row.
        let x = random.randn(4, 6, 16, dtype: dtype) * 3.0 + 5.0
        let scale = random.randn(16, dtype: dtype), shift = random.randn(16, dtype: dtype)
        // Gradients: rounding-level agreement. The closed form adds in another order; measured,
        // the two differ by a few units in the last place of the largest gradient (|g| ≈ 10
        // here): 4·10⁻¹⁵ in float64, 10⁻⁶ in float32 (ε = 1.2·10⁻⁷).
        let tolerance = dtype == .float64 ? Closeness(rtol: 1e-13, atol: 1e-14) : Closeness(rtol: 1e-5, atol: 1e-6)
        for (s, b) in [(scale, shift), (nil, nil), (scale, nil)] as [(Tensor?, Tensor?)] {
            let fused = Self.run(x, s, b) { layerNorm($0, scale: $1, shift: $2, epsilon: 1e-5) }
            let reference = Self.run(x, s, b) { Self.composed($0, scale: $1, shift: $2, epsilon: 1e-5) }
            #expect(fused.output.dtype == dtype)
            #expect(fused.output.scalars == reference.output.scalars, "values, scale \(s != nil), shift \(b != nil)")
            for (number, (gradient, expected)) in zip(fused.gradients, reference.gradients).enumerated() {
                guard let gradient, let expected else {
                    #expect((gradient == nil) == (expected == nil))
                    continue
                }
                let mismatch = tolerance.mismatch(gradient, expected)
                #expect(mismatch == nil, "gradient \(number), scale \(s != nil), shift \(b != nil): \(mismatch ?? "")")
            }
        }
    }

    /// A transposed input is normalised along its own last axis.
    @Test func aTransposedInputIsReadInItsOwnOrder() {
        var random = RandomState(seed: 4)
        let x = random.randn(5, 3).T
        #expect(layerNorm(x).scalars == Self.composed(x.contiguous(), scale: nil, shift: nil, epsilon: 1e-5).scalars)
    }
}
