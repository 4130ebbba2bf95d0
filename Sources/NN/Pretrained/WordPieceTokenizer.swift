import Foundation
import TensorCore

/// BERT's tokenizer: text → word pieces → token ids, from the model's `vocab.txt` (the same ids as
/// Hugging Face's `BertTokenizer` and `tokenizers` give for an uncased BERT).
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(vocabularyFile: folder.appendingPathComponent("vocab.txt"))
/// tokenizer.tokenize("Transformers are unbelievably good!")
/// // ["transformers", "are", "un", "##bel", "##ie", "##va", "##bly", "good", "!"]
/// let encoded = tokenizer.encode("Hello, world")
/// encoded.tokens   // ["[CLS]", "hello", ",", "world", "[SEP]"]
/// encoded.ids      // [101, 7592, 1010, 2088, 102]
/// ```
///
/// Three steps, each of which a lesson can call on its own:
/// 1. ``normalized(_:)``: drop control characters, make every whitespace a space, put spaces
///    around Chinese characters, strip accents and lower-case (`"Héllo\tWörld"` → `"hello world"`);
/// 2. ``words(_:)``: split at spaces, and make each punctuation mark a word of its own;
/// 3. ``wordPieces(_:)``: cut each word into the longest pieces the vocabulary has, greedily from
///    the left (`"unbelievably"` → `un`, `##bel`, `##ie`, `##va`, `##bly`); pieces inside a word
///    start with `##`. A word no sequence of pieces can spell, or
///    longer than 100 characters, becomes `[UNK]`.
///
/// The special tokens `[CLS]`, `[SEP]`, `[PAD]`, `[UNK]` and `[MASK]`, written in the text exactly
/// so, stay one token each.
public struct WordPieceTokenizer: Sendable {
    /// Every token, at the index that is its id (line `n` of `vocab.txt`, counting from 0, is id `n`).
    public let vocabulary: [String]
    /// Whether text is lower-cased and its accents stripped (true for an "uncased" model).
    public let lowercases: Bool
    /// Words longer than this many characters (Unicode scalars) become `[UNK]`.
    public let maxCharactersPerWord: Int

    /// The ids of the tokens, keyed by their exact UTF-8 bytes: Swift's `String` compares by
    /// canonical equivalence (a precomposed Korean syllable equals its decomposed letters), but
    /// the vocabulary holds both forms as different tokens.
    private let idsByBytes: [[UInt8]: Int]

    /// The special tokens this tokenizer writes and recognises.
    public static let classification = "[CLS]", separator = "[SEP]", padding = "[PAD]"
    public static let unknown = "[UNK]", mask = "[MASK]"
    static let specialTokens = [classification, separator, padding, unknown, mask]

    /// A tokenizer with the given vocabulary, one token per id.
    ///
    /// - Throws: ``PretrainedModelError`` when a token appears twice, or `[CLS]`, `[SEP]`, `[PAD]`
    ///   or `[UNK]` is missing.
    public init(vocabulary: [String], lowercases: Bool = true, maxCharactersPerWord: Int = 100) throws {
        try self.init(vocabulary: vocabulary, lowercases: lowercases, maxCharactersPerWord: maxCharactersPerWord, source: "the vocabulary")
    }

    /// A tokenizer reading the vocabulary from a `vocab.txt` file: one token per line, the line's
    /// number (from 0) its id.
    ///
    /// - Throws: ``PretrainedModelError`` when the file cannot be read, is not UTF-8, repeats a
    ///   token, or lacks `[CLS]`, `[SEP]`, `[PAD]` or `[UNK]`.
    public init(vocabularyFile: URL, lowercases: Bool = true, maxCharactersPerWord: Int = 100) throws {
        let data: Data
        do {
            data = try Data(contentsOf: vocabularyFile)
        } catch {
            throw PretrainedModelError(path: vocabularyFile.path, problem: .cannotRead(reason: systemErrorText(error)))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PretrainedModelError(path: vocabularyFile.path, problem: .malformedVocabulary(reason: "it is not UTF-8 text"))
        }
        // One token per line; a final line break ends the last line rather than starting an empty one.
        // (In Swift "\r\n" is one Character, so both line ends are named.)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if lines.last == "" { lines.removeLast() }
        try self.init(vocabulary: lines, lowercases: lowercases, maxCharactersPerWord: maxCharactersPerWord,
                      source: vocabularyFile.path)
    }

