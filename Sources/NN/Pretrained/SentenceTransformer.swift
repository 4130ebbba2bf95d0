import Foundation
import TensorCore

/// A sentence-embedding model (Reimers and Gurevych, 2019): a BERT encoder whose token vectors are
/// averaged into one vector per text and scaled to length 1, so that the cosine similarity of two
/// texts is the dot product of their embeddings.
///
/// ```swift
/// let model = try SentenceTransformer.load(named: "all-MiniLM-L6-v2")
/// let embeddings = model.encode(["The cat sat on the mat.", "A cat was sitting on a rug."])   // (2, 384)
/// let similarity = embeddings[0].dot(embeddings[1])                                          // 0.742
/// ```
///
/// It is a module whose parameters are its BERT model's, under the same paths
/// (`encoder.layer.5.attention.self.query.weight`), so it can be fine-tuned as a whole: freeze and
/// unfreeze by path, LoRA on named projections, `setTraining(_:)`, saved adapters.
///
/// ```swift
/// st.applyLoRA(rank: 8, alpha: 16, targets: ["query", "value"], seed: 0)
/// let head = Linear(384, 2, random: &random)
/// let optimizer = AdamW(parameters: st.trainableParameters + head.trainableParameters, learningRate: 1e-3)
/// st.setTraining(true)
/// let batch = st.tokenizer.encode(texts, maxLength: 32)
/// let loss = crossEntropy(head(st.encode(batch)), labels)
/// optimizer.zeroGradients(); loss.backward(); optimizer.step()
/// ```
public final class SentenceTransformer: Module {
    public let tokenizer: WordPieceTokenizer
    public let model: BERTModel
    /// Texts are cut to this many tokens, `[CLS]` and `[SEP]` included (`max_seq_length` of
    /// `sentence_bert_config.json`; 256 for all-MiniLM-L6-v2).
    public let maxLength: Int

    public init(tokenizer: WordPieceTokenizer, model: BERTModel, maxLength: Int) {
        self.tokenizer = tokenizer
        self.model = model
        self.maxLength = maxLength
    }

    /// The model `name` of `Models/` (found by ``PretrainedModel/folder(named:)``), loaded.
    ///
    /// - Throws: ``PretrainedModelError`` when the model is not on this machine (its description
    ///   says to run `make model`) or a file is not valid; ``ParameterFileError`` for damaged weights.
    public static func load(named name: String, dtype: DType = .float32) throws -> SentenceTransformer {
        try load(from: PretrainedModel.folder(named: name), dtype: dtype)
    }

    /// A sentence-transformers model folder: `config.json`, `model.safetensors` and `vocab.txt`
    /// for the encoder, `sentence_bert_config.json` for the length limit (512 when absent), and
    /// `1_Pooling/config.json`, which must ask for mean pooling (the only kind implemented).
    ///
    /// - Parameter dtype: see ``BERTModel/load(from:dtype:)``.
    public static func load(from folder: URL, dtype: DType = .float32) throws -> SentenceTransformer {
        try checkMeanPooling(folder.appendingPathComponent("1_Pooling").appendingPathComponent("config.json"))
        let model = try BERTModel.load(from: folder, dtype: dtype)
        let tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"))
        let maxLength = try sentenceLength(folder.appendingPathComponent("sentence_bert_config.json"))
            ?? model.configuration.maxPositions
        return SentenceTransformer(tokenizer: tokenizer, model: model, maxLength: Swift.min(maxLength, model.configuration.maxPositions))
    }

    /// The BERT model, whose parameters keep their own paths (the child's name is empty).
    public var children: [(name: String, module: any Module)] { [("", model)] }

    /// One embedding per text, `(texts, hidden)`, each of length 1: the texts are encoded as one
    /// padded batch (of at most ``maxLength`` tokens), run through the model, mean-pooled over
    /// their real tokens and normalised.
    public func encode(_ texts: [String]) -> Tensor {
        encode(tokenizer.encode(texts, maxLength: maxLength))
    }

