import Foundation
import TensorCore

/// A Llama-architecture decoder (Touvron et al., 2023) loaded from a GGUF file — SmolLM2-135M in the
/// course — that keeps its weights quantised, as the file stores them, and runs on the CPU.
///
/// ```
/// h₀ = embedding[ids]
/// for each of the layers:
///     a = RMSNorm(h)·g₁                               (attn_norm)
///     q, k, v = a·W_qᵀ, a·W_kᵀ, a·W_vᵀ                  rotated by RoPE at each token's position
///     h = h + Attention(q, k, v, causal)·W_oᵀ            9 query heads share 3 key/value heads
///     f = RMSNorm(h)·g₂                               (ffn_norm)
///     h = h + (silu(f·W_gateᵀ) ⊙ f·W_upᵀ)·W_downᵀ        SwiGLU
/// logits = (RMSNorm(h)·g)·embeddingᵀ                   tied: the output is the token embedding
/// ```
///
/// Two ways in:
/// - ``logits(for:arithmetic:)`` and ``attentionProbabilities(for:layer:head:arithmetic:)``: every
///   position of a sequence at once, for looking inside (a lesson draws a head's attention map);
/// - ``makeSession(arithmetic:threads:)``: a ``Session`` that keeps every layer's keys and values
///   (the KV cache), is fed a prompt in one batch and then one token at a time — generation.
///
/// ```swift
/// let model = try LlamaModel.load(named: "SmolLM2-135M-Instruct", file: "SmolLM2-135M-Instruct.Q4_1.gguf")
/// let session = model.makeSession()
/// var logits = session.feed(promptIDs)                 // [49152] float32, the next token's scores
/// var sampler = TokenSampler(.greedy)
/// for _ in 0..<20 { logits = session.feed(sampler.next(logits: logits)) }
/// ```
///
/// Inference only: nothing records gradients. The names of the weights are llama.cpp's
/// (`blk.3.attn_q.weight`); the GGUF converter permuted the query and key rows so that RoPE rotates
/// adjacent pairs (x[2i], x[2i+1]), llama.cpp's "normal" rope, which is what ``Session`` does.
public final class LlamaModel: Sendable {
    /// The sizes and constants, from the file's metadata.
    public let configuration: LlamaConfiguration
    /// The GGUF file the model was loaded from.
    public let path: String

    /// `token_embd.weight`, `(vocabulary, hidden)`: a token's row is its input vector.
    let embedding: QuantizedMatrix
    /// `output.weight`, `(vocabulary, hidden)`, or the embedding itself when the file has none (tied).
    let outputProjection: QuantizedMatrix
    let layers: [LlamaLayerWeights]
    /// `output_norm.weight`, the final RMSNorm's gain.
    let outputNorm: [Float]
    let rotary: RotaryPositionEmbedding

    /// The llama model in `file`, its matrices copied out quantised (97 MB for SmolLM2).
    ///
    /// - Throws: ``LlamaModelError`` naming the file when it is not a llama model, a tensor is
    ///   missing or of the wrong shape, or a matrix is of a type other than Q4_1 and Q8_0.
    public init(file: GGUFFile) throws {
        let configuration = try LlamaConfiguration(file: file)
        let c = configuration
        self.configuration = configuration
        path = file.path
        embedding = try QuantizedMatrix(file: file, name: "token_embd.weight", shape: [c.vocabularySize, c.hiddenSize])
        // Tied (SmolLM2: the file has no output.weight) or a matrix of its own (Llama 2).
        outputProjection = file.info(named: "output.weight") == nil ? embedding
            : try QuantizedMatrix(file: file, name: "output.weight", shape: [c.vocabularySize, c.hiddenSize])
        layers = try (0..<c.layerCount).map { try LlamaLayerWeights(file: file, layer: $0, configuration: c) }
        outputNorm = try Self.vector(file, "output_norm.weight", count: c.hiddenSize)
        rotary = RotaryPositionEmbedding(headSize: c.headSize, base: c.ropeFrequencyBase)
    }

    /// Loads the GGUF file `fileName` of the model `name` that `make model` fetched into `Models/<name>/`.
    ///
    /// - Throws: ``PretrainedModelError`` when the model is not on this machine (its description
    ///   says to run `make model`); ``GGUFFileError`` or ``LlamaModelError`` when the file is not usable.
    public static func load(named name: String, file fileName: String) throws -> LlamaModel {
        try LlamaModel(file: GGUFFile.open(model: name, file: fileName))
    }

