/// Turns token ids into text one at a time, as a model generates them, without ever showing half a
/// character.
///
/// A byte-level token is a run of bytes, not of characters: an emoji's four UTF-8 bytes may come
/// in two tokens, an `é` in two. Decoding each token alone would show `�` where the character
/// is cut. This decoder keeps the bytes of an unfinished character back until the token that
/// completes it arrives, so every piece it returns is whole text, and the pieces joined are
/// exactly ``BPETokenizer/decode(_:skippingSpecialTokens:file:line:)`` of all the ids.
///
/// ```swift
/// var stream = IncrementalTextDecoder(tokenizer)
/// for id in tokenizer.encode("¡Olé! 👩🏽‍💻") {
///     print(stream.append(id), terminator: "")
///     // "", "¡", "O", "lé", "!", " ", "", "👩", "", "", "🏽", "", "\u{200D}", "", "", "💻": never a �
/// }
/// print(stream.finish())                         // what is left: "" when the text was whole
/// ```
///
/// Held back are at most the 3 bytes that start a UTF-8 sequence of 2–4 bytes (the lead byte
/// `110xxxxx`, `1110xxxx` or `11110xxx` and the continuation bytes `10xxxxxx` after it). Bytes
/// that can never become a character are given out at once as U+FFFD, as ``BPETokenizer``'s
/// `decode` does (the Unicode Standard's "maximal subpart" replacement, which Swift's and Rust's
/// lossy UTF-8 decoding both follow).
public struct IncrementalTextDecoder: Sendable {
    /// The tokenizer whose ids are decoded.
    public let tokenizer: BPETokenizer
    /// Whether special tokens (`<|im_end|>`…) are left out of the text.
    public let skipsSpecialTokens: Bool
    /// The bytes of an unfinished character, kept until it is complete.
    private var pending: [UInt8] = []

    /// A decoder for `tokenizer`'s ids; with `skippingSpecialTokens`, the special tokens give no text.
    public init(_ tokenizer: BPETokenizer, skippingSpecialTokens: Bool = false) {
        self.tokenizer = tokenizer
        self.skipsSpecialTokens = skippingSpecialTokens
    }

    /// The text that the token completes: its bytes, after any held back, up to the last whole
    /// character. Empty when the token ends inside a character.
    ///
    /// - Precondition: `0 <= id < tokenizer.count`.
    public mutating func append(_ id: Int, file: StaticString = #filePath, line: UInt = #line) -> String {
        tokenizer.checkID(id, file: file, line: line)
        if skipsSpecialTokens && tokenizer.specialIDs.contains(id) { return "" }
        pending += tokenizer.tokenBytes[id]
        let whole = Self.completeLength(pending)
        let text = String(decoding: pending[..<whole], as: UTF8.self)
        pending.removeFirst(whole)
        return text
    }

    /// The text of the bytes still held back (U+FFFD for an unfinished character), and a fresh
    /// start for the next text.
    public mutating func finish() -> String {
        defer { pending = [] }
        return String(decoding: pending, as: UTF8.self)
    }

    /// How many of the bytes can be decoded now: all but an unfinished sequence at the end, that
    /// is a lead byte whose sequence is longer than the bytes from it to the end, with only
    /// continuation bytes after it.
    ///
    /// Cutting before a lead byte never changes how the bytes before it decode: an invalid
    /// sequence always ends before the next lead byte.
    static func completeLength(_ bytes: [UInt8]) -> Int {
        var start = bytes.count
        // Back over at most 3 continuation bytes to the byte that starts the last sequence.
        while start > 0 && bytes.count - start < 3 && bytes[start - 1] & 0b1100_0000 == 0b1000_0000 {
            start -= 1
        }
        guard start > 0 else { return bytes.count }
        let lead = bytes[start - 1]
        let length = lead >= 0b1111_0000 ? 4 : lead >= 0b1110_0000 ? 3 : lead >= 0b1100_0000 ? 2 : 1
        return length > bytes.count - (start - 1) ? start - 1 : bytes.count
    }
}
