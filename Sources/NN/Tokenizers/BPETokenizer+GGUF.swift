extension BPETokenizer {
    /// The tokenizer a GGUF model file describes in its metadata, as llama.cpp and Hugging Face
    /// read it: SmolLM2's 49,152 tokens and 48,900 merges, digits cut one by one, its 17 control
    /// tokens (`<|endoftext|>`, `<|im_start|>`, `<|im_end|>`, `<repo_name>`…) kept whole.
    ///
    /// ```swift
    /// let file = try GGUFFile.open(model: "SmolLM2-135M-Instruct", file: "SmolLM2-135M-Instruct.Q4_1.gguf")
    /// let tokenizer = try BPETokenizer(gguf: file)
    /// tokenizer.tokenize("<|im_start|>user\nHola 2024")
    /// // ["<|im_start|>", "user", "Ċ", "H", "ola", "Ġ", "2", "0", "2", "4"]
    /// tokenizer.endOfGenerationIDs                        // [0, 2]
    /// ```
    ///
    /// The metadata keys it reads (llama.cpp's names):
    ///
    /// | key | what it gives |
    /// | --- | --- |
    /// | `tokenizer.ggml.model` | must be `gpt2`: byte-level BPE |
    /// | `tokenizer.ggml.pre` | the ``preTokenizer``: `gpt2` → `.gpt2`, `smollm` → `.gpt2WithSingleDigits` |
    /// | `tokenizer.ggml.tokens` | the ``vocabulary``, in the ``ByteLevel`` alphabet |
    /// | `tokenizer.ggml.merges` | the ``merges``, `"Ġ t"` each, earliest first |
    /// | `tokenizer.ggml.token_type` | type 3 (control) → ``specialTokens``; 4 (user-defined) → ``userDefinedTokens`` |
    /// | `tokenizer.ggml.bos_token_id`, `eos_token_id`, `eot_token_id`, `padding_token_id`, `unknown_token_id` | the ``roles`` (and ``padID``) |
    /// | `tokenizer.ggml.add_bos_token` | ``addsBeginningOfSequence`` (false when absent) |
    ///
    /// Both kinds of added token are matched whole in the text, before the pre-tokenizer, as
    /// Hugging Face's added tokens are; the control tokens are the ones decoding can skip.
    ///
    /// - Throws: ``GGUFTokenizerError`` naming the file when a key is missing or of the wrong
    ///   type, the model is not `gpt2`, the pre-tokenizer is one Cuaderno does not have, an id is
    ///   out of range, or the tokens and merges do not belong together.
    public init(gguf file: GGUFFile) throws {
        let metadata = GGUFTokenizerMetadata(file)
        let model = try metadata.string("tokenizer.ggml.model", expected: "the kind of tokenizer, \"gpt2\" for byte-level BPE")
        guard model == "gpt2" else { throw metadata.error(.unsupportedModel(model)) }
        let preName = try metadata.string("tokenizer.ggml.pre", expected: "how text is cut before the merges, \"smollm\" for SmolLM2")
        let preTokenizer: BPEPreTokenizer
        switch preName {
        case "gpt2": preTokenizer = .gpt2
        case "smollm": preTokenizer = .gpt2WithSingleDigits
        default: throw metadata.error(.unsupportedPreTokenizer(preName))
        }
        let tokens = try metadata.strings("tokenizer.ggml.tokens", expected: "every token, at its id")
        let merges = try metadata.strings("tokenizer.ggml.merges", expected: "the merges, earliest first").enumerated()
            .map { index, merge in
                let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw metadata.error(.malformedMerge(index: index, merge: merge)) }
                return (left: String(parts[0]), right: String(parts[1]))
            }
        let types = try metadata.optionalIntegers("tokenizer.ggml.token_type") ?? []
        guard types.isEmpty || types.count == tokens.count else {
            throw metadata.error(.tokenTypeCount(types: types.count, tokens: tokens.count))
        }
        let roles = SpecialTokenRoles(
            beginningOfSequence: try metadata.tokenID("tokenizer.ggml.bos_token_id", tokenCount: tokens.count),
            endOfSequence: try metadata.tokenID("tokenizer.ggml.eos_token_id", tokenCount: tokens.count),
            endOfTurn: try metadata.tokenID("tokenizer.ggml.eot_token_id", tokenCount: tokens.count),
            padding: try metadata.tokenID("tokenizer.ggml.padding_token_id", tokenCount: tokens.count),
            unknown: try metadata.tokenID("tokenizer.ggml.unknown_token_id", tokenCount: tokens.count))
        if try metadata.optionalBool("tokenizer.ggml.add_eos_token") == true {
            throw metadata.error(.unsupportedSetting(key: "tokenizer.ggml.add_eos_token", value: "true"))
        }
        // llama.cpp's token types: 1 normal, 2 unknown, 3 control, 4 user-defined, 5 unused, 6 byte.
        func tokenTexts(ofType type: Int) -> [String] {
            zip(tokens, types).filter { $0.1 == type }.map(\.0)
        }
        do {
            try self.init(vocabulary: tokens, merges: merges, specialTokens: tokenTexts(ofType: 3), lowercase: false,
                          unknownToken: roles.unknown.map { tokens[$0] }, ignoresMerges: false, source: file.path,
                          preTokenizer: preTokenizer, roles: roles,
                          addsBeginningOfSequence: try metadata.optionalBool("tokenizer.ggml.add_bos_token") ?? false,
                          padID: roles.padding, userDefinedTokens: tokenTexts(ofType: 4))
        } catch let error as TokenizerFileError {
            throw metadata.error(.inconsistentVocabulary(error.problem))
        }
    }
}

/// The tokenizer's metadata of a GGUF file, read key by key with errors that name the file.
struct GGUFTokenizerMetadata {
    let file: GGUFFile

    init(_ file: GGUFFile) {
        self.file = file
    }

    func error(_ problem: GGUFTokenizerError.Problem) -> GGUFTokenizerError {
        GGUFTokenizerError(path: file.path, problem: problem)
    }

    /// The value's type as the error names it: `UINT32`, `ARRAY of INT32`.
    private func typeName(_ value: GGUFValue) -> String {
        if case .array(let elementType, _) = value { return "an ARRAY of \(elementType)" }
        return "a \(value.type)"
    }

    private func read<Value>(_ key: String, expected: String, _ read: (GGUFValue) -> Value?) throws -> Value? {
        guard let value = file.metadata[key] else { return nil }
        guard let read = read(value) else {
            throw error(.wrongType(key: key, found: typeName(value), expected: expected))
        }
        return read
    }

    func string(_ key: String, expected: String) throws -> String {
        guard let string = try read(key, expected: "a STRING", \.string) else {
            throw error(.missingKey(key, expected: expected))
        }
        return string
    }

    func strings(_ key: String, expected: String) throws -> [String] {
        guard let strings = try read(key, expected: "an ARRAY of STRING", \.strings) else {
            throw error(.missingKey(key, expected: expected))
        }
        return strings
    }

    func optionalIntegers(_ key: String) throws -> [Int]? {
        try read(key, expected: "an ARRAY of integers", \.integers)
    }

    func optionalBool(_ key: String) throws -> Bool? {
        try read(key, expected: "a BOOL", \.bool)
    }

    /// A token id, checked against the number of tokens; nil when the key is absent.
    func tokenID(_ key: String, tokenCount: Int) throws -> Int? {
        guard let id = try read(key, expected: "an integer token id", \.integer) else { return nil }
        guard (0..<tokenCount).contains(id) else {
            throw error(.idOutOfRange(key: key, id: id, tokenCount: tokenCount))
        }
        return id
    }
}
