import Foundation
import TensorCore

extension BERTModel {
    /// The model `name` of `Models/` (found by ``PretrainedModel/folder(named:)``), loaded.
    ///
    /// - Throws: ``PretrainedModelError`` when the model is not on this machine (its description
    ///   says to run `make model`) or its configuration is not valid; ``ParameterFileError`` when
    ///   its weights file is damaged or does not fit the configuration.
    public static func load(named name: String, dtype: DType = .float32) throws -> BERTModel {
        try load(from: PretrainedModel.folder(named: name), dtype: dtype)
    }

    /// A pretrained model from a folder holding `config.json` and `model.safetensors` (as Hugging
    /// Face's `BertModel` saves them).
    ///
    /// - Parameter dtype: `float32` (the weights as they are stored; the default, and twice as
    ///   fast) or `float64` (the weights widened, for mixing the model's tensors with a lesson's
    ///   float64 ones without `.cast(to:)`).
    /// - Throws: ``PretrainedModelError`` for a missing or invalid `config.json`;
    ///   ``ParameterFileError`` naming `model.safetensors` when it is damaged, lacks a tensor the
    ///   configuration needs or has one of another shape.
    public static func load(from folder: URL, dtype: DType = .float32) throws -> BERTModel {
        let configuration = try BERTConfiguration.load(from: folder.appendingPathComponent("config.json"))
        let weightsURL = folder.appendingPathComponent("model.safetensors")
        let (tensors, _) = try ParameterFile.read(from: weightsURL)
        var weights = CheckpointWeights(path: weightsURL.path, tensors: tensors, dtype: dtype)
        let model = try BERTModel(configuration: configuration, weights: &weights)
        try weights.checkAllUsed()
        return model
    }

    /// A model built from checkpoint tensors named as Hugging Face's `BertModel` names them.
    convenience init(configuration: BERTConfiguration, weights: inout CheckpointWeights) throws {
        let c = configuration
        let (hidden, inner) = (c.hiddenSize, c.intermediateSize)
        func norm(_ prefix: String) throws -> LayerNorm {
            LayerNorm(scale: try weights.take("\(prefix).weight", shape: [hidden]),
                      shift: try weights.take("\(prefix).bias", shape: [hidden]), epsilon: c.layerNormEpsilon)
        }
        func linear(_ prefix: String, inputs: Int, outputs: Int) throws -> Linear {
            // PyTorch stores (outputs, inputs); Cuaderno's Linear takes (inputs, outputs). The
            // transpose is a view, which matmul hands to BLAS as it is.
            let weight = try weights.take("\(prefix).weight", shape: [outputs, inputs], transposed: true)
            return Linear(weight: weight, bias: try weights.take("\(prefix).bias", shape: [outputs]))
        }
        let embeddings = BERTEmbeddings(
            words: Embedding(table: try weights.take("embeddings.word_embeddings.weight", shape: [c.vocabularySize, hidden])),
            positions: Embedding(table: try weights.take("embeddings.position_embeddings.weight", shape: [c.maxPositions, hidden])),
            tokenTypes: Embedding(table: try weights.take("embeddings.token_type_embeddings.weight", shape: [c.tokenTypeCount, hidden])),
            norm: try norm("embeddings.LayerNorm"), dropout: c.hiddenDropout, dropoutSeed: BERTDropoutSeeds.embeddings)
        var layers: [BERTLayer] = []
        for index in 0..<c.layerCount {
            let prefix = "encoder.layer.\(index)"
            let attention = MultiHeadAttention(
                query: try linear("\(prefix).attention.self.query", inputs: hidden, outputs: hidden),
                key: try linear("\(prefix).attention.self.key", inputs: hidden, outputs: hidden),
                value: try linear("\(prefix).attention.self.value", inputs: hidden, outputs: hidden),
                output: try linear("\(prefix).attention.output.dense", inputs: hidden, outputs: hidden),
                headCount: c.headCount, weightsDropout: c.attentionDropout, dropoutSeed: BERTDropoutSeeds.attention(layer: index))
            layers.append(BERTLayer(
                attention: attention, attentionNorm: try norm("\(prefix).attention.output.LayerNorm"),
                intermediate: try linear("\(prefix).intermediate.dense", inputs: hidden, outputs: inner),
                output: try linear("\(prefix).output.dense", inputs: inner, outputs: hidden),
                outputNorm: try norm("\(prefix).output.LayerNorm"),
                hiddenDropout: c.hiddenDropout, dropoutSeed: BERTDropoutSeeds.residual(layer: index)))
        }
        let pooler = weights.has("pooler.dense.weight") ? try linear("pooler.dense", inputs: hidden, outputs: hidden) : nil
        self.init(configuration: configuration, embeddings: embeddings, layers: layers, pooler: pooler)
    }
}

/// The seeds of a BERT model's dropouts as built: 0 for the embeddings', then three per layer
/// (attention weights, attention output, feed-forward output) — the order of ``Module/modules``,
/// so that ``Module/seedDropout(_:)`` with 0 gives the same generators.
enum BERTDropoutSeeds {
    static let embeddings: UInt32 = 0
    static func attention(layer: Int) -> UInt32 { UInt32(3 * layer + 1) }
    static func residual(layer: Int) -> UInt32 { UInt32(3 * layer + 2) }
}

/// The tensors of a checkpoint, taken one by one by name, so that a missing tensor, a shape that
/// differs from the configuration, or a tensor nothing took is an error naming the file.
struct CheckpointWeights {
    let path: String
    private var tensors: [String: Tensor]
    let dtype: DType

    /// Tensors a `BertModel` checkpoint may hold that the model does not use: the position index
    /// buffer `[0, 1, …, 511]`.
    private static let unused: [String] = ["embeddings.position_ids"]

    init(path: String, tensors: [String: Tensor], dtype: DType) {
        self.path = path
        self.tensors = tensors
        self.dtype = dtype
    }

    /// Whether the file has a tensor `name` not yet taken.
    func has(_ name: String) -> Bool { tensors[name] != nil }

    /// The tensor `name`, of `shape` in the file, in the model's dtype (transposed when asked).
    mutating func take(_ name: String, shape: [Int], transposed: Bool = false) throws -> Tensor {
        guard let tensor = tensors.removeValue(forKey: name) else {
            throw ParameterFileError(path: path, problem: .missingParameter(name))
        }
        guard tensor.shape == shape else {
            throw ParameterFileError(path: path, problem: .shapeMismatch(name: name, expected: shape, found: tensor.shape))
        }
        guard tensor.dtype.isFloatingPoint else {
            throw ParameterFileError(path: path, problem: .dtypeMismatch(name: name, expected: dtype, found: tensor.dtype))
        }
        let oriented = transposed ? tensor.T : tensor
        return oriented.cast(to: dtype)
    }

    /// Throws when the file holds a tensor the model did not take (other than the known unused ones).
    func checkAllUsed() throws {
        if let extra = tensors.keys.filter({ !Self.unused.contains($0) }).sorted().first {
            throw ParameterFileError(path: path, problem: .unexpectedParameter(extra))
        }
    }
}
