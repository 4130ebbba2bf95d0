import Testing
import NN
import TensorCore

// Every expected value below is worked out by hand in the comments beside it. The same numbers
// come out of a literal NumPy transcription of PyTorch's update rules:
//
//     m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g
//     p = p - (lr/(1-b1**t)) * m / (np.sqrt(v)/np.sqrt(1-b2**t) + eps)
//
// Steps that divide by √v̂ + ε are compared with an absolute tolerance of 1e-8, the size of
// what ε = 1e-8 changes in them.

/// `Σ p²`, whose gradient is `2p`.
private func sumOfSquares(_ parameter: Parameter) -> Tensor {
    (parameter.value * parameter.value).sumAll()
}

/// `Σ 3p`, whose gradient is the constant `[3, 3, …]`.
private func constantSlope(_ parameter: Parameter) -> Tensor {
    (parameter.value * 3.0).sumAll()
}

/// The tolerance for values that went through Adam's division by `√v̂ + ε`.
private let adamTolerance = Closeness(rtol: 0, atol: 1e-8)

@Suite struct SGDTests {
    @Test func plainStepsMoveAgainstTheGradient() {
        let p = Parameter(Tensor([1.0, -2.0]))
        let sgd = SGD(parameters: [p], learningRate: 0.1)
        // g = 2p = [2, −4];  p ← p − 0.1·g = [0.8, −1.6]
        trainingStep(sgd) { sumOfSquares(p) }
        expectClose(p.value, [0.8, -1.6])
        // g = [1.6, −3.2];  p ← [0.8 − 0.16, −1.6 + 0.32] = [0.64, −1.28]
        trainingStep(sgd) { sumOfSquares(p) }
        expectClose(p.value, [0.64, -1.28])
        #expect(sgd.velocity(of: p) == nil)
    }

    @Test func momentumStartsFromTheFirstGradient() {
        let p = Parameter(Tensor([1.0, -2.0]))
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
        // g = [2, −4];  v = g = [2, −4] (no 0.9·0 + g on the first step);  p ← [1 − 0.2, −2 + 0.4] = [0.8, −1.6]
        trainingStep(sgd) { sumOfSquares(p) }
        expectClose(sgd.velocity(of: p), [2, -4])
        expectClose(p.value, [0.8, -1.6])
        // g = [1.6, −3.2];  v = 0.9·[2, −4] + g = [3.4, −6.8];  p ← [0.8 − 0.34, −1.6 + 0.68] = [0.46, −0.92]
        trainingStep(sgd) { sumOfSquares(p) }
        expectClose(sgd.velocity(of: p), [3.4, -6.8])
        expectClose(p.value, [0.46, -0.92])
    }

    @Test func nesterovLooksOneMomentumStepAhead() {
        let p = Parameter(Tensor([1.0, -2.0]))
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, nesterov: true)
        // g = [2, −4];  v = [2, −4];  d = g + 0.9·v = [3.8, −7.6];  p ← [1 − 0.38, −2 + 0.76] = [0.62, −1.24]
        trainingStep(sgd) { sumOfSquares(p) }
        expectClose(p.value, [0.62, -1.24])
        // g = [1.24, −2.48];  v = 0.9·[2, −4] + g = [3.04, −6.08];  d = g + 0.9·v = [3.976, −7.952]
        // p ← [0.62 − 0.3976, −1.24 + 0.7952] = [0.2224, −0.4448]
        trainingStep(sgd) { sumOfSquares(p) }
        expectClose(sgd.velocity(of: p), [3.04, -6.08])
        expectClose(p.value, [0.2224, -0.4448])
    }

    @Test func weightDecayJoinsTheGradient() {
        let p = Parameter(Tensor([1.0, -2.0]))
        let sgd = SGD(parameters: [p], learningRate: 0.1, weightDecay: 0.5)
        // g = [3, 3];  d = g + 0.5·p = [3.5, 2];  p ← [1 − 0.35, −2 − 0.2] = [0.65, −2.2]
        trainingStep(sgd) { constantSlope(p) }
        expectClose(p.value, [0.65, -2.2])
        // d = [3 + 0.325, 3 − 1.1] = [3.325, 1.9];  p ← [0.65 − 0.3325, −2.2 − 0.19] = [0.3175, −2.39]
        trainingStep(sgd) { constantSlope(p) }
        expectClose(p.value, [0.3175, -2.39])
    }

    @Test func weightDecayEntersTheVelocity() {
        let p = Parameter(Tensor([1.0, -2.0]))
        let sgd = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9, weightDecay: 0.5)
        // d = [3.5, 2] as above;  v = d;  p ← [0.65, −2.2]
        trainingStep(sgd) { constantSlope(p) }
        expectClose(p.value, [0.65, -2.2])
        // d = [3.325, 1.9];  v = 0.9·[3.5, 2] + d = [6.475, 3.7];  p ← [0.65 − 0.6475, −2.2 − 0.37] = [0.0025, −2.57]
        trainingStep(sgd) { constantSlope(p) }
        expectClose(sgd.velocity(of: p), [6.475, 3.7])
        expectClose(p.value, [0.0025, -2.57])
    }
}

