/// The sizes and constants of a llama-architecture model, read from a GGUF file's metadata
/// (the `llama.*` keys that llama.cpp's converter writes).
///
/// ```
/// SmolLM2-135M:  30 layers, d = 576, feed-forward 1536, 9 query heads sharing 3 key/value heads
///                of 64 numbers, RoPE base 100 000, RMSNorm ε = 1e-5, 49 152 tokens, 8192 positions
/// ```
public struct LlamaConfiguration: Equatable, Sendable {
    /// The number of decoder blocks (`llama.block_count`).
    public let layerCount: Int
    /// The width of the residual stream, d (`llama.embedding_length`).
    public let hiddenSize: Int
    /// The width of the SwiGLU feed-forward layer (`llama.feed_forward_length`).
    public let feedForwardSize: Int
    /// The number of query heads (`llama.attention.head_count`).
    public let headCount: Int
    /// The number of key/value heads (`llama.attention.head_count_kv`); each serves
    /// `headCount / keyValueHeadCount` query heads (grouped-query attention).
    public let keyValueHeadCount: Int
    /// The numbers per head, `hiddenSize / headCount`; RoPE rotates all of them
    /// (`llama.rope.dimension_count`, when present, must equal it).
    public let headSize: Int
    /// The longest sequence the model was trained for (`llama.context_length`).
    public let contextLength: Int
    /// RoPE's base, θ (`llama.rope.freq_base`; 10 000 when absent, as in Llama 2).
    public let ropeFrequencyBase: Double
    /// RMSNorm's ε (`llama.attention.layer_norm_rms_epsilon`).
    public let rmsNormEpsilon: Double
    /// The number of tokens (the rows of `token_embd.weight`).
    public let vocabularySize: Int

    /// The configuration of the model in `file`.
    ///
    /// - Throws: ``LlamaModelError`` naming the file when `general.architecture` is not `llama`, or a
    ///   key is missing or inconsistent.
    public init(file: GGUFFile) throws {
        func fail(_ problem: LlamaModelError.Problem) -> LlamaModelError {
            LlamaModelError(path: file.path, problem: problem)
        }
        let architecture = file.metadata["general.architecture"]?.string
        guard architecture == "llama" else { throw fail(.notLlama(architecture: architecture)) }
        func integer(_ key: String) throws -> Int {
            guard let value = file.metadata[key] else { throw fail(.missingMetadata(key: key)) }
            guard let number = value.integer, number > 0 else {
                throw fail(.invalidMetadata(key: key, reason: "is \(value), not a positive integer"))
            }
            return number
        }
        func number(_ key: String, default defaultValue: Double? = nil) throws -> Double {
            guard let value = file.metadata[key] else {
                if let defaultValue { return defaultValue }
                throw fail(.missingMetadata(key: key))
            }
            guard let number = value.number, number > 0 else {
                throw fail(.invalidMetadata(key: key, reason: "is \(value), not a positive number"))
            }
            return number
        }
        layerCount = try integer("llama.block_count")
        hiddenSize = try integer("llama.embedding_length")
        feedForwardSize = try integer("llama.feed_forward_length")
        headCount = try integer("llama.attention.head_count")
        keyValueHeadCount = file.metadata["llama.attention.head_count_kv"] == nil
            ? headCount : try integer("llama.attention.head_count_kv")
        contextLength = try integer("llama.context_length")
        ropeFrequencyBase = try number("llama.rope.freq_base", default: 10_000)
        rmsNormEpsilon = try number("llama.attention.layer_norm_rms_epsilon")

        guard hiddenSize % headCount == 0, (hiddenSize / headCount) % 2 == 0 else {
            throw fail(.invalidMetadata(key: "llama.attention.head_count",
                                        reason: "is \(headCount), which does not split d = \(hiddenSize) into heads of an even size"))
        }
        headSize = hiddenSize / headCount
        guard headCount % keyValueHeadCount == 0 else {
            throw fail(.invalidMetadata(key: "llama.attention.head_count_kv",
                                        reason: "is \(keyValueHeadCount), which does not divide the \(headCount) query heads"))
        }
        if file.metadata["llama.rope.dimension_count"] != nil {
            let rotated = try integer("llama.rope.dimension_count")
            guard rotated == headSize else {
                throw fail(.invalidMetadata(key: "llama.rope.dimension_count",
                                            reason: "is \(rotated); LlamaModel rotates whole heads of \(headSize)"))
            }
        }
        guard let embedding = file.info(named: "token_embd.weight") else {
            throw fail(.missingTensor(name: "token_embd.weight"))
        }
        vocabularySize = embedding.shape[0]
    }

    /// The width of the keys (and of the values) of one token: `keyValueHeadCount · headSize`.
    public var keyValueSize: Int { keyValueHeadCount * headSize }
}
