import TensorCore

/// Byte-level byte-pair encoding, as GPT-2 and Hugging Face's `tokenizers` do it: text → bytes →
/// tokens by learnt merges, and back without loss.
///
/// ```swift
/// let tokenizer = BPETokenizer.train(on: reviews, vocabularySize: 600)
/// tokenizer.tokenize("The film wasn't bad")   // ["The", "Ġfilm", "Ġwas", "n", "'t", "Ġbad"]
/// let ids = tokenizer.encode("The film wasn't bad")
/// tokenizer.decode(ids)                       // "The film wasn't bad"
/// try tokenizer.save(to: folder.appendingPathComponent("tokenizer.json"))
/// ```
///
/// (The tokens are those of a tokenizer trained on the 248 review-like lines of
/// `Tests/NNTests/Fixtures/bpe/corpus.txt`.)
///
/// Four steps, each of which a lesson can call on its own:
/// 1. ``normalized(_:)``: lower-case the text, when the tokenizer was made so;
/// 2. ``pieces(_:)``: cut it with GPT-2's pattern (the ``preTokenizer``) into words, numbers,
///    punctuation and spaces, and write each piece's UTF-8 bytes in the ``ByteLevel`` alphabet
///    (`" film"` → `"Ġfilm"`);
/// 3. split each piece into its bytes, then apply the ``merges`` to it, earliest-learnt first:
///    the merge with the lowest rank among the piece's adjacent pairs, leftmost on a tie, until
///    none applies (Sennrich et al. 2016, arXiv:1508.07909; Radford et al. 2019 for bytes);
/// 4. look up each token's id.
///
/// Every byte is a token of its own, so nothing is ever unknown, and ``decode(_:file:line:)``
/// gives back exactly the text encoded (unless it was lower-cased). The special tokens
/// (`<pad>`, `<unk>`…), written in the text exactly so, stay one token each.
///
/// ``init(gguf:)`` reads the tokenizer of a llama.cpp model file (SmolLM2's: 49,152 tokens, digits
/// one by one, `<|im_start|>`…`<|im_end|>` kept whole), and ``IncrementalTextDecoder`` turns the
/// ids a model generates into text as they come.
public struct BPETokenizer: TextTokenizer, Sendable {
    /// Every token, at the index that is its id: the special tokens, the 256 byte characters,
    /// then one token per merge, for a tokenizer trained here.
    public let vocabulary: [String]
    /// The merges in the order they were learnt, which is the order they are applied in:
    /// `merges[0]` is the pair that was most frequent in the training texts.
    public let merges: [(left: String, right: String)]
    /// The tokens that are never split or merged, matched in the text before normalisation.
    public let specialTokens: [String]
    /// Tokens matched whole in the text as the special tokens are, but ordinary text otherwise:
    /// decoding that skips the special tokens keeps them (llama.cpp's user-defined tokens, Hugging
    /// Face's added tokens that are not special). Empty unless a GGUF file lists some.
    public let userDefinedTokens: [String]
    /// Whether text is lower-cased before it is cut into pieces.
    public let lowercases: Bool
    /// The id that pads short sequences in a batch: the first special token's (`<pad>` for a
    /// tokenizer trained with the default special tokens), or 0 when there is none; for a
    /// tokenizer read from a GGUF file, the file's padding token.
    public let padID: Int
    /// How text is cut into pieces before the merges: GPT-2's pattern, unless the tokenizer was
    /// read from a file that says otherwise (SmolLM2's GGUF file: single digits first).
    public let preTokenizer: BPEPreTokenizer
    /// The tokens a model gives a role to (beginning and end of a sequence, end of a turn…), as a
    /// GGUF file names them; all nil for a tokenizer trained here or read from a `tokenizer.json`.
    public let roles: SpecialTokenRoles
    /// Whether ``encode(_:)`` puts the beginning-of-sequence token before the text, as the GGUF
    /// file's `tokenizer.ggml.add_bos_token` asks (false for SmolLM2, and for every tokenizer
    /// trained here or read from a `tokenizer.json`).
    public let addsBeginningOfSequence: Bool

    /// The ids of the tokens, keyed by their exact UTF-8 bytes (Swift's `String` compares by
    /// canonical equivalence, and two different byte strings must stay two tokens).
    let idsByBytes: [[UInt8]: Int]
    /// The id of each byte's one-character token (-1 when the vocabulary lacks it).
    let byteIDs: [Int]
    /// Each merge's rank (its place in `merges`) and the id of the token it makes.
    let mergeTable: [TokenPair: (rank: Int, id: Int)]
    /// The bytes each token spells, for decoding.
    let tokenBytes: [[UInt8]]
    /// The special tokens' bytes and ids, longest first.
    let specialMatches: [(bytes: [UInt8], id: Int)]
    /// The token for a byte the vocabulary lacks; such bytes are dropped when it is nil.
    let unknownID: Int?
    /// Whether a piece that is a token as a whole skips the merges (`ignore_merges` in a file).
    let ignoresMerges: Bool
    /// The ids of ``specialTokens``, for decoding without them.
    let specialIDs: Set<Int>

    /// A tokenizer with the given tokens and merges.
    ///
    /// - Parameters:
    ///   - vocabulary: every token, at its id, written in the ``ByteLevel`` alphabet.
    ///   - merges: the merges, earliest first; each merged token must be in the vocabulary.
    ///   - specialTokens: tokens kept whole (each must be in the vocabulary); the first pads.
    ///   - lowercase: whether text is lower-cased first.
    /// - Throws: ``TokenizerFileError`` when a token appears twice, a merge names or makes a token
    ///   the vocabulary lacks, or a special token is missing.
    public init(vocabulary: [String], merges: [(left: String, right: String)], specialTokens: [String] = [],
                lowercase: Bool = false) throws {
        try self.init(vocabulary: vocabulary, merges: merges, specialTokens: specialTokens, lowercase: lowercase,
                      unknownToken: nil, ignoresMerges: false, source: "the vocabulary and merges")
    }