    /// A new generation session with an empty KV cache.
    ///
    /// - Parameters:
    ///   - arithmetic: how activations meet the quantised weights (``LlamaArithmetic``);
    ///     `.int8Activations`, llama.cpp's, is the fast one.
    ///   - threads: how many threads share each matrix product's rows (the results do not depend on it).
    public func makeSession(arithmetic: LlamaArithmetic = .int8Activations,
                            threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> Session {
        Session(model: self, arithmetic: arithmetic, kernels: QuantizedKernels(threads: threads))
    }

    /// The logits at every position of `tokens`: row `t` scores the token that follows `tokens[0...t]`.
    ///
    /// - Shapes: `tokens` of length T → `(T, vocabularySize)` float32.
    /// - Precondition: 1 ≤ T ≤ `contextLength`, every id below `vocabularySize`.
    public func logits(for tokens: [Int], arithmetic: LlamaArithmetic = .float32) -> Tensor {
        let session = makeSession(arithmetic: arithmetic)
        return session.forward(tokens, logitsOf: .all).logits!
    }

    /// How much each token attends to each earlier one in one head of one layer: row `q` is the
    /// softmax of `q`'s scores against keys `0…q` (0 for later keys, which the causal mask hides).
    ///
    /// ```
    /// P[q, k] = softmax_k( (RoPE(q_q)·RoPE(k_k)) / √headSize ),  k ≤ q
    /// ```
    ///
    /// - Shapes: `tokens` of length T → `(T, T)` float32; each row sums to 1.
    /// - Precondition: `layer < layerCount`, `head < headCount` (a query head).
    public func attentionProbabilities(for tokens: [Int], layer: Int, head: Int,
                                       arithmetic: LlamaArithmetic = .float32) -> Tensor {
        guard (0..<configuration.layerCount).contains(layer), (0..<configuration.headCount).contains(head) else {
            tensorFailure("LlamaModel.attentionProbabilities: layer \(layer), head \(head) is not one of the model's \(configuration.layerCount) layers × \(configuration.headCount) heads")
        }
        let session = makeSession(arithmetic: arithmetic)
        return session.forward(tokens, logitsOf: .none, attentionOf: (layer, head)).attention!
    }

    /// The bytes of quantised weights one generated token reads: every block's matrices and the
    /// output projection (SmolLM2 in Q4_1 with a Q8_0 output: 96.5 MB). Generation is bound by
    /// reading them: a machine that streams B bytes a second makes at most B / this tokens a second.
    public var bytesReadPerToken: Int {
        layers.reduce(outputProjection.byteCount) { $0 + $1.byteCount }
    }

    /// The F32 vector `name` of `count` numbers.
    static func vector(_ file: GGUFFile, _ name: String, count: Int) throws -> [Float] {
        guard let info = file.info(named: name) else {
            throw LlamaModelError(path: file.path, problem: .missingTensor(name: name))
        }
        guard info.shape == [count] else {
            throw LlamaModelError(path: file.path, problem: .wrongTensorShape(name: name, expected: [count], found: info.shape))
        }
        guard info.type == .f32 else {
            throw LlamaModelError(path: file.path, problem: .unsupportedTensorType(name: name, type: info.type, supported: [.f32]))
        }
        return try file.tensor(info).scalars.map { Float($0) }
    }
}

/// One decoder block's weights: the two RMSNorm gains and seven quantised matrices.
struct LlamaLayerWeights: Sendable {
    let attentionNorm: [Float]
    let query, key, value, output: QuantizedMatrix
    let feedForwardNorm: [Float]
    let gate, up, down: QuantizedMatrix

    init(file: GGUFFile, layer: Int, configuration c: LlamaConfiguration) throws {
        func matrix(_ name: String, _ shape: [Int]) throws -> QuantizedMatrix {
            try QuantizedMatrix(file: file, name: "blk.\(layer).\(name).weight", shape: shape)
        }
        attentionNorm = try LlamaModel.vector(file, "blk.\(layer).attn_norm.weight", count: c.hiddenSize)
        query = try matrix("attn_q", [c.hiddenSize, c.hiddenSize])
        key = try matrix("attn_k", [c.keyValueSize, c.hiddenSize])
        value = try matrix("attn_v", [c.keyValueSize, c.hiddenSize])
        output = try matrix("attn_output", [c.hiddenSize, c.hiddenSize])
        feedForwardNorm = try LlamaModel.vector(file, "blk.\(layer).ffn_norm.weight", count: c.hiddenSize)
        gate = try matrix("ffn_gate", [c.feedForwardSize, c.hiddenSize])
        up = try matrix("ffn_up", [c.feedForwardSize, c.hiddenSize])
        down = try matrix("ffn_down", [c.hiddenSize, c.feedForwardSize])
    }

    /// The bytes of this block's matrices.
    var byteCount: Int { [query, key, value, output, gate, up, down].reduce(0) { $0 + $1.byteCount } }
}
