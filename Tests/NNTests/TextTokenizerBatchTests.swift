import Testing
import NN
import TensorCore

/// Padded batches and truncation, the same for every `TextTokenizer`.
@Suite struct TextTokenizerBatchTests {
    static let vocabulary = WordVocabulary(texts: ["a fine film", "a dull film", "film"])
    // film ×3, a ×2, then dull and fine: ids film 2, a 3, dull 4, fine 5.

    @Test func aBatchIsPaddedToTheLongestText() {
        let batch = Self.vocabulary.encode(["a fine film", "dull", "film film"])
        #expect(batch.ids.shape == [3, 3])
        #expect(batch.ids.dtype == .int64)
        #expect(batch.ids.indices == [3, 5, 2,
                                      4, 0, 0,
                                      2, 2, 0])
        #expect(batch.paddingMask.shape == [3, 3])
        #expect(batch.paddingMask.dtype == .bool)
        #expect(batch.paddingMask.scalars == [0, 0, 0,
                                              0, 1, 1,
                                              0, 0, 1])
        #expect(batch.attentionMask.indices == [1, 1, 1, 1, 0, 0, 1, 1, 0])
        #expect(batch.lengths == [3, 1, 2])
        #expect(batch.texts[1].tokens == ["dull", "<pad>", "<pad>"])
    }

    @Test func textsEncodedOnceArePaddedAsEncodingTheBatchWould() {
        let texts = ["a fine film", "dull", "film film"]
        let encoded = texts.map { Self.vocabulary.encode($0) }
        #expect(Self.vocabulary.padded(encoded) == Self.vocabulary.encode(texts))
        #expect(Self.vocabulary.padded([[4], [2, 3]]).ids.indices == [4, 0, 2, 3])
    }

    @Test func truncationCutsEachTextBeforePadding() {
        #expect(Self.vocabulary.encode("a fine film", maxLength: 2) == [3, 5])
        #expect(Self.vocabulary.encode("a fine film", maxLength: 0) == [])
        let batch = Self.vocabulary.encode(["a fine film a fine film", "dull"], maxLength: 4)
        #expect(batch.ids.shape == [2, 4])
        #expect(batch.ids.indices == [3, 5, 2, 3,
                                      4, 0, 0, 0])
        #expect(batch.lengths == [4, 1])
        // L is the longest text, at most maxLength: here the texts are shorter.
        #expect(Self.vocabulary.encode(["a", "film"], maxLength: 10).ids.shape == [2, 1])
    }

    @Test func edgeCases() {
        let empty = Self.vocabulary.encode([String]())
        #expect(empty.ids.shape == [0, 0])
        #expect(empty.paddingMask.shape == [0, 0])
        #expect(empty.lengths == [])
        let blank = Self.vocabulary.encode(["", ""])
        #expect(blank.ids.shape == [2, 0])
        #expect(blank.lengths == [0, 0])
    }

    @Test func bytePairBatchesPadWithThePadToken() throws {
        let tokenizer = BPETokenizer.train(on: ["a fine film", "a dull film"], vocabularySize: 270)
        let batch = tokenizer.encode(["a fine film", "dull"])
        let long = tokenizer.encode("a fine film")
        let short = tokenizer.encode("dull")
        #expect(batch.ids.shape == [2, long.count])
        #expect(batch.ids.indices == long + short + Array(repeating: 0, count: long.count - short.count))
        #expect(batch.texts[1].tokens.last == "<pad>")
        #expect(batch.paddingMask.scalars == Array(repeating: 0, count: long.count + short.count)
                + Array(repeating: 1, count: long.count - short.count))
        #expect(batch.lengths == [long.count, short.count])
    }

    /// The mask is the one attention takes: a padded key gets no weight.
    @Test func thePaddingMaskHidesPaddedKeysFromAttention() {
        let batch = Self.vocabulary.encode(["a fine film", "dull"])
        var random = RandomState(seed: 0)
        let attention = MultiHeadAttention(modelDimension: 4, headCount: 2, random: &random)
        let x = random.randn(2, 3, 4)
        let weights = attention.attend(query: x, key: x, value: x, keyPaddingMask: batch.paddingMask).weights
        // Text 1 has one real token: every query puts all its weight on key 0.
        // weights: (b, h, t, s) = (2, 2, 3, 3), row-major.
        for head in 0..<2 {
            for query in 0..<3 {
                let row = (((1 * 2 + head) * 3) + query) * 3
                expectClose(Array(weights.scalars[row..<(row + 3)]).reduce(0, +), 1)
                expectClose(weights.scalars[row], 1)
            }
        }
    }
}