@Suite struct AdamTests {
    @Test func twoStepsWithHandComputedMoments() throws {
        let p = Parameter(Tensor([1.0, -2.0]))
        let adam = Adam(parameters: [p], learningRate: 0.1)
        // t = 1:  g = [2, −4]
        //   m = 0.1·g = [0.2, −0.4];  v = 0.001·g² = [0.004, 0.016]
        //   m̂ = m / 0.1 = [2, −4];  v̂ = v / 0.001 = [4, 16];  √v̂ = [2, 4]
        //   p ← p − 0.1·m̂/(√v̂ + ε) = [1 − 0.1·2/(2 + 1e-8), −2 + 0.1·4/(4 + 1e-8)] ≈ [0.9, −1.9]
        trainingStep(adam) { sumOfSquares(p) }
        let first = try #require(adam.moments(of: p))
        #expect(first.stepCount == 1)
        expectClose(first.firstMoment, [0.2, -0.4])
        expectClose(first.secondMoment, [0.004, 0.016])
        expectClose(p.value, [1 - 0.1 * 2 / (2 + 1e-8), -2 + 0.1 * 4 / (4 + 1e-8)])

        // t = 2:  g = 2p ≈ [1.8, −3.8]
        //   m = 0.9·[0.2, −0.4] + 0.1·[1.8, −3.8] = [0.36, −0.74]
        //   v = 0.999·[0.004, 0.016] + 0.001·[3.24, 14.44] = [0.007236, 0.030424]
        //   m̂ = m / (1 − 0.9²) = m / 0.19 = [1.8947368, −3.8947368]
        //   v̂ = v / (1 − 0.999²) = v / 0.001999 = [3.6198099, 15.2196098];  √v̂ = [1.9025798, 3.9012318]
        //   m̂/√v̂ = [0.9958777, −0.9983351];  p ← [0.9 − 0.0995878, −1.9 + 0.0998335] = [0.8004122, −1.8001665]
        trainingStep(adam) { sumOfSquares(p) }
        let second = try #require(adam.moments(of: p))
        #expect(second.stepCount == 2)
        expectClose(second.firstMoment, [0.36, -0.74], adamTolerance)
        expectClose(second.secondMoment, [0.007236, 0.030424], adamTolerance)
        expectClose(p.value, [0.8004122277, -1.8001664856], adamTolerance)
    }

    @Test func epsilonIsAddedToTheCorrectedRoot() {
        // With ε = 1, where ε goes shows. First step: m̂ = g = [2, −4], √v̂ = |g| = [2, 4]:
        //   p ← [1 − 0.1·2/(2 + 1), −2 + 0.1·4/(4 + 1)] = [0.9333333, −1.92]
        // (ε added to the uncorrected √v, as in the paper's "efficient" form
        //  p ← p − η·(√(1 − β₂)/(1 − β₁))·m/(√v + ε), would give 1 − 0.0316·0.2/1.0632 = 0.99405.)
        let p = Parameter(Tensor([1.0, -2.0]))
        let adam = Adam(parameters: [p], learningRate: 0.1, epsilon: 1)
        trainingStep(adam) { sumOfSquares(p) }
        expectClose(p.value, [1 - 0.2 / 3, -1.92])
    }

