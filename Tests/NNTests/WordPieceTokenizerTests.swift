import Foundation
import Testing
import NN
import TensorCore

/// The tokenizer against Hugging Face's `tokenizers` (`Fixtures/bert/tokens.json`), and its steps
/// on a small vocabulary written here.
@Suite struct WordPieceTokenizerTests {
    /// A tokenizer with the model's vocab.txt, or a recorded failure saying how to get the model.
    static func modelTokenizer(sourceLocation: SourceLocation = #_sourceLocation) -> WordPieceTokenizer? {
        PretrainedFixtures.model(sourceLocation: sourceLocation)?.tokenizer
    }

    @Test func everyReferenceCaseGivesTheSameIdsAndTokens() throws {
        guard let tokenizer = Self.modelTokenizer() else { return }
        let cases = PretrainedFixtures.tokens.cases
        #expect(cases.count == 33)
        for reference in cases {
            let encoded = tokenizer.encode(reference.text)
            #expect(encoded.ids == reference.ids, "\(reference.name): \(encoded.tokens) vs \(reference.tokens)")
            // Compared as Unicode scalars: String's == would equate a Hangul syllable with its jamo.
            #expect(encoded.tokens.map { Array($0.unicodeScalars) } == reference.tokens.map { Array($0.unicodeScalars) },
                    "\(reference.name)")
            #expect(encoded.attentionMask == Array(repeating: 1, count: reference.ids.count))
        }
    }

    @Test func theModelVocabularyReadsFromVocabTxt() throws {
        guard let tokenizer = Self.modelTokenizer() else { return }
        #expect(tokenizer.count == 30522)
        #expect(tokenizer.vocabulary[0] == "[PAD]")
        #expect(tokenizer.id(of: "[CLS]") == 101)
        #expect(tokenizer.id(of: "the") == 1996)
        #expect(tokenizer.id(of: "no such token") == nil)
        #expect(tokenizer.tokenize("Transformers are unbelievably good!")
                == ["transformers", "are", "un", "##bel", "##ie", "##va", "##bly", "good", "!"])
        #expect(tokenizer.encode("Hello, world").ids == [101, 7592, 1010, 2088, 102])
    }

    // MARK: A small vocabulary

    static let vocabulary = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##believ", "##able", "##a", "##b",
                             "a", "b", "able", "!", ",", "'", "t", "don", "cafe", "我", "hello"]

    static func small() throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabulary: vocabulary)
    }

    @Test func theThreeStepsOneByOne() throws {
        let tokenizer = try Self.small()
        #expect(tokenizer.normalized("Héllo\tWÖRLD\u{7}!") == "hello world!")
        #expect(tokenizer.normalized("我们") == " 我  们 ")
        #expect(tokenizer.words("don't  stop!") == ["don", "'", "t", "stop", "!"])
        #expect(tokenizer.words("$5+2") == ["$", "5", "+", "2"])           // ASCII symbols count as punctuation
        #expect(tokenizer.words("«yes»—no") == ["«", "yes", "»", "—", "no"])  // and so does Unicode's P*
        #expect(tokenizer.wordPieces("unbelievable") == ["un", "##believ", "##able"])
    }

    @Test func longestMatchFirstAndUnknownWords() throws {
        let tokenizer = try Self.small()
        // "able" alone is a word; inside a word it must be "##able".
        #expect(tokenizer.tokenize("able unable") == ["able", "un", "##able"])
        // Greedy: "ab" is not in the vocabulary, so "a" then "##b".
        #expect(tokenizer.wordPieces("ab") == ["a", "##b"])
        // One piece missing makes the whole word unknown, not just its rest.
        #expect(tokenizer.wordPieces("unbelievablez") == ["[UNK]"])
        #expect(tokenizer.wordPieces(String(repeating: "a", count: 100)) == ["a"] + Array(repeating: "##a", count: 99))
        #expect(tokenizer.wordPieces(String(repeating: "a", count: 101)) == ["[UNK]"])
        #expect(tokenizer.tokenize("") == [])
    }

    @Test func specialTokensWrittenInTheTextStayWhole() throws {
        let tokenizer = try Self.small()
        #expect(tokenizer.tokenize("hello [MASK], [SEP]hello") == ["hello", "[MASK]", ",", "[SEP]", "hello"])
        // Only as written: lower case is text.
        #expect(tokenizer.tokenize("[mask]") == ["[UNK]", "[UNK]", "[UNK]"])
    }

    @Test func encodeAddsClassificationAndSeparator() throws {
        let tokenizer = try Self.small()
        let encoded = tokenizer.encode("Hello, café!")
        #expect(encoded.tokens == ["[CLS]", "hello", ",", "cafe", "!", "[SEP]"])
        #expect(encoded.ids == [2, 20, 14, 18, 13, 3])
        #expect(encoded.attentionMask == [1, 1, 1, 1, 1, 1])
        // maxLength counts [CLS] and [SEP].
        #expect(tokenizer.encode("Hello, café!", maxLength: 4).tokens == ["[CLS]", "hello", ",", "[SEP]"])
    }

    @Test func aBatchIsPaddedToTheLongest() throws {
        let tokenizer = try Self.small()
        let batch = tokenizer.encode(["hello", "hello, hello!"])
        #expect(batch.texts.map(\.tokens) == [["[CLS]", "hello", "[SEP]", "[PAD]", "[PAD]", "[PAD]"],
                                              ["[CLS]", "hello", ",", "hello", "!", "[SEP]"]])
        #expect(batch.ids.shape == [2, 6])
        #expect(batch.ids.dtype == .int64)
        #expect(batch.ids.indices == [2, 20, 3, 0, 0, 0, 2, 20, 14, 20, 13, 3])
        #expect(batch.attentionMask.indices == [1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    }

    @Test func aVocabularyFileWithOneTokenPerLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("vocab.txt")
        try (Self.vocabulary.joined(separator: "\r\n") + "\r\n").write(to: file, atomically: true, encoding: .utf8)
        let tokenizer = try WordPieceTokenizer(vocabularyFile: file)
        #expect(tokenizer.vocabulary == Self.vocabulary)
    }

    @Test func badVocabulariesAreErrorsThatSayWhy() throws {
        #expect(throws: PretrainedModelError(path: "the vocabulary", problem: .malformedVocabulary(
            reason: "it has no [UNK] token, which BERT needs; is this a BERT vocabulary?"))) {
            try WordPieceTokenizer(vocabulary: ["[PAD]", "[CLS]", "[SEP]", "a"])
        }
        #expect(throws: PretrainedModelError(path: "the vocabulary", problem: .malformedVocabulary(
            reason: "the token \"a\" is on lines 5 and 6; every token needs a line of its own"))) {
            try WordPieceTokenizer(vocabulary: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "a"])
        }
        let missing = URL(fileURLWithPath: "/nonexistent/vocab.txt")
        do {
            _ = try WordPieceTokenizer(vocabularyFile: missing)
            Issue.record("a missing file was read")
        } catch let error as PretrainedModelError {
            #expect(error.description == "/nonexistent/vocab.txt: error: cannot read the file (No such file or directory); if it belongs to a model that `make model` fetched, run `make model` again")
        }
    }
}
