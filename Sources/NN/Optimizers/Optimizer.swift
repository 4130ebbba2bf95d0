import TensorCore

/// Something that changes a model's parameters to lower a loss, one step at a time (PyTorch's
/// `torch.optim.Optimizer`).
///
/// The training loop is the same for every optimizer:
///
/// ```swift
/// let optimizer = Adam(parameters: model.trainableParameters, learningRate: 1e-3)
/// for batch in batches {
///     optimizer.zeroGradients()
///     let loss = crossEntropy(model(batch.inputs), batch.labels)
///     loss.backward()
///     optimizer.step()
/// }
/// ```
///
/// An optimizer holds the same ``Parameter`` objects as the model, so its steps change the
/// model. Whatever it remembers between steps (SGD's velocity, Adam's moments) it keeps for each
/// parameter object separately.
///
/// To write a new optimizer, give it ``parameters``, ``learningRate`` and the rule for one
/// parameter, ``newValue(for:gradient:)``; ``step()`` applies the rule to every parameter that
/// has something to learn.
public protocol Optimizer: AnyObject {
    /// The parameters it updates, each once, in the order given.
    var parameters: [Parameter] { get }

    /// The step size `η` of the next ``step()``; a schedule changes it between epochs (see
    /// ``LearningRateSchedule/apply(to:epoch:file:line:)``).
    var learningRate: Double { get set }

    /// One parameter's step: its new value, given its current ``Parameter/value`` and the
    /// `gradient` accumulated into it. Advances whatever the optimizer keeps for that parameter.
    ///
    /// ``step()`` calls it with gradient recording off, only for parameters that are not frozen
    /// and have a gradient; it is not meant to be called on its own.
    ///
    /// - Shapes: `gradient` and the result have the parameter's shape.
    func newValue(for parameter: Parameter, gradient: Tensor) -> Tensor

    /// Updates every parameter that is not frozen and has a gradient, through
    /// ``Parameter/update(to:)``. The others are skipped: no work is done for them and
    /// nothing is remembered for them.
    func step()

    /// Forgets the gradient accumulated into every parameter, before the next backward pass.
    func zeroGradients()
}

extension Optimizer {
    public func step() {
        Tensor.withoutGradients {
            for parameter in parameters where !parameter.isFrozen {
                guard let gradient = parameter.gradient else { continue }
                let value = newValue(for: parameter, gradient: gradient)
                // A custom rule's slip would otherwise make the parameter a new leaf silently.
                guard value.shape == parameter.shape, value.dtype == parameter.value.dtype else {
                    tensorFailure("\(type(of: self)).newValue(for:gradient:) returned shape \(value.shapeDescription) (\(value.dtype)) for a parameter of shape \(parameter.value.shapeDescription) (\(parameter.value.dtype))")
                }
                parameter.update(to: value)
            }
        }
    }

    public func zeroGradients() {
        for parameter in parameters { parameter.zeroGradient() }
    }
}

/// What the optimizers remember for each parameter, found by the parameter object itself.
///
/// The key is the object's identity: two parameters with equal values are still two
/// parameters. The optimizer holds its parameters, so no identity is ever reused for another.
struct ParameterState<State> {
    private var states: [ObjectIdentifier: State] = [:]

    subscript(parameter: Parameter) -> State? {
        get { states[ObjectIdentifier(parameter)] }
        set { states[ObjectIdentifier(parameter)] = newValue }
    }
}

/// The checks every optimizer makes of its settings, reported at the learner's call.
enum OptimizerSettings {
    /// Each parameter once, in first-seen order. A model whose layers share a parameter (tied
    /// embeddings) lists it under both names, and a parameter must still take one step per step.
    static func distinct(_ parameters: [Parameter]) -> [Parameter] {
        var seen = Set<ObjectIdentifier>()
        return parameters.filter { seen.insert(ObjectIdentifier($0)).inserted }
    }

    /// Stops unless `value` is finite and at least zero.
    static func checkNonNegative(_ value: Double, _ name: String, of optimizer: String,
                                 file: StaticString?, line: UInt?) {
        guard value.isFinite, value >= 0 else {
            tensorFailure("\(optimizer): \(name) must be a finite number ≥ 0, not \(value)", file: file, line: line)
        }
    }

    /// Stops unless `0 ≤ value < 1` (a decay rate of a running average).
    static func checkDecayRate(_ value: Double, _ name: String, of optimizer: String,
                               file: StaticString, line: UInt) {
        guard value >= 0, value < 1 else {
            tensorFailure("\(optimizer): \(name) must be in [0, 1), not \(value)", file: file, line: line)
        }
    }
}