    private init(vocabulary: [String], lowercases: Bool, maxCharactersPerWord: Int, source: String) throws {
        var ids: [[UInt8]: Int] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (id, token) in vocabulary.enumerated() {
            if let earlier = ids.updateValue(id, forKey: Array(token.utf8)) {
                throw PretrainedModelError(path: source, problem: .malformedVocabulary(
                    reason: "the token \"\(token)\" is on lines \(earlier + 1) and \(id + 1); every token needs a line of its own"))
            }
        }
        for special in [Self.classification, Self.separator, Self.padding, Self.unknown] where ids[Array(special.utf8)] == nil {
            throw PretrainedModelError(path: source, problem: .malformedVocabulary(
                reason: "it has no \(special) token, which BERT needs; is this a BERT vocabulary?"))
        }
        self.vocabulary = vocabulary
        self.lowercases = lowercases
        self.maxCharactersPerWord = maxCharactersPerWord
        self.idsByBytes = ids
    }

    /// The number of tokens.
    public var count: Int { vocabulary.count }

    /// The id of a token, or nil when the vocabulary does not have it.
    public func id(of token: String) -> Int? {
        idsByBytes[Array(token.utf8)]
    }

    /// The id of a special token, which every vocabulary has (checked when it was made).
    private func specialID(_ token: String) -> Int { idsByBytes[Array(token.utf8)]! }

    // MARK: The three steps

    /// Step 1: the text cleaned, with spaces around Chinese characters, and (for an uncased
    /// model) accents stripped and lower-cased: `"Héllo\tWörld"` → `"hello world"`.
    public func normalized(_ text: String) -> String {
        BERTTextNormalization.normalized(text, lowercase: lowercases)
    }

    /// Step 2: the words of normalized text, split at spaces, each punctuation mark a word of its
    /// own: `"don't stop!"` → `["don", "'", "t", "stop", "!"]`.
    public func words(_ normalizedText: String) -> [String] {
        BERTTextNormalization.words(normalizedText).map(Self.string)
    }

    /// Step 3: the word pieces of one word, longest match first: `"unbelievably"` →
    /// `["un", "##bel", "##ie", "##va", "##bly"]`; `["[UNK]"]` when the vocabulary cannot spell it.
    public func wordPieces(_ word: String) -> [String] {
        pieceIDs(Array(word.unicodeScalars)).map { vocabulary[$0] }
    }

    /// The word pieces of a text, without `[CLS]` and `[SEP]`: the three steps in turn.
    public func tokenize(_ text: String) -> [String] {
        pieceIDs(of: text).map { vocabulary[$0] }
    }

    // MARK: Encoding

    /// The model's input for one text: `[CLS]`, the word pieces, `[SEP]`, with their ids.
    ///
    /// - Parameter maxLength: when given, the word pieces are cut so that the whole, `[CLS]` and
    ///   `[SEP]` included, has at most this many tokens (sentence-transformers cuts at 256; the
    ///   model's positions end at 512).
    public func encode(_ text: String, maxLength: Int? = nil) -> TokenizedText {
        var pieces = pieceIDs(of: text)
        if let maxLength { pieces = Array(pieces.prefix(Swift.max(0, maxLength - 2))) }
        let ids = [specialID(Self.classification)] + pieces + [specialID(Self.separator)]
        return TokenizedText(ids: ids, tokens: ids.map { vocabulary[$0] }, attentionMask: Array(repeating: 1, count: ids.count))
    }

    /// The model's input for several texts: each encoded as by ``encode(_:maxLength:)``, then
    /// padded with `[PAD]` (attention mask 0) to the longest.
    public func encode(_ texts: [String], maxLength: Int? = nil) -> TokenizedBatch {
        let encoded = texts.map { encode($0, maxLength: maxLength) }
        let length = encoded.map(\.ids.count).max() ?? 0
        let pad = specialID(Self.padding)
        let padded = encoded.map { text in
            let missing = length - text.ids.count
            return TokenizedText(ids: text.ids + Array(repeating: pad, count: missing),
                                 tokens: text.tokens + Array(repeating: Self.padding, count: missing),
                                 attentionMask: text.attentionMask + Array(repeating: 0, count: missing))
        }
        return TokenizedBatch(texts: padded)
    }

