import Foundation

extension BPETokenizer {
    /// Writes the tokenizer as a Hugging Face `tokenizer.json`, which `Tokenizer.from_file` in
    /// Python's `tokenizers` reads back with the same ids; the file is replaced in one step
    /// (written beside it, then moved), so a reader never sees half of it.
    ///
    /// The vocabulary, merges, special and user-defined tokens and the pre-tokenizer are written;
    /// the ``roles`` and ``addsBeginningOfSequence`` of a tokenizer read from a GGUF file are not
    /// (Hugging Face keeps them in `tokenizer_config.json` and a post-processor, which this does
    /// not write), so a tokenizer that adds a BOS loses it when read back.
    ///
    /// - Throws: ``TokenizerFileError`` when the file cannot be written.
    public func save(to url: URL) throws {
        do {
            try Data(TokenizerJSON.text(of: self).utf8).write(to: url, options: .atomic)
        } catch {
            throw TokenizerFileError(path: url.path, problem: .cannotWrite(reason: systemErrorText(error)))
        }
    }

    /// Reads a tokenizer from a `tokenizer.json` written by ``save(to:)`` or by Hugging Face's
    /// `tokenizers` for a byte-level BPE model (GPT-2's, or one trained with `BpeTrainer` and a
    /// `ByteLevel` pre-tokeniser).
    ///
    /// The file's `added_tokens` are matched in the raw text and kept whole (those marked
    /// `"special": false` become ``userDefinedTokens``, the others ``specialTokens``), its
    /// `normalizer` may be `Lowercase` or null, and its `pre_tokenizer` must be `ByteLevel` with
    /// GPT-2's pattern and no added space, alone or after `Digits(individual_digits=True)` (SmolLM2's).
    ///
    /// - Throws: ``TokenizerFileError`` naming the file when it cannot be read, is not JSON, lacks
    ///   `model.vocab` or `model.merges`, asks for something else than byte-level BPE, or is not
    ///   consistent (a merge of unknown tokens, two tokens with one id, a gap in the ids).
    public static func load(from url: URL) throws -> BPETokenizer {
        let path = url.path
        func fail(_ problem: TokenizerFileError.Problem) -> TokenizerFileError {
            TokenizerFileError(path: path, problem: problem)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw fail(.cannotRead(reason: systemErrorText(error)))
        }
        let file = try decodeFile(data, fail: fail)
        guard let model = file.model else {
            throw fail(.missingField(name: "model", expected: "the tokenizer's model, with its vocab and merges"))
        }
        let preTokenizer = try checkSupported(file, model, fail: fail)
        guard let vocab = model.vocab else {
            throw fail(.missingField(name: "model.vocab", expected: "an object from each token to its id"))
        }
        guard let merges = model.merges else {
            throw fail(.missingField(name: "model.merges", expected: "the list of merges, earliest first"))
        }
        let added = (file.added_tokens ?? []).sorted { $0.id < $1.id }
        let vocabulary = try tokensByID(vocab, added: added, fail: fail)
        return try BPETokenizer(vocabulary: vocabulary, merges: try mergePairs(merges, fail: fail),
                                specialTokens: added.filter { $0.special != false }.map(\.content),
                                lowercase: try lowercases(file.normalizer, fail: fail),
                                unknownToken: model.unk_token, ignoresMerges: model.ignore_merges ?? false, source: path,
                                preTokenizer: preTokenizer,
                                userDefinedTokens: added.filter { $0.special == false }.map(\.content))
    }

    private static func decodeFile(_ data: Data, fail: (TokenizerFileError.Problem) -> TokenizerFileError) throws -> TokenizerJSON.File {
        do {
            return try JSONDecoder().decode(TokenizerJSON.File.self, from: data)
        } catch DecodingError.typeMismatch(let type, let context), DecodingError.valueNotFound(let type, let context) {
            let name = jsonPath(context.codingPath)
            throw fail(.wrongKind(name: name.isEmpty ? "the file's top level" : name, expected: kindDescription(type)))
        } catch DecodingError.keyNotFound(let key, let context) {
            throw fail(.missingField(name: jsonPath(context.codingPath + [key]), expected: "every added token has an id and a content"))
        } catch {
            throw fail(.notJSON(reason: "it does not parse as JSON"))
        }
    }

    /// `model.merges.3`: where in the file a decoding error is.
    private static func jsonPath(_ path: [any CodingKey]) -> String {
        path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    /// The kind of JSON value a Swift type is decoded from: "a string", "a JSON object"…
    private static func kindDescription(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type: return "a whole number"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default: return "\(type)".hasPrefix("Array") ? "a list" : "a JSON object"
        }
    }