    @Test func l2DecayIsNormalisedAwayButDecoupledDecayIsNot() {
        let coupled = Parameter(Tensor([1.0, -2.0]))
        let decoupled = Parameter(Tensor([1.0, -2.0]))
        let adam = Adam(parameters: [coupled], learningRate: 0.1, weightDecay: 0.1)
        let adamW = AdamW(parameters: [decoupled], learningRate: 0.1, weightDecay: 0.1)

        // Adam, t = 1:  g = [3, 3] + 0.1·p = [3.1, 2.8];  m̂/√v̂ = g/|g| = [1, 1]
        //   p ← [1 − 0.1, −2 − 0.1] = [0.9, −2.1]: the same as with no decay at all.
        // AdamW, t = 1:  p ← p·(1 − 0.1·0.1) = [0.99, −1.98];  g = [3, 3], m̂/√v̂ = [1, 1]
        //   p ← [0.89, −2.08]
        trainingStep(adam) { constantSlope(coupled) }
        trainingStep(adamW) { constantSlope(decoupled) }
        expectClose(coupled.value, [0.9, -2.1], adamTolerance)
        expectClose(decoupled.value, [0.89, -2.08], adamTolerance)
        // The difference is the decoupled decay alone: −η·λ·p₀ = −0.01·[1, −2].
        expectClose(decoupled.value - coupled.value, [-0.01, 0.02], adamTolerance)

        // Adam, t = 2:  g = [3, 3] + 0.1·[0.9, −2.1] = [3.09, 2.79]
        //   m = 0.9·[0.31, 0.28] + 0.1·[3.09, 2.79] = [0.588, 0.531]
        //   v = 0.999·[0.00961, 0.00784] + 0.001·[9.5481, 7.7841] = [0.01914849, 0.01561626]
        //   m̂ = m / 0.19 = [3.0947368, 2.7947368];  √v̂ = √(v / 0.001999) = [3.0950016, 2.7950020]
        //   p ← [0.9 − 0.1·0.9999145, −2.1 − 0.1·0.9999051] = [0.8000086, −2.1999905]
        // AdamW, t = 2:  p ← 0.99·[0.89, −2.08] = [0.8811, −2.0592];  a constant gradient keeps
        //   m̂/√v̂ = [1, 1], so p ← [0.7811, −2.1592]
        trainingStep(adam) { constantSlope(coupled) }
        trainingStep(adamW) { constantSlope(decoupled) }
        expectClose(coupled.value, [0.8000085530, -2.1999905135], adamTolerance)
        expectClose(decoupled.value, [0.7811, -2.1592], adamTolerance)
    }

    @Test func adamWWithoutDecayIsAdam() {
        let a = Parameter(Tensor([1.0, -2.0, 0.5]))
        let b = Parameter(Tensor([1.0, -2.0, 0.5]))
        let adam = Adam(parameters: [a], learningRate: 0.05)
        let adamW = AdamW(parameters: [b], learningRate: 0.05, weightDecay: 0)
        for _ in 0..<5 {
            trainingStep(adam) { sumOfSquares(a) }
            trainingStep(adamW) { sumOfSquares(b) }
        }
        #expect(a.value.scalars == b.value.scalars)
    }

    @Test func eachParameterCountsItsOwnSteps() throws {
        let early = Parameter(Tensor([1.0, -2.0]))
        let late = Parameter(Tensor([5.0, 6.0]))
        let adam = Adam(parameters: [early, late], learningRate: 0.1)
        trainingStep(adam) { sumOfSquares(early) }
        trainingStep(adam) { sumOfSquares(early) }
        #expect(adam.moments(of: late) == nil)
        // `late` takes its first step on the optimizer's third: with its own t = 1 the bias
        // correction is exact, m̂/√v̂ = g/|g| = [1, 1], and p ← [4.9, 5.9]. (A shared t = 3 would
        // give m̂ = 0.1·g/0.271, √v̂ = |g|·√(0.001/0.002997), a step of only 0.064.)
        trainingStep(adam) { (late.value.sumAll() + sumOfSquares(early)) }
        #expect(try #require(adam.moments(of: late)).stepCount == 1)
        #expect(try #require(adam.moments(of: early)).stepCount == 3)
        expectClose(late.value, [4.9, 5.9], adamTolerance)
    }
}

