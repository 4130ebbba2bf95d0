/// Learns the merges of a byte-level BPE tokenizer from texts, one merge per ``step(minimumFrequency:)``,
/// exactly as Hugging Face's `BpeTrainer` does (with `pre_tokenizers.ByteLevel(add_prefix_space=False)`
/// and `initial_alphabet=ByteLevel.alphabet()`): the same merges, in the same order, and the same ids.
///
/// ```swift
/// var trainer = BPETrainer(texts: ["low lower lowest", "new newer"])
/// trainer.step()               // "l" + "o" → "lo" (id 258, 3 times)
/// trainer.tokens(ofWord: 1)     // ["Ġ", "lo", "w", "e", "r"]
/// let tokenizer = trainer.tokenizer()
/// ```
///
/// How it goes:
/// 1. the texts are lower-cased (if asked) and cut into pieces (``GPT2PreTokenizer``); the
///    distinct pieces are the ``words``, each counted (``wordCounts``), each spelled as its bytes;
/// 2. the vocabulary starts with the special tokens, then the 256 byte characters in the order of
///    their code points (``ByteLevel/alphabet``);
/// 3. each step takes the pair of adjacent tokens that occurs most often in all the words
///    (counting each word as often as it occurs; of equally frequent pairs, the one with the
///    smallest ids), adds their concatenation to the vocabulary and merges the pair in every word.
///
/// The pair counts are kept up to date from the changes each merge makes (``merge(_:into:in:)``)
/// rather than counted again, and each pair remembers the words it occurs in, so a step costs
/// what it changes, not the size of the corpus. Like Hugging Face's, this trainer does not take
/// a merged pair's own occurrences off its count; a pair so merged can come back only if a later
/// merge makes one of its tokens again, and then it is merged again (and the tokenizer keeps
/// its later place in the list).
public struct BPETrainer: Sendable {
    /// One merge made by the trainer.
    public struct Merge: Sendable, CustomStringConvertible {
        /// The two tokens' ids.
        public let pair: TokenPair
        /// The two tokens.
        public let left: String, right: String
        /// The id of the token they make (new, unless the vocabulary already had it).
        public let id: Int
        /// How often the pair occurred when it was merged.
        public let count: Int

        /// `"Ġ" + "t" → "Ġt" (id 259, 226 times)`.
        public var description: String {
            "\(left.debugDescription) + \(right.debugDescription) → \((left + right).debugDescription) (id \(id), \(count) times)"
        }
    }

    /// The special tokens, which have the first ids (each once).
    public let specialTokens: [String]
    /// Whether the texts were lower-cased.
    public let lowercases: Bool
    /// Every token so far, at its id.
    public private(set) var vocabulary: [String]
    /// The merges made so far, in order.
    public private(set) var merges: [Merge] = []
    /// Each distinct piece of the training texts, in order of first appearance, as the ids of its
    /// tokens so far.
    public private(set) var words: [[Int]]
    /// How often each of ``words`` occurs in the texts.
    public let wordCounts: [Int]

    private var idsByBytes: [[UInt8]: Int] = [:]
    private var pairCounts: [TokenPair: Int]
    private var queue = BPEPairQueue()

    /// A trainer that has counted the pieces of `texts` and made no merge yet.
    ///
    /// - Parameters:
    ///   - texts: the training texts; special tokens written in them are ordinary text here.
    ///   - specialTokens: tokens given the first ids (a repeated one counts once).
    ///   - lowercase: whether to lower-case the texts first.
    public init(texts: [String], specialTokens: [String] = ["<pad>", "<unk>"], lowercase: Bool = false) {
        var indexOfWord: [[UInt8]: Int] = [:]
        var pieces: [[UInt8]] = []
        var counts: [Int] = []
        for text in texts {
            let normalized = lowercase ? BPETokenizer.lowercased(text) : text
            for piece in GPT2PreTokenizer.pieceBytes(normalized) {
                if let index = indexOfWord[piece] {
                    counts[index] += 1
                } else {
                    indexOfWord[piece] = pieces.count
                    pieces.append(piece)
                    counts.append(1)
                }
            }
        }
        var seen: Set<[UInt8]> = []
        self.specialTokens = specialTokens.filter { seen.insert(Array($0.utf8)).inserted }
        self.lowercases = lowercase
        self.vocabulary = []
        self.wordCounts = counts
        self.words = []
        self.pairCounts = [:]
        for token in self.specialTokens + ByteLevel.alphabet.map(String.init) {
            _ = tokenID(token)
        }
        let byteIDs = ByteLevel.characters.map { idsByBytes[Array(String($0).utf8)]! }
        words = pieces.map { piece in piece.map { byteIDs[Int($0)] } }
        let (counted, places) = Self.pairCountsAndPlaces(in: words, counts: counts)
        pairCounts = counted
        for (pair, count) in counted.sorted(by: { $0.key < $1.key }) where count > 0 {
            queue.push(pair: pair, count: count, places: places[pair]!)
        }
    }

