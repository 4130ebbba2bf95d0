/// A recursive-descent parser from Cuaderno's TeX subset to MathML elements.
///
/// Grammar (TeX's, for the part we support):
///
/// ```
/// list     := atom*                      (up to `}`, `&`, `\\`, `\right`, `\middle`, `\end` or the end)
/// atom     := nucleus ( ^ argument | _ argument | ' )*
/// nucleus  := letter | number | symbol | { list } | command arguments
/// argument := { list } | a single letter, digit, symbol or command
/// ```
///
/// Mistakes never stop the parser: each is recorded in ``errors`` and shown in place as an
/// `<merror>`, so the page shows the formula with its mistake marked.
struct TeXParser {
    var lexer: TeXLexer
    let display: Bool
    var errors: [MathError] = []

    init(_ source: String, display: Bool) {
        lexer = TeXLexer(source)
        self.display = display
    }

    /// Parses the whole formula.
    mutating func parseFormula() -> [MathElement] {
        var elements: [MathElement] = []
        while true {
            elements += parseList()
            guard let stray = lexer.next() else { return elements }
            let text = Self.spelling(of: stray)
            let message = switch stray.kind {
            case .closeBrace: "unmatched '}' in math; remove it or add the '{' it closes"
            case .ampersand, .command("\\"):
                "'\(text)' separates the cells of a matrix; use it inside \\begin{pmatrix}…\\end{pmatrix} or similar"
            case .command("right"), .command("middle"): "'\(text)' without a \\left before it"
            default: "'\(text)' without a \\begin{…} before it"
            }
            elements.append(error(message, shown: text, at: stray.offset))
        }
    }

    /// Atoms up to the next token that ends a list (left unread for the caller).
    mutating func parseList() -> [MathElement] {
        var elements: [MathElement] = []
        while let token = lexer.peek(), !Self.endsList(token) {
            let atom = parseAtom()
            if let previous = elements.last, Self.isSign(atom.first), Self.startsOperand(after: previous) {
                // A sign after an operator or an opening fence is unary, as at the start of a
                // row (where MathML knows it already): `= -2` and `(-\infty` get no space after it.
                var sign = atom[0]
                sign.attributes.append(MathElement.Attribute(name: "form", value: "prefix"))
                elements.append(sign)
                elements += atom.dropFirst()
            } else {
                elements += atom
            }
        }
        return elements
    }

    private static func isSign(_ element: MathElement?) -> Bool {
        guard let element, element.name == "mo", element.attributes.isEmpty else { return false }
        return element.content == .text("−") || element.content == .text("+") || element.content == .text("±")
            || element.content == .text("∓")
    }

    /// Whether what comes after `previous` starts an operand: after an operator, relation,
    /// separator or opening fence.
    private static func startsOperand(after previous: MathElement) -> Bool {
        guard previous.name == "mo", case .text(let text) = previous.content else { return false }
        let closing: Set<String> = [")", "]", "}", "|", "‖", "⟩", "⌋", "⌉", "′"]
        if closing.contains(text) {
            // An opening fence is a prefix; a bar may open or close: only `form` tells.
            return previous.attributes.contains(MathElement.Attribute(name: "form", value: "prefix"))
        }
        return true
    }

    /// Whether a token ends a list: a closing brace, a cell or row separator, `\right`,
    /// `\middle` or `\end`.
    static func endsList(_ token: TeXToken) -> Bool {
        switch token.kind {
        case .closeBrace, .ampersand: true
        case .command(let name): ["\\", "right", "middle", "end"].contains(name)
        default: false
        }
    }

    /// A nucleus and its scripts; a named function is followed by the thin space TeX puts after
    /// it, unless a fence follows.
    mutating func parseAtom() -> [MathElement] {
        var nucleus: Nucleus
        if let token = lexer.peek(), token.kind == .superscript || token.kind == .subscript {
            nucleus = Nucleus(MathElement("mrow", children: []))
        } else if let token = lexer.next() {
            nucleus = parseNucleus(token)
        } else {
            return []
        }
        var atom = attachScripts(to: &nucleus)
        if nucleus.isFunction, needsSpaceAfterFunction() {
            atom.append(.space("0.1667em"))
        }
        return atom
    }