/// The optimizers with weight decay and momentum, so that any work done for a parameter
/// that should be skipped would change it.
enum OptimizerKind: CaseIterable, Sendable {
    case sgd, adam, adamW

    func make(_ parameters: [Parameter]) -> any Optimizer {
        switch self {
        case .sgd: SGD(parameters: parameters, learningRate: 0.1, momentum: 0.9, weightDecay: 0.1)
        case .adam: Adam(parameters: parameters, learningRate: 0.1, weightDecay: 0.1)
        case .adamW: AdamW(parameters: parameters, learningRate: 0.1, weightDecay: 0.1)
        }
    }
}

/// A learner's own optimizer: only the rule for one parameter, `p ← p − η·g/2`.
private final class HalfStep: Optimizer {
    let parameters: [Parameter]
    var learningRate: Double

    init(parameters: [Parameter], learningRate: Double) {
        self.parameters = parameters
        self.learningRate = learningRate
    }

    func newValue(for parameter: Parameter, gradient: Tensor) -> Tensor {
        parameter.value - learningRate * 0.5 * gradient
    }
}

@Suite struct OptimizerStepTests {
    @Test func aNewRuleGetsStepAndZeroGradients() {
        let p = Parameter(Tensor([1.0, -2.0]))
        let frozen = Parameter(Tensor([3.0]), frozen: true)
        let optimizer = HalfStep(parameters: [p, frozen], learningRate: 0.2)
        // g = 2p;  p ← p − 0.2·0.5·2p = 0.8·p = [0.8, −1.6]
        (p.value * p.value).sumAll().backward()
        optimizer.step()
        expectClose(p.value, [0.8, -1.6])
        #expect(p.gradient != nil)
        optimizer.zeroGradients()
        #expect(p.gradient == nil)
        #expect(frozen.value.scalars == [3])
    }

    @Test(arguments: OptimizerKind.allCases)
    func frozenParametersAndParametersWithoutGradientsAreUntouched(kind: OptimizerKind) {
        let used = Parameter(Tensor([1.0, -2.0]))
        let frozen = Parameter(Tensor([3.0, 4.0]), frozen: true)
        let unused = Parameter(Tensor([5.0, 6.0]))
        let optimizer = kind.make([used, frozen, unused])
        trainingStep(optimizer) { (used.value * used.value + frozen.value * used.value).sumAll() }
        #expect(used.value.scalars != [1, -2])
        #expect(frozen.value.scalars == [3, 4])
        #expect(unused.value.scalars == [5, 6])

        // Unfrozen, the parameter is updated by the same optimizer.
        frozen.isFrozen = false
        trainingStep(optimizer) { (frozen.value * used.value).sumAll() }
        #expect(frozen.value.scalars != [3, 4])
        #expect(unused.value.scalars == [5, 6])
    }

    @Test func stateIsKeptOnlyForParametersThatStepped() {
        let used = Parameter(Tensor([1.0, -2.0]))
        let unused = Parameter(Tensor([5.0, 6.0]))
        let sgd = SGD(parameters: [used, unused], learningRate: 0.1, momentum: 0.9)
        let adamW = AdamW(parameters: [used, unused])
        for optimizer in [sgd, adamW] as [any Optimizer] {
            trainingStep(optimizer) { sumOfSquares(used) }
        }
        #expect(sgd.velocity(of: used) != nil)
        #expect(sgd.velocity(of: unused) == nil)
        #expect(adamW.moments(of: used) != nil)
        #expect(adamW.moments(of: unused) == nil)
    }

    @Test func aParameterListedTwiceTakesOneStep() {
        let p = Parameter(Tensor([1.0, -2.0]))
        let sgd = SGD(parameters: [p, p], learningRate: 0.1)
        #expect(sgd.parameters.count == 1)
        // One step, p ← p − 0.1·2p = 0.8·p; a second would give 0.64·p.
        trainingStep(sgd) { sumOfSquares(p) }
        expectClose(p.value, [0.8, -1.6])
    }

