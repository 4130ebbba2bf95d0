/// The font commands `\mathbb`, `\mathbf`, `\mathcal`, `\mathit` and `\boldsymbol`, as Unicode's
/// Mathematical Alphanumeric Symbols (U+1D400–U+1D7FF).
///
/// MathML Core styles letters with these characters rather than with `mathvariant` (which browsers
/// support only as `normal`), so `\mathbb{R}` is written `<mi>ℝ</mi>`. Some letters were encoded
/// earlier in Letterlike Symbols (ℝ, ℕ, ℒ…); their slots in the mathematical block are empty.
enum MathAlphabet {
    case doubleStruck
    case bold
    case script
    case italic
    case boldItalic

    /// The character standing for `scalar` in this alphabet; the scalar itself when the alphabet
    /// has no such letter (punctuation, or a digit in script).
    func map(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        if let exception = exceptions[scalar] { return exception }
        let value = scalar.value
        var mapped: UInt32?
        switch value {
        case 0x41...0x5A: mapped = capitalA.map { $0 + value - 0x41 }
        case 0x61...0x7A: mapped = smallA.map { $0 + value - 0x61 }
        case 0x30...0x39: mapped = digitZero.map { $0 + value - 0x30 }
        case 0x391...0x3A9: mapped = greekCapitalAlpha.map { $0 + value - 0x391 }
        case 0x3B1...0x3C9: mapped = greekCapitalAlpha.map { $0 + 26 + value - 0x3B1 }
        default: mapped = nil
        }
        return mapped.flatMap(Unicode.Scalar.init) ?? scalar
    }

    /// Maps every scalar of a string.
    func map(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars { result.unicodeScalars.append(map(scalar)) }
        return result
    }

    private var capitalA: UInt32? {
        switch self {
        case .bold: 0x1D400
        case .italic: 0x1D434
        case .boldItalic: 0x1D468
        case .script: 0x1D49C
        case .doubleStruck: 0x1D538
        }
    }

    private var smallA: UInt32? {
        switch self {
        case .bold: 0x1D41A
        case .italic: 0x1D44E
        case .boldItalic: 0x1D482
        case .script: 0x1D4B6
        case .doubleStruck: 0x1D552
        }
    }

    private var digitZero: UInt32? {
        switch self {
        case .bold: 0x1D7CE
        case .doubleStruck: 0x1D7D8
        case .italic, .boldItalic, .script: nil
        }
    }

    /// Greek capitals start the block; small letters follow 26 slots later (after ∇).
    private var greekCapitalAlpha: UInt32? {
        switch self {
        case .bold: 0x1D6A8
        case .italic: 0x1D6E2
        case .boldItalic: 0x1D71C
        case .script, .doubleStruck: nil
        }
    }

    /// Letters that live in Letterlike Symbols instead of the mathematical block.
    private var exceptions: [Unicode.Scalar: Unicode.Scalar] {
        switch self {
        case .doubleStruck:
            ["C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"]
        case .script:
            ["B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
             "e": "ℯ", "g": "ℊ", "o": "ℴ"]
        case .italic:
            ["h": "ℎ"]
        case .bold, .boldItalic:
            [:]
        }
    }
}
