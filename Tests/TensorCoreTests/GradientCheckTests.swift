import Testing
@testable import TensorCore

/// Compares the gradients of reverse-mode differentiation with central finite differences in
/// float64: `∂L/∂xⱼ ≈ (L(x + h·eⱼ) − L(x − h·eⱼ)) / 2h`, where `L = Σ f(x) · R` for a fixed random
/// `R`, so that every element of the result counts with its own weight.
func expectGradientsMatchFiniteDifferences(
    _ inputs: [Tensor], step: Double = 1e-6, rtol: Double = 1e-5, atol: Double = 1e-7,
    sourceLocation: SourceLocation = #_sourceLocation, _ function: ([Tensor]) -> Tensor
) {
    var random = RandomState(seed: 7)
    let leaves = inputs.map { $0.requiringGradient() }
    let output = function(leaves)
    let weights = random.randn(shape: output.shape, dtype: .float64, file: #filePath, line: #line)
    (output * weights).sumAll().backward()

    func loss(_ values: [Tensor]) -> Double {
        Tensor.withoutGradients { (function(values) * weights).sum() }
    }
    for (number, input) in inputs.enumerated() {
        guard let analytic = leaves[number].gradient else {
            Issue.record("input \(number) got no gradient", sourceLocation: sourceLocation)
            continue
        }
        var numeric: [Double] = []
        var values = input.scalars
        for index in values.indices {
            let original = values[index]
            values[index] = original + step
            var shifted = inputs
            shifted[number] = Tensor(shape: input.shape, scalars: values)
            let above = loss(shifted)
            values[index] = original - step
            shifted[number] = Tensor(shape: input.shape, scalars: values)
            let below = loss(shifted)
            values[index] = original
            numeric.append((above - below) / (2 * step))
        }
        let mismatch = Closeness(rtol: rtol, atol: atol).mismatch(analytic, Tensor(shape: input.shape, scalars: numeric))
        #expect(mismatch == nil, "input \(number): \(mismatch ?? "")", sourceLocation: sourceLocation)
    }
}

@Suite struct GradientCheckTests {
    var random = RandomState(seed: 42)

    mutating func randn(_ shape: Int...) -> Tensor {
        random.randn(shape: shape, dtype: .float64, file: #filePath, line: #line)
    }

    mutating func randn(shape: [Int]) -> Tensor {
        random.randn(shape: shape, dtype: .float64, file: #filePath, line: #line)
    }

    /// Values away from zero (for log, sqrt, division) or kinks (relu, abs, clip).
    mutating func positive(_ shape: Int...) -> Tensor {
        random.rand(shape: shape, dtype: .float64, file: #filePath, line: #line) + 0.5
    }

    // MARK: Arithmetic with broadcasting

    @Test mutating func arithmeticWithBroadcasting() {
        let (a, b, c) = (randn(3, 4), randn(4), positive(3, 1))
        expectGradientsMatchFiniteDifferences([a, b]) { $0[0] + $0[1] }
        expectGradientsMatchFiniteDifferences([a, b]) { $0[0] - $0[1] }
        expectGradientsMatchFiniteDifferences([a, c]) { $0[0] * $0[1] }
        expectGradientsMatchFiniteDifferences([a, c]) { $0[0] / $0[1] }
        expectGradientsMatchFiniteDifferences([c, a]) { $0[0] / $0[1].exp() }
    }

    @Test mutating func arithmeticWithNumbers() {
        let (a, p) = (randn(2, 3), positive(2, 3))
        expectGradientsMatchFiniteDifferences([a]) { 2.5 * $0[0] - 1.0 }
        expectGradientsMatchFiniteDifferences([a]) { 1.0 - $0[0] / 4.0 + 3.0 }
        expectGradientsMatchFiniteDifferences([p]) { 2.0 / $0[0] }
    }

    @Test mutating func anInputUsedTwiceGetsBothContributions() {
        let a = randn(3, 3)
        expectGradientsMatchFiniteDifferences([a]) { $0[0] * $0[0] + $0[0].matmul($0[0]) }
    }

    // MARK: Matrix products

    @Test mutating func matmulOfMatricesVectorsAndBatches() {
        expectGradientsMatchFiniteDifferences([randn(3, 4), randn(4, 2)]) { $0[0].matmul($0[1]) }
        expectGradientsMatchFiniteDifferences([randn(4), randn(4, 2)]) { $0[0].matmul($0[1]) }
        expectGradientsMatchFiniteDifferences([randn(3, 4), randn(4)]) { $0[0].matmul($0[1]) }
        expectGradientsMatchFiniteDifferences([randn(4), randn(4)]) { $0[0].matmul($0[1]) }
        // A batch of matrices times one matrix: the shared matrix's gradient sums over the batch.
        expectGradientsMatchFiniteDifferences([randn(2, 3, 4), randn(4, 5)]) { $0[0].matmul($0[1]) }
        expectGradientsMatchFiniteDifferences([randn(3, 2, 4), randn(4, 5)]) { $0[0].permuted(1, 0, 2).matmul($0[1]) }
        expectGradientsMatchFiniteDifferences([randn(2, 2, 3, 4), randn(2, 1, 4, 3)]) { $0[0].matmul($0[1]) }
        // Transposed views go through as they are.
        expectGradientsMatchFiniteDifferences([randn(4, 3), randn(2, 3)]) { $0[0].matmul($0[1].T) }
    }

    // MARK: Reductions

    @Test mutating func sumsAndMeans() {
        let a = randn(3, 4, 2)
        expectGradientsMatchFiniteDifferences([a]) { $0[0].sum(axis: 1) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].sum(axis: -1, keepDims: true) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].mean(axis: 0) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].sumAll() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].meanAll() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].variance(axis: 1) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].std(axis: 2, keepDims: true) }
    }

    // MARK: Elementwise functions

    @Test mutating func elementwiseFunctions() {
        let (a, p) = (randn(3, 4), positive(3, 4))
        let awayFromZero = Tensor.where(a .> 0, a + 0.1, a - 0.1)
        expectGradientsMatchFiniteDifferences([a]) { $0[0].exp() }
        expectGradientsMatchFiniteDifferences([p]) { $0[0].log() }
        expectGradientsMatchFiniteDifferences([p]) { $0[0].sqrt() }
        expectGradientsMatchFiniteDifferences([awayFromZero]) { $0[0].abs() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].tanh() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].sigmoid() }
        expectGradientsMatchFiniteDifferences([awayFromZero]) { $0[0].relu() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].sin() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].cos() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].erf() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].gelu() }
        expectGradientsMatchFiniteDifferences([p]) { $0[0].pow(2.5) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].pow(3) }
        // Inside the bounds the gradient passes, outside it is 0.
        expectGradientsMatchFiniteDifferences([Tensor([-2.0, -0.5, 0.3, 0.7, 2.0])]) { $0[0].clip(-1, 1) }
    }

    /// GELU's backward step is one fused SIMD pass (libmvec's erf and exp): it gives the
    /// composition's derivative, Φ(x) + x·φ(x) written with tensor operations, to within a few
    /// units in the last place, in both float types, over the whole range (the tails included,
    /// where Φ is 0 or 1 and φ underflows), for lengths that leave a tail after the last vector.
    /// Both compute Φ as (1 + erf(x/√2))/2, so for x ≪ 0 they add 1 to an erf near −1: in float32
    /// that sum is known only to a unit of 1.0's last place, 6·10⁻⁸, and the two erfs (libm's
    /// and libmvec's) may differ by two of them — hence atol 3·10⁻⁷ (five units) in float32.
    @Test func geluBackwardIsTheComposedDerivative() {
        for (dtype, closeness) in [(DType.float64, Closeness(rtol: 1e-14, atol: 1e-15)), (.float32, Closeness(rtol: 1e-6, atol: 3e-7))] {
            for count in [1, 15, 17, 1001] {
                let x = (Tensor.linspace(-12, 12, count: count) + 0.0123).cast(to: dtype)
                let leaf = x.requiringGradient()
                leaf.gelu().sumAll().backward()
                let cumulative = ((x * (1 / 2.0.squareRoot())).erf() + 1.0) * 0.5
                let density = (x * x * -0.5).exp() * (1 / (2 * Double.pi).squareRoot())
                let mismatch = closeness.mismatch(leaf.gradient!, cumulative + x * density)
                #expect(mismatch == nil, "\(dtype), \(count) elements: \(mismatch ?? "")")
            }
        }
    }

    // MARK: Softmax and losses

    @Test mutating func softmaxAndLogSoftmax() {
        let a = randn(3, 5)
        expectGradientsMatchFiniteDifferences([a]) { $0[0].softmax(axis: -1) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].softmax(axis: 0) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].logSoftmax(axis: -1) }
        expectGradientsMatchFiniteDifferences([randn(2, 3, 4)]) { $0[0].logSoftmax(axis: 1) }
    }

    @Test mutating func crossEntropyAndMeanSquaredError() {
        let labels = Tensor(indices: [2, 0, 4, 2])
        expectGradientsMatchFiniteDifferences([randn(4, 5)]) { crossEntropy($0[0], labels) }
        expectGradientsMatchFiniteDifferences([randn(2, 2, 5)]) { crossEntropy($0[0], labels.reshaped(2, 2)) }
        expectGradientsMatchFiniteDifferences([randn(3, 2), randn(3, 2)]) { meanSquaredError($0[0], $0[1]) }
    }

    @Test func crossEntropyMatchesItsDefinition() {
        let logits = Tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
        let labels = Tensor(indices: [0, 2])
        let logProbabilities = logits.logSoftmax(axis: -1)
        let expected = -(logProbabilities[0, 0].item() + logProbabilities[1, 2].item()) / 2
        #expect(Swift.abs(crossEntropy(logits, labels).item() - expected) < 1e-15)
        // log(3) for uniform scores: the loss of knowing nothing.
        #expect(Swift.abs(crossEntropy(Tensor.zeros([1, 3]), Tensor(indices: [1])).item() - 1.0986122886681098) < 1e-15)
    }

    // MARK: Shapes, views and selections

    @Test mutating func reshapingAndTransposing() {
        let a = randn(2, 3, 4)
        expectGradientsMatchFiniteDifferences([a]) { $0[0].reshaped(4, 6) * Tensor.arange(6) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].flattened() }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].permuted(2, 0, 1) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].transposed(-2, -1) }
        expectGradientsMatchFiniteDifferences([randn(3, 4)]) { $0[0].T }
        expectGradientsMatchFiniteDifferences([randn(3, 1, 4)]) { $0[0].squeezed(axis: 1).unsqueezed(axis: 0) }
        expectGradientsMatchFiniteDifferences([randn(3, 1, 4)]) { $0[0].squeezed() }
        // Reshaping a transposed (not row-major) view copies; the gradient still finds its way.
        expectGradientsMatchFiniteDifferences([randn(3, 4)]) { $0[0].T.reshaped(12).contiguous() }
        expectGradientsMatchFiniteDifferences([randn(3, 1)]) { $0[0].broadcast(to: [2, 3, 4]) }
    }

    @Test mutating func slicesAndGathers() {
        let a = randn(4, 5)
        expectGradientsMatchFiniteDifferences([a]) { $0[0][1] }
        expectGradientsMatchFiniteDifferences([a]) { $0[0][1..<3] }
        expectGradientsMatchFiniteDifferences([a]) { $0[0][..., 2..<5] }
        expectGradientsMatchFiniteDifferences([a]) { $0[0][2, 3] }
        expectGradientsMatchFiniteDifferences([randn(3, 4, 6)]) { $0[0][1...][..., ..., stride(from: 5, to: 0, by: -2)] }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].T[1..<4, 1] }
        // A row picked twice (a token that appears twice) gets both gradients.
        expectGradientsMatchFiniteDifferences([a]) { $0[0].gather([3, 0, 3]) }
        expectGradientsMatchFiniteDifferences([a]) { $0[0].gather(Tensor(shape: [2, 2], indices: [1, 4, 4, 0]), axis: 1) }
    }

    /// A selection's gradient goes back through the view's strides; it must equal the
    /// definition, zeros with each picked element's gradient added at the position it came from.
    @Test mutating func aSelectionsGradientIsItsScatteredGradient() {
        let x = randn(4, 3, 5)
        for select in [{ (t: Tensor) in t[1..<3][..., ..., stride(from: 4, to: -1, by: -2)] }, { $0[2] }, { $0.T[..., 1] },
                       { $0.split(5, axis: 2)[3] }] as [(Tensor) -> Tensor] {
            let leaf = x.requiringGradient()
            let picked = select(leaf)
            let g = randn(shape: picked.shape)
            picked.backward(seed: g)
            let positions = select(Tensor(shape: x.shape, indices: Array(0..<x.count))).indices
            var expected = [Double](repeating: 0, count: x.count)
            for (value, position) in zip(g.scalars, positions) { expected[position] += value }
            #expect(leaf.gradient!.scalars == expected)
        }
    }

    @Test mutating func concatStackAndSplit() {
        let (a, b) = (randn(2, 3), randn(2, 2))
        expectGradientsMatchFiniteDifferences([a, b]) { Tensor.concat([$0[0], $0[1]], axis: 1) }
        expectGradientsMatchFiniteDifferences([a, randn(1, 3)]) { Tensor.concat([$0[0], $0[1], $0[0]], axis: 0) }
        expectGradientsMatchFiniteDifferences([a, randn(2, 3)]) { Tensor.stack([$0[0], $0[1]], axis: -1) }
        expectGradientsMatchFiniteDifferences([randn(2, 6)]) { x in
            let parts = x[0].split(3, axis: 1)
            return parts[0] * parts[2] + parts[1]
        }
    }

    @Test mutating func masksAndChoices() {
        let scores = randn(4, 4)
        expectGradientsMatchFiniteDifferences([scores]) { $0[0].maskedFill(Tensor.ones([4, 4]).triu(1) .> 0, with: -1e9).softmax(axis: -1) }
        expectGradientsMatchFiniteDifferences([randn(3, 4), randn(4)]) { Tensor.where($0[0] .> 0, $0[0], $0[1]) }
        expectGradientsMatchFiniteDifferences([randn(3, 3)]) { $0[0].tril() + $0[0].triu(1) * 2.0 }
    }

    /// Through float32 the differences are taken with a larger step: float32 keeps only ~7 digits.
    @Test mutating func castsKeepTheGradientInTheInputsType() {
        let a = randn(2, 3)
        expectGradientsMatchFiniteDifferences([a], step: 1e-2, rtol: 1e-3, atol: 1e-4) { $0[0].cast(to: .float32).exp().cast(to: .float64) }
    }

    // MARK: The machinery

    @Test func gradientsAccumulateUntilZeroed() {
        let w = Tensor([1.0, 2.0]).requiringGradient()
        (w * 3.0).sumAll().backward()
        (w * w).sumAll().backward()
        #expect(w.gradient?.scalars == [3 + 2, 3 + 4])
        w.zeroGradient()
        #expect(w.gradient == nil)
        (w * 3.0).sumAll().backward()
        #expect(w.gradient?.scalars == [3, 3])
    }

    @Test func tensorsThatNeedNoGradientRecordNothing() {
        let data = Tensor([[1.0, 2.0], [3.0, 4.0]])
        let product = data.matmul(data).softmax(axis: -1)
        #expect(!product.requiresGradient)
        let w = Tensor.ones([2, 2]).requiringGradient()
        #expect(data.matmul(w).requiresGradient)
        #expect(!Tensor.withoutGradients { data.matmul(w) }.requiresGradient)
        #expect(!w.detachedFromGradients().matmul(data).requiresGradient)
    }

    @Test func replacingValuesKeepsTheLeafAndItsGradient() {
        let w = Tensor([1.0, 2.0]).requiringGradient()
        (w * 2.0).sumAll().backward()
        let updated = w.replacingValues(with: Tensor([5.0, 6.0]))
        #expect(updated.scalars == [5, 6])
        #expect(updated.gradient?.scalars == [2, 2])
        (updated * updated).sumAll().backward()
        #expect(w.gradient?.scalars == [12, 14])  // the same leaf: 2 + 2·5, 2 + 2·6
    }

    @Test func aLongChainDoesNotExhaustTheStack() {
        let w = Tensor([1.0]).requiringGradient()
        var x = w
        for _ in 0..<20_000 { x = x * 1.0 }
        x.sumAll().backward()
        #expect(w.gradient?.scalars == [1])
    }

    @Test func float32GradientsStayFloat32() {
        let w = Tensor([1.0, 2.0], dtype: .float32).requiringGradient()
        (w * w).sumAll().backward()
        #expect(w.gradient?.dtype == .float32)
        #expect(w.gradient?.scalars == [2, 4])
    }
}