    /// The tokenizer the files describe; `source` names the file in errors. `padID` replaces the
    /// first special token's id, and `roles` must name ids of the vocabulary (checked by the caller).
    init(vocabulary: [String], merges: [(left: String, right: String)], specialTokens: [String], lowercase: Bool,
         unknownToken: String?, ignoresMerges: Bool, source: String, preTokenizer: BPEPreTokenizer = .gpt2,
         roles: SpecialTokenRoles = SpecialTokenRoles(), addsBeginningOfSequence: Bool = false,
         padID: Int? = nil, userDefinedTokens: [String] = []) throws {
        func fail(_ problem: TokenizerFileError.Problem) -> TokenizerFileError {
            TokenizerFileError(path: source, problem: problem)
        }
        var ids: [[UInt8]: Int] = [:]
        ids.reserveCapacity(vocabulary.count)
        for (id, token) in vocabulary.enumerated() {
            if let earlier = ids.updateValue(id, forKey: Array(token.utf8)) {
                throw fail(.duplicateToken(token: token, firstID: earlier, secondID: id))
            }
        }
        var table: [TokenPair: (rank: Int, id: Int)] = [:]
        table.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            let written = merge.left + " " + merge.right
            guard let left = ids[Array(merge.left.utf8)] else {
                throw fail(.unknownTokenInMerge(index: rank, merge: written, token: merge.left))
            }
            guard let right = ids[Array(merge.right.utf8)] else {
                throw fail(.unknownTokenInMerge(index: rank, merge: written, token: merge.right))
            }
            guard let made = ids[Array((merge.left + merge.right).utf8)] else {
                throw fail(.mergedTokenMissing(index: rank, merge: written, token: merge.left + merge.right))
            }
            // A pair listed twice keeps its later rank, as in Hugging Face's BPE model.
            table[TokenPair(left, right)] = (rank, made)
        }
        var specials: [(bytes: [UInt8], id: Int)] = []
        for token in specialTokens + userDefinedTokens {
            guard let id = ids[Array(token.utf8)] else {
                throw fail(.specialTokenMismatch(token: token, reason: "is not in the vocabulary; add it there with an id of its own"))
            }
            specials.append((Array(token.utf8), id))
        }
        var unknownID: Int?
        if let unknownToken {
            guard let id = ids[Array(unknownToken.utf8)] else {
                throw fail(.specialTokenMismatch(token: unknownToken, reason: "is model.unk_token but not in model.vocab"))
            }
            unknownID = id
        }
        self.vocabulary = vocabulary
        self.merges = merges
        self.specialTokens = specialTokens
        self.lowercases = lowercase
        self.userDefinedTokens = userDefinedTokens
        self.padID = padID ?? specials.first?.id ?? 0
        self.preTokenizer = preTokenizer
        self.roles = roles
        self.addsBeginningOfSequence = addsBeginningOfSequence && roles.beginningOfSequence != nil
        self.specialIDs = Set(specials.prefix(specialTokens.count).map(\.id))
        self.idsByBytes = ids
        self.byteIDs = ByteLevel.characters.map { ids[Array(String($0).utf8)] ?? -1 }
        self.mergeTable = table
        self.tokenBytes = vocabulary.map(ByteLevel.bytes(of:))
        self.specialMatches = specials.sorted { $0.bytes.count > $1.bytes.count }
        self.unknownID = unknownID
        self.ignoresMerges = ignoresMerges
    }

    /// The number of tokens.
    public var count: Int { vocabulary.count }

    /// The id of a token, or nil when the vocabulary does not have it.
    public func id(of token: String) -> Int? {
        idsByBytes[Array(token.utf8)]
    }

    /// The token with the given id.
    ///
    /// - Precondition: `0 <= id < count`.
    public func token(of id: Int, file: StaticString = #filePath, line: UInt = #line) -> String {
        checkID(id, file: file, line: line)
        return vocabulary[id]
    }

    func checkID(_ id: Int, file: StaticString, line: UInt) {
        guard vocabulary.indices.contains(id) else {
            tensorFailure("BPETokenizer: there is no token with id \(id); the ids run from 0 to \(count - 1)",
                          file: file, line: line)
        }
    }

    /// Step 1: the text lower-cased (each Unicode scalar by its full lower-case mapping, as Rust's
    /// `char::to_lowercase` in Hugging Face's `Lowercase` normaliser), or as it is.
    public func normalized(_ text: String) -> String {
        lowercases ? Self.lowercased(text) : text
    }

    /// Lower-cases scalar by scalar, without context: `"ΟΔΟΣ"` → `"οδοσ"` (no final `ς`), and
    /// `"İ"` → `"i̇"` (an `i` and a combining dot), exactly as `tokenizers` does.
    static func lowercased(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                result.append(scalar.properties.isUppercase ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(result)
    }

    /// Step 2: the pieces of normalized text, cut by the ``preTokenizer`` and each written in the
    /// byte-level alphabet: `"I didn't  go"` → `["I", "Ġdidn", "'t", "Ġ", "Ġgo"]`.
    public func pieces(_ normalizedText: String) -> [String] {
        preTokenizer.pieceBytes(normalizedText).map { ByteLevel.encoded(bytes: $0) }
    }
}