    /// Refuses the settings this tokenizer does not implement, rather than encoding differently;
    /// returns the pre-tokenizer: `ByteLevel`, or `Sequence[Digits(individual_digits), ByteLevel]`.
    private static func checkSupported(_ file: TokenizerJSON.File, _ model: TokenizerJSON.Model,
                                       fail: (TokenizerFileError.Problem) -> TokenizerFileError) throws -> BPEPreTokenizer {
        if model.type != nil && model.type != "BPE" {
            throw fail(.unsupported(setting: "model.type", value: "\"\(model.type!)\""))
        }
        if let dropout = model.dropout, dropout != 0 {
            throw fail(.unsupported(setting: "model.dropout", value: "\(dropout)"))
        }
        if let prefix = model.continuing_subword_prefix, !prefix.isEmpty {
            throw fail(.unsupported(setting: "model.continuing_subword_prefix", value: prefix.debugDescription))
        }
        if let suffix = model.end_of_word_suffix, !suffix.isEmpty {
            throw fail(.unsupported(setting: "model.end_of_word_suffix", value: suffix.debugDescription))
        }
        if model.byte_fallback == true {
            throw fail(.unsupported(setting: "model.byte_fallback", value: "true"))
        }
        guard var pre = file.pre_tokenizer else {
            throw fail(.unsupported(setting: "pre_tokenizer", value: "null"))
        }
        var preTokenizer = BPEPreTokenizer.gpt2
        if pre.type == "Sequence", let steps = pre.pretokenizers, steps.count == 2, steps[0].type == "Digits" {
            guard steps[0].individual_digits == true else {
                throw fail(.unsupported(setting: "pre_tokenizer.pretokenizers.0.individual_digits", value: "false"))
            }
            preTokenizer = .gpt2WithSingleDigits
            pre = steps[1]
        }
        if pre.type != "ByteLevel" {
            throw fail(.unsupported(setting: "pre_tokenizer.type", value: "\"\(pre.type ?? "")\""))
        }
        if pre.use_regex == false {
            throw fail(.unsupported(setting: "pre_tokenizer.use_regex", value: "false"))
        }
        if pre.add_prefix_space == true {
            throw fail(.unsupported(setting: "pre_tokenizer.add_prefix_space", value: "true"))
        }
        return preTokenizer
    }

    /// Whether the normaliser lower-cases: null, `Lowercase`, or a `Sequence` of `Lowercase`.
    private static func lowercases(_ normalizer: TokenizerJSON.Component?,
                                   fail: (TokenizerFileError.Problem) -> TokenizerFileError) throws -> Bool {
        guard let normalizer else { return false }
        let steps = normalizer.type == "Sequence" ? normalizer.normalizers ?? [] : [normalizer]
        for step in steps where step.type != "Lowercase" {
            throw fail(.unsupported(setting: "normalizer", value: "\"\(step.type ?? "")\""))
        }
        return !steps.isEmpty
    }

    /// The tokens in the order of their ids, from `model.vocab` and the added tokens.
    private static func tokensByID(_ vocab: [String: Int], added: [TokenizerJSON.AddedToken],
                                   fail: (TokenizerFileError.Problem) -> TokenizerFileError) throws -> [String] {
        var entries = vocab.map { (token: $0.key, id: $0.value) }
        for token in added {
            if let id = vocab[token.content] {
                guard id == token.id else {
                    throw fail(.specialTokenMismatch(token: token.content, reason: "has id \(token.id) in added_tokens but \(id) in model.vocab; give it one id"))
                }
            } else {
                entries.append((token.content, token.id))
            }
        }
        // Sorted, so that the same file always gives the same error.
        entries.sort { a, b in
            a.id != b.id ? a.id < b.id : Array(a.token.utf8).lexicographicallyPrecedes(Array(b.token.utf8))
        }
        var tokens: [String] = []
        for entry in entries {
            guard entry.id >= 0 else { throw fail(.negativeID(token: entry.token, id: entry.id)) }
            if entry.id < tokens.count {
                throw fail(.sharedID(id: entry.id, first: tokens[entry.id], second: entry.token))
            }
            guard entry.id == tokens.count else {
                throw fail(.missingID(tokens.count, tokenCount: entries.count))
            }
            tokens.append(entry.token)
        }
        return tokens
    }

    /// The merges as pairs of tokens, from either spelling.
    private static func mergePairs(_ merges: TokenizerJSON.Merges,
                                   fail: (TokenizerFileError.Problem) -> TokenizerFileError) throws -> [(left: String, right: String)] {
        switch merges {
        case .pairs(let pairs):
            return try pairs.enumerated().map { index, pair in
                guard pair.count == 2 else {
                    throw fail(.malformedMerge(index: index, merge: pair.joined(separator: " ")))
                }
                return (pair[0], pair[1])
            }
        case .strings(let strings):
            return try strings.enumerated().map { index, merge in
                let parts = merge.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else { throw fail(.malformedMerge(index: index, merge: merge)) }
                return (String(parts[0]), String(parts[1]))
            }
        }
    }
}
