import Foundation
import Testing
import NN

/// `tokenizer.json` files: ours read back, Hugging Face's read in, and bad files refused with the
/// file and the problem named.
@Suite struct BPETokenizerFileTests {
    @Test func aSavedTokenizerLoadsBackTheSame() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for name in ["medium", "lowercase"] {
            let reference = BPEFixtures.configuration(name)
            let tokenizer = BPEFixtures.trained(reference)
            let file = folder.appendingPathComponent("\(name).json")
            try tokenizer.save(to: file)
            let loaded = try BPETokenizer.load(from: file)
            #expect(scalars(loaded.vocabulary) == scalars(tokenizer.vocabulary))
            #expect(loaded.merges.map { [$0.left, $0.right] } == tokenizer.merges.map { [$0.left, $0.right] })
            #expect(loaded.specialTokens == tokenizer.specialTokens)
            #expect(loaded.lowercases == tokenizer.lowercases)
            for expected in reference.encodings {
                #expect(loaded.encode(expected.text) == expected.ids, "\(name), \(expected.name)")
            }
        }
    }

    /// The file Hugging Face wrote and the file we write hold the same JSON values, in the parts
    /// `tokenizers` reads.
    @Test func aSavedTokenizerHasHuggingFacesShape() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, file) in [("medium", "hf-tokenizer.json"), ("lowercase", "hf-tokenizer-lowercase.json")] {
            let ours = folder.appendingPathComponent("ours.json")
            try BPEFixtures.trained(BPEFixtures.configuration(name)).save(to: ours)
            let saved = try Self.json(ours)
            let written = try Self.json(BPEFixtures.folder.appendingPathComponent(file))
            #expect(Set(saved.keys) == Set(written.keys))
            for key in written.keys {
                #expect(saved[key] as? NSObject == written[key] as? NSObject, "\(name): \(key)")
            }
        }
    }

    @Test func aFileHuggingFaceWroteLoadsAndEncodesTheSame() throws {
        for (name, file) in [("medium", "hf-tokenizer.json"), ("lowercase", "hf-tokenizer-lowercase.json")] {
            let reference = BPEFixtures.configuration(name)
            let tokenizer = try BPETokenizer.load(from: BPEFixtures.folder.appendingPathComponent(file))
            #expect(scalars(tokenizer.vocabulary) == scalars(reference.vocabulary))
            #expect(tokenizer.merges.map { [$0.left, $0.right] } == reference.merges)
            #expect(tokenizer.lowercases == reference.lowercase)
            for expected in reference.encodings {
                #expect(tokenizer.encode(expected.text) == expected.ids, "\(name), \(expected.name)")
                #expect(Array(tokenizer.decode(expected.ids).unicodeScalars) == Array(expected.decoded.unicodeScalars))
            }
        }
    }

    @Test func mergesWrittenAsStringsLoadToo() throws {
        let tokenizer = try Self.load(Self.small(merges: #"["a b", "ab c"]"#))
        #expect(tokenizer.merges.map { $0.left + "|" + $0.right } == ["a|b", "ab|c"])
        #expect(tokenizer.tokenize("abc ab") == ["abc", "Ġ", "ab"])
    }

    // MARK: Bad files

    @Test func badFilesAreErrorsThatNameTheFileAndTheProblem() throws {
        let cases: [(String, String)] = [
            ("not json {", "the file is not a tokenizer.json (it does not parse as JSON); give the file that BPETokenizer.save(to:) or Hugging Face's Tokenizer.save wrote"),
            (Self.small(merges: nil), "the file has no model.merges (the list of merges, earliest first); is this a tokenizer.json of a BPE model?"),
            (#"{"model": {"type": "BPE", "vocab": [1, 2], "merges": []}}"#, "model.vocab is not a JSON object; is this a tokenizer.json of a BPE model?"),
            (Self.small(merges: #"[["a", "x"]]"#), #"merge 0 ("a x") names the token "x", which is not in model.vocab; the vocabulary and the merges do not belong together; save the tokenizer again from where it was made"#),
            (Self.small(merges: #"[["b", "c"]]"#), #"merge 0 ("b c") makes the token "bc", which is not in model.vocab; the vocabulary and the merges do not belong together; save the tokenizer again from where it was made"#),
            (Self.small(merges: #"[["a", "b", "c"]]"#), #"merge 0 ("a b c") is not two tokens; each merge is ["left", "right"] or "left right""#),
            (Self.small(vocab: #""a": 0, "b": 0"#), #"the tokens "a" and "b" both have id 0; every token needs an id of its own"#),
            (Self.small(vocab: #""a": 0, "b": 2"#), "no token has id 1, but the 2 tokens' ids must run from 0 to 1 without gaps"),
            (Self.small(preTokenizer: #"{"type": "Whitespace"}"#), #"pre_tokenizer.type is "Whitespace", which Cuaderno's BPETokenizer does not do; it reads byte-level BPE as GPT-2 and Hugging Face's ByteLevel BPE write it (pre_tokenizer ByteLevel with use_regex, alone or after Digits with individual_digits, normalizer Lowercase or null, model BPE without dropout, prefixes or byte fallback)"#),
            (Self.small(preTokenizer: #"{"type": "Sequence", "pretokenizers": [{"type": "Digits", "individual_digits": false}, {"type": "ByteLevel"}]}"#), #"pre_tokenizer.pretokenizers.0.individual_digits is false, which Cuaderno's BPETokenizer does not do; it reads byte-level BPE as GPT-2 and Hugging Face's ByteLevel BPE write it (pre_tokenizer ByteLevel with use_regex, alone or after Digits with individual_digits, normalizer Lowercase or null, model BPE without dropout, prefixes or byte fallback)"#),
            (Self.small(added: #"[{"id": 5, "content": "a"}]"#), #"the special token "a" has id 5 in added_tokens but 0 in model.vocab; give it one id"#),
        ]
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (index, (text, explanation)) in cases.enumerated() {
            let file = folder.appendingPathComponent("bad-\(index).json")
            try text.write(to: file, atomically: true, encoding: .utf8)
            do {
                _ = try BPETokenizer.load(from: file)
                Issue.record("case \(index) loaded")
            } catch let error as TokenizerFileError {
                #expect(error.description == "\(file.path): error: \(explanation)", "case \(index)")
            }
        }
    }

    @Test func missingFilesAndUnwritableFoldersAreErrors() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/tokenizer.json")
        #expect(throws: TokenizerFileError(path: missing.path, problem: .cannotRead(reason: "No such file or directory"))) {
            try BPETokenizer.load(from: missing)
        }
        let tokenizer = try BPETokenizer(vocabulary: ["a"], merges: [])
        #expect(throws: TokenizerFileError(path: missing.path, problem: .cannotWrite(reason: "No such file or directory"))) {
            try tokenizer.save(to: missing)
        }
    }

    @Test func tokenizersMadeFromListsAreCheckedToo() {
        #expect(throws: TokenizerFileError(path: "the vocabulary and merges", problem: .duplicateToken(token: "a", firstID: 0, secondID: 1))) {
            try BPETokenizer(vocabulary: ["a", "a"], merges: [])
        }
        #expect(throws: TokenizerFileError(path: "the vocabulary and merges", problem: .specialTokenMismatch(
            token: "<pad>", reason: "is not in the vocabulary; add it there with an id of its own"))) {
            try BPETokenizer(vocabulary: ["a"], merges: [], specialTokens: ["<pad>"])
        }
    }

    /// A small tokenizer.json with the given parts.
    static func small(vocab: String = #""a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4, "Ġ": 5"#,
                      merges: String? = #"[["a", "b"], ["ab", "c"]]"#, preTokenizer: String = #"{"type": "ByteLevel"}"#,
                      added: String = "[]") -> String {
        let mergesPart = merges.map { #", "merges": \#($0)"# } ?? ""
        return #"{"added_tokens": \#(added), "normalizer": null, "pre_tokenizer": \#(preTokenizer), "#
            + #""model": {"type": "BPE", "vocab": {\#(vocab)}\#(mergesPart)}}"#
    }

    static func load(_ text: String) throws -> BPETokenizer {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tokenizer.json")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try BPETokenizer.load(from: file)
    }

    static func json(_ url: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    }
}