    /// The id of a token, added to the vocabulary if it is new.
    private mutating func tokenID(_ token: String) -> Int {
        let bytes = Array(token.utf8)
        if let id = idsByBytes[bytes] { return id }
        idsByBytes[bytes] = vocabulary.count
        vocabulary.append(token)
        return vocabulary.count - 1
    }

    /// Makes one merge: the most frequent pair (the one with the smallest ids among equals) is
    /// merged in every word that has it, and its token added to the vocabulary.
    ///
    /// - Parameter minimumFrequency: a pair that occurs fewer times is not merged.
    /// - Returns: the merge, or nil when no pair occurs at least `minimumFrequency` times (and
    ///   at least once).
    @discardableResult
    public mutating func step(minimumFrequency: Int = 0) -> Merge? {
        while let top = queue.pop() {
            let current = pairCounts[top.pair] ?? 0
            if top.count != current {
                queue.push(top, count: current)
                continue
            }
            guard current >= 1 && current >= minimumFrequency else {
                queue.push(top, count: current)
                return nil
            }
            return merge(top)
        }
        return nil
    }

    private mutating func merge(_ top: BPEPairQueue.Entry) -> Merge {
        let (left, right) = (vocabulary[top.pair.left], vocabulary[top.pair.right])
        let id = tokenID(left + right)
        let made = Merge(pair: top.pair, left: left, right: right, id: id, count: top.count)
        merges.append(made)
        var newPlaces: [TokenPair: [Int]] = [:]
        for index in top.places {
            for (pair, change) in Self.merge(top.pair, into: id, in: &words[index]) {
                pairCounts[pair, default: 0] += change * wordCounts[index]
                if change > 0 && newPlaces[pair]?.last != index { newPlaces[pair, default: []].append(index) }
            }
        }
        for (pair, places) in newPlaces.sorted(by: { $0.key < $1.key }) {
            let count = pairCounts[pair] ?? 0
            if count > 0 { queue.push(pair: pair, count: count, places: places) }
        }
        return made
    }

    /// Merges until the vocabulary has `vocabularySize` tokens, or no pair occurs
    /// `minimumFrequency` times.
    public mutating func train(vocabularySize: Int, minimumFrequency: Int = 2) {
        while vocabulary.count < vocabularySize {
            guard step(minimumFrequency: minimumFrequency) != nil else { return }
        }
    }

    /// The tokens of word `index` so far: `["Ġl", "ow", "er"]`.
    public func tokens(ofWord index: Int) -> [String] {
        words[index].map { vocabulary[$0] }
    }

    /// The tokenizer with the vocabulary and merges learnt so far. A pair merged twice keeps its
    /// later place, as in the tokenizer Hugging Face's trainer makes.
    public func tokenizer() -> BPETokenizer {
        var lastPlace: [TokenPair: Int] = [:]
        for (place, merge) in merges.enumerated() { lastPlace[merge.pair] = place }
        let kept = merges.enumerated().filter { lastPlace[$0.element.pair] == $0.offset }.map(\.element)
        do {
            return try BPETokenizer(vocabulary: vocabulary, merges: kept.map { ($0.left, $0.right) },
                                    specialTokens: specialTokens, lowercase: lowercases)
        } catch {
            // Every merge's tokens were added to the vocabulary when it was made.
            fatalError("BPETrainer made an inconsistent tokenizer: \(error)")
        }
    }
}

extension BPETokenizer {
    /// A tokenizer trained on `texts` by ``BPETrainer``: merges are learnt until the vocabulary
    /// (special tokens and the 256 byte characters included) has `vocabularySize` tokens, or no
    /// pair of tokens occurs `minimumFrequency` times.
    ///
    /// The same merges and ids as Hugging Face's `BpeTrainer(vocab_size, min_frequency,
    /// special_tokens, initial_alphabet=ByteLevel.alphabet())` with a `ByteLevel(add_prefix_space=False)`
    /// pre-tokeniser (and a `Lowercase` normaliser when `lowercase` is true).
    ///
    /// - Parameters:
    ///   - minimumFrequency: 2 by default: a pair seen once is not a pattern.
    ///   - specialTokens: given the first ids; the first pads batches.
    ///   - lowercase: false by default, so that decoding gives back the text exactly.
    public static func train(on texts: [String], vocabularySize: Int, minimumFrequency: Int = 2,
                             specialTokens: [String] = ["<pad>", "<unk>"], lowercase: Bool = false) -> BPETokenizer {
        var trainer = BPETrainer(texts: texts, specialTokens: specialTokens, lowercase: lowercase)
        trainer.train(vocabularySize: vocabularySize, minimumFrequency: minimumFrequency)
        return trainer.tokenizer()
    }
}
