/// Why a tokenizer file (`tokenizer.json`) could not be written or read, or does not describe a
/// usable tokenizer — with the file.
///
/// Its ``description`` names the file and says what to do:
/// `Data/tokenizer.json: error: merge 12 ("Ġt h") names the token "h", which is not in model.vocab; …`.
public struct TokenizerFileError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Problem: Error, Equatable, Sendable {
        /// The file could not be opened or read.
        case cannotRead(reason: String)
        /// The file could not be written (a missing folder, no permission).
        case cannotWrite(reason: String)
        /// The file is not JSON, or not the JSON object a `tokenizer.json` is.
        case notJSON(reason: String)
        /// A part every tokenizer file has is missing or of the wrong kind (`model.merges`…).
        case missingField(name: String, expected: String)
        /// A part of the file holds the wrong kind of value (a list where an object belongs…).
        case wrongKind(name: String, expected: String)
        /// The file asks for something Cuaderno's byte-level BPE does not do (another model,
        /// normaliser or pre-tokeniser, dropout…).
        case unsupported(setting: String, value: String)
        /// A token has two ids.
        case duplicateToken(token: String, firstID: Int, secondID: Int)
        /// Two tokens have the same id.
        case sharedID(id: Int, first: String, second: String)
        /// A token's id is below 0.
        case negativeID(token: String, id: Int)
        /// The ids do not run from 0 to the number of tokens less one.
        case missingID(Int, tokenCount: Int)
        /// A merge names a token the vocabulary does not have.
        case unknownTokenInMerge(index: Int, merge: String, token: String)
        /// A merge makes a token the vocabulary does not have.
        case mergedTokenMissing(index: Int, merge: String, token: String)
        /// A merge is not two tokens.
        case malformedMerge(index: Int, merge: String)
        /// A special (added) token is not in the vocabulary, or has another id there.
        case specialTokenMismatch(token: String, reason: String)
    }

    /// The file, as it was given (or a short description when there is no file).
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

extension TokenizerFileError.Problem {
    /// What went wrong and what to do, in a sentence or two.
    var explanation: String {
        let mismatched = "the vocabulary and the merges do not belong together; save the tokenizer again from where it was made"
        switch self {
        case .cannotRead(let reason):
            return "cannot read the file (\(reason)); check the path"
        case .cannotWrite(let reason):
            return "cannot write the file (\(reason)); check that its folder exists and can be written to"
        case .notJSON(let reason):
            return "the file is not a tokenizer.json (\(reason)); give the file that BPETokenizer.save(to:) or Hugging Face's Tokenizer.save wrote"
        case .missingField(let name, let expected):
            return "the file has no \(name) (\(expected)); is this a tokenizer.json of a BPE model?"
        case .wrongKind(let name, let expected):
            return "\(name) is not \(expected); is this a tokenizer.json of a BPE model?"
        case .unsupported(let setting, let value):
            return "\(setting) is \(value), which Cuaderno's BPETokenizer does not do; it reads byte-level BPE as GPT-2 and Hugging Face's ByteLevel BPE write it (pre_tokenizer ByteLevel with use_regex, alone or after Digits with individual_digits, normalizer Lowercase or null, model BPE without dropout, prefixes or byte fallback)"
        case .duplicateToken(let token, let firstID, let secondID):
            return "the token \(quoted(token)) has ids \(firstID) and \(secondID); every token needs one id, and every id one token"
        case .sharedID(let id, let first, let second):
            return "the tokens \(quoted(first)) and \(quoted(second)) both have id \(id); every token needs an id of its own"
        case .negativeID(let token, let id):
            return "the token \(quoted(token)) has id \(id), but ids start at 0"
        case .missingID(let id, let tokenCount):
            return "no token has id \(id), but the \(tokenCount) tokens' ids must run from 0 to \(tokenCount - 1) without gaps"
        case .unknownTokenInMerge(let index, let merge, let token):
            return "merge \(index) (\(quoted(merge))) names the token \(quoted(token)), which is not in model.vocab; \(mismatched)"
        case .mergedTokenMissing(let index, let merge, let token):
            return "merge \(index) (\(quoted(merge))) makes the token \(quoted(token)), which is not in model.vocab; \(mismatched)"
        case .malformedMerge(let index, let merge):
            return "merge \(index) (\(quoted(merge))) is not two tokens; each merge is [\"left\", \"right\"] or \"left right\""
        case .specialTokenMismatch(let token, let reason):
            return "the special token \(quoted(token)) \(reason)"
        }
    }

    /// A token in quotes, with its invisible characters spelled out (`"\n"`, `"\u{0}"`).
    private func quoted(_ token: String) -> String {
        token.debugDescription
    }
}