    /// The argument of `^`, `_` or a command: a braced group, or else one token (one digit of a number).
    mutating func parseArgument(after command: String, at offset: Int) -> MathElement {
        guard let token = lexer.peek(), !Self.endsList(token),
              token.kind != .superscript, token.kind != .subscript
        else {
            return error("'\(command)' needs an argument; write it in braces, as in \(command){…}",
                         shown: command, at: offset)
        }
        let single = lexer.next(singleDigit: true)!
        return parseNucleus(single).element
    }

    /// `{ list }` after its opening brace has been read.
    mutating func parseGroup(openedAt offset: Int) -> MathElement {
        var elements = parseList()
        while true {
            guard let token = lexer.next() else {
                elements.append(error("'{' is never closed; add the matching '}'", shown: "{", at: offset))
                return .row(elements)
            }
            if token.kind == .closeBrace {
                return elements.count == 1 ? elements[0] : MathElement("mrow", children: elements)
            }
            let text = Self.spelling(of: token)
            elements.append(error("'\(text)' cannot stand inside braces here", shown: text, at: token.offset))
            elements += parseList()
        }
    }

    /// One nucleus, from its first token.
    private mutating func parseNucleus(_ token: TeXToken) -> Nucleus {
        switch token.kind {
        case .letter(let letter):
            return Nucleus(.identifier(String(letter)))
        case .number(let digits):
            return Nucleus(.number(digits))
        case .symbol(let symbol):
            return Nucleus(Self.element(forSymbol: symbol))
        case .openBrace:
            return Nucleus(parseGroup(openedAt: token.offset))
        case .command(let name):
            return parseCommand(name, at: token.offset)
        case .superscript, .subscript, .closeBrace, .ampersand:
            // The callers never pass these; show them rather than lose them.
            let text = Self.spelling(of: token)
            return Nucleus(error("unexpected '\(text)'", shown: text, at: token.offset))
        }
    }

    /// A character that is neither letter, digit nor TeX syntax.
    static func element(forSymbol symbol: Character) -> MathElement {
        switch symbol {
        case "(", ")", "[", "]", "|": .op(String(symbol), [("stretchy", "false")])
        case "-": .op("−")
        case "*": .op("∗")
        case "'": .op("′")
        case "~": .space("0.3333em")
        default: .op(String(symbol))
        }
    }

    /// Whether a named function needs TeX's thin space after it: before an argument such as a
    /// letter, a number, a group or a symbol command, but not before a fence, an operator or the end.
    private func needsSpaceAfterFunction() -> Bool {
        switch lexer.peek()?.kind {
        case .letter, .number, .openBrace:
            return true
        case .command(let name):
            switch TeXSymbols.lookup(name) {
            case .identifier?, .function?, .largeOperator?: return true
            case .op?, .fence?, .space?: return false
            case nil: return !Self.endsList(lexer.peek()!) && name != "left" && !name.hasPrefix("big") && !name.hasPrefix("Big")
            }
        default:
            return false
        }
    }

    /// Records a mistake and returns the `<merror>` that shows it.
    mutating func error(_ message: String, shown: String, at offset: Int) -> MathElement {
        errors.append(MathError(message: message, offset: offset))
        return .error(shown)
    }

    /// How a token was written, for messages.
    static func spelling(of token: TeXToken) -> String {
        switch token.kind {
        case .command(let name): "\\" + name
        case .letter(let letter): String(letter)
        case .number(let digits): digits
        case .symbol(let symbol): String(symbol)
        case .openBrace: "{"
        case .closeBrace: "}"
        case .superscript: "^"
        case .subscript: "_"
        case .ampersand: "&"
        }
    }
}
