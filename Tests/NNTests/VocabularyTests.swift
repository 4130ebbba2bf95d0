import Testing
import NN

/// `WordVocabulary`: cases worked out by hand.
@Suite struct VocabularyTests {
    static let texts = ["The film was great. The cast was great!", "A great, great film", "the end"]

    @Test func idsGoByFrequencyThenAlphabet() {
        let vocabulary = WordVocabulary(texts: Self.texts)
        // great ×4; the ×3; film, was ×2; then once each: ! , . a cast end (ASCII order).
        #expect(vocabulary.tokens == ["<pad>", "<unk>", "great", "the", "film", "was", "!", ",", ".", "a", "cast", "end"])
        #expect(vocabulary.count == 12)
        #expect(vocabulary.id(of: "great") == 2)
        #expect(vocabulary.id(of: "plot") == nil)
        #expect(vocabulary.token(of: 4) == "film")
        #expect(vocabulary.padID == 0)
        #expect(vocabulary.unknownID == 1)
    }

    @Test func minimumCountAndMaximumSize() {
        let common = WordVocabulary(texts: Self.texts, minimumCount: 2)
        #expect(common.tokens == ["<pad>", "<unk>", "great", "the", "film", "was"])
        // Five tokens: <pad>, <unk> and the three most frequent words; "film" and "was" tie at 2,
        // and "film" comes first in the alphabet.
        let small = WordVocabulary(texts: Self.texts, maximumSize: 5)
        #expect(small.tokens == ["<pad>", "<unk>", "great", "the", "film"])
        #expect(small.encode("The film was great") == [3, 4, 1, 2])
        // The counts keep every word, in the vocabulary or not.
        #expect(small.counts["was"] == 2)
        #expect(small.counts["end"] == 1)
        #expect(small.counts.count == 10)
        #expect(small.mostFrequent(3).map(\.word) == ["great", "the", "film"])
        #expect(small.mostFrequent(3).map(\.count) == [4, 3, 2])
        #expect(WordVocabulary(texts: Self.texts, maximumSize: 2).tokens == ["<pad>", "<unk>"])
    }

    @Test func unknownWordsEncodeAsUnk() {
        let vocabulary = WordVocabulary(texts: Self.texts)
        #expect(vocabulary.encode("The plot was GREAT?") == [3, 1, 5, 2, 1])
        #expect(vocabulary.decode([3, 1, 5, 2, 1]) == "the <unk> was great <unk>")
        #expect(vocabulary.encode("") == [])
        #expect(vocabulary.decode([]) == "")
    }

    @Test func wordsAndPunctuation() {
        let vocabulary = WordVocabulary(texts: [])
        #expect(vocabulary.words("Don't stop--now!") == ["don't", "stop", "-", "-", "now", "!"])
        #expect(vocabulary.words("rock'n'roll, rock’n’roll") == ["rock'n'roll", ",", "rock’n’roll"])
        // An apostrophe at either end of a word is punctuation.
        #expect(vocabulary.words("'tis the students' film") == ["'", "tis", "the", "students", "'", "film"])
        #expect(vocabulary.words("3.14 and 2nd\tplace\n") == ["3", ".", "14", "and", "2nd", "place"])
        #expect(vocabulary.words("¿Qué?  Café crème 😀👍🏽") == ["¿", "qué", "?", "café", "crème", "😀", "👍🏽"])
        #expect(vocabulary.words("e-mail: a@b.com") == ["e", "-", "mail", ":", "a", "@", "b", ".", "com"])
        #expect(vocabulary.words("  \n ") == [])
    }

    @Test func lowerCasingCanBeTurnedOff() {
        let vocabulary = WordVocabulary(texts: ["Film film FILM film"], lowercase: false)
        #expect(vocabulary.tokens == ["<pad>", "<unk>", "film", "FILM", "Film"])
        #expect(vocabulary.encode("Film FILM fILM") == [4, 3, 1])
        #expect(WordVocabulary(texts: ["Film film FILM"]).tokens == ["<pad>", "<unk>", "film"])
    }
}
