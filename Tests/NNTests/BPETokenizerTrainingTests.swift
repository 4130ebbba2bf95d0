import Foundation
import Testing
import NN

/// The trainer's steps on cases small enough to work out by hand, and its speed on a corpus of
/// 10,000 sentences.
@Suite struct BPETokenizerTrainingTests {
    /// Ids of the byte characters when the special tokens are `<pad>` and `<unk>`: `!` (0x21) is
    /// 2, and the printable ASCII characters follow in order.
    static func id(_ character: Character) -> Int {
        Int(character.asciiValue!) - 0x21 + 2
    }

    @Test func theVocabularyStartsWithTheSpecialTokensThenTheBytesInCodePointOrder() {
        let trainer = BPETrainer(texts: ["ab"])
        #expect(trainer.vocabulary.count == 258)
        #expect(Array(trainer.vocabulary.prefix(4)) == ["<pad>", "<unk>", "!", "\""])
        #expect(trainer.vocabulary[Self.id("a")] == "a")
        #expect(trainer.vocabulary[2 + 93] == "~")         // the last printable ASCII character
        #expect(trainer.vocabulary[2 + 94] == "¡")         // then Latin-1 from U+00A1
        #expect(trainer.vocabulary.last == "Ń")            // U+0143, the last moved byte
        #expect(trainer.vocabulary.firstIndex(of: "Ġ") == 2 + 188 + 32)
        // A repeated special token counts once; one that is a byte character keeps its place first.
        let repeated = BPETrainer(texts: [], specialTokens: ["<pad>", "!", "<pad>"])
        #expect(repeated.specialTokens == ["<pad>", "!"])
        #expect(repeated.vocabulary.count == 257)
        #expect(Array(repeated.vocabulary.prefix(3)) == ["<pad>", "!", "\""])
    }

    @Test func theExampleOfTheDocumentation() {
        var trainer = BPETrainer(texts: ["low lower lowest", "new newer"])
        #expect(trainer.words.count == 5)                   // "low", " lower", " lowest", "new", " newer"
        #expect(trainer.wordCounts == [1, 1, 1, 1, 1])
        let first = trainer.step()
        #expect(first?.description == "\"l\" + \"o\" → \"lo\" (id 258, 3 times)")
        #expect(trainer.tokens(ofWord: 1) == ["Ġ", "lo", "w", "e", "r"])
        // (lo, w) and (w, e) both occur 3 times; (w, e) = (88, 70) has the smaller ids, as "lo"
        // is 258, after every byte.
        #expect(trainer.step()?.description == "\"w\" + \"e\" → \"we\" (id 259, 3 times)")
        // Now (Ġ, lo) = (222, 258), (lo, we), (we, r) and (n, e) = (79, 70) occur twice each.
        #expect(trainer.step()?.description == "\"n\" + \"e\" → \"ne\" (id 260, 2 times)")
        #expect(trainer.tokens(ofWord: 4) == ["Ġ", "ne", "we", "r"])
    }

    @Test func pairCountsAndOneMergeByHand() {
        var words = [[1, 2, 3, 2, 3], [2, 3]]
        #expect(BPETrainer.pairCounts(in: words, counts: [5, 2])
                == [TokenPair(1, 2): 5, TokenPair(2, 3): 12, TokenPair(3, 2): 5])
        let changes = BPETrainer.merge(TokenPair(2, 3), into: 4, in: &words[0])
        #expect(words[0] == [1, 4, 4])
        // First merge: (1, 2) → (1, 4) and (3, 2) → (4, 2); second: (4, 2) → (4, 4).
        #expect(changes.map(\.pair) == [TokenPair(1, 2), TokenPair(1, 4), TokenPair(3, 2), TokenPair(4, 2),
                                        TokenPair(4, 2), TokenPair(4, 4)])
        #expect(changes.map(\.change) == [-1, 1, -1, 1, -1, 1])
        // Overlapping occurrences merge from the left.
        var run = [7, 7, 7]
        BPETrainer.merge(TokenPair(7, 7), into: 8, in: &run)
        #expect(run == [8, 7])
    }

    @Test func minimumFrequencyStopsTraining() {
        var trainer = BPETrainer(texts: ["aaab", "ab"])
        // (a, a) occurs twice in "aaab" (overlapping), (a, b) twice in all.
        #expect(trainer.step(minimumFrequency: 3) == nil)
        #expect(trainer.merges.isEmpty)
        // Equally frequent: (a, a) has the smaller ids.
        #expect(trainer.step(minimumFrequency: 2).map { $0.left + $0.right } == "aa")
        let tokenizer = BPETokenizer.train(on: ["aaab", "ab"], vocabularySize: 1000)
        #expect(tokenizer.merges.map { $0.left + $0.right } == ["aa", "ab"])
        #expect(BPETokenizer.train(on: ["aaab", "ab"], vocabularySize: 1000, minimumFrequency: 0).merges.count == 3)
        #expect(BPETokenizer.train(on: ["aaab", "ab"], vocabularySize: 259).merges.count == 1)
    }

    @Test func lowerCasingHappensBeforeTraining() {
        let tokenizer = BPETokenizer.train(on: ["Film FILM film"], vocabularySize: 300, lowercase: true)
        #expect(tokenizer.lowercases)
        #expect(tokenizer.tokenize("FILM Film") == ["film", "Ġfilm"])
        #expect(tokenizer.decode(tokenizer.encode("FILM")) == "film")
    }

    /// 10,000 sentences of made-up words (38,916 distinct pieces), trained to 2,000 tokens.
    /// Not timed here; the test's duration is its measure (counting and 1,742 merges took
    /// 0.3–0.4 s on the project's 2-core machine, in a debug build).
    @Test func trainingOnTenThousandSentences() {
        let sentences = Self.madeUpSentences(count: 10_000)
        let tokenizer = BPETokenizer.train(on: sentences, vocabularySize: 2000)
        #expect(tokenizer.count == 2000)
        #expect(tokenizer.decode(tokenizer.encode(sentences[17])) == sentences[17])
    }

    /// Sentences of 6 to 15 words, each word one to four syllables, drawn by a fixed generator
    /// with a skew towards the first syllables, as word frequencies are skewed.
    static func madeUpSentences(count: Int) -> [String] {
        let syllables = ["the", "a", "film", "was", "good", "bad", "ing", "er", "pre", "con", "un", "ly", "tion",
                         "ma", "ko", "ri", "sen", "tal", "vo", "du", "pli", "cas", "mer", "on", "is", "ex", "qua", "zo"]
        var state: UInt64 = 2024
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % bound
        }
        return (0..<count).map { _ in
            let words = (0..<(6 + next(10))).map { _ in
                (0..<(1 + next(4))).map { _ in syllables[min(next(syllables.count), next(syllables.count))] }.joined()
            }
            return words.joined(separator: " ") + [".", "!", "?", "..."][next(4)]
        }
    }
}
