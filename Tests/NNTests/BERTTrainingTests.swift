import Foundation
import Testing
@testable import NN
import TensorCore

/// A tiny BERT with random weights (float64), for the finite-difference checks and the API's
/// behaviour: 2 layers, 2 heads, width 8, feed-forward 16, 20 tokens.
enum TinyBERT {
    static let configuration = BERTConfiguration(vocabularySize: 20, hiddenSize: 8, layerCount: 2, headCount: 2,
                                                 intermediateSize: 16, maxPositions: 16)

    /// The model, drawn with `initializerRange` 0.5 (not BERT's 0.02) so that every layer does
    /// something visible to the gradients.
    static func model(seed: UInt32 = 0) -> BERTModel {
        var random = RandomState(seed: seed)
        return BERTModel(configuration: configuration, initializerRange: 0.5, random: &random)
    }

    /// Three texts of 5 tokens, the second with two of padding, the third with one.
    static let ids = Tensor(indices: [1, 5, 7, 3, 2, 1, 9, 2, 0, 0, 1, 4, 4, 2, 0]).reshaped([3, 5])
    static let attentionMask = Tensor(indices: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0]).reshaped([3, 5])
    static let labels = Tensor(indices: [0, 1, 2])

    /// Sentence embeddings as SentenceTransformer computes them (mean over real tokens, length 1).
    static func embeddings(_ model: BERTModel) -> Tensor {
        let output = model(ids: ids, attentionMask: attentionMask)
        return l2Normalized(maskedMeanPooling(output.lastHiddenState, paddingMask: attentionMask .== 0))
    }
}

/// The model with a classification head, as one module: what a fine-tuning step trains.
final class TinyClassifier: Module {
    let bert: BERTModel
    let head: Linear

    init(bert: BERTModel, head: Linear) {
        self.bert = bert
        self.head = head
    }

    var children: [(name: String, module: any Module)] { [("", bert), ("head", head)] }

    func loss() -> Tensor {
        crossEntropy(head(TinyBERT.embeddings(bert)), TinyBERT.labels)
    }
}

/// Trainable BERT: gradients (finite differences), freezing by path, training mode, LoRA on
/// named projections, merging, adapter files.
///
/// Tolerances of the finite-difference checks: central differences with step 10⁻⁶ in float64
/// have truncation error O(step²·f‴) ≈ 10⁻¹² and rounding error O(ε·|loss| / step) ≈ 10⁻¹⁰, so
/// analytic and numeric gradients must agree to rtol 10⁻⁵, atol 10⁻⁷ (the shared helper's rule).
@Suite struct BERTTrainingTests {
    @Test func fullFineTuningGradientsMatchFiniteDifferences() {
        var random = RandomState(seed: 9)
        let model = TinyClassifier(bert: TinyBERT.model(), head: Linear(8, 3, random: &random))
        model.unfreeze()
        #expect(model.parameterCounts.frozen == 0)
        expectLayerGradientsMatchFiniteDifferences(model, input: TinyBERT.ids) { _ in model.loss() }
    }

