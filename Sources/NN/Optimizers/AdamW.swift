@_spi(Optimizers) import TensorCore

/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019; PyTorch's `torch.optim.AdamW`).
///
/// For each parameter `p` with gradient `g`, on its `t`-th step, with learning rate `η` and
/// weight decay `λ`:
///
/// ```
/// p ← p − η·λ·p                        (decay first, from the current value)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·g²
/// m̂ = m / (1 − β₁ᵗ)
/// v̂ = v / (1 − β₂ᵗ)
/// p ← p − η·m̂ / (√v̂ + ε)
/// ```
///
/// In ``Adam`` the decay `λ·p` joins the gradient and is divided by `√v̂` with it, so weights
/// with large gradients are hardly decayed. Here every weight shrinks by the same factor
/// `1 − ηλ` each step, apart from the gradient's adaptive step — the decay SGD's L2 penalty
/// gives, and the usual choice for training transformers.
public final class AdamW: Optimizer {
    public let parameters: [Parameter]

    /// `η`, the step size (it also scales the decay).
    public var learningRate: Double {
        didSet { OptimizerSettings.checkNonNegative(learningRate, "learningRate", of: "AdamW", file: nil, line: nil) }
    }

    /// `β₁`, the decay of the gradient's running average `m`.
    public let beta1: Double
    /// `β₂`, the decay of the squared gradient's running average `v`.
    public let beta2: Double
    /// `ε`, added to `√v̂`.
    public let epsilon: Double
    /// `λ`, the fraction of each weight removed per unit of learning rate.
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
    ///   - weightDecay: `λ ≥ 0` (PyTorch's default, 0.01).
    public init(parameters: [Parameter], learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Double = 1e-8, weightDecay: Double = 0.01, file: StaticString = #filePath, line: UInt = #line) {
        OptimizerSettings.checkAdam(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                                    weightDecay: weightDecay, of: "AdamW", file: file, line: line)
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
                               epsilon: epsilon, weightDecay: weightDecay, decay: .decoupled)
        states[parameter] = state
        return value
    }
}
