import Testing
import NN
import TensorCore

@Suite struct GradientClippingTests {
    /// Two parameters whose gradients, [3, 0] and [[0, 4]], have a total norm of √(9 + 16) = 5,
    /// and two without gradients (frozen, unused).
    func parameters() -> (a: Parameter, b: Parameter, frozen: Parameter, unused: Parameter) {
        let a = Parameter(Tensor([1.0, 2.0]))
        let b = Parameter(Tensor([[1.0, 1.0]]))
        let frozen = Parameter(Tensor([7.0]), frozen: true)
        let unused = Parameter(Tensor([8.0]))
        a.setGradient(Tensor([3.0, 0.0]))
        b.setGradient(Tensor([[0.0, 4.0]]))
        return (a, b, frozen, unused)
    }

    @Test func gradientsAboveTheLimitAreScaledTogether() {
        let (a, b, frozen, unused) = parameters()
        let norm = clipGradientNorm([a, b, frozen, unused], maxNorm: 1)
        expectClose(norm, 5)
        // c = 1/(5 + 1e-6) ≈ 0.2:  [3c, 0] ≈ [0.6, 0] and [[0, 4c]] ≈ [[0, 0.8]]
        let c = 1 / (5 + 1e-6)
        expectClose(a.gradient, [3 * c, 0])
        expectClose(b.gradient, [0, 4 * c])
        #expect(b.gradient?.shape == [1, 2])
        #expect(frozen.gradient == nil)
        #expect(unused.gradient == nil)
        // The clipped norm, 5c = 0.9999998, is just under the limit.
        let clippedNorm = (a.gradient!.norm() * a.gradient!.norm() + b.gradient!.norm() * b.gradient!.norm()).squareRoot()
        expectClose(clippedNorm, 5 * c)

        // The optimizer's step uses the clipped gradient: p ← p − 1·[3c, 0].
        SGD(parameters: [a], learningRate: 1).step()
        expectClose(a.value, [1 - 3 * c, 2])
    }

    @Test func gradientsWithinTheLimitAreLeftAsTheyAre() {
        let (a, b, _, _) = parameters()
        // 10/(5 + 1e-6) > 1: nothing to do.
        let norm = clipGradientNorm([a, b], maxNorm: 10)
        expectClose(norm, 5)
        #expect(a.gradient?.scalars == [3, 0])
        #expect(b.gradient?.scalars == [0, 4])
    }

    @Test func gradientsAtTheLimitAreLeftAsTheyAreSoClippingTwiceChangesNothing() {
        let (a, b, _, _) = parameters()
        // ‖g‖ = 5 = maxNorm: not above it. (PyTorch would still scale by 5/(5 + 1e-6).)
        expectClose(clipGradientNorm([a, b], maxNorm: 5), 5)
        #expect(a.gradient?.scalars == [3, 0])
        #expect(b.gradient?.scalars == [0, 4])
        // Clipped once to 1, ‖g‖ = 5/(5 + 1e-6) ≤ 1: a second clip leaves it.
        clipGradientNorm([a, b], maxNorm: 1)
        let once = a.gradient!.scalars
        clipGradientNorm([a, b], maxNorm: 1)
        #expect(a.gradient!.scalars == once)
    }

    @Test func aParameterListedTwiceCountsOnce() {
        let (a, b, _, _) = parameters()
        // Counted twice, a would make the norm √(9 + 9 + 16) ≈ 5.83 and be scaled twice.
        expectClose(clipGradientNorm([a, a, b], maxNorm: 1), 5)
        expectClose(a.gradient, [3 / (5 + 1e-6), 0])
    }

    @Test func withoutGradientsTheNormIsZero() {
        let p = Parameter(Tensor([1.0, 2.0]))
        #expect(clipGradientNorm([p], maxNorm: 1) == 0)
        #expect(p.gradient == nil)
    }

    @Test func gradientsFromABackwardPassAreClipped() {
        // loss = Σ (6·p) gives g = [6, 6, 6, 6], ‖g‖ = √(4·36) = 12;  clipped to 3: g·3/(12 + 1e-6) ≈ [1.5, …]
        let p = Parameter(Tensor([[1.0, 2.0], [3.0, 4.0]]))
        (p.value * 6.0).sumAll().backward()
        expectClose(clipGradientNorm([p], maxNorm: 3), 12)
        let scaled = 6 * 3 / (12 + 1e-6)
        expectClose(p.gradient, [scaled, scaled, scaled, scaled])
    }
}
