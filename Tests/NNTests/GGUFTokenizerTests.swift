import Foundation
import Testing
@testable import NN

/// SmolLM2's tokenizer read from its GGUF file, against `Fixtures/gguf-tokenizer/references.json`,
/// which `make_references.py` wrote with Hugging Face's `tokenizers` configured as SmolLM2's
/// `tokenizer.json` (with the same file's tokens and merges) and transformers' `apply_chat_template`.
///
/// The model is found as a lesson finds it: `make model` puts it in `Models/`. When it is missing
/// the tests fail with the error that says how to get it; they are never skipped.
@Suite struct GGUFTokenizerTests {
    static let references = decodeFixture(GGUFTokenizerReferences.self, "gguf-tokenizer/references.json")

    /// The tokenizer, read once for every test.
    static let loaded = Result { () throws -> BPETokenizer in
        try BPETokenizer(gguf: GGUFFile.open(model: GGUFModelTests.modelName, file: GGUFModelTests.fileName))
    }

    static func tokenizer(sourceLocation: SourceLocation = #_sourceLocation) -> BPETokenizer? {
        switch loaded {
        case .success(let tokenizer): return tokenizer
        case .failure(let error):
            Issue.record("\(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    @Test func everyTextEncodesToTheReferenceIDs() throws {
        guard let tokenizer = Self.tokenizer() else { return }
        var matching = 0
        for expected in Self.references.encodings {
            let ids = tokenizer.encode(expected.text)
            #expect(ids == expected.ids, "\(expected.name)")
            #expect(tokenizer.tokenize(expected.text) == expected.tokens, "\(expected.name)")
            if ids == expected.ids { matching += 1 }
        }
        print("GGUF tokenizer: \(matching) of \(Self.references.encodings.count) texts encode to the reference ids")
        #expect(Self.references.encodings.count >= 30)
    }

    @Test func decodingGivesBackTheTextAndTheReferenceDecodings() throws {
        guard let tokenizer = Self.tokenizer() else { return }
        for expected in Self.references.encodings {
            #expect(tokenizer.decode(tokenizer.encode(expected.text)) == expected.text, "\(expected.name)")
            #expect(tokenizer.decode(expected.ids) == expected.decoded, "\(expected.name)")
            #expect(tokenizer.decode(expected.ids, skippingSpecialTokens: true) == expected.decoded_skipping_special,
                    "\(expected.name)")
        }
    }

    @Test func theSettingsAreTheFiles() throws {
        guard let tokenizer = Self.tokenizer() else { return }
        let references = Self.references
        let ids = references.special_ids
        #expect(tokenizer.count == references.token_count)
        #expect(tokenizer.merges.count == references.merge_count)
        #expect(tokenizer.preTokenizer == .gpt2WithSingleDigits)
        #expect(tokenizer.roles == SpecialTokenRoles(beginningOfSequence: ids.bos_token_id, endOfSequence: ids.eos_token_id,
                                                     endOfTurn: ids.eot_token_id, padding: ids.padding_token_id,
                                                     unknown: ids.unknown_token_id))
        #expect(tokenizer.padID == ids.padding_token_id)
        #expect(tokenizer.addsBeginningOfSequence == references.add_bos_token)
        #expect(tokenizer.specialTokens == references.control_tokens)
        #expect(tokenizer.userDefinedTokens == references.user_defined_tokens)
        // The end of a sequence (<|im_end|> for this file) and the end of a text.
        let endOfText = try #require(references.control_tokens.firstIndex(of: "<|endoftext|>"))
        #expect(tokenizer.endOfGenerationIDs == [ids.eos_token_id, endOfText])
    }

    @Test func conversationsAreTheTemplatesText() throws {
        guard let file = GGUFModelTests.file(), let tokenizer = Self.tokenizer() else { return }
        let template = try ChatMLTemplate(gguf: file)
        let defaultMessage = try #require(template.defaultSystemMessage)
        #expect(Self.references.chat_template.contains("'<|im_start|>system\n" + defaultMessage + "<|im_end|>\n'"))
        #expect(ChatMLTemplate(recognising: Self.references.chat_template) == template)
        for chat in Self.references.chats {
            let messages = try chat.messages.map { message in
                ChatMessage(try #require(ChatMessage.Role(rawValue: message.role)), message.content)
            }
            let text = template.text(for: messages, addingGenerationPrompt: chat.add_generation_prompt)
            #expect(text == chat.text, "\(chat.name)")
            #expect(tokenizer.encode(text) == chat.ids, "\(chat.name)")
        }
        #expect(Self.references.chats.count >= 3)
    }

    /// Every text, streamed one id at a time: the pieces are whole text and join to the decoding,
    /// and at every step what was given out plus what `finish()` would give is the decoding of the
    /// ids so far. Several texts have characters cut between tokens (emoji, accents, CJK).
    @Test func streamingHoldsBackCharactersCutBetweenTokens() throws {
        guard let tokenizer = Self.tokenizer() else { return }
        var textsWithCutCharacters: [String] = []
        for expected in Self.references.encodings {
            for skipping in [false, true] {
                var stream = IncrementalTextDecoder(tokenizer, skippingSpecialTokens: skipping)
                var given = ""
                for (position, id) in expected.ids.enumerated() {
                    let piece = stream.append(id)
                    #expect(!piece.unicodeScalars.contains("\u{FFFD}"), "\(expected.name): a cut character was given out")
                    given += piece
                    var finishing = stream
                    let soFar = Array(expected.ids[...position])
                    #expect(given + finishing.finish() == tokenizer.decode(soFar, skippingSpecialTokens: skipping),
                            "\(expected.name), after \(position + 1) ids")
                }
                given += stream.finish()
                #expect(given == (skipping ? expected.decoded_skipping_special : expected.decoded), "\(expected.name)")
            }
            if expected.ids.contains(where: { tokenizer.decode([$0]).unicodeScalars.contains("\u{FFFD}") }) {
                textsWithCutCharacters.append(expected.name)
            }
        }
        #expect(textsWithCutCharacters.contains("emoji ZWJ sequences"))
        #expect(textsWithCutCharacters.contains("Spanish sentences"))
        #expect(textsWithCutCharacters.count >= 5, "\(textsWithCutCharacters)")
    }

    /// The tokenizer written as a `tokenizer.json` (its pre-tokenizer as `Sequence[Digits,
    /// ByteLevel]`) and read back encodes every text as before.
    @Test func savingAsTokenizerJSONKeepsTheEncodings() throws {
        guard let tokenizer = Self.tokenizer() else { return }
        let url = try temporaryFolder().appendingPathComponent("tokenizer.json")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try tokenizer.save(to: url)
        let loaded = try BPETokenizer.load(from: url)
        #expect(loaded.preTokenizer == .gpt2WithSingleDigits)
        #expect(loaded.specialTokens == tokenizer.specialTokens)
        for expected in Self.references.encodings {
            #expect(loaded.encode(expected.text) == expected.ids, "\(expected.name)")
        }
    }
}

/// `references.json`.
struct GGUFTokenizerReferences: Decodable {
    struct SpecialIDs: Decodable {
        var bos_token_id: Int?
        var eos_token_id: Int?
        var eot_token_id: Int?
        var padding_token_id: Int?
        var unknown_token_id: Int?
    }
    struct Encoding: Decodable {
        var name: String
        var text: String
        var ids: [Int]
        var tokens: [String]
        var decoded: String
        var decoded_skipping_special: String
        var transformers_gguf_agrees: Bool
    }
    struct Message: Decodable {
        var role: String
        var content: String
    }
    struct Chat: Decodable {
        var name: String
        var messages: [Message]
        var add_generation_prompt: Bool
        var text: String
        var ids: [Int]
    }
    var made_with: String
    var token_count: Int
    var merge_count: Int
    var special_ids: SpecialIDs
    var add_bos_token: Bool
    var control_tokens: [String]
    var user_defined_tokens: [String]
    var chat_template: String
    var encodings: [Encoding]
    var chats: [Chat]
}
