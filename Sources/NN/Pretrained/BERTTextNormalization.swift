import Foundation

/// The text clean-up and word splitting that come before WordPiece in BERT's tokenizer (Devlin et
/// al., 2019, and Hugging Face's `BertNormalizer` and `BertPreTokenizer`), as Unicode scalars.
///
/// Everything works on Unicode scalars, not Swift `Character`s: after accents are stripped a word
/// may hold combining marks that a `Character` would merge with their letter, and BERT counts and
/// splits scalars.
enum BERTTextNormalization {
    /// The text as BERT's uncased vocabulary expects it, in this order:
    /// 1. **clean**: drop U+0000, U+FFFD and control characters (general category C*: Cc, Cf, Cn,
    ///    Co, Cs — but tab, line feed and carriage return count as whitespace), and turn every
    ///    whitespace character into a plain space;
    /// 2. **CJK**: put spaces around every CJK ideograph, so each is a word of its own (Chinese is
    ///    not written with spaces, and the vocabulary has one entry per ideograph);
    /// 3. **strip accents** (when lower-casing): decompose (Unicode NFD, `é` → `e` + U+0301) and
    ///    drop the non-spacing marks (category Mn);
    /// 4. **lower-case** each scalar by its full Unicode mapping.
    static func normalized(_ text: String, lowercase: Bool) -> String {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJKIdeograph(scalar) {
                cleaned.append(contentsOf: [" ", scalar, " "])
            } else {
                cleaned.append(scalar)
            }
        }
        guard lowercase else { return String(cleaned) }
        var result = String.UnicodeScalarView()
        for scalar in String(cleaned).decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return String(result)
    }

    /// The words of normalized text: split at whitespace (dropped), with every punctuation
    /// character a word of its own (`"don't!"` → `don`, `'`, `t`, `!`).
    static func words(_ normalizedText: String) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func finishWord() {
            if !current.isEmpty { words.append(current) }
            current = []
        }
        for scalar in normalizedText.unicodeScalars {
            if isWhitespace(scalar) {
                finishWord()
            } else if isPunctuation(scalar) {
                finishWord()
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        finishWord()
        return words
    }

    // MARK: Character classes

    /// Tab, line feed, carriage return, and every character with Unicode's White_Space property
    /// (space, no-break space, the U+2000 spaces, ideographic space…).
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// Control, format, unassigned, private-use and surrogate characters (general category C*),
    /// except tab, line feed and carriage return, which are whitespace.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// BERT's punctuation: every ASCII character that is neither a letter, a digit, a space nor a
    /// control (so `$`, `+`, `<`, `^`, `` ` ``, `|` and `~` count, though Unicode calls them
    /// symbols), and every character of Unicode's punctuation categories P* (`¿`, `«`, `—`, `。`…).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks and their extensions A–E, and the compatibility
    /// ideographs: Chinese characters and the kanji and hanja written with them, but not Japanese
    /// kana or Korean hangul, which are written with spaces between words.
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
