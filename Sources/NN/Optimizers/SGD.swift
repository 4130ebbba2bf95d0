import TensorCore

/// Stochastic gradient descent, with optional momentum, Nesterov momentum and weight decay
/// (PyTorch's `torch.optim.SGD`, without dampening).
///
/// For each parameter `p` with gradient `g`, learning rate `η`, momentum `μ` and weight decay `λ`:
///
/// ```
/// g ← g + λ·p                      (weight decay, when λ ≠ 0: the gradient of ½λ‖p‖²)
/// v ← g              on the first step
/// v ← μ·v + g        on later steps            (when μ ≠ 0)
/// d ← g + μ·v        with Nesterov momentum, else d ← v   (d ← g when μ = 0)
/// p ← p − η·d
/// ```
///
/// Momentum keeps a running sum of past gradients, so steps grow along directions where the
/// gradient keeps its sign and cancel where it flips. Nesterov's form looks one step of momentum
/// ahead. This is PyTorch's formulation (Sutskever et al., 2013), in which `η` multiplies the
/// velocity rather than being folded into it; the two agree while `η` is constant.
public final class SGD: Optimizer {
    public let parameters: [Parameter]

    /// `η`, the step size.
    public var learningRate: Double {
        didSet { OptimizerSettings.checkNonNegative(learningRate, "learningRate", of: "SGD", file: nil, line: nil) }
    }

    /// `μ`, how much of the previous velocity each step keeps (0: plain gradient descent).
    public let momentum: Double
    /// `λ`, the L2 penalty's weight added into every gradient.
    public let weightDecay: Double
    /// Whether the step uses Nesterov's look-ahead momentum.
    public let nesterov: Bool

    private var velocities = ParameterState<Tensor>()

    /// An optimizer for `parameters` (a parameter listed twice is updated once).
    ///
    /// - Parameters:
    ///   - parameters: what to update, usually `model.trainableParameters`.
    ///   - learningRate: `η ≥ 0`.
    ///   - momentum: `μ ≥ 0`; 0.9 is the usual choice with momentum.
    ///   - weightDecay: `λ ≥ 0`.
    ///   - nesterov: Nesterov momentum; needs `momentum > 0`.
    public init(parameters: [Parameter], learningRate: Double, momentum: Double = 0, weightDecay: Double = 0,
                nesterov: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        OptimizerSettings.checkNonNegative(learningRate, "learningRate", of: "SGD", file: file, line: line)
        OptimizerSettings.checkNonNegative(momentum, "momentum", of: "SGD", file: file, line: line)
        OptimizerSettings.checkNonNegative(weightDecay, "weightDecay", of: "SGD", file: file, line: line)
        if nesterov && momentum == 0 {
            tensorFailure("SGD: Nesterov momentum needs a momentum above 0, such as momentum: 0.9", file: file, line: line)
        }
        self.parameters = OptimizerSettings.distinct(parameters)
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    /// The velocity `v` kept for `parameter`: nil before its first step, and always nil
    /// without momentum.
    public func velocity(of parameter: Parameter) -> Tensor? {
        velocities[parameter]
    }

    public func newValue(for parameter: Parameter, gradient: Tensor) -> Tensor {
        let value = parameter.value
        var direction = weightDecay == 0 ? gradient : gradient + weightDecay * value
        if momentum != 0 {
            let velocity = velocities[parameter].map { momentum * $0 + direction } ?? direction
            velocities[parameter] = velocity
            direction = nesterov ? direction + momentum * velocity : velocity
        }
        return value - learningRate * direction
    }
}
