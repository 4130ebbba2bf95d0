import Foundation
import Testing
import NN

/// Training, encoding and decoding against Hugging Face's `tokenizers` (`Fixtures/bpe/`, made by
/// `make_references.py`): the same merges, vocabulary, ids and tokens for four training settings.
@Suite struct BPETokenizerTests {
    @Test func trainingLearnsHuggingFacesMergesAndVocabulary() throws {
        #expect(BPEFixtures.references.configurations.count == 4)
        for reference in BPEFixtures.references.configurations {
            let tokenizer = BPEFixtures.trained(reference)
            #expect(scalars(tokenizer.vocabulary) == scalars(reference.vocabulary), "\(reference.name)")
            #expect(tokenizer.merges.map { [$0.left, $0.right] } == reference.merges, "\(reference.name)")
            #expect(tokenizer.specialTokens == reference.special_tokens)
            #expect(tokenizer.lowercases == reference.lowercase)
        }
    }

    @Test func trainingStopsAtTheSizeOrAtTheMinimumFrequency() throws {
        for reference in BPEFixtures.references.configurations {
            let tokenizer = BPEFixtures.trained(reference)
            let base = reference.special_tokens.count + 256
            #expect(tokenizer.count == base + tokenizer.merges.count)
            if reference.name == "large" {
                // The corpus runs out of pairs seen twice long before 5000 tokens.
                #expect(tokenizer.count < reference.vocab_size)
            } else {
                #expect(tokenizer.count == reference.vocab_size, "\(reference.name)")
            }
        }
    }

    @Test func everyReferenceTextGivesTheSameIdsTokensAndDecoding() throws {
        for reference in BPEFixtures.references.configurations {
            let tokenizer = BPEFixtures.trained(reference)
            #expect(reference.encodings.count == 24)
            for expected in reference.encodings {
                let ids = tokenizer.encode(expected.text)
                #expect(ids == expected.ids, "\(reference.name), \(expected.name): \(tokenizer.tokenize(expected.text)) vs \(expected.tokens)")
                #expect(scalars(tokenizer.tokenize(expected.text)) == scalars(expected.tokens), "\(reference.name), \(expected.name)")
                #expect(Array(tokenizer.decode(expected.ids).unicodeScalars) == Array(expected.decoded.unicodeScalars),
                        "\(reference.name), \(expected.name)")
            }
        }
    }

    @Test func decodingGivesBackTheTextExactly() throws {
        let tokenizer = BPEFixtures.trained(BPEFixtures.configuration("medium"))
        var texts = BPEFixtures.references.configurations[0].encodings.map(\.text)
        texts += ["  leading and trailing  ", "\n\n\n", "👩‍👩‍👧‍👦 family, 🇪🇸 flag", "e\u{301}\u{302}", "\u{10FFFF}\u{FFFD}"]
        // Strings of characters drawn from a mixed pool by a fixed generator.
        let pool = Array("aZ09 \n\t'’.,!?éñüÅ\u{301}😀🍿你好한국어ΣςДж\u{A0}\u{3000}\u{200B}\r".unicodeScalars)
        var state: UInt64 = 12345
        for _ in 0..<300 {
            var text = String.UnicodeScalarView()
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<(Int(state >> 59) + 1) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text.append(pool[Int(state >> 33) % pool.count])
            }
            texts.append(String(text))
        }
        for text in texts {
            #expect(Array(tokenizer.decode(tokenizer.encode(text)).unicodeScalars) == Array(text.unicodeScalars),
                    "\(text.debugDescription)")
        }
    }

    @Test func theStepsOneByOne() throws {
        let tokenizer = BPEFixtures.trained(BPEFixtures.configuration("medium"))
        #expect(tokenizer.normalized("The FILM") == "The FILM")
        #expect(BPEFixtures.trained(BPEFixtures.configuration("lowercase")).normalized("The FILM İ") == "the film i\u{307}")
        #expect(tokenizer.pieces("I didn't  go\n") == ["I", "Ġdidn", "'t", "Ġ", "Ġgo", "Ċ"])
        #expect(tokenizer.merged("Ġfilm") == ["Ġfilm"])
        #expect(tokenizer.merged("Ġdidn") == ["Ġdid", "n"])
        #expect(tokenizer.tokenize("The film") == ["The", "Ġfilm"])
        #expect(tokenizer.id(of: "Ġfilm") == tokenizer.vocabulary.firstIndex(of: "Ġfilm"))
        #expect(tokenizer.id(of: "no such token") == nil)
        #expect(tokenizer.token(of: 0) == "<pad>")
        #expect(tokenizer.padID == 0)
    }

    @Test func specialTokensStayWholeAndCanBeLeftOutWhenDecoding() throws {
        let tokenizer = BPEFixtures.trained(BPEFixtures.configuration("large"))
        #expect(tokenizer.tokenize("<s>the film</s><pad>") == ["<s>"] + tokenizer.tokenize("the film") + ["</s>", "<pad>"])
        let ids = tokenizer.encode("<s>A film</s>")
        #expect(tokenizer.decode(ids) == "<s>A film</s>")
        #expect(tokenizer.decode(ids, skippingSpecialTokens: true) == "A film")
    }
}

/// The references `make_references.py` wrote, and tokenizers trained as they were.
enum BPEFixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bpe")

    /// `corpus.txt`, one text per line (a final line break ends the last line).
    static let corpus: [String] = {
        let text = (try? String(contentsOf: folder.appendingPathComponent("corpus.txt"), encoding: .utf8)) ?? ""
        return text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { String($0) }
    }()

    static let references = decodeFixture(BPEReferences.self, "bpe/references.json")

    static func configuration(_ name: String) -> BPEReferences.Configuration {
        references.configurations.first { $0.name == name }!
    }

    /// A tokenizer trained on the corpus with a configuration's settings.
    static func trained(_ reference: BPEReferences.Configuration) -> BPETokenizer {
        BPETokenizer.train(on: corpus, vocabularySize: reference.vocab_size, minimumFrequency: reference.min_frequency,
                           specialTokens: reference.special_tokens, lowercase: reference.lowercase)
    }
}

/// `references.json`.
struct BPEReferences: Decodable {
    struct Encoding: Decodable {
        var name: String
        var text: String
        var ids: [Int]
        var tokens: [String]
        var decoded: String
    }
    struct Configuration: Decodable {
        var name: String
        var vocab_size: Int
        var min_frequency: Int
        var special_tokens: [String]
        var lowercase: Bool
        var vocabulary: [String]
        var merges: [[String]]
        var encodings: [Encoding]
    }
    var tokenizers_version: String
    var configurations: [Configuration]
}

/// Strings as their Unicode scalars: `String`'s `==` would equate a precomposed `é` with `e` and
/// a combining accent, which a tokenizer must keep apart.
func scalars(_ strings: [String]) -> [[Unicode.Scalar]] {
    strings.map { Array($0.unicodeScalars) }
}
