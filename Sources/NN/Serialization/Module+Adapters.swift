import Foundation
import TensorCore

/// LoRA adapters saved apart from the model they adapt: the adapters' `A` and `B` (and, if
/// asked, a small module trained with them, such as a classification head), as a safetensors
/// file of a few hundred kilobytes that turns the shared pretrained model into the fine-tuned one
/// (PEFT's `save_pretrained` / `PeftModel.from_pretrained`).
///
/// ```swift
/// try st.saveAdapters(to: "sentiment.safetensors", including: ["head": head])
///
/// let fresh = try SentenceTransformer.load(named: "all-MiniLM-L6-v2")
/// let head2 = Linear(384, 2)
/// try fresh.loadAdapters(from: "sentiment.safetensors", including: ["head": head2])
/// ```
///
/// The file holds `<projection path>.a` and `.b` for each adapter (`encoder.layer.0.attention.self.query.a`,
/// `(inputs, r)`) and `<name>.<parameter>` for each extra module (`head.weight`), with the
/// metadata `format` = `cuaderno-lora-adapters`, `lora_rank`, `lora_alpha` and `lora_targets`.
extension Module {
    /// The value of the adapter file's `format` metadata.
    static var adapterFileFormat: String { "cuaderno-lora-adapters" }

    /// Saves every LoRA adapter (its `A` and `B`, with its rank and `α`) and the parameters of
    /// `extras`, under their names, to a safetensors file; the pretrained weights are not saved.
    ///
    /// - Parameters:
    ///   - path: the file to write, usually ending in `.safetensors`; relative to the current folder.
    ///   - extras: modules trained with the adapters, by name (`["head": head]`); their parameters
    ///     are saved as `head.weight`, `head.bias`.
    /// - Throws: ``ParameterFileError`` when the model has no adapters, its adapters differ in
    ///   rank or `α`, or the file cannot be written.
    public func saveAdapters(to path: String, including extras: [String: any Module] = [:]) throws {
        let adapters = loraLayers
        guard let first = adapters.first?.layer else {
            throw ParameterFileError(path: path, problem: .notAnAdapterFile(
                reason: "the model has no LoRA adapters to save; apply them first with applyLoRA(rank:alpha:targets:seed:)"))
        }
        if let odd = adapters.first(where: { $0.layer.rank != first.rank || $0.layer.alpha != first.alpha }) {
            throw ParameterFileError(path: path, problem: .adapterMismatch(
                reason: "the adapter of \(odd.path) has rank \(odd.layer.rank) and α \(odd.layer.alpha), the first one rank \(first.rank) and α \(first.alpha); an adapter file holds adapters of one rank and α"))
        }
        var tensors: [(name: String, tensor: Tensor)] = []
        for (layerPath, layer) in adapters {
            tensors += [("\(layerPath).a", layer.a.value), ("\(layerPath).b", layer.b.value)]
        }
        for (name, module) in extras.sorted(by: { $0.key < $1.key }) {
            tensors += module.parameters.map { (modulePath(name, $0.name), $0.parameter.value) }
        }
        let metadata = ["format": Self.adapterFileFormat, "lora_rank": "\(first.rank)", "lora_alpha": "\(first.alpha)",
                        "lora_targets": adapters.map(\.path).joined(separator: ",")]
        try ParameterFile.write(tensors, metadata: metadata, to: URL(fileURLWithPath: path))
    }