    @Test(arguments: OptimizerKind.allCases)
    func float32ParametersStayFloat32AndKeepLearning(kind: OptimizerKind) {
        let p = Parameter(Tensor([1.0, -2.0], dtype: .float32))
        let optimizer = kind.make([p])
        trainingStep(optimizer) { sumOfSquares(p) }
        #expect(p.value.dtype == .float32)
        #expect(p.value.requiresGradient)
        sumOfSquares(p).backward()
        #expect(p.gradient?.dtype == .float32)
    }

    @Test func zeroGradientsForgetsEveryGradient() {
        let a = Parameter(Tensor([1.0]))
        let b = Parameter(Tensor([2.0]))
        let adam = Adam(parameters: [a, b])
        (a.value * b.value).sumAll().backward()
        adam.zeroGradients()
        #expect(a.gradient == nil)
        #expect(b.gradient == nil)
    }
}

/// Optimizers run to the minimum of `f(x) = ½·xᵀAx − bᵀx` with `A = [[3, 1], [1, 2]]` and
/// `b = [1, 1]`: the gradient is `Ax − b`, so the minimum is at `x* = A⁻¹b = [0.2, 0.4]`
/// (`A⁻¹ = ⅕·[[2, −1], [−1, 3]]`), where `f(x*) = −½·bᵀx* = −0.3`.
@Suite struct ConvergenceTests {
    let matrix = Tensor([[3.0, 1.0], [1.0, 2.0]])
    let target = Tensor([[1.0], [1.0]])

    func loss(_ x: Parameter) -> Tensor {
        let quadratic = x.value.transposed().matmul(matrix.matmul(x.value)) * 0.5
        return (quadratic - target.transposed().matmul(x.value)).sumAll()
    }

    func expectMinimum(_ x: Parameter, sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(x.value, [0.2, 0.4], Closeness(rtol: 0, atol: 1e-6), sourceLocation: sourceLocation)
        expectClose(loss(x).item(), -0.3, Closeness(rtol: 0, atol: 1e-9), sourceLocation: sourceLocation)
    }

    @Test func sgdFindsTheMinimum() {
        // A's eigenvalues are (5 ± √5)/2 ≈ 3.62 and 1.38, so with η = 0.2 the error shrinks by
        // max|1 − 0.2·λ| ≈ 0.72 a step: below 1e-13 after 100 steps.
        let x = Parameter(Tensor([[2.0], [-1.0]]))
        let sgd = SGD(parameters: [x], learningRate: 0.2)
        for _ in 0..<100 { trainingStep(sgd) { loss(x) } }
        expectMinimum(x)
    }

    @Test func sgdWithMomentumFindsTheMinimum() {
        // Heavy-ball momentum contracts by about √μ ≈ 0.95 a step here: ~1e-7 after 300 steps.
        let x = Parameter(Tensor([[2.0], [-1.0]]))
        let sgd = SGD(parameters: [x], learningRate: 0.1, momentum: 0.9)
        for _ in 0..<300 { trainingStep(sgd) { loss(x) } }
        expectMinimum(x)
    }

    @Test func adamFindsTheMinimum() {
        // NumPy's run of the same rule ends within 1e-11 of x* after 500 steps.
        let x = Parameter(Tensor([[2.0], [-1.0]]))
        let adam = Adam(parameters: [x], learningRate: 0.05)
        for _ in 0..<500 { trainingStep(adam) { loss(x) } }
        expectMinimum(x)
    }

    @Test func adamWithACosineScheduleFindsTheMinimum() {
        // Each step counts as an epoch; the rate falls from 0.1 to 0 over the 500 steps.
        let x = Parameter(Tensor([[2.0], [-1.0]]))
        let adam = Adam(parameters: [x], learningRate: 0.1)
        let schedule = CosineAnnealingLR(initialLearningRate: 0.1, annealingEpochs: 500)
        for step in 0..<500 {
            schedule.apply(to: adam, epoch: step)
            trainingStep(adam) { loss(x) }
        }
        expectMinimum(x)
    }
}
