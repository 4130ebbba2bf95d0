import Foundation
import Testing
@testable import NN

/// The tokenizer and chat template of small GGUF files written by `GGUFTestFile`: what each
/// metadata key changes, and each way a file is refused, with the file named.
@Suite struct GGUFTokenizerFileTests {
    typealias File = GGUFTestFile

    /// The 256 byte characters, then the tokens the merges make, then added tokens.
    static let tokens = ByteLevel.alphabet.map { String($0) } + ["hi", "12", "<s>", "</s>", "<think>"]
    static let merges = ["h i", "1 2"]
    /// llama.cpp's types: 1 normal, 3 control, 4 user-defined.
    static let types = Array(repeating: 1, count: 258) + [3, 3, 4]

    /// A tokenizer's metadata, by key, in the order written; each test changes what it needs.
    var entries: [(key: String, type: UInt32, value: [UInt8])] = [
        ("tokenizer.ggml.model", 8, File.string("gpt2")),
        ("tokenizer.ggml.pre", 8, File.string("smollm")),
        ("tokenizer.ggml.tokens", 9, File.array(8, Self.tokens.map(File.string))),
        ("tokenizer.ggml.token_type", 9, File.array(5, Self.types.map { File.le(Int32($0)) })),
        ("tokenizer.ggml.merges", 9, File.array(8, Self.merges.map(File.string))),
        ("tokenizer.ggml.bos_token_id", 4, File.le(UInt32(258))),
        ("tokenizer.ggml.eos_token_id", 4, File.le(UInt32(259))),
        ("tokenizer.ggml.add_bos_token", 7, [1]),
        ("tokenizer.chat_template", 8, File.string("{{ messages }}")),
    ]

    mutating func set(_ key: String, _ type: UInt32, _ value: [UInt8]) {
        remove(key)
        entries.append((key, type, value))
    }

    mutating func remove(_ key: String) {
        entries.removeAll { $0.key == key }
    }

    /// Writes the entries as a GGUF file, opens it, and hands it to `body`; the folder is removed afterwards.
    func withFile<Result>(_ body: (GGUFFile) throws -> Result) throws -> Result {
        var file = File()
        for entry in entries { file.add(entry.key, entry.type, entry.value) }
        let url = try file.write(named: "tokenizer.gguf")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        return try body(try GGUFFile(contentsOf: url))
    }

    /// The problem reading the tokenizer (or, with `chat`, the template) raises, with the file named.
    func problem(chat: Bool = false, sourceLocation: SourceLocation = #_sourceLocation) throws -> GGUFTokenizerError.Problem? {
        try withFile { file in
            do {
                if chat { _ = try ChatMLTemplate(gguf: file) } else { _ = try BPETokenizer(gguf: file) }
                Issue.record("the file was read", sourceLocation: sourceLocation)
                return nil
            } catch let error as GGUFTokenizerError {
                #expect(error.path == file.path, sourceLocation: sourceLocation)
                #expect(error.description.hasPrefix("\(file.path): error: "), sourceLocation: sourceLocation)
                return error.problem
            }
        }
    }

    @Test func theFileSaysHowTextIsEncoded() throws {
        let tokenizer = try withFile { try BPETokenizer(gguf: $0) }
        let hi = try #require(tokenizer.id(of: "hi")), think = try #require(tokenizer.id(of: "<think>"))
        let one = try #require(tokenizer.id(of: "1")), two = try #require(tokenizer.id(of: "2"))
        // add_bos_token: the BOS first; smollm: digits one by one although "1 2" is a merge.
        #expect(tokenizer.encode("hi12") == [258, hi, one, two])
        #expect(tokenizer.specialTokens == ["<s>", "</s>"])
        #expect(tokenizer.userDefinedTokens == ["<think>"])
        #expect(tokenizer.roles == SpecialTokenRoles(beginningOfSequence: 258, endOfSequence: 259))
        // Both kinds are matched whole; decoding without the special tokens keeps <think>.
        let ids = tokenizer.encode("<think>hi</s>")
        #expect(ids == [258, think, hi, 259])
        #expect(tokenizer.decode(ids) == "<s><think>hi</s>")
        #expect(tokenizer.decode(ids, skippingSpecialTokens: true) == "<think>hi")
        #expect(tokenizer.endOfGenerationIDs == [259])
    }

