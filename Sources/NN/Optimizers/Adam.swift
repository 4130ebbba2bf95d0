@_spi(Optimizers) import TensorCore

/// Adam (Kingma & Ba, 2015) with L2 weight decay added into the gradient (PyTorch's
/// `torch.optim.Adam`).
///
/// For each parameter `p` with gradient `g`, on its `t`-th step (`t` = 1, 2, …), with learning
/// rate `η`, decay rates `β₁`, `β₂`, `ε` and weight decay `λ`:
///
/// ```
/// g ← g + λ·p                          (when λ ≠ 0)
/// m ← β₁·m + (1 − β₁)·g                (m and v start at 0)
/// v ← β₂·v + (1 − β₂)·g²
/// m̂ = m / (1 − β₁ᵗ)
/// v̂ = v / (1 − β₂ᵗ)
/// p ← p − η·m̂ / (√v̂ + ε)
/// ```
///
/// `m` and `v` are running averages of the gradient and of its square, element by element.
/// Both start at zero, so early on they are too small; dividing by `1 − βᵗ` removes that bias
/// (for a constant gradient, `m̂ = g` and `v̂ = g²` from the first step on). Each element's step
/// is then about `η` in size whatever the gradient's scale — which is also why the L2 decay here
/// shrinks large weights less than in SGD: it is divided by `√v̂` like the rest of the gradient.
/// ``AdamW`` decouples the decay instead. `ε` keeps the division finite where `v̂` is zero.
public final class Adam: Optimizer {
    public let parameters: [Parameter]

    /// `η`, the step size.
    public var learningRate: Double {
        didSet { OptimizerSettings.checkNonNegative(learningRate, "learningRate", of: "Adam", file: nil, line: nil) }
    }

    /// `β₁`, the decay of the gradient's running average `m`.
    public let beta1: Double
    /// `β₂`, the decay of the squared gradient's running average `v`.
    public let beta2: Double
    /// `ε`, added to `√v̂`.
    public let epsilon: Double
    /// `λ`, the L2 penalty's weight added into every gradient.
    public let weightDecay: Double

    private var states = ParameterState<AdamMoments>()

    /// An optimizer for `parameters` (a parameter listed twice is updated once).
    ///
    /// - Parameters:
    ///   - parameters: what to update, usually `model.trainableParameters`.
    ///   - learningRate: `η ≥ 0`.
    ///   - beta1: `β₁` in [0, 1).
    ///   - beta2: `β₂` in [0, 1).
    ///   - epsilon: `ε ≥ 0`.
    ///   - weightDecay: `λ ≥ 0`.
    public init(parameters: [Parameter], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0, file: StaticString = #filePath, line: UInt = #line) {
        OptimizerSettings.checkAdam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                    weightDecay: weightDecay, of: "Adam", file: file, line: line)
        self.parameters = OptimizerSettings.distinct(parameters)
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// The moments kept for `parameter`: nil before its first step.
    public func moments(of parameter: Parameter) -> AdamMoments? {
        states[parameter]
    }

    public func newValue(for parameter: Parameter, gradient: Tensor) -> Tensor {
        var state = states[parameter] ?? AdamMoments(shapeOf: gradient)
        let value = state.step(parameter.value, gradient: gradient, learningRate: learningRate, beta1: beta1, beta2: beta2,
                               epsilon: epsilon, weightDecay: weightDecay, decay: .coupled)
        states[parameter] = state
        return value
    }
}

/// What ``Adam`` and ``AdamW`` remember for one parameter.
public struct AdamMoments: Sendable {
    /// `t`, the number of steps this parameter has taken. A step that skips the parameter
    /// (it had no gradient) does not count, so its bias correction starts afresh on its own first step.
    public private(set) var stepCount: Int
    /// `m`, the running average of the gradient (before bias correction).
    public private(set) var firstMoment: Tensor
    /// `v`, the running average of the squared gradient (before bias correction).
    public private(set) var secondMoment: Tensor

    /// Zero moments, before the first step.
    init(shapeOf gradient: Tensor) {
        stepCount = 0
        firstMoment = Tensor.zeros(gradient.shape, dtype: gradient.dtype)
        secondMoment = firstMoment
    }

    /// Takes one step: advances the moments with `gradient` and returns the parameter's new value.
    ///
    /// Computed as PyTorch does, `p − η·(m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + ε)`: the formula
    /// above with the bias corrections divided in once each. TensorCore's `AdamStep` does it
    /// in one pass over the elements, with the same operations in the same order as these
    /// formulas written with tensors.
    mutating func step(_ value: Tensor, gradient: Tensor, learningRate: Double, beta1: Double, beta2: Double,
                       epsilon: Double, weightDecay: Double, decay: AdamStep.Decay) -> Tensor {
        stepCount += 1
        let step = AdamStep(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                            weightDecay: weightDecay, decay: decay, stepCount: stepCount)
        let updated = step.apply(value: value, gradient: gradient, firstMoment: firstMoment, secondMoment: secondMoment)
        firstMoment = updated.firstMoment
        secondMoment = updated.secondMoment
        return updated.value
    }
}

extension OptimizerSettings {
    /// The checks of Adam's and AdamW's settings (PyTorch's), reported at the learner's call.
    static func checkAdam(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double,
                          of optimizer: String, file: StaticString, line: UInt) {
        checkNonNegative(learningRate, "learningRate", of: optimizer, file: file, line: line)
        checkDecayRate(beta1, "beta1", of: optimizer, file: file, line: line)
        checkDecayRate(beta2, "beta2", of: optimizer, file: file, line: line)
        checkNonNegative(epsilon, "epsilon", of: optimizer, file: file, line: line)
        checkNonNegative(weightDecay, "weightDecay", of: optimizer, file: file, line: line)
    }
}