    /// Loads adapters saved by ``saveAdapters(to:including:)``, and the parameters of `extras`.
    ///
    /// A model without adapters (fresh from its pretrained file) gets them first, on the
    /// projections the file names, with the file's rank and `α` — and the rest of it frozen, as
    /// ``applyLoRA(rank:alpha:targets:seed:file:line:)`` leaves it. A model with adapters must
    /// have them on the same projections, of the same rank. All or nothing: when the file does
    /// not fit, the model and `extras` stay as they were.
    ///
    /// - Throws: ``ParameterFileError`` naming the file: it cannot be read, is not an adapter
    ///   file, adapts projections this model does not have (or not the ones its adapters are
    ///   on), has shapes that differ from the model's or the extras', lacks an extra's parameter
    ///   or holds a tensor nothing takes.
    public func loadAdapters(from path: String, including extras: [String: any Module] = [:]) throws {
        let (tensors, metadata) = try ParameterFile.read(from: URL(fileURLWithPath: path))
        func failure(_ problem: ParameterFileError.Problem) -> ParameterFileError {
            ParameterFileError(path: path, problem: problem)
        }
        guard metadata["format"] == Self.adapterFileFormat else {
            throw failure(.notAnAdapterFile(reason: "its metadata has no \"format\": \"\(Self.adapterFileFormat)\"; it was not written by saveAdapters(to:including:)"))
        }
        guard let rank = metadata["lora_rank"].flatMap({ Int($0) }), rank > 0,
              let alpha = metadata["lora_alpha"].flatMap({ Double($0) }),
              let targetList = metadata["lora_targets"] else {
            throw failure(.notAnAdapterFile(reason: "its metadata lacks a valid \"lora_rank\", \"lora_alpha\" or \"lora_targets\""))
        }
        let targets = targetList.split(separator: ",").map(String.init)

        // Which projections: the file's, which must be the model's adapters if it has some.
        let slots = projectionSlots
        let adapted = slots.filter { $0.layer is LoRALinear }.map(\.path)
        if !adapted.isEmpty, adapted.sorted() != targets.sorted() {
            throw failure(.adapterMismatch(reason: "it adapts \(Self.summary(targets)) but the model's adapters are on \(Self.summary(adapted)); load it into a model without adapters (fresh from its pretrained file)"))
        }
        var expected: [(name: String, shape: [Int])] = []
        var chosen: [ProjectionSlot] = []
        for target in targets {
            guard let slot = slots.first(where: { $0.path == target }) else {
                throw failure(.adapterMismatch(reason: "it adapts \(target), a projection this model does not have (its projections: \(Self.summary(slots.map(\.path)))); was it saved from another model?"))
            }
            if let layer = slot.layer as? LoRALinear, layer.rank != rank {
                throw failure(.adapterMismatch(reason: "its adapters have rank \(rank) but the model's adapter of \(target) has rank \(layer.rank)"))
            }
            chosen.append(slot)
            expected += [("\(target).a", [slot.layer.inputs, rank]), ("\(target).b", [rank, slot.layer.outputs])]
        }
        var extraParameters: [(name: String, parameter: Parameter)] = []
        for (name, module) in extras.sorted(by: { $0.key < $1.key }) {
            extraParameters += module.parameters.map { (modulePath(name, $0.name), $0.parameter) }
        }
        expected += extraParameters.map { ($0.name, $0.parameter.shape) }

        // Check everything before changing anything.
        for (name, shape) in expected {
            guard let tensor = tensors[name] else { throw failure(.missingParameter(name)) }
            guard tensor.shape == shape else { throw failure(.shapeMismatch(name: name, expected: shape, found: tensor.shape)) }
            guard tensor.dtype.isFloatingPoint else {
                throw failure(.dtypeMismatch(name: name, expected: .float32, found: tensor.dtype))
            }
        }
        let names = Set(expected.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw failure(.unexpectedParameter(extra))
        }

        if adapted.isEmpty {
            applyLoRA(rank: rank, alpha: alpha, targets: targets.map { PathPattern($0) })
        }
        for (layerPath, layer) in loraLayers {
            layer.setAdapter(a: tensors["\(layerPath).a"]!, b: tensors["\(layerPath).b"]!, alpha: alpha)
        }
        for (name, parameter) in extraParameters {
            parameter.update(to: tensors[name]!.cast(to: parameter.value.dtype))
        }
    }

    /// A list of paths short enough for an error message.
    private static func summary(_ paths: [String]) -> String {
        paths.count <= 4 ? paths.joined(separator: ", ") : paths.prefix(3).joined(separator: ", ") + ", … (\(paths.count) in all)"
    }
}