    @Test func loraGradientsMatchFiniteDifferences() {
        let bert = TinyBERT.model()
        let adapted = bert.applyLoRA(rank: 2, alpha: 4, targets: ["query", "value"], seed: 3)
        #expect(adapted == ["encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.value",
                            "encoder.layer.1.attention.self.query", "encoder.layer.1.attention.self.value"])
        // B non-zero, so that A's gradient is not zero.
        var random = RandomState(seed: 4)
        for (_, layer) in bert.loraLayers { layer.b.update(to: random.randn(shape: layer.b.shape) * 0.5) }
        let model = TinyClassifier(bert: bert, head: Linear(8, 3, random: &random))
        let trainable = model.parameters.filter { !$0.parameter.isFrozen }.map(\.name)
        #expect(trainable == adapted.flatMap { ["\($0).a", "\($0).b"] } + ["head.weight", "head.bias"])
        expectLayerGradientsMatchFiniteDifferences(model, input: TinyBERT.ids) { _ in model.loss() }
        for (name, parameter) in model.parameters where parameter.isFrozen {
            #expect(parameter.gradient == nil, "\(name) is frozen but got a gradient")
        }
    }

    @Test func freezingAndUnfreezingByPath() {
        let model = TinyBERT.model()
        #expect(model.parameterCounts.trainable == 0, "a new model is frozen, as a loaded one")
        model.unfreeze(matching: "encoder.layer.1.")
        let trainable = model.parameters.filter { !$0.parameter.isFrozen }.map(\.name)
        #expect(trainable.count == 16 && trainable.allSatisfy { $0.hasPrefix("encoder.layer.1.") })
        model.freeze(matching: "encoder.layer.1.attention", "encoder.layer.1.output.LayerNorm")
        #expect(model.parameters.filter { !$0.parameter.isFrozen }.map(\.name)
                == ["encoder.layer.1.intermediate.dense.weight", "encoder.layer.1.intermediate.dense.bias",
                    "encoder.layer.1.output.dense.weight", "encoder.layer.1.output.dense.bias"])
        // `*` stands for one component; a pattern selects whole components only.
        #expect(model.parameters(matching: "encoder.layer.*.attention.self.query").map(\.name)
                == ["encoder.layer.0.attention.self.query.weight", "encoder.layer.0.attention.self.query.bias",
                    "encoder.layer.1.attention.self.query.weight", "encoder.layer.1.attention.self.query.bias"])
        #expect(!PathPattern("encoder.layer.1").matchesPrefix(of: "encoder.layer.10.output.dense.weight"))
        #expect(PathPattern("query").matchesSuffix(of: "encoder.layer.3.attention.self.query"))
        #expect(!PathPattern("query").matchesSuffix(of: "encoder.layer.3.attention.self.query_proj"))
        #expect(noMatch("encoder.layers.1", among: model.parameters.map(\.name), what: "parameter")
                .contains("after \"encoder.\" comes one of \"layer\""))
    }

    @Test func aFrozenModelRecordsNothingAndATrainableOneDoes() {
        let model = TinyBERT.model()
        #expect(!TinyBERT.embeddings(model).requiresGradient)
        model.applyLoRA(rank: 1, alpha: 1, targets: ["value"])
        #expect(TinyBERT.embeddings(model).requiresGradient)
        #expect(!Tensor.withoutGradients { TinyBERT.embeddings(model) }.requiresGradient)
    }

    @Test func dropoutRunsInTrainingModeOnlyAndIsSeeded() {
        let model = TinyBERT.model()
        let evaluation = TinyBERT.embeddings(model)
        #expect(TinyBERT.embeddings(model).scalars == evaluation.scalars)
        let dropouts = model.modules.compactMap { $0.module as? Dropout }
        #expect(dropouts.count == 1 + 3 * 2 && dropouts.allSatisfy { $0.probability == 0.1 && !$0.isTraining })
        #expect(model.modules.filter { $0.module is Dropout }.map(\.path)
                == ["embeddings.dropout"] + (0..<2).flatMap { layer in
                    ["attention.self.dropout", "attention.output.dropout", "output.dropout"].map { "encoder.layer.\(layer).\($0)" }
                })

        model.setTraining(true)
        model.seedDropout(7)
        let first = TinyBERT.embeddings(model)
        let second = TinyBERT.embeddings(model)
        model.seedDropout(7)
        let again = TinyBERT.embeddings(model)
        #expect(first.scalars != evaluation.scalars && first.scalars != second.scalars)
        #expect(again.scalars == first.scalars, "the same seed gives the same masks")

        model.setTraining(false)
        #expect(TinyBERT.embeddings(model).scalars == evaluation.scalars)
    }

    @Test func dropoutSeedsAsBuiltAreSeedDropoutOfZero() {
        let model = TinyBERT.model()
        model.setTraining(true)
        let asBuilt = TinyBERT.embeddings(model)
        let reseeded = TinyBERT.model()
        reseeded.setTraining(true)
        reseeded.seedDropout(0)
        #expect(TinyBERT.embeddings(reseeded).scalars == asBuilt.scalars)
    }

    @Test func loraStartsAsTheBaseModelAndMergesToTheSameOutputs() {
        let model = TinyBERT.model()
        let before = TinyBERT.embeddings(model)
        model.applyLoRA(rank: 2, alpha: 4, targets: ["attention.self.query", "output.dense"], seed: 1)
        // PEFT's rule: a target is the end of a path, so "output.dense" is "attention.output.dense" too.
        #expect(model.loraLayers.map(\.path) == ["encoder.layer.0.attention.self.query", "encoder.layer.0.attention.output.dense",
                                                   "encoder.layer.0.output.dense", "encoder.layer.1.attention.self.query",
                                                   "encoder.layer.1.attention.output.dense", "encoder.layer.1.output.dense"])
        #expect(TinyBERT.embeddings(model).scalars == before.scalars, "B starts at zero")

        var random = RandomState(seed: 2)
        for (_, layer) in model.loraLayers { layer.b.update(to: random.randn(shape: layer.b.shape)) }
        let adapted = TinyBERT.embeddings(model)
        let weights = model.loraLayers.map { $0.layer.base.weight.value }
        model.mergeLoRA()
        let merged = model.loraLayers.allSatisfy { $0.layer.isMerged }
        #expect(merged)
        #expect(Closeness(rtol: 1e-12, atol: 1e-13).mismatch(TinyBERT.embeddings(model), adapted) == nil)
        model.unmergeLoRA()
        #expect(zip(model.loraLayers, weights).allSatisfy { $0.0.layer.base.weight.value.scalars == $0.1.scalars },
                "unmerging puts the weights back exactly")
        #expect(TinyBERT.embeddings(model).scalars == adapted.scalars)

        // Taking the adapters off gives the model back; merging first keeps what they learned.
        model.mergeLoRA()
        model.removeLoRA()
        #expect(model.loraLayers.isEmpty && model.parameterCounts.total == TinyBERT.model().parameterCounts.total)
        #expect(TinyBERT.embeddings(model).scalars == before.scalars)
        model.applyLoRA(rank: 1, alpha: 1, targets: ["attention.self.query", "output.dense"])
        for (_, layer) in model.loraLayers { layer.b.update(to: random.randn(shape: layer.b.shape)) }
        let again = TinyBERT.embeddings(model)
        model.removeLoRA(merging: true)
        #expect(model.loraLayers.isEmpty)
        #expect(Closeness(rtol: 1e-12, atol: 1e-13).mismatch(TinyBERT.embeddings(model), again) == nil)
    }

    @Test func loraOnAnEncoderLayersAttention() {
        var random = RandomState(seed: 0)
        let block = TransformerEncoderLayer(modelDimension: 8, headCount: 2, feedForwardDimension: 16, dropout: 0, random: &random)
        let input = random.randn(2, 3, 8)
        let before = block(input)
        #expect(block.applyLoRA(rank: 2, alpha: 2, targets: ["attention.key"]) == ["attention.key"])
        #expect(block.attention.key is LoRALinear && block.attention.query is Linear)
        #expect(block(input).scalars == before.scalars)
        #expect(block.parameterCounts.trainable == 2 * (8 + 8))
    }

    @Test func adaptersAndAHeadSaveAndReloadIntoAFreshModel() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("adapter.safetensors").path
        let model = TinyBERT.model()
        model.applyLoRA(rank: 2, alpha: 3, targets: ["query", "value"], seed: 5)
        var random = RandomState(seed: 6)
        for (_, layer) in model.loraLayers { layer.b.update(to: random.randn(shape: layer.b.shape)) }
        let head = Linear(8, 3, random: &random)
        try model.saveAdapters(to: path, including: ["head": head])

        let (tensors, metadata) = try ParameterFile.read(from: URL(fileURLWithPath: path))
        #expect(tensors.count == 4 * 2 + 2, "the adapters and the head, nothing of the base model")
        #expect(metadata["lora_rank"] == "2" && metadata["lora_alpha"] == "3.0")

        let fresh = TinyBERT.model()
        let freshHead = Linear(8, 3, random: &random)
        try fresh.loadAdapters(from: path, including: ["head": freshHead])
        #expect(fresh.loraLayers.map(\.path) == model.loraLayers.map(\.path))
        #expect(fresh.loraLayers.allSatisfy { $0.layer.alpha == 3 })
        #expect(fresh.parameterCounts == model.parameterCounts)
        #expect(freshHead(TinyBERT.embeddings(fresh)).scalars == head(TinyBERT.embeddings(model)).scalars)
    }

    @Test func anAdapterFileThatDoesNotFitIsRefusedNamingTheFile() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("query-only.safetensors").path
        let model = TinyBERT.model()
        model.applyLoRA(rank: 2, alpha: 2, targets: ["query"])
        try model.saveAdapters(to: path, including: ["head": Linear(8, 3)])

        func refusal(_ load: () throws -> Void) -> ParameterFileError? {
            do { try load() } catch let error as ParameterFileError { return error } catch { Issue.record("\(error)") }
            return nil
        }
        // Adapters on other projections.
        let other = TinyBERT.model()
        other.applyLoRA(rank: 2, alpha: 2, targets: ["value"])
        let targets = refusal { try other.loadAdapters(from: path, including: ["head": Linear(8, 3)]) }
        #expect(targets?.path == path)
        #expect(targets?.description.hasPrefix("\(path): error: the LoRA adapters do not fit this model: it adapts encoder.layer.0.attention.self.query") == true)
        // Adapters of another rank.
        let ranked = TinyBERT.model()
        ranked.applyLoRA(rank: 1, alpha: 2, targets: ["query"])
        #expect(refusal { try ranked.loadAdapters(from: path, including: ["head": Linear(8, 3)]) }?.problem
                == .adapterMismatch(reason: "its adapters have rank 2 but the model's adapter of encoder.layer.0.attention.self.query has rank 1"))
        // A model with fewer layers: nothing changes.
        var smaller = TinyBERT.configuration
        smaller.layerCount = 1
        var random = RandomState(seed: 0)
        let oneLayer = BERTModel(configuration: smaller, random: &random)
        let missing = refusal { try oneLayer.loadAdapters(from: path, including: ["head": Linear(8, 3)]) }
        #expect(missing?.description.contains("encoder.layer.1.attention.self.query, a projection this model does not have") == true)
        #expect(oneLayer.loraLayers.isEmpty)
        // A head of another shape, a head not asked for, a head missing.
        let fresh = TinyBERT.model()
        #expect(refusal { try fresh.loadAdapters(from: path, including: ["head": Linear(8, 2)]) }?.problem
                == .shapeMismatch(name: "head.weight", expected: [8, 2], found: [8, 3]))
        #expect(refusal { try fresh.loadAdapters(from: path) }?.problem == .unexpectedParameter("head.bias"))
        #expect(refusal { try fresh.loadAdapters(from: path, including: ["classifier": Linear(8, 3)]) }?.problem
                == .missingParameter("classifier.weight"))
        #expect(fresh.loraLayers.isEmpty && fresh.parameterCounts.trainable == 0)
        // A whole model's file is not an adapter file.
        let whole = folder.appendingPathComponent("whole.safetensors").path
        try fresh.save(to: whole)
        let notAdapter = refusal { try fresh.loadAdapters(from: whole) }
        #expect(notAdapter?.description.hasPrefix("\(whole): error: not a LoRA adapter file") == true)
        // Nothing to save.
        #expect(refusal { try fresh.saveAdapters(to: whole) }?.problem
                == .notAnAdapterFile(reason: "the model has no LoRA adapters to save; apply them first with applyLoRA(rank:alpha:targets:seed:)"))
    }
}
