import TensorCore

/// A tensor a model learns: a layer's weight or bias.
///
/// A parameter is an object, shared by the layer that uses it and the optimizer that updates it.
/// Unless it is frozen, its ``value`` requires a gradient, so a backward pass through any
/// computation that used it adds into its ``gradient``. A frozen parameter's value records
/// nothing: no gradient work is done for it, and optimizers leave it alone.
public final class Parameter: @unchecked Sendable {
    /// The current values. Setting them keeps the accumulated gradient (see ``update(to:)``).
    public var value: Tensor {
        didSet { value = Self.prepared(value, frozen: isFrozen, previous: oldValue) }
    }

    /// Whether training leaves this parameter as it is.
    public var isFrozen: Bool {
        didSet {
            if isFrozen != oldValue { value = isFrozen ? value.detachedFromGradients() : value.requiringGradient() }
        }
    }

    /// A parameter holding `value` (a float tensor).
    public init(_ value: Tensor, frozen: Bool = false) {
        self.isFrozen = frozen
        self.value = frozen ? value.detachedFromGradients() : value.requiringGradient()
    }

    /// The gradient accumulated by backward passes since the last ``zeroGradient()``; nil when
    /// none has reached it (or it is frozen).
    public var gradient: Tensor? { value.gradient }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { value.zeroGradient() }

    /// Replaces the accumulated gradient (to clip it, say); see ``TensorCore/Tensor/setGradient(_:file:line:)``.
    public func setGradient(_ gradient: Tensor?) { value.setGradient(gradient) }

    /// New values of the same shape, as an optimizer's step sets them.
    public func update(to newValue: Tensor) { value = newValue }

    /// The number of numbers it holds.
    public var count: Int { value.count }

    /// The shape of `value`.
    public var shape: [Int] { value.shape }

    /// What `value` becomes when set: detached when frozen; otherwise the same leaf (keeping
    /// the accumulated gradient) when the shape and dtype are unchanged, else a new leaf.
    private static func prepared(_ new: Tensor, frozen: Bool, previous: Tensor) -> Tensor {
        if frozen { return new.detachedFromGradients() }
        if previous.requiresGradient, new.shape == previous.shape, new.dtype == previous.dtype {
            return previous.replacingValues(with: new)
        }
        return new.detachedFromGradients().requiringGradient()
    }
}

/// How many numbers a model holds, and how many of them training changes.
public struct ParameterCounts: Sendable, Equatable, CustomStringConvertible {
    public var total: Int
    public var trainable: Int
    public var frozen: Int { total - trainable }
    /// The trainable share, from 0 to 1.
    public var trainableFraction: Double { total == 0 ? 0 : Double(trainable) / Double(total) }

    public init(total: Int, trainable: Int) {
        self.total = total
        self.trainable = trainable
    }

    public var description: String {
        let percent = (trainableFraction * 1000).rounded() / 10
        return "\(total) parameters: \(trainable) trainable (\(percent)%), \(frozen) frozen"
    }
}

/// Anything made of parameters and smaller modules: a layer, a block, a whole model (PyTorch's
/// `nn.Module`). Modules are classes: a model and its optimizer share the same parameters.
public protocol Module: AnyObject {
    /// The parameters this module holds itself (not those of its children), by name.
    var ownParameters: [(name: String, parameter: Parameter)] { get }
    /// The modules inside this one, by name.
    var children: [(name: String, module: any Module)] { get }
}

extension Module {
    public var ownParameters: [(name: String, parameter: Parameter)] { [] }
    public var children: [(name: String, module: any Module)] { [] }

    /// Every parameter of the module and its children, named by path (`attention.query.weight`),
    /// in a fixed order: the module's own first, then each child's in turn. A child named `""`
    /// adds nothing to the path: its parameters keep their own names (a wrapper such as
    /// ``SentenceTransformer`` names its model's parameters as the model does).
    public var parameters: [(name: String, parameter: Parameter)] {
        var all = ownParameters
        for (childName, child) in children {
            all += child.parameters.map { (name: modulePath(childName, $0.name), parameter: $0.parameter) }
        }
        return all
    }

    /// The parameters that training changes (not frozen).
    public var trainableParameters: [Parameter] {
        parameters.map(\.parameter).filter { !$0.isFrozen }
    }

    /// How many numbers the module holds: total, trainable and frozen.
    public var parameterCounts: ParameterCounts {
        let all = parameters.map(\.parameter)
        return ParameterCounts(total: all.reduce(0) { $0 + $1.count },
                               trainable: all.filter { !$0.isFrozen }.reduce(0) { $0 + $1.count })
    }

    /// Freezes every parameter: training leaves the module as it is.
    public func freeze() {
        for (_, parameter) in parameters { parameter.isFrozen = true }
    }

    /// Makes every parameter trainable again.
    public func unfreeze() {
        for (_, parameter) in parameters { parameter.isFrozen = false }
    }

    /// Forgets the accumulated gradient of every parameter.
    public func zeroGradients() {
        for (_, parameter) in parameters { parameter.zeroGradient() }
    }

    /// Switches the module and its children between training (dropout active) and evaluation.
    public func setTraining(_ training: Bool) {
        (self as? any TrainingModeDependent)?.isTraining = training
        for (_, child) in children { child.setTraining(training) }
    }

    /// Restarts the generator of every ``Dropout`` inside the module: the first one (in the order
    /// of ``modules``) from `seed`, the next from `seed + 1`, and so on, so a training run's
    /// dropout masks are the same on every run.
    public func seedDropout(_ seed: UInt32) {
        var next = seed
        for (_, module) in modules {
            guard let dropout = module as? Dropout else { continue }
            dropout.reseed(next)
            next &+= 1
        }
    }
}

/// `parent.child`, or either alone when the other is empty (the root's path, a transparent child).
func modulePath(_ parent: String, _ child: String) -> String {
    if parent.isEmpty { return child }
    if child.isEmpty { return parent }
    return "\(parent).\(child)"
}

/// A module whose forward pass differs between training and evaluation (dropout).
public protocol TrainingModeDependent: AnyObject {
    var isTraining: Bool { get set }
}

/// A module that maps one tensor to another.
public protocol Layer: Module {
    func callAsFunction(_ input: Tensor) -> Tensor
}