    /// One embedding per text of an encoded batch, `(texts, hidden)`, each of length 1 — what a
    /// training step uses, with the batch cut to the length it chooses
    /// (`tokenizer.encode(texts, maxLength: 32)`). Gradients flow back through it to the
    /// model's trainable parameters, unless inside `Tensor.withoutGradients`.
    public func encode(_ batch: TokenizedBatch) -> Tensor {
        let output = model(batch)
        // Every text keeps at least [CLS] and [SEP], so no row is all padding.
        return l2Normalized(maskedMeanPooling(output.lastHiddenState, paddingMask: batch.attentionMask .== 0))
    }

    /// The embedding of one text, `(hidden,)`, of length 1.
    public func encode(_ text: String) -> Tensor {
        encode([text])[0]
    }

    // MARK: Files

    private static func checkMeanPooling(_ url: URL) throws {
        struct Pooling: Decodable {
            var pooling_mode_mean_tokens: Bool?
            var pooling_mode_cls_token: Bool?
            var pooling_mode_max_tokens: Bool?
            var pooling_mode_mean_sqrt_len_tokens: Bool?
        }
        let pooling = try PretrainedModelError.decodeJSON(Pooling.self, from: url, notJSON: Self.notSentenceTransformersJSON)
        let others = [pooling.pooling_mode_cls_token, pooling.pooling_mode_max_tokens, pooling.pooling_mode_mean_sqrt_len_tokens]
        guard pooling.pooling_mode_mean_tokens == true, !others.contains(true) else {
            throw PretrainedModelError(path: url.path, problem: .unsupportedConfiguration(
                reason: "only mean pooling (\"pooling_mode_mean_tokens\": true, and no other mode) is implemented"))
        }
    }

    /// `max_seq_length` of `sentence_bert_config.json`, or nil when the file is absent.
    private static func sentenceLength(_ url: URL) throws -> Int? {
        struct SentenceBERT: Decodable { var max_seq_length: Int? }
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let config = try PretrainedModelError.decodeJSON(SentenceBERT.self, from: url, notJSON: Self.notSentenceTransformersJSON)
        return config.max_seq_length
    }

    private static let notSentenceTransformersJSON = "it is not the JSON object sentence-transformers writes"
}

/// The average of each text's token vectors over its real tokens (sentence-transformers'
/// mean pooling):
///
/// ```
/// pooled[b] = Σₜ mask[b, t] · x[b, t] / max(Σₜ mask[b, t], 10⁻⁹)
/// ```
/// - Shapes: `x` `(texts, tokens, hidden)` and `attentionMask` `(texts, tokens)` (1 real, 0
///   padding) → `(texts, hidden)`; or `(tokens, hidden)` and `(tokens,)` → `(hidden,)`.
///
/// The `10⁻⁹` turns an all-padding row into zeros rather than an error, as sentence-transformers
/// does; ``maskedMeanPooling(_:paddingMask:file:line:)`` takes a bool padding mask instead and
/// stops on such a row.
public func meanPooling(_ x: Tensor, attentionMask: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    guard x.rank == attentionMask.rank + 1, Array(x.shape.dropLast()) == attentionMask.shape else {
        tensorFailure("meanPooling: needs token vectors (…, tokens, hidden) and a mask (…, tokens), got \(x.shapeDescription) and \(attentionMask.shapeDescription)",
                      file: file, line: line)
    }
    let mask = attentionMask.cast(to: x.dtype).unsqueezed(axis: -1)          // (…, tokens, 1)
    let total = (x * mask).sum(axis: -2)                                     // (…, hidden)
    let count = mask.sum(axis: -2).clip(1e-9, .infinity)                     // (…, 1)
    return total / count
}

/// Each vector along `axis` divided by its Euclidean length, `x / max(‖x‖, 10⁻¹²)` (PyTorch's
/// `F.normalize`), so that dot products of the results are cosine similarities.
/// - Shapes: unchanged.
public func l2Normalized(_ x: Tensor, axis: Int = -1) -> Tensor {
    let length = (x * x).sum(axis: axis, keepDims: true).sqrt()
    return x / length.clip(1e-12, .infinity)
}
