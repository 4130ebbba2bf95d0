import TensorCore

/// A tokenizer that turns text into token ids and back, with an id to pad with: what a model's
/// batches are made from. ``WordVocabulary`` and ``BPETokenizer`` are two.
///
/// ```swift
/// let batch = tokenizer.encode(["a fine film", "dull"], maxLength: 64)
/// batch.ids            // int64 (2, 3): [[ids of a, fine, film], [id of dull, pad, pad]]
/// batch.paddingMask    // bool (2, 3): [[false, false, false], [false, true, true]]
/// batch.lengths        // [3, 1]
/// let attended = attention.attend(query: x, key: x, value: x, keyPaddingMask: batch.paddingMask)
/// ```
public protocol TextTokenizer {
    /// The token ids of a text.
    func encode(_ text: String) -> [Int]
    /// The text that token ids stand for.
    func decode(_ ids: [Int], file: StaticString, line: UInt) -> String
    /// The token with an id.
    func token(of id: Int, file: StaticString, line: UInt) -> String
    /// The id that fills the positions after a short text in a batch.
    var padID: Int { get }
}

extension TextTokenizer {
    /// The token ids of a text, cut after the first `maxLength` (truncation on the right, as
    /// Hugging Face's and PyTorch's defaults).
    ///
    /// - Precondition: `maxLength >= 0`.
    public func encode(_ text: String, maxLength: Int, file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        checkMaxLength(maxLength, file: file, line: line)
        return Array(encode(text).prefix(maxLength))
    }

    /// Several texts as one batch: each encoded and cut to `maxLength`, then padded with
    /// ``padID`` to the longest of them, so the batch's length `L` is the longest text's
    /// token count, at most `maxLength`.
    ///
    /// The result's ``TokenizedBatch/ids`` are `int64` `(texts, L)`;
    /// ``TokenizedBatch/paddingMask`` is `bool` `(texts, L)`, true at padding (the key padding
    /// mask that ``MultiHeadAttention/attend(query:key:value:keyPaddingMask:causal:file:line:)``
    /// takes); ``TokenizedBatch/lengths`` are the texts' lengths before padding. No tokens are
    /// added at the start or end.
    ///
    /// - Parameter maxLength: the longest a text may be; nil keeps every token.
    /// - Precondition: `maxLength >= 0` when given.
    public func encode(_ texts: [String], maxLength: Int? = nil, file: StaticString = #filePath,
                       line: UInt = #line) -> TokenizedBatch {
        if let maxLength { checkMaxLength(maxLength, file: file, line: line) }
        let encoded = texts.map { text in
            maxLength.map { Array(encode(text).prefix($0)) } ?? encode(text)
        }
        return padded(encoded, file: file, line: line)
    }

    /// Texts already encoded (each as its ids), padded with ``padID`` to the longest into one
    /// batch, as `encode(_ texts:maxLength:)` makes it: encode a data set
    /// once, then pad each mini-batch of it.
    public func padded(_ encoded: [[Int]], file: StaticString = #filePath, line: UInt = #line) -> TokenizedBatch {
        let length = encoded.map(\.count).max() ?? 0
        // The pad token's text, looked up only when some text is padded.
        let padToken = encoded.contains { $0.count < length } ? token(of: padID, file: file, line: line) : ""
        return TokenizedBatch(texts: encoded.map { ids in
            let padding = length - ids.count
            return TokenizedText(ids: ids + Array(repeating: padID, count: padding),
                                 tokens: ids.map { token(of: $0, file: file, line: line) } + Array(repeating: padToken, count: padding),
                                 attentionMask: Array(repeating: 1, count: ids.count) + Array(repeating: 0, count: padding))
        })
    }

    private func checkMaxLength(_ maxLength: Int, file: StaticString, line: UInt) {
        guard maxLength >= 0 else {
            tensorFailure("\(type(of: self)).encode: maxLength must be at least 0, not \(maxLength)", file: file, line: line)
        }
    }
}

extension TokenizedBatch {
    /// True at the positions that are padding, a `bool` tensor `(texts, tokens)`: the opposite of
    /// ``attentionMask``, and the convention of PyTorch's `key_padding_mask` and of
    /// ``MultiHeadAttention/attend(query:key:value:keyPaddingMask:causal:file:line:)``.
    public var paddingMask: Tensor {
        let flags = texts.flatMap { text in text.attentionMask.map { $0 == 0 } }
        return Tensor(flags).reshaped([texts.count, texts.first?.count ?? 0])
    }

    /// Each text's number of real tokens, before padding.
    public var lengths: [Int] {
        texts.map { $0.attentionMask.reduce(0, +) }
    }
}
