/// GPT-2's pre-tokenisation: text cut into the pieces that byte-level BPE then splits further.
///
/// The pieces are the matches, left to right, of GPT-2's pattern (OpenAI's `encoder.py`, and
/// Hugging Face's `pre_tokenizers.ByteLevel(use_regex=True)`):
///
/// ```text
/// 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
/// ```
///
/// - an English contraction: `'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d` (lower case only);
/// - a run of letters, of digits, or of other symbols, each with at most one space before it,
///   so a word keeps the space in front of it (`" film"`);
/// - a run of whitespace, less its last character when a word follows (that one goes with the
///   word when it is a space, or stands alone otherwise).
///
/// `"I didn't  go!\n"` → `["I", " didn", "'t", " ", " go", "!", "\n"]`.
///
/// Merges never cross these pieces: a token never joins two words. The scanner below walks the
/// Unicode scalars once, with `Unicode.Scalar.Properties` for the classes (letters are the
/// categories L*, numbers N*, whitespace Unicode's White_Space), which is what the pattern means
/// and many times faster than running a `Regex` over a whole corpus.
public enum GPT2PreTokenizer {
    /// The pieces of a text, as strings: `"Hello world"` → `["Hello", " world"]`.
    public static func pieces(_ text: String) -> [String] {
        pieces(text, isolatingNumbers: false)
    }

    /// The pieces of a text, as strings; with `isolatingNumbers`, every number character is a
    /// piece of its own first and the pattern cuts the text between them (see
    /// ``BPEPreTokenizer/gpt2WithSingleDigits``).
    static func pieces(_ text: String, isolatingNumbers: Bool) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return pieceRanges(scalars, isolatingNumbers: isolatingNumbers).map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range])
            return String(view)
        }
    }

    /// The UTF-8 bytes of each piece of a text.
    static func pieceBytes(_ text: String, isolatingNumbers: Bool = false) -> [[UInt8]] {
        let scalars = Array(text.unicodeScalars)
        return pieceRanges(scalars, isolatingNumbers: isolatingNumbers).map { range in
            var bytes: [UInt8] = []
            bytes.reserveCapacity(range.count)
            for scalar in scalars[range] {
                UTF8.encode(scalar) { bytes.append($0) }
            }
            return bytes
        }
    }

    /// The classes the pattern distinguishes.
    private enum Kind: UInt8 {
        case letter, number, whitespace, other
    }

    /// Where each piece starts and ends, as positions in `scalars`.
    ///
    /// With `isolatingNumbers`, the text is first cut before and after every number character
    /// (`\p{N}`, Rust's `char::is_numeric` in Hugging Face's `Digits(individual_digits=True)`),
    /// and the pattern then runs on each stretch between them on its own, so a run of whitespace
    /// before a digit ends at the digit: `"a  1"` → `["a", "  ", "1"]`, not `["a", " ", " 1"]`.
    private static func pieceRanges(_ scalars: [Unicode.Scalar], isolatingNumbers: Bool) -> [Range<Int>] {
        let kinds = scalars.map(kind)
        guard isolatingNumbers else { return patternRanges(scalars[...], kinds[...]) }
        var ranges: [Range<Int>] = []
        var start = 0
        while start < scalars.count {
            if kinds[start] == .number {
                ranges.append(start..<(start + 1))
                start += 1
                continue
            }
            var end = start + 1
            while end < kinds.count && kinds[end] != .number { end += 1 }
            ranges += patternRanges(scalars[start..<end], kinds[start..<end])
            start = end
        }
        return ranges
    }

    /// The matches of the pattern in a stretch of text, which ends where the slices end.
    private static func patternRanges(_ scalars: ArraySlice<Unicode.Scalar>, _ kinds: ArraySlice<Kind>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = scalars.startIndex
        while start < scalars.endIndex {
            let end = contractionEnd(scalars, at: start)
                ?? runEnd(of: .letter, scalars, kinds, at: start)
                ?? runEnd(of: .number, scalars, kinds, at: start)
                ?? runEnd(of: .other, scalars, kinds, at: start)
                ?? whitespaceEnd(kinds, at: start)
            ranges.append(start..<end)
            start = end
        }
        return ranges
    }

    /// `'s|'t|'re|'ve|'m|'ll|'d`: where a contraction starting here ends.
    private static func contractionEnd(_ scalars: ArraySlice<Unicode.Scalar>, at start: Int) -> Int? {
        guard scalars[start] == "'", start + 1 < scalars.endIndex else { return nil }
        let next = scalars[start + 1]
        if next == "s" || next == "t" || next == "m" || next == "d" { return start + 2 }
        guard start + 2 < scalars.endIndex else { return nil }
        let pair = (next, scalars[start + 2])
        if pair == ("r", "e") || pair == ("v", "e") || pair == ("l", "l") { return start + 3 }
        return nil
    }

    /// ` ?\p{L}+` (and the same for numbers and other symbols): an optional space, then a run
    /// of one class; nil when no run of that class starts here.
    private static func runEnd(of wanted: Kind, _ scalars: ArraySlice<Unicode.Scalar>, _ kinds: ArraySlice<Kind>,
                               at start: Int) -> Int? {
        var end = start
        if scalars[end] == " " && end + 1 < scalars.endIndex && kinds[end + 1] == wanted { end += 1 }
        guard kinds[end] == wanted else { return nil }
        while end < kinds.endIndex && kinds[end] == wanted { end += 1 }
        return end
    }

    /// `\s+(?!\S)|\s+`: a run of whitespace that stops before the last one when something other
    /// than whitespace follows (so the space can start the next word); a single whitespace
    /// character before a word stands alone.
    private static func whitespaceEnd(_ kinds: ArraySlice<Kind>, at start: Int) -> Int {
        var end = start
        while end < kinds.endIndex && kinds[end] == .whitespace { end += 1 }
        if end < kinds.endIndex && end - start >= 2 { return end - 1 }
        return Swift.max(end, start + 1)
    }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        if scalar.isASCII {
            switch scalar.value {
            case 0x41...0x5A, 0x61...0x7A: return .letter
            case 0x30...0x39: return .number
            case 0x09...0x0D, 0x20: return .whitespace
            default: return .other
            }
        }
        let properties = scalar.properties
        if properties.isWhitespace { return .whitespace }
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return .letter
        case .decimalNumber, .letterNumber, .otherNumber:
            return .number
        default:
            return .other
        }
    }
}
