/// Two adjacent tokens, by id: the unit that byte-pair encoding counts and merges.
///
/// Pairs order by their left id, then their right id; the trainer breaks ties between equally
/// frequent pairs by taking the smallest, as Hugging Face's `BpeTrainer` does.
public struct TokenPair: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id of the first token.
    public let left: Int
    /// The id of the token right after it.
    public let right: Int

    /// The pair `(left, right)`.
    public init(_ left: Int, _ right: Int) {
        self.left = left
        self.right = right
    }

    public static func < (a: TokenPair, b: TokenPair) -> Bool {
        (a.left, a.right) < (b.left, b.right)
    }

    /// `(left, right)`.
    public var description: String { "(\(left), \(right))" }
}

/// The two operations of one training step, on words written as token ids. The trainer uses them
/// (through ``step(minimumFrequency:)``), and a lesson can call them by hand:
///
/// ```swift
/// var words = [[1, 2, 3, 2, 3], [2, 3]]                  // "abcbc" ×5, "bc" ×2
/// BPETrainer.pairCounts(in: words, counts: [5, 2])       // (2, 3): 12, (3, 2): 5, (1, 2): 5
/// BPETrainer.merge(TokenPair(2, 3), into: 4, in: &words[0])
/// words[0]                                               // [1, 4, 4]
/// ```
extension BPETrainer {
    /// How often each pair of adjacent tokens occurs: each word's pairs, counted as many times as
    /// the word occurs.
    ///
    /// Overlapping pairs all count: the word `a a a` holds the pair `(a, a)` twice, although only
    /// one of them can be merged (the counts are Hugging Face's, which count this way).
    ///
    /// - Parameters:
    ///   - words: each distinct word as its token ids.
    ///   - counts: how often each word occurs, `counts[i]` for `words[i]`.
    public static func pairCounts(in words: [[Int]], counts: [Int]) -> [TokenPair: Int] {
        pairCountsAndPlaces(in: words, counts: counts).counts
    }

    /// The pair counts, and for each pair the indices of the words it occurs in (in increasing
    /// order): the index the trainer keeps so that a merge only visits the words it changes.
    static func pairCountsAndPlaces(in words: [[Int]], counts: [Int]) -> (counts: [TokenPair: Int], places: [TokenPair: [Int]]) {
        var pairCounts: [TokenPair: Int] = [:]
        var places: [TokenPair: [Int]] = [:]
        for (index, word) in words.enumerated() where word.count > 1 {
            for position in 0..<(word.count - 1) {
                let pair = TokenPair(word[position], word[position + 1])
                pairCounts[pair, default: 0] += counts[index]
                if places[pair]?.last != index { places[pair, default: []].append(index) }
            }
        }
        return (pairCounts, places)
    }

    /// Replaces each occurrence of `pair` in `word`, left to right, by the token `newID`, and
    /// returns how the word's pair counts changed.
    ///
    /// Occurrences do not overlap: in `a a a` the first two merge (`aa a`). For each merge the
    /// pairs with the neighbours change: in `x a b y`, merging `(a, b)` into `ab` removes one
    /// `(x, a)` and one `(b, y)` and adds one `(x, ab)` and one `(ab, y)`. The merged pair itself
    /// is not among the changes (a trainer stops counting it once merged), exactly as in
    /// `Word::merge` of Hugging Face's trainer, whose counts this keeps in step with.
    ///
    /// - Returns: one entry per pair lost (`-1`) or gained (`+1`) per merge, to be multiplied by
    ///   the word's count.
    @discardableResult
    public static func merge(_ pair: TokenPair, into newID: Int, in word: inout [Int]) -> [(pair: TokenPair, change: Int)] {
        var changes: [(pair: TokenPair, change: Int)] = []
        var position = 0
        while position + 1 < word.count {
            if word[position] == pair.left && word[position + 1] == pair.right {
                if position > 0 {
                    let before = word[position - 1]
                    changes.append((TokenPair(before, pair.left), -1))
                    changes.append((TokenPair(before, newID), 1))
                }
                word[position] = newID
                word.remove(at: position + 1)
                if position + 1 < word.count {
                    let after = word[position + 1]
                    changes.append((TokenPair(pair.right, after), -1))
                    changes.append((TokenPair(newID, after), 1))
                }
            }
            position += 1
        }
        return changes
    }
}