    @Test func gpt2AndNoBOSAreReadToo() throws {
        var test = self
        test.set("tokenizer.ggml.pre", 8, File.string("gpt2"))
        test.set("tokenizer.ggml.add_bos_token", 7, [0])
        let tokenizer = try test.withFile { try BPETokenizer(gguf: $0) }
        #expect(tokenizer.preTokenizer == .gpt2)
        #expect(tokenizer.encode("hi12") == [tokenizer.id(of: "hi"), tokenizer.id(of: "12")])
        test.remove("tokenizer.ggml.add_bos_token")
        #expect(try test.withFile { try BPETokenizer(gguf: $0) }.addsBeginningOfSequence == false)
    }

    @Test func otherTokenizersAreRefused() throws {
        var test = self
        test.set("tokenizer.ggml.model", 8, File.string("llama"))
        #expect(try test.problem() == .unsupportedModel("llama"))
        test = self
        for pre in ["qwen2", "default", "llama-bpe"] {
            test.set("tokenizer.ggml.pre", 8, File.string(pre))
            #expect(try test.problem() == .unsupportedPreTokenizer(pre))
        }
        test = self
        test.set("tokenizer.ggml.add_eos_token", 7, [1])
        #expect(try test.problem() == .unsupportedSetting(key: "tokenizer.ggml.add_eos_token", value: "true"))
    }

    @Test func missingAndMistypedKeysAreRefused() throws {
        for key in ["tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens", "tokenizer.ggml.merges"] {
            var test = self
            test.remove(key)
            guard case .missingKey(key, _)? = try test.problem() else {
                Issue.record("no missingKey for \(key)")
                continue
            }
        }
        var test = self
        test.set("tokenizer.ggml.tokens", 9, File.array(4, [File.le(UInt32(1))]))
        #expect(try test.problem() == .wrongType(key: "tokenizer.ggml.tokens", found: "an ARRAY of UINT32", expected: "an ARRAY of STRING"))
        test = self
        test.set("tokenizer.ggml.bos_token_id", 8, File.string("1"))
        #expect(try test.problem() == .wrongType(key: "tokenizer.ggml.bos_token_id", found: "a STRING", expected: "an integer token id"))
    }

    @Test func inconsistentTokensAreRefused() throws {
        var test = self
        test.set("tokenizer.ggml.bos_token_id", 4, File.le(UInt32(999)))
        #expect(try test.problem() == .idOutOfRange(key: "tokenizer.ggml.bos_token_id", id: 999, tokenCount: 261))
        test = self
        test.set("tokenizer.ggml.token_type", 9, File.array(5, [File.le(Int32(1))]))
        #expect(try test.problem() == .tokenTypeCount(types: 1, tokens: 261))
        test = self
        test.set("tokenizer.ggml.merges", 9, File.array(8, [File.string("hi")]))
        #expect(try test.problem() == .malformedMerge(index: 0, merge: "hi"))
        test = self
        test.set("tokenizer.ggml.merges", 9, File.array(8, [File.string("h i"), File.string("hi x")]))
        #expect(try test.problem() == .inconsistentVocabulary(.mergedTokenMissing(index: 1, merge: "hi x", token: "hix")))
    }

    @Test func aTemplateThatIsNotChatMLIsRefused() throws {
        guard case .notChatML(let start)? = try problem(chat: true) else {
            Issue.record("the template was not refused")
            return
        }
        #expect(start == "{{ messages }}")
        var test = self
        test.remove("tokenizer.chat_template")
        guard case .missingKey("tokenizer.chat_template", _)? = try test.problem(chat: true) else {
            Issue.record("no missingKey for the template")
            return
        }
    }

    /// Both ChatML templates, with the newlines of their string literals written as they are or
    /// as `\n`; the plain one puts no system message first.
    @Test func bothChatMLTemplatesAreRecognised() throws {
        let plain = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + "
            + "'<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
        let template = try #require(ChatMLTemplate(recognising: plain))
        #expect(template.defaultSystemMessage == nil)
        #expect(template.text(for: [ChatMessage(.user, "hi")]) == "<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
        #expect(ChatMLTemplate(recognising: plain.replacingOccurrences(of: "\\n", with: "\n")) == template)
        #expect(ChatMLTemplate(recognising: plain.replacingOccurrences(of: "'\\n'", with: "'\\n\\n'")) == nil)
    }
}
