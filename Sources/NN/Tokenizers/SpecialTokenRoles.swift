/// The tokens a language model gives a role to, by id: where a sequence begins and ends, where a
/// chat turn ends, what pads a batch and what stands for a byte the vocabulary lacks.
///
/// A GGUF file names them in `tokenizer.ggml.bos_token_id`, `eos_token_id`, `eot_token_id`,
/// `padding_token_id` and `unknown_token_id`; each is nil when the file does not say. SmolLM2's:
/// ```swift
/// tokenizer.roles   // beginningOfSequence 1 (<|im_start|>), endOfSequence 2 (<|im_end|>),
///                   // padding 2, unknown 0 (<|endoftext|>), endOfTurn nil
/// tokenizer.endOfGenerationIDs   // [0, 2]: <|endoftext|> and <|im_end|>
/// ```
public struct SpecialTokenRoles: Sendable, Equatable {
    /// The token a sequence starts with (BOS).
    public var beginningOfSequence: Int?
    /// The token that ends a sequence (EOS); for a chat model, often the end of its turn.
    public var endOfSequence: Int?
    /// The token that ends a turn of a conversation (EOT), when the file names one apart from EOS.
    public var endOfTurn: Int?
    /// The token that pads short sequences in a batch.
    public var padding: Int?
    /// The token for a byte the vocabulary lacks (never used by a byte-level vocabulary, which
    /// has every byte).
    public var unknown: Int?

    /// Roles with the given ids; nil when a model has no such token.
    public init(beginningOfSequence: Int? = nil, endOfSequence: Int? = nil, endOfTurn: Int? = nil,
                padding: Int? = nil, unknown: Int? = nil) {
        self.beginningOfSequence = beginningOfSequence
        self.endOfSequence = endOfSequence
        self.endOfTurn = endOfTurn
        self.padding = padding
        self.unknown = unknown
    }
}

extension BPETokenizer {
    /// The special tokens that end a text or a turn in the common chat formats. llama.cpp's
    /// vocabulary loader stops generation at these too, whatever the file's EOS says, since
    /// models emit them although files name only one (`llama_vocab::impl::load`, the EOG set).
    static let endOfGenerationTokens: Set<String> = [
        "<|endoftext|>", "<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|end|>", "<end_of_turn>",
        "<|end_of_text|>", "<EOT>",
    ]

    /// The ids after which a model's generated text is over: ``roles``' end of sequence and end
    /// of turn, and those of the ``specialTokens`` that end a text or a turn in the common chat
    /// formats (`<|endoftext|>`, `<|im_end|>`, `<|eot_id|>`, `<end_of_turn>`…). For SmolLM2,
    /// `[0, 2]`: `<|endoftext|>` and `<|im_end|>`. Empty for a tokenizer trained here.
    public var endOfGenerationIDs: Set<Int> {
        var ids = Set([roles.endOfSequence, roles.endOfTurn].compactMap { $0 })
        for token in specialTokens where Self.endOfGenerationTokens.contains(token) {
            if let id = id(of: token) { ids.insert(id) }
        }
        return ids
    }
}
