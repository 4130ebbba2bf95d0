/// One token of a TeX formula.
struct TeXToken: Equatable {
    enum Kind: Equatable {
        /// `\alpha`, `\frac`; a backslash and one other character (`\\`, `\,`, `\{`) is a command
        /// named by that character.
        case command(String)
        /// A letter: each is its own identifier, as in TeX (`xy` is x times y).
        case letter(Character)
        /// Digits with at most one decimal point: `42`, `3.14`.
        case number(String)
        /// Any other single character: `+`, `=`, `(`, `,`, `'`…
        case symbol(Character)
        case openBrace
        case closeBrace
        case superscript
        case `subscript`
        /// `&`, the column separator of a matrix.
        case ampersand
    }

    var kind: Kind
    /// Where the token starts, in Unicode scalars from the start of the formula.
    var offset: Int
}

/// Splits a TeX formula into tokens, skipping spaces and `%` comments as TeX does in math mode.
struct TeXLexer {
    private let scalars: [Unicode.Scalar]
    /// The position of the next unread scalar.
    private(set) var position = 0

    init(_ source: String) {
        scalars = Array(source.unicodeScalars)
    }

    /// The number of scalars in the formula.
    var count: Int { scalars.count }

    /// The next token, or `nil` at the end.
    ///
    /// - Parameter singleDigit: read only one digit of a number, as TeX does for the argument of
    ///   `^` and `_` (`x^10` is x¹ followed by 0).
    mutating func next(singleDigit: Bool = false) -> TeXToken? {
        skipSpacesAndComments()
        guard position < scalars.count else { return nil }
        let start = position
        let scalar = scalars[position]
        position += 1
        switch scalar {
        case "\\":
            return TeXToken(kind: .command(readCommandName()), offset: start)
        case "{": return TeXToken(kind: .openBrace, offset: start)
        case "}": return TeXToken(kind: .closeBrace, offset: start)
        case "^": return TeXToken(kind: .superscript, offset: start)
        case "_": return TeXToken(kind: .subscript, offset: start)
        case "&": return TeXToken(kind: .ampersand, offset: start)
        default:
            break
        }
        if Self.isDigit(scalar) {
            var number = String(scalar)
            if !singleDigit {
                number += readDigits()
                if position + 1 < scalars.count, scalars[position] == ".", Self.isDigit(scalars[position + 1]) {
                    position += 1
                    number += "." + readDigits()
                }
            }
            return TeXToken(kind: .number(number), offset: start)
        }
        if scalar.properties.isAlphabetic {
            return TeXToken(kind: .letter(Character(scalar)), offset: start)
        }
        return TeXToken(kind: .symbol(Character(scalar)), offset: start)
    }

    /// The next token without consuming it.
    func peek() -> TeXToken? {
        var copy = self
        return copy.next()
    }

    /// Reads a brace group as raw text, for `\text{…}` and environment names: the braces must be
    /// the next non-space characters. Nested braces are kept; `\{`, `\}` and `\\` stand for their
    /// character. Returns `nil` (reading nothing) when no `{` follows; `closed` is false when the
    /// group runs to the end of the formula.
    mutating func readRawGroup() -> (text: String, closed: Bool)? {
        skipSpacesAndComments()
        guard position < scalars.count, scalars[position] == "{" else { return nil }
        position += 1
        var depth = 1
        var text = ""
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            switch scalar {
            case "\\" where position < scalars.count:
                let escaped = scalars[position]
                position += 1
                if escaped == "{" || escaped == "}" || escaped == "\\" || escaped == "$"
                    || escaped == "%" || escaped == "&" || escaped == "#" || escaped == "_" {
                    text.unicodeScalars.append(escaped)
                } else {
                    text.unicodeScalars.append("\\")
                    text.unicodeScalars.append(escaped)
                }
            case "{":
                depth += 1
                text.unicodeScalars.append(scalar)
            case "}":
                depth -= 1
                if depth == 0 { return (text, true) }
                text.unicodeScalars.append(scalar)
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        return (text, false)
    }

    /// After a backslash: a run of ASCII letters, or else exactly one character.
    private mutating func readCommandName() -> String {
        guard position < scalars.count else { return "" }
        var name = ""
        while position < scalars.count, Self.isASCIILetter(scalars[position]) {
            name.unicodeScalars.append(scalars[position])
            position += 1
        }
        if name.isEmpty {
            name.unicodeScalars.append(scalars[position])
            position += 1
        }
        return name
    }

    private mutating func readDigits() -> String {
        var digits = ""
        while position < scalars.count, Self.isDigit(scalars[position]) {
            digits.unicodeScalars.append(scalars[position])
            position += 1
        }
        return digits
    }

    private mutating func skipSpacesAndComments() {
        while position < scalars.count {
            let scalar = scalars[position]
            if scalar.properties.isWhitespace {
                position += 1
            } else if scalar == "%" {
                while position < scalars.count, scalars[position] != "\n" { position += 1 }
            } else {
                return
            }
        }
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
    }
}
