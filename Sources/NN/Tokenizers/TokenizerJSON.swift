/// The parts of Hugging Face's `tokenizer.json` that a byte-level BPE tokenizer uses, as they are
/// read (with `JSONDecoder`) and written.
///
/// The file's shape is the one `tokenizers` serialises (`Tokenizer.save`): `added_tokens`,
/// `normalizer`, `pre_tokenizer`, `post_processor`, `decoder` and `model`; for a BPE model,
/// `model.vocab` maps each token to its id and `model.merges` lists the merges, earliest first,
/// as `["Ġ", "t"]` pairs (or, in files written before `tokenizers` 0.20, as `"Ġ t"` strings).
enum TokenizerJSON {
    struct File: Decodable {
        var added_tokens: [AddedToken]?
        var normalizer: Component?
        var pre_tokenizer: Component?
        var model: Model?
    }

    struct AddedToken: Decodable {
        var id: Int
        var content: String
        /// False for an added token that is ordinary text when decoding (absent: special).
        var special: Bool?
    }

    /// A normaliser or pre-tokeniser: its type, the settings ByteLevel has, and the members of a
    /// `Sequence`.
    struct Component: Decodable {
        var type: String?
        var add_prefix_space: Bool?
        var use_regex: Bool?
        var individual_digits: Bool?
        var normalizers: [Component]?
        var pretokenizers: [Component]?
    }

    struct Model: Decodable {
        var type: String?
        var dropout: Double?
        var unk_token: String?
        var continuing_subword_prefix: String?
        var end_of_word_suffix: String?
        var byte_fallback: Bool?
        var ignore_merges: Bool?
        var vocab: [String: Int]?
        var merges: Merges?
    }

    /// `model.merges` in either of its two spellings.
    enum Merges: Decodable {
        case pairs([[String]])
        case strings([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let pairs = try? container.decode([[String]].self) {
                self = .pairs(pairs)
            } else {
                self = .strings(try container.decode([String].self))
            }
        }
    }

    // MARK: Writing

    /// The file for a tokenizer, in the layout `tokenizers` writes: one vocabulary entry and one
    /// merge per line, the vocabulary in the order of the ids.
    static func text(of tokenizer: BPETokenizer) -> String {
        let added = (tokenizer.specialTokens.map { ($0, true) } + tokenizer.userDefinedTokens.map { ($0, false) })
            .map { token, special in
                "    {\"id\": \(tokenizer.id(of: token)!), \"content\": \(quoted(token)), \"single_word\": false, "
                    + "\"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": \(special)}"
            }
        let vocabulary = tokenizer.vocabulary.enumerated().map { "      \(quoted($1)): \($0)" }
        let merges = tokenizer.merges.map { "      [\(quoted($0.left)), \(quoted($0.right))]" }
        // The pre-tokeniser adds no space before the text; the decoder's setting is the one
        // `tokenizers` writes for its ByteLevel decoder, which does not use it.
        func byteLevel(addPrefixSpace: Bool) -> String {
            "{\"type\": \"ByteLevel\", \"add_prefix_space\": \(addPrefixSpace), \"trim_offsets\": true, \"use_regex\": true}"
        }
        let preTokenizer = switch tokenizer.preTokenizer {
        case .gpt2: byteLevel(addPrefixSpace: false)
        case .gpt2WithSingleDigits:
            "{\"type\": \"Sequence\", \"pretokenizers\": [{\"type\": \"Digits\", \"individual_digits\": true}, "
                + byteLevel(addPrefixSpace: false) + "]}"
        }
        let unknown = tokenizer.unknownID.map { quoted(tokenizer.vocabulary[$0]) } ?? "null"
        return """
            {
              "version": "1.0",
              "truncation": null,
              "padding": null,
              "added_tokens": [
            \(added.joined(separator: ",\n"))
              ],
              "normalizer": \(tokenizer.lowercases ? "{\"type\": \"Lowercase\"}" : "null"),
              "pre_tokenizer": \(preTokenizer),
              "post_processor": null,
              "decoder": \(byteLevel(addPrefixSpace: true)),
              "model": {
                "type": "BPE",
                "dropout": null,
                "unk_token": \(unknown),
                "continuing_subword_prefix": null,
                "end_of_word_suffix": null,
                "fuse_unk": false,
                "byte_fallback": false,
                "ignore_merges": \(tokenizer.ignoresMerges),
                "vocab": {
            \(vocabulary.joined(separator: ",\n"))
                },
                "merges": [
            \(merges.joined(separator: ",\n"))
                ]
              }
            }

            """
    }

    /// A JSON string: the text in quotes, with `"`, `\` and control characters escaped, and
    /// everything else written as it is (UTF-8), as `serde_json` writes strings.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{08}": result += "\\b"
            case "\u{0C}": result += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
