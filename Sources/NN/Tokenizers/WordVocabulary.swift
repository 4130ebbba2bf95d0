import TensorCore

/// A vocabulary of whole words, built by counting the words of training texts: the simplest way
/// to turn text into ids for a classifier (torchtext's `build_vocab_from_iterator` with its
/// `basic_english` tokenizer does the same job).
///
/// ```swift
/// let vocabulary = WordVocabulary(texts: ["A fine film.", "A dull film!"], minimumCount: 1)
/// vocabulary.tokens                 // ["<pad>", "<unk>", "a", "film", "!", ".", "dull", "fine"]
/// vocabulary.encode("a FINE plot.") // [2, 7, 1, 5]
/// vocabulary.decode([2, 7, 1, 5])   // "a fine <unk> ."
/// ```
///
/// Ids: `<pad>` is 0 and `<unk>` is 1; then the words that occur at least `minimumCount` times,
/// the most frequent first, and words equally frequent in alphabetical order (by Unicode
/// scalars, so the ids are the same on every run). A word not in the vocabulary encodes as `<unk>`.
///
/// How text is cut into words (``words(_:)``): lower-cased (unless `lowercase: false`), split at
/// whitespace; a run of letters and digits (with their accents) is a word, and so is a run with
/// apostrophes inside it (`don't`, `rock'n'roll`, with `'` or `’`); every other character (`.`,
/// `!`, `-`, an emoji, an apostrophe at the start or end of a word) is a token of its own.
/// `"Don't stop--now!"` → `["don't", "stop", "-", "-", "now", "!"]`.
public struct WordVocabulary: TextTokenizer, Sendable {
    /// The padding token, id 0.
    public static let padding = "<pad>"
    /// The token for words the vocabulary does not have, id 1.
    public static let unknown = "<unk>"

    /// Every token, at the index that is its id: `<pad>`, `<unk>`, then the words.
    public let tokens: [String]
    /// How often each word occurs in the training texts, for every word seen (those left out by
    /// `minimumCount` or `maximumSize` too).
    public let counts: [String: Int]
    /// Whether text is lower-cased before it is cut into words.
    public let lowercases: Bool
    private let ids: [String: Int]

    /// The id of `<pad>`: 0.
    public var padID: Int { 0 }
    /// The id of `<unk>`: 1.
    public var unknownID: Int { 1 }

    /// A vocabulary of the words of `texts`.
    ///
    /// - Parameters:
    ///   - minimumCount: words that occur fewer times are left out (and encode as `<unk>`).
    ///   - maximumSize: the most tokens the vocabulary may have, `<pad>` and `<unk>` included
    ///     (as torchtext's `max_tokens`); the most frequent words are kept. Nil for no limit.
    ///   - lowercase: whether to lower-case text first (true by default).
    /// - Precondition: `minimumCount >= 1`, and `maximumSize >= 2` when given.
    public init(texts: [String], minimumCount: Int = 1, maximumSize: Int? = nil, lowercase: Bool = true,
                file: StaticString = #filePath, line: UInt = #line) {
        guard minimumCount >= 1 else {
            tensorFailure("WordVocabulary: minimumCount must be at least 1, not \(minimumCount)", file: file, line: line)
        }
        if let maximumSize, maximumSize < 2 {
            tensorFailure("WordVocabulary: maximumSize counts <pad> and <unk>, so it must be at least 2, not \(maximumSize)",
                          file: file, line: line)
        }
        var counts: [String: Int] = [:]
        for text in texts {
            for word in Self.words(text, lowercase: lowercase) { counts[word, default: 0] += 1 }
        }
        var kept = Self.byFrequency(counts).filter { $0.count >= minimumCount }.map(\.word)
        if let maximumSize { kept = Array(kept.prefix(maximumSize - 2)) }
        self.tokens = [Self.padding, Self.unknown] + kept
        self.counts = counts
        self.lowercases = lowercase
        self.ids = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) })
    }

    /// The number of tokens, `<pad>` and `<unk>` included.
    public var count: Int { tokens.count }

    /// The id of a token, or nil when the vocabulary does not have it.
    public func id(of token: String) -> Int? {
        ids[token]
    }

    /// The token with an id.
    ///
    /// - Precondition: `0 <= id < count`.
    public func token(of id: Int, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard tokens.indices.contains(id) else {
            tensorFailure("WordVocabulary: there is no token with id \(id); the ids run from 0 to \(count - 1)",
                          file: file, line: line)
        }
        return tokens[id]
    }

    /// The `n` most frequent words of the training texts with their counts, most frequent first
    /// (ties in alphabetical order); all the words counted, kept in the vocabulary or not.
    public func mostFrequent(_ n: Int) -> [(word: String, count: Int)] {
        Array(Self.byFrequency(counts).prefix(Swift.max(0, n)))
    }

    /// The words of a text, as this vocabulary cuts them: `"Don't stop!"` → `["don't", "stop", "!"]`.
    public func words(_ text: String) -> [String] {
        Self.words(text, lowercase: lowercases)
    }

    /// The ids of a text's words; `<unk>` (1) for words the vocabulary does not have.
    public func encode(_ text: String) -> [Int] {
        words(text).map { ids[$0] ?? unknownID }
    }

    /// The tokens of ids, joined by spaces: `"a fine <unk> ."`.
    ///
    /// - Precondition: every id is in `0..<count`.
    public func decode(_ ids: [Int], file: StaticString = #filePath, line: UInt = #line) -> String {
        ids.map { token(of: $0, file: file, line: line) }.joined(separator: " ")
    }

    /// Words with their counts, most frequent first, ties in alphabetical order.
    private static func byFrequency(_ counts: [String: Int]) -> [(word: String, count: Int)] {
        counts.map { (word: $0.key, count: $0.value) }.sorted { a, b in
            a.count != b.count ? a.count > b.count : a.word < b.word
        }
    }

    /// Cuts text into words and single punctuation marks (see the type's documentation).
    static func words(_ text: String, lowercase: Bool) -> [String] {
        let characters = Array(lowercase ? text.lowercased() : text)
        var words: [String] = []
        var word = ""
        for (index, character) in characters.enumerated() {
            if isWordCharacter(character) {
                word.append(character)
            } else if isApostrophe(character), !word.isEmpty, index + 1 < characters.count,
                      isWordCharacter(characters[index + 1]) {
                word.append(character)
            } else {
                if !word.isEmpty { words.append(word) }
                word = ""
                if !character.isWhitespace { words.append(String(character)) }
            }
        }
        if !word.isEmpty { words.append(word) }
        return words
    }

    /// Letters and digits (with any accents on them), and a combining mark on its own.
    private static func isWordCharacter(_ character: Character) -> Bool {
        switch character.unicodeScalars.first!.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return false
        }
    }

    private static func isApostrophe(_ character: Character) -> Bool {
        character == "'" || character == "\u{2019}"
    }
}
