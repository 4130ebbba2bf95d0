import TensorCore

/// The values of a module's parameters at one moment, by name — PyTorch's
/// `copy.deepcopy(model.state_dict())`, kept in memory rather than in a file.
///
/// ```swift
/// let before = model.snapshot()
/// train(model)                    // the parameters move on
/// model.restore(before)           // and come back, exactly
/// ```
///
/// A snapshot never changes after it is taken: tensors are values, and an optimizer's step gives
/// a parameter new values rather than writing into the old ones.
public struct ModuleSnapshot: Sendable {
    /// Every parameter's name (its path, such as `attention.query.weight`) and values, in the
    /// module's order; the values record no gradients.
    public let values: [(name: String, value: Tensor)]

    /// A snapshot of the given values, as ``Module/snapshot()`` takes it.
    public init(values: [(name: String, value: Tensor)]) {
        self.values = values
    }

    /// The values of the parameter called `name`, or nil when there is none.
    public subscript(name: String) -> Tensor? {
        values.first { $0.name == name }?.value
    }

    /// The names, in the module's order.
    public var names: [String] { values.map(\.name) }
}

extension Module {
    /// The current values of every parameter (trainable and frozen), by name; see ``ModuleSnapshot``.
    public func snapshot() -> ModuleSnapshot {
        ModuleSnapshot(values: parameters.map { (name: $0.name, value: $0.parameter.value.detachedFromGradients()) })
    }

    /// Sets every parameter back to its values in `snapshot`, taken from this module or one of the
    /// same architecture.
    ///
    /// All or nothing: the names, shapes and dtypes are checked before any parameter changes. Each
    /// parameter keeps its identity (through ``Parameter/update(to:)``), so an optimizer made
    /// before keeps updating the same objects; its own state (Adam's running averages, say) is
    /// not part of the snapshot and stays as it is.
    ///
    /// - Precondition: `snapshot` has exactly this module's parameter names (in any order), each
    ///   with the parameter's shape and dtype.
    public func restore(_ snapshot: ModuleSnapshot, file: StaticString = #filePath, line: UInt = #line) {
        let current = parameters
        let mine = current.map(\.name)
        if let mismatch = Self.nameMismatch(module: mine, snapshot: snapshot.names) {
            tensorFailure("restore: " + mismatch, file: file, line: line)
        }
        let saved = Dictionary(snapshot.values.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
        for (name, parameter) in current {
            let value = saved[name]!
            guard value.shape == parameter.shape, value.dtype == parameter.value.dtype else {
                tensorFailure(
                    "restore: parameter \(name) is \(parameter.value.dtype) \(Tensor.shapeDescription(parameter.shape)) here but \(value.dtype) \(value.shapeDescription) in the snapshot; it was taken from a model of another architecture",
                    file: file, line: line)
            }
        }
        for (name, parameter) in current {
            parameter.update(to: saved[name]!)
        }
    }

    /// How two lists of parameter names differ, naming the first difference; nil when they hold
    /// the same names.
    private static func nameMismatch(module: [String], snapshot: [String]) -> String? {
        let other = "the snapshot was taken from a model of another architecture"
        if let missing = module.first(where: { !snapshot.contains($0) }) {
            return "this model has a parameter \(missing) that the snapshot lacks; \(other)"
        }
        if let extra = snapshot.first(where: { !module.contains($0) }) {
            return "the snapshot has a parameter \(extra) that this model lacks; \(other)"
        }
        if module.count != snapshot.count {
            return "this model has \(module.count) parameters and the snapshot \(snapshot.count); \(other)"
        }
        return nil
    }
}
