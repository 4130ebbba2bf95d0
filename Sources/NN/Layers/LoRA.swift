import Foundation
import TensorCore

/// A frozen linear layer plus a trainable low-rank update (Hu et al., 2021, "LoRA"):
///
/// ```
/// y = x·W₀ + b + (α / r) · x·A·B          A: (inputs, r),  B: (r, outputs)
/// ```
///
/// Only `A` and `B` learn — `r·(inputs + outputs)` numbers instead of `inputs·outputs`. `A` starts
/// as small random numbers and `B` as zeros, so at the start the layer computes exactly what the
/// base layer does and training moves away from it (Hu et al. §4.1; PEFT does the same). The
/// update can be folded into the weight for inference (``merged()``, or ``merge()`` in place),
/// and `A`, `B` and `α` saved on their own (an adapter).
///
/// `A` and `B` are stored `(inputs, r)` and `(r, outputs)`, as `Linear` stores its weight; PEFT's
/// `lora_A.weight` and `lora_B.weight` are their transposes.
public final class LoRALinear: ProjectionLayer {
    /// The layer being adapted; its parameters are frozen.
    public let base: Linear
    /// `A`, `(inputs, rank)`: uniform in `±1/√inputs` at the start (as PEFT's Kaiming-uniform).
    public let a: Parameter
    /// `B`, `(rank, outputs)`: zeros at the start.
    public let b: Parameter
    /// `α`: the update is scaled by `α / r`, so that changing the rank does not change how
    /// large the update is for a given learning rate. Set by ``loadAdapter(from:)``.
    public private(set) var alpha: Double
    /// The base weight as it was before ``merge()``, while merged; nil otherwise.
    private var unmergedWeight: Tensor?

    /// Wraps `base` (freezing it) with a rank-`rank` adapter.
    public init(base: Linear, rank: Int, alpha: Double, random: inout RandomState,
                file: StaticString = #filePath, line: UInt = #line) {
        guard rank > 0, rank <= Swift.min(base.inputs, base.outputs) else {
            tensorFailure("LoRALinear: rank \(rank) must be between 1 and \(Swift.min(base.inputs, base.outputs)) for a \(base.inputs)×\(base.outputs) layer",
                          file: file, line: line)
        }
        base.freeze()
        self.base = base
        self.alpha = alpha
        // PEFT: kaiming_uniform_(lora_A, a=√5), whose bound is gain·√(3 / fan_in) with
        // gain = √(2 / (1 + a²)) = √(1/3): 1/√inputs. The adapter takes the base layer's dtype.
        let dtype = base.weight.value.dtype
        let bound = 1 / Double(base.inputs).squareRoot()
        a = Parameter((random.rand(base.inputs, rank) * (2 * bound) - bound).cast(to: dtype))
        b = Parameter(Tensor.zeros([rank, base.outputs], dtype: dtype))
    }

    /// Wraps `base`, drawing `A` from the global generator.
    public convenience init(base: Linear, rank: Int, alpha: Double) {
        self.init(base: base, rank: rank, alpha: alpha, random: &Random.global)
    }

    public var rank: Int { a.shape[1] }
    /// `α / r`.
    public var scaling: Double { alpha / Double(rank) }

    public var inputs: Int { base.inputs }
    public var outputs: Int { base.outputs }
    /// The base layer's weight `W₀` (`W₀ + (α/r)·A·B` while merged).
    public var weight: Parameter { base.weight }
    /// The base layer's bias.
    public var bias: Parameter? { base.bias }

    public var ownParameters: [(name: String, parameter: Parameter)] { [("a", a), ("b", b)] }
    public var children: [(name: String, module: any Module)] { [("base", base)] }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        // Merged, the base layer's weight holds the update already.
        if isMerged { return base(input) }
        // x·A first: (…, inputs)·(inputs, r) is cheap, and W₀ + A·B is never formed. The scaling
        // goes on the narrow (…, r) product, not on the wide (…, outputs) one.
        return base(input) + (input.matmul(a.value) * scaling).matmul(b.value)
    }

    /// Whether the update is folded into the base layer's weight (``merge()``).
    public var isMerged: Bool { unmergedWeight != nil }

    /// Folds the update into the base layer's weight, `W₀ ← W₀ + (α/r)·A·B`, so the layer costs
    /// what the base layer alone costs and gives the same outputs (to rounding). For inference:
    /// while merged, `A` and `B` get no gradient. Does nothing when merged already.
    public func merge() {
        guard !isMerged else { return }
        let original = base.weight.value
        base.weight.value = Tensor.withoutGradients { original + weightUpdate }
        unmergedWeight = original
    }

    /// Puts the base layer's weight back as it was before ``merge()`` — exactly, not by
    /// subtracting the update again — so training can go on. Does nothing when not merged.
    public func unmerge() {
        guard let original = unmergedWeight else { return }
        base.weight.value = original
        unmergedWeight = nil
    }

    /// Sets `A`, `B` (cast to the layer's dtype) and `α`, unmerging first; for loading adapters.
    func setAdapter(a newA: Tensor, b newB: Tensor, alpha newAlpha: Double) {
        unmerge()
        a.update(to: newA.cast(to: a.value.dtype))
        b.update(to: newB.cast(to: b.value.dtype))
        alpha = newAlpha
    }

    /// `(α / r)·A·B`, the change the adapter makes to the weight.
    public var weightUpdate: Tensor {
        Tensor.withoutGradients { a.value.matmul(b.value) * scaling }
    }

    /// A plain linear layer with the update folded in, `W₀ + (α / r)·A·B`: the same outputs, at
    /// the cost of the base layer alone.
    public func merged() -> Linear {
        if isMerged { return Linear(weight: base.weight.value, bias: base.bias?.value) }
        return Linear(weight: base.weight.value + weightUpdate, bias: base.bias?.value)
    }

    /// Saves the adapter alone — `A`, `B` and `α`, not the base layer — as a safetensors file
    /// (see ``ParameterFile``): a few kilobytes that turn the shared base model into this one.
    public func saveAdapter(to path: String) throws {
        try AdapterParameters(self).save(to: path, metadata: ["alpha": "\(alpha)", "rank": "\(rank)"])
    }

    /// Loads `A`, `B` and `α` saved by ``saveAdapter(to:)`` into this layer (whose base should be
    /// the same model). Nothing changes unless the file holds an adapter of this layer's shapes.
    public func loadAdapter(from path: String) throws {
        let (_, metadata) = try ParameterFile.read(from: URL(fileURLWithPath: path))
        guard let text = metadata["alpha"], let savedAlpha = Double(text) else {
            throw ParameterFileError(path: path, problem: .invalidHeader(
                reason: "its metadata has no \"alpha\": it is not a LoRA adapter written by saveAdapter(to:)"))
        }
        try AdapterParameters(self).load(from: path)
        alpha = savedAlpha
    }
}

/// The two trainable parameters of a LoRA layer, as a module of their own, for saving them.
private final class AdapterParameters: Module {
    let layer: LoRALinear
    init(_ layer: LoRALinear) { self.layer = layer }
    var ownParameters: [(name: String, parameter: Parameter)] { layer.ownParameters }
}
