import Foundation

/// The sizes of a BERT model, as its `config.json` gives them (Hugging Face's `BertConfig`).
///
/// all-MiniLM-L6-v2: 6 layers, 12 heads, width 384 (32 per head), feed-forward width 1536,
/// 30,522 tokens, 512 positions, 2 token types, GELU, LayerNorm ε = 10⁻¹².
public struct BERTConfiguration: Sendable, Equatable, Decodable {
    /// `vocab_size`: how many tokens the embedding table has.
    public var vocabularySize: Int
    /// `hidden_size`: the width of every token's vector between layers (d_model).
    public var hiddenSize: Int
    /// `num_hidden_layers`: how many encoder layers.
    public var layerCount: Int
    /// `num_attention_heads`: heads per attention layer; they split `hiddenSize` evenly.
    public var headCount: Int
    /// `intermediate_size`: the width inside each feed-forward block.
    public var intermediateSize: Int
    /// `hidden_act`: the feed-forward activation; only `"gelu"` (exact, erf-based) is supported.
    public var hiddenActivation: String
    /// `layer_norm_eps`: ε of every LayerNorm.
    public var layerNormEpsilon: Double
    /// `max_position_embeddings`: the longest input, in tokens.
    public var maxPositions: Int
    /// `type_vocab_size`: how many token types (segment A and B of a sentence pair).
    public var tokenTypeCount: Int
    /// `hidden_dropout_prob`: dropout after the embeddings and after each attention output and
    /// feed-forward block, in training mode (0.1 when the file does not say, as in `BertConfig`).
    public var hiddenDropout: Double
    /// `attention_probs_dropout_prob`: dropout on the attention weights, in training mode (0.1
    /// when the file does not say).
    public var attentionDropout: Double

    public init(vocabularySize: Int, hiddenSize: Int, layerCount: Int, headCount: Int, intermediateSize: Int,
                hiddenActivation: String = "gelu", layerNormEpsilon: Double = 1e-12, maxPositions: Int = 512,
                tokenTypeCount: Int = 2, hiddenDropout: Double = 0.1, attentionDropout: Double = 0.1) {
        self.vocabularySize = vocabularySize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize
        self.hiddenActivation = hiddenActivation
        self.layerNormEpsilon = layerNormEpsilon
        self.maxPositions = maxPositions
        self.tokenTypeCount = tokenTypeCount
        self.hiddenDropout = hiddenDropout
        self.attentionDropout = attentionDropout
    }

    /// The width of one head, `hiddenSize / headCount`.
    public var headSize: Int { hiddenSize / headCount }

    private enum CodingKeys: String, CodingKey {
        case vocabularySize = "vocab_size", hiddenSize = "hidden_size", layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads", intermediateSize = "intermediate_size", hiddenActivation = "hidden_act"
        case layerNormEpsilon = "layer_norm_eps", maxPositions = "max_position_embeddings"
        case tokenTypeCount = "type_vocab_size", positionEmbeddingType = "position_embedding_type"
        case hiddenDropout = "hidden_dropout_prob", attentionDropout = "attention_probs_dropout_prob"
    }

    public init(from decoder: any Decoder) throws {
        let values = try decoder.container(keyedBy: CodingKeys.self)
        func field<Value: Decodable>(_ key: CodingKeys, _ expected: String) throws -> Value {
            guard values.contains(key) else {
                throw PretrainedModelError.Problem.malformedConfiguration(reason: "\"\(key.rawValue)\" is missing")
            }
            guard let value = try? values.decode(Value.self, forKey: key) else {
                throw PretrainedModelError.Problem.malformedConfiguration(reason: "\"\(key.rawValue)\" must be \(expected)")
            }
            return value
        }
        vocabularySize = try field(.vocabularySize, "a whole number")
        hiddenSize = try field(.hiddenSize, "a whole number")
        layerCount = try field(.layerCount, "a whole number")
        headCount = try field(.headCount, "a whole number")
        intermediateSize = try field(.intermediateSize, "a whole number")
        hiddenActivation = try field(.hiddenActivation, "a string such as \"gelu\"")
        layerNormEpsilon = try field(.layerNormEpsilon, "a number")
        maxPositions = try field(.maxPositions, "a whole number")
        tokenTypeCount = try field(.tokenTypeCount, "a whole number")
        hiddenDropout = values.contains(.hiddenDropout) ? try field(.hiddenDropout, "a number") : 0.1
        attentionDropout = values.contains(.attentionDropout) ? try field(.attentionDropout, "a number") : 0.1
        let positions = (try? values.decodeIfPresent(String.self, forKey: .positionEmbeddingType)) ?? "absolute"
        guard positions == "absolute" else {
            throw PretrainedModelError.Problem.unsupportedConfiguration(
                reason: "position_embedding_type \"\(positions)\" is not supported; Cuaderno's BERT has learned absolute positions only")
        }
        try checkSupported()
    }

    /// Stops sizes that cannot make a model, and an activation other than GELU.
    func checkSupported() throws {
        let sizes = [("vocab_size", vocabularySize), ("hidden_size", hiddenSize), ("num_hidden_layers", layerCount),
                     ("num_attention_heads", headCount), ("intermediate_size", intermediateSize),
                     ("max_position_embeddings", maxPositions), ("type_vocab_size", tokenTypeCount)]
        if let (name, value) = sizes.first(where: { $0.1 <= 0 }) {
            throw PretrainedModelError.Problem.malformedConfiguration(reason: "\"\(name)\" is \(value); it must be at least 1")
        }
        guard hiddenSize % headCount == 0 else {
            throw PretrainedModelError.Problem.malformedConfiguration(
                reason: "\(headCount) heads cannot split a hidden size of \(hiddenSize) evenly")
        }
        for (name, probability) in [("hidden_dropout_prob", hiddenDropout), ("attention_probs_dropout_prob", attentionDropout)]
        where !(0..<1).contains(probability) {
            throw PretrainedModelError.Problem.malformedConfiguration(reason: "\"\(name)\" is \(probability); it must be at least 0 and below 1")
        }
        guard hiddenActivation == "gelu" else {
            throw PretrainedModelError.Problem.unsupportedConfiguration(
                reason: "hidden_act \"\(hiddenActivation)\" is not supported; Cuaderno's BERT uses the exact GELU (\"gelu\")")
        }
    }

    /// The configuration in a `config.json` file.
    ///
    /// - Throws: ``PretrainedModelError`` naming the file when it cannot be read, is not JSON,
    ///   lacks a size, or asks for something other than GELU and absolute positions.
    public static func load(from url: URL) throws -> BERTConfiguration {
        try PretrainedModelError.decodeJSON(BERTConfiguration.self, from: url, notJSON: "it is not a JSON object")
    }
}
