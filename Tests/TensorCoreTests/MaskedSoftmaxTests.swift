import Testing
@testable import TensorCore

/// `maskedSoftmax` fuses attention's scaling and masks into the softmax pass. It must give the
/// numbers of the operations it replaces — to the last bit, forward and backward — and gradients
/// that agree with finite differences.
@Suite struct MaskedSoftmaxTests {
    /// Scores (b, h, t, s) = (2, 3, 5, 5), a key padding mask (2, 1, 1, 5) hiding the last two keys
    /// of the second sequence, and the causal mask.
    static func scores(_ dtype: DType, seed: UInt32 = 3) -> Tensor {
        var random = RandomState(seed: seed)
        return random.randn(shape: [2, 3, 5, 5], dtype: dtype, file: #filePath, line: #line) * 3.0
    }
    static let padding = Tensor([false, false, false, false, false, false, false, false, true, true]).reshaped(2, 1, 1, 5)
    static let future = Tensor.ones([5, 5]).triu(1) .> 0

    /// The unfused composition, as attention wrote it before.
    static func composed(_ x: Tensor, temperature: Double, mask: Tensor?, causal: Bool) -> Tensor {
        var z = x / temperature
        if causal { z = z.maskedFill(future, with: -.infinity) }
        if let mask { z = z.maskedFill(mask, with: -.infinity) }
        return z.softmax(axis: -1)
    }

    /// The value and the gradient (for a fixed random weighting of the outputs) of `function`.
    static func valueAndGradient(_ x: Tensor, _ function: (Tensor) -> Tensor) -> (value: [Double], gradient: [Double]) {
        var random = RandomState(seed: 11)
        let leaf = x.requiringGradient()
        let y = function(leaf)
        let weights = random.randn(shape: y.shape, dtype: y.dtype, file: #filePath, line: #line)
        (y * weights).sumAll().backward()
        return (y.scalars, leaf.gradient!.scalars)
    }

    /// Equal bit for bit (NaN included).
    static func identical(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    @Test(arguments: [DType.float64, .float32])
    func equalsTheCompositionBitForBit(dtype: DType) {
        let x = Self.scores(dtype)
        for (temperature, mask, causal) in [(1.0, nil, false), (8.0.squareRoot(), nil, false), (8.0.squareRoot(), Self.padding, false),
                                            (2.0, nil, true), (8.0.squareRoot(), Self.padding, true)] as [(Double, Tensor?, Bool)] {
            let fused = Self.valueAndGradient(x) { $0.maskedSoftmax(temperature: temperature, mask: mask, causal: causal) }
            let reference = Self.valueAndGradient(x) { Self.composed($0, temperature: temperature, mask: mask, causal: causal) }
            #expect(Self.identical(fused.value, reference.value), "values, temperature \(temperature), mask \(mask != nil), causal \(causal)")
            #expect(Self.identical(fused.gradient, reference.gradient), "gradients, temperature \(temperature), mask \(mask != nil), causal \(causal)")
        }
    }

    /// A row whose every key is hidden is NaN, as the composition's is; its gradient is 0 at the
    /// hidden positions. Rows of the others are untouched by it.
    @Test func aRowWithEveryKeyHiddenIsNaNAsInTheComposition() {
        let x = Self.scores(.float64)
        let everything = Tensor([false, false, false, false, false, true, true, true, true, true]).reshaped(2, 1, 1, 5)
        let fused = Self.valueAndGradient(x) { $0.maskedSoftmax(temperature: 2, mask: everything) }
        let reference = Self.valueAndGradient(x) { Self.composed($0, temperature: 2, mask: everything, causal: false) }
        #expect(Self.identical(fused.value, reference.value))
        #expect(Self.identical(fused.gradient, reference.gradient))
        #expect(fused.value[75...].allSatisfy { $0.isNaN })
        #expect(fused.value[..<75].allSatisfy { !$0.isNaN })
        #expect(fused.gradient[75...].allSatisfy { $0 == 0 })
    }

    /// Masks of other shapes that broadcast: one per query row (t, s), a transposed view, a vector.
    @Test func masksOfAnyBroadcastableShapeOrLayout() {
        var random = RandomState(seed: 5)
        let x = Self.scores(.float64)
        let perRow = random.rand(5, 5) .> 0.6
        let transposed = (random.rand(5, 5) .> 0.6).T
        let vector = Tensor([true, false, false, true, false])
        for mask in [perRow, transposed, vector] {
            let fused = x.maskedSoftmax(temperature: 1.5, mask: mask)
            let reference = Self.composed(x, temperature: 1.5, mask: mask, causal: false)
            #expect(Self.identical(fused.scalars, reference.scalars))
        }
    }

    @Test func gradientsMatchFiniteDifferences() {
        var random = RandomState(seed: 8)
        let x = random.randn(2, 3, 4, 4)
        let padding = Tensor([false, false, true, false, false, false, false, false]).reshaped(2, 1, 1, 4)
        expectGradientsMatchFiniteDifferences([x]) { $0[0].maskedSoftmax(temperature: 2, mask: padding, causal: true) }
        expectGradientsMatchFiniteDifferences([x]) { $0[0].maskedSoftmax(temperature: 0.5) }
    }

    @Test func aMaskThatDoesNotBroadcastStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3, 4]).maskedSoftmax(mask: Tensor([true, false, true]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("maskedSoftmax: a mask of shape (3,) cannot be broadcast to the scores' shape (2, 3, 4)"))
    }

    @Test func aTemperatureOfZeroStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.zeros([2, 3]).maskedSoftmax(temperature: 0)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("maskedSoftmax: the temperature must be a finite number > 0, not 0.0"))
    }
}