    // MARK: Pieces

    /// The ids of a text's word pieces: special tokens written in the text are kept whole, and
    /// the text between them goes through the three steps.
    private func pieceIDs(of text: String) -> [Int] {
        var ids: [Int] = []
        for segment in Self.splittingSpecialTokens(text) {
            switch segment {
            case .special(let token):
                ids.append(specialID(token))
            case .text(let plain):
                for word in BERTTextNormalization.words(normalized(plain)) {
                    ids += pieceIDs(word)
                }
            }
        }
        return ids
    }

    /// Greedy longest-match-first WordPiece (Wu et al., 2016, as BERT uses it): from the start of
    /// the word take the longest prefix in the vocabulary, then the longest `##`-prefixed piece
    /// from where it ended, and so on. If at some point no piece matches, the whole word is
    /// `[UNK]` (not just its rest).
    private func pieceIDs(_ word: [Unicode.Scalar]) -> [Int] {
        guard !word.isEmpty else { return [] }
        guard word.count <= maxCharactersPerWord else { return [specialID(Self.unknown)] }
        // UTF-8 bytes of the word, and where each scalar starts in them.
        var bytes: [UInt8] = []
        var starts: [Int] = []
        for scalar in word {
            starts.append(bytes.count)
            bytes += Array(String(scalar).utf8)
        }
        starts.append(bytes.count)
        let continuation = Array("##".utf8)

        var ids: [Int] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int?
            while end > start {
                let piece = bytes[starts[start]..<starts[end]]
                if let id = idsByBytes[start == 0 ? Array(piece) : continuation + piece] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [specialID(Self.unknown)] }
            ids.append(found)
            start = end
        }
        return ids
    }

    private enum Segment: Equatable {
        case text(String)
        case special(String)
    }

    /// The text cut around the special tokens written in it, leftmost first.
    private static func splittingSpecialTokens(_ text: String) -> [Segment] {
        var segments: [Segment] = []
        var rest = Substring(text)
        while let match = specialTokens.compactMap({ token in rest.range(of: token).map { (token, $0) } })
            .min(by: { $0.1.lowerBound < $1.1.lowerBound }) {
            let before = rest[..<match.1.lowerBound]
            if !before.isEmpty { segments.append(.text(String(before))) }
            segments.append(.special(match.0))
            rest = rest[match.1.upperBound...]
        }
        if !rest.isEmpty { segments.append(.text(String(rest))) }
        return segments
    }

    private static func string(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}

/// One text as a BERT model takes it: token ids with `[CLS]` first and `[SEP]` last (then any
/// `[PAD]`), and which positions are real tokens.
public struct TokenizedText: Sendable, Equatable {
    /// The token ids, `[CLS]` (101) first.
    public let ids: [Int]
    /// The tokens the ids stand for, for reading and for labelling figures.
    public let tokens: [String]
    /// 1 for a real token, 0 for padding.
    public let attentionMask: [Int]

    public init(ids: [Int], tokens: [String], attentionMask: [Int]) {
        self.ids = ids
        self.tokens = tokens
        self.attentionMask = attentionMask
    }

    /// The number of tokens, padding included.
    public var count: Int { ids.count }
}

/// Several texts padded to one length, as a BERT model takes them.
public struct TokenizedBatch: Sendable, Equatable {
    /// Each text, padded.
    public let texts: [TokenizedText]

    public init(texts: [TokenizedText]) {
        self.texts = texts
    }

    /// The token ids, an `int64` tensor `(texts, tokens)`.
    public var ids: Tensor {
        Tensor(shape: [texts.count, texts.first?.count ?? 0], indices: texts.flatMap(\.ids))
    }

    /// 1 for a real token and 0 for padding, an `int64` tensor `(texts, tokens)`.
    public var attentionMask: Tensor {
        Tensor(shape: [texts.count, texts.first?.count ?? 0], indices: texts.flatMap(\.attentionMask))
    }
}
