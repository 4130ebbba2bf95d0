/// GPT-2's byte-level alphabet: every byte written as one printable character, so that a token
/// is a string of bytes that still prints (`" world"` → `"Ġworld"`, `"\n"` → `"Ċ"`).
///
/// Byte-level BPE works on the UTF-8 bytes of the text, not on its characters: 256 base symbols
/// spell any text at all (accents, emoji, Chinese), so there is never an unknown token and
/// decoding gives back exactly the text that was encoded. The bytes that are already printable
/// and not a space (`!`…`~`, `¡`…`¬`, `®`…`ÿ`) stand for themselves; the other 68 (controls, the
/// space, the no-break space, the soft hyphen…) are moved in order to U+0100 and after, so the
/// space (byte 32) is `Ġ` (U+0120) and the newline (byte 10) is `Ċ` (U+010A).
///
/// This is `bytes_to_unicode` of OpenAI's GPT-2 `encoder.py`, which Hugging Face's `tokenizers`
/// (`pre_tokenizers.ByteLevel`) and every GPT-2-style tokenizer file use.
public enum ByteLevel {
    /// The character that stands for each byte: `characters[32]` is `"Ġ"`, `characters[65]` is `"A"`.
    public static let characters: [Unicode.Scalar] = {
        var characters = [Unicode.Scalar](repeating: "\0", count: 256)
        var moved: UInt32 = 0
        for byte in 0..<256 {
            if standsForItself(UInt8(byte)) {
                characters[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                characters[byte] = Unicode.Scalar(256 + moved)!
                moved += 1
            }
        }
        return characters
    }()

    /// The 256 characters in the order of their code points, as `ByteLevel.alphabet()` gives them
    /// in Hugging Face's `tokenizers` and as a trained vocabulary lists them after its special tokens.
    public static let alphabet: [Unicode.Scalar] = characters.sorted { $0.value < $1.value }

    /// The byte a character stands for, indexed by the character's code point (all are below 0x144).
    private static let bytesByCodePoint: [UInt8?] = {
        var bytes = [UInt8?](repeating: nil, count: 0x144)
        for (byte, character) in characters.enumerated() {
            bytes[Int(character.value)] = UInt8(byte)
        }
        return bytes
    }()

    /// Whether a byte is printed as itself: the visible ASCII and Latin-1 characters.
    private static func standsForItself(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }

    /// The byte a character stands for, or nil when it is not one of the 256.
    public static func byte(of character: Unicode.Scalar) -> UInt8? {
        let value = Int(character.value)
        return value < bytesByCodePoint.count ? bytesByCodePoint[value] : nil
    }

    /// Text written in the byte-level alphabet: its UTF-8 bytes, each as its character.
    /// `"héllo world"` → `"hÃ©lloĠworld"`.
    public static func encoded(_ text: String) -> String {
        encoded(bytes: Array(text.utf8))
    }

    /// Bytes written in the byte-level alphabet, one character each.
    public static func encoded(bytes: [UInt8]) -> String {
        var scalars = String.UnicodeScalarView()
        for byte in bytes { scalars.append(characters[Int(byte)]) }
        return String(scalars)
    }

    /// The bytes a token spells: each character's byte; or, when some character is not in the
    /// byte-level alphabet (a special token such as `<|endoftext|>` may be anything), the token's
    /// own UTF-8 bytes, as Hugging Face's `ByteLevel` decoder does.
    public static func bytes(of token: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(of: scalar) else { return Array(token.utf8) }
            bytes.append(byte)
        }
        return bytes
    }

    /// Tokens put back together as text: their bytes joined and read as UTF-8. A sequence of
    /// bytes that is not UTF-8 (a token list cut inside a character) becomes U+FFFD, the
    /// replacement character, as Rust's `String::from_utf8_lossy` does in `tokenizers`.
    public static func decoded(_ tokens: [String]) -> String {
        String(decoding: tokens.flatMap { bytes(of: $0) }, as: UTF8.self)
    }
}
