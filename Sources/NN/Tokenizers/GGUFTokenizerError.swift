/// Why the tokenizer or the chat template of a GGUF file could not be read — with the file.
///
/// Its ``description`` names the file, says what was found, and what to do:
/// `Models/x.gguf: error: tokenizer.ggml.model is "llama" (SentencePiece), and Cuaderno reads …`.
public struct GGUFTokenizerError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Problem: Error, Equatable, Sendable {
        /// A metadata key the tokenizer needs is missing (`expected` says what it holds).
        case missingKey(String, expected: String)
        /// A metadata key holds another type of value than the tokenizer needs.
        case wrongType(key: String, found: String, expected: String)
        /// `tokenizer.ggml.model` is not `gpt2`, the byte-level BPE Cuaderno has.
        case unsupportedModel(String)
        /// `tokenizer.ggml.pre` names a pre-tokenizer Cuaderno does not have.
        case unsupportedPreTokenizer(String)
        /// A setting Cuaderno does not do (`tokenizer.ggml.add_eos_token` true…).
        case unsupportedSetting(key: String, value: String)
        /// `tokenizer.ggml.token_type` does not have one type per token.
        case tokenTypeCount(types: Int, tokens: Int)
        /// A special token id is not the id of a token.
        case idOutOfRange(key: String, id: Int, tokenCount: Int)
        /// A merge is not two tokens with one space between them.
        case malformedMerge(index: Int, merge: String)
        /// The tokens and merges do not make a tokenizer (a token twice, a merge of unknown tokens).
        case inconsistentVocabulary(TokenizerFileError.Problem)
        /// `tokenizer.chat_template` is not the ChatML template (`start` is its beginning).
        case notChatML(start: String)
    }

    /// The file, as it was given.
    public let path: String
    /// What went wrong.
    public let problem: Problem

    /// An error about the file at `path`.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// `path: error: what went wrong; what to do`.
    public var description: String { "\(path): error: \(problem.explanation)" }
}

extension GGUFTokenizerError.Problem {
    /// What went wrong and what to do, in a sentence or two.
    var explanation: String {
        let convertAgain = "convert the model again with a current llama.cpp (convert_hf_to_gguf.py), or use a newer copy of the file"
        switch self {
        case .missingKey(let key, let expected):
            return "the file has no metadata key \(key) (\(expected)), so it holds no tokenizer Cuaderno can read; \(convertAgain)"
        case .wrongType(let key, let found, let expected):
            return "the metadata key \(key) is \(found), not \(expected); the file is damaged or was written wrongly; \(convertAgain)"
        case .unsupportedModel(let model):
            return "tokenizer.ggml.model is \"\(model)\"\(Self.modelKind(model)), and Cuaderno reads only byte-level BPE "
                + "tokenizers, \"gpt2\" (GPT-2, SmolLM2, Llama 3, Qwen…); use such a model, or a Hugging Face "
                + "tokenizer.json of a byte-level BPE model with BPETokenizer.load(from:)"
        case .unsupportedPreTokenizer(let name):
            return "tokenizer.ggml.pre is \"\(name)\", a pre-tokenizer Cuaderno does not have (it has \"gpt2\" and \"smollm\"); "
                + "the merges were learnt on text cut that way, so encoding would give other ids than llama.cpp and "
                + "Hugging Face; use a model whose file says \"gpt2\" or \"smollm\"\(name == "default" ? " (llama.cpp's \"default\" is not GPT-2's pattern: it cuts punctuation and groups of three digits apart)" : "")"
        case .unsupportedSetting(let key, let value):
            return "\(key) is \(value), which Cuaderno's BPETokenizer does not do; use a model whose file does not ask for it"
        case .tokenTypeCount(let types, let tokens):
            return "tokenizer.ggml.token_type has \(types) types for \(tokens) tokens, but every token needs one; \(convertAgain)"
        case .idOutOfRange(let key, let id, let tokenCount):
            return "\(key) is \(id), but the ids of the \(tokenCount) tokens run from 0 to \(tokenCount - 1); \(convertAgain)"
        case .malformedMerge(let index, let merge):
            return "merge \(index) of tokenizer.ggml.merges (\(merge.debugDescription)) is not two tokens with one space between them; \(convertAgain)"
        case .inconsistentVocabulary(let problem):
            return "tokenizer.ggml.tokens and tokenizer.ggml.merges do not make a tokenizer: \(Self.vocabularyProblem(problem)); \(convertAgain)"
        case .notChatML(let start):
            return "tokenizer.chat_template is not the ChatML template (<|im_start|>role\\ncontent<|im_end|>) that ChatMLTemplate "
                + "writes; it starts \(start.debugDescription); use a ChatML model such as SmolLM2, or write the prompt for "
                + "this model's template yourself"
        }
    }

    /// What kind of tokenizer a `tokenizer.ggml.model` names, as llama.cpp reads it.
    private static func modelKind(_ model: String) -> String {
        switch model {
        case "llama": " (SentencePiece BPE)"
        case "bert": " (WordPiece)"
        case "t5": " (SentencePiece Unigram)"
        case "rwkv": " (RWKV's greedy tokenizer)"
        case "no_vocab", "none": " (no vocabulary)"
        default: ""
        }
    }

    /// The problems a vocabulary read from a GGUF file can have, named by the file's keys.
    private static func vocabularyProblem(_ problem: TokenizerFileError.Problem) -> String {
        switch problem {
        case .duplicateToken(let token, let firstID, let secondID):
            "the token \(token.debugDescription) has ids \(firstID) and \(secondID)"
        case .unknownTokenInMerge(let index, let merge, let token):
            "merge \(index) (\(merge.debugDescription)) names \(token.debugDescription), which is not one of the tokens"
        case .mergedTokenMissing(let index, let merge, let token):
            "merge \(index) (\(merge.debugDescription)) makes \(token.debugDescription), which is not one of the tokens"
        default:
            problem.explanation
        }
    }
}
