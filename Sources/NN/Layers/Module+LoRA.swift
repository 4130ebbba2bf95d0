import TensorCore

/// LoRA on the named projections of any model built from Cuaderno's layers, as PEFT's
/// `get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules=["query", "value"]))`:
///
/// ```swift
/// let st = try SentenceTransformer.load(named: "all-MiniLM-L6-v2")
/// st.applyLoRA(rank: 8, alpha: 16, targets: ["query", "value"], seed: 0)
/// print(st.parameterCounts)   // 22786944 parameters: 73728 trainable (0.3%), 22713216 frozen
/// ```
///
/// A projection is a ``ProjectionLayer`` held by a ``ProjectionContainer`` — attention's query,
/// key, value and output, BERT's dense layers — and is named by its path
/// (`encoder.layer.3.attention.self.query`; see ``Module/projectionPaths``).
extension Module {
    /// Puts a rank-`rank` LoRA adapter (``LoRALinear``) on every projection whose path ends with
    /// one of `targets`, and freezes everything else: afterwards only the adapters' `A` and `B`
    /// train (add a new head's parameters to the optimizer yourself).
    ///
    /// ```
    /// y = x·W₀ + b + (α / r)·x·A·B          A: (inputs, r) uniform in ±1/√inputs,  B: (r, outputs) zeros
    /// ```
    ///
    /// `B` starts at zero, so the model computes exactly what it did before until training moves
    /// `B`; `A` is drawn from `RandomState(seed:)`, projection after projection in the order of
    /// ``projectionPaths``, so the same seed gives the same adapters.
    ///
    /// - Parameters:
    ///   - rank: `r`, at least 1 and at most the smaller side of each target.
    ///   - alpha: `α`; the update is scaled by `α / r`.
    ///   - targets: the ends of the projections' paths, as PEFT's `target_modules`: `"query"`
    ///     (every layer's), `"attention.self.value"`, `"encoder.layer.5.attention.self.query"`
    ///     (one layer's), with `*` for any one component.
    ///   - seed: the seed of `A`'s draws.
    /// - Returns: the paths of the adapted projections.
    /// - Precondition: every target names at least one projection, and none has an adapter already.
    @discardableResult
    public func applyLoRA(rank: Int, alpha: Double, targets: [PathPattern], seed: UInt32 = 0,
                          file: StaticString = #filePath, line: UInt = #line) -> [String] {
        let slots = projectionSlots
        for target in targets where !slots.contains(where: { target.matchesSuffix(of: $0.path) }) {
            let ends = slots.map { $0.path.split(separator: ".").last.map(String.init) ?? $0.path }
            var distinct: [String] = []
            for end in ends where !distinct.contains(end) { distinct.append(end) }
            tensorFailure("applyLoRA: no projection's path ends with \"\(target)\"; the projections end with \(distinct.map { "\"\($0)\"" }.joined(separator: ", ")) (their paths: model.projectionPaths)",
                          file: file, line: line)
        }
        let chosen = slots.filter { slot in targets.contains { $0.matchesSuffix(of: slot.path) } }
        if let adapted = chosen.first(where: { $0.layer is LoRALinear }) {
            tensorFailure("applyLoRA: \(adapted.path) has a LoRA adapter already; apply LoRA once, to all the targets at the same time",
                          file: file, line: line)
        }
        if let other = chosen.first(where: { !($0.layer is Linear) }) {
            tensorFailure("applyLoRA: \(other.path) is a \(type(of: other.layer)), not a Linear layer; LoRA adapts Linear layers only",
                          file: file, line: line)
        }
        freeze()
        var random = RandomState(seed: seed)
        for slot in chosen {
            let adapter = LoRALinear(base: slot.layer as! Linear, rank: rank, alpha: alpha, random: &random, file: file, line: line)
            slot.container.replaceProjection(named: slot.name, with: adapter)
        }
        return chosen.map(\.path)
    }

    /// The paths of the projections LoRA can target (`encoder.layer.0.attention.self.query`, …),
    /// in the order of ``modules``.
    public var projectionPaths: [String] { projectionSlots.map(\.path) }

    /// Every LoRA-adapted projection, by path, in the order of ``modules``.
    public var loraLayers: [(path: String, layer: LoRALinear)] {
        projectionSlots.compactMap { slot in (slot.layer as? LoRALinear).map { (slot.path, $0) } }
    }

    /// Folds every adapter into its base weight (``LoRALinear/merge()``): the same outputs, to
    /// rounding, at the cost of the model without adapters. For inference; ``unmergeLoRA()``
    /// undoes it exactly.
    public func mergeLoRA() {
        for (_, layer) in loraLayers { layer.merge() }
    }

    /// Puts every base weight back as it was before ``mergeLoRA()`` (``LoRALinear/unmerge()``).
    public func unmergeLoRA() {
        for (_, layer) in loraLayers { layer.unmerge() }
    }

    /// Takes every adapter off, putting its base layer back in its place (PEFT's `unload()`), or,
    /// when `merging`, its base layer with the update folded into its weight (PEFT's
    /// `merge_and_unload()`). The base layers stay frozen; a new `applyLoRA` can follow — to try
    /// another rank on the same loaded model.
    public func removeLoRA(merging: Bool = false) {
        for slot in projectionSlots {
            guard let layer = slot.layer as? LoRALinear else { continue }
            if merging { layer.merge() } else { layer.unmerge() }
            slot.container.replaceProjection(named: slot.name, with: layer.base)
        }
    }

    /// Every projection of every ``ProjectionContainer`` inside this module, with its path.
    var projectionSlots: [ProjectionSlot] {
        modules.flatMap { entry -> [ProjectionSlot] in
            guard let container = entry.module as? any ProjectionContainer else { return [] }
            return container.projections.map {
                ProjectionSlot(path: modulePath(entry.path, $0.name), container: container, name: $0.name, layer: $0.layer)
            }
        }
    }
}

/// Where a projection sits: its path, the module holding it and its name there.
struct ProjectionSlot {
    let path: String
    let container: any ProjectionContainer
    let name: String
    let layer: any ProjectionLayer
}
