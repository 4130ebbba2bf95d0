import Testing
@_spi(Layers) @testable import TensorCore

/// `droppingOut` is the Dropout layer's training mode in one pass. It must draw the numbers the
/// composition draws and give its values and gradients to the last bit.
@Suite struct DroppingOutTests {
    /// The composition the Dropout layer wrote before.
    static func composed(_ x: Tensor, probability: Double, random: inout RandomState) -> Tensor {
        let kept = random.rand(shape: x.shape, dtype: .float64) .>= probability
        return Tensor.where(kept, x * (1 / (1 - probability)), 0)
    }

    @Test(arguments: [DType.float64, .float32])
    func equalsTheCompositionBitForBit(dtype: DType) {
        var inputs = RandomState(seed: 1)
        // Long enough to take several blocks of draws and to cross regenerations of the state.
        let x = inputs.randn(3, 1000, 7, dtype: dtype)
        let weights = inputs.randn(3, 1000, 7, dtype: dtype)
        for probability in [0.1, 0.5] {
            var fusedRandom = RandomState(seed: 9), composedRandom = RandomState(seed: 9)
            let (a, b) = (x.requiringGradient(), x.requiringGradient())
            let fused = a.droppingOut(probability: probability, random: &fusedRandom)
            let reference = Self.composed(b, probability: probability, random: &composedRandom)
            (fused * weights).sumAll().backward()
            (reference * weights).sumAll().backward()
            #expect(fused.dtype == dtype)
            #expect(fused.scalars.map(\.bitPattern) == reference.scalars.map(\.bitPattern), "values, p = \(probability)")
            #expect(a.gradient!.scalars.map(\.bitPattern) == b.gradient!.scalars.map(\.bitPattern), "gradients, p = \(probability)")
            #expect(fusedRandom.nextUInt32() == composedRandom.nextUInt32(), "the generators afterwards")
        }
    }

    @Test func aboutTheRightShareIsDroppedAndTheRestScaled() {
        var random = RandomState(seed: 2)
        let dropped = Tensor.ones([100_000]).droppingOut(probability: 0.25, random: &random).scalars
        let zeros = dropped.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 100_000 - 0.25) < 0.01)
        #expect(dropped.allSatisfy { $0 == 0 || $0 == 1 / 0.75 })
    }
}
