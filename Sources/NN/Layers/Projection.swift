import TensorCore

/// A layer that maps the last axis of its input from `inputs` to `outputs` numbers through a
/// weight matrix: a `Linear` layer, or one with something added, such as a LoRA adapter
/// (``LoRALinear``).
///
/// ```
/// y = x·W + b (+ whatever the layer adds)          W: (inputs, outputs),  b: (outputs,)
/// ```
/// - Shapes: `(…, inputs) → (…, outputs)`.
///
/// Attention's projections (``MultiHeadAttention/query``, …) and BERT's dense layers are
/// projections, so any conforming layer can take their place (see
/// ``Module/applyLoRA(rank:alpha:targets:seed:file:line:)``).
public protocol ProjectionLayer: Layer {
    /// The width of the input's last axis.
    var inputs: Int { get }
    /// The width of the output's last axis.
    var outputs: Int { get }
    /// `W`, `(inputs, outputs)`: for an adapted layer, the weight of the layer it adapts (as
    /// PEFT's `lora_layer.weight` is its base layer's).
    var weight: Parameter { get }
    /// `b`, `(outputs,)`, or nil for a projection without bias.
    var bias: Parameter? { get }
}

extension Linear: ProjectionLayer {}

/// A module holding projections that can be swapped for other projections of the same shape —
/// what ``Module/applyLoRA(rank:alpha:targets:seed:file:line:)`` does to the ones it targets.
public protocol ProjectionContainer: Module {
    /// The projections, named as among ``Module/children`` (`query`, `attention.self.query`).
    var projections: [(name: String, layer: any ProjectionLayer)] { get }
    /// Puts `layer` in the place of the projection `name`.
    ///
    /// - Precondition: there is such a projection, and `layer` has its `inputs` and `outputs`.
    func replaceProjection(named name: String, with layer: any ProjectionLayer)
}

/// Stops unless `projections` has one named `name` whose shape `new` has: what a container
/// checks before ``ProjectionContainer/replaceProjection(named:with:)`` replaces it.
func checkReplacement(named name: String, with new: any ProjectionLayer,
                      among projections: [(name: String, layer: any ProjectionLayer)], in owner: String) {
    guard let old = projections.first(where: { $0.name == name })?.layer else {
        tensorFailure("\(owner): there is no projection named \(name); its projections are \(projections.map(\.name).joined(separator: ", "))")
    }
    guard new.inputs == old.inputs, new.outputs == old.outputs else {
        tensorFailure("\(owner): the projection \(name) maps \(old.inputs) → \(old.outputs) numbers; a replacement mapping \(new.inputs) → \(new.outputs) does not fit")
    }
}
