/// The commands that take arguments: fractions, roots, fonts, text, named operators, accents.
/// Fences (`\left…\right`, `\big`) and environments live in `TeXParser+Structures.swift`.
extension TeXParser {
    /// The nucleus a command makes, reading its arguments.
    mutating func parseCommand(_ name: String, at offset: Int) -> Nucleus {
        if let symbol = TeXSymbols.lookup(name) {
            return Self.nucleus(for: symbol)
        }
        let command = "\\" + name
        switch name {
        case "frac", "dfrac", "tfrac":
            let numerator = parseArgument(after: command, at: offset)
            let denominator = parseArgument(after: command, at: offset)
            let fraction = MathElement("mfrac", children: [numerator, denominator])
            if name == "frac" { return Nucleus(fraction) }
            return Nucleus(MathElement("mstyle", [("displaystyle", name == "dfrac" ? "true" : "false")],
                                       children: [fraction]))
        case "binom":
            let top = parseArgument(after: command, at: offset)
            let bottom = parseArgument(after: command, at: offset)
            return Nucleus(MathElement("mrow", children: [
                .op("("), MathElement("mfrac", [("linethickness", "0")], children: [top, bottom]), .op(")"),
            ]))
        case "sqrt":
            return Nucleus(parseRoot(at: offset))
        case "mathbb", "mathbf", "mathcal", "mathit", "boldsymbol", "bm":
            let argument = parseArgument(after: command, at: offset)
            return Nucleus(Self.restyle(argument, with: Self.alphabets[name]!))
        case "mathrm":
            return Nucleus(Self.upright(parseArgument(after: command, at: offset)))
        case "text", "textrm", "textnormal", "mbox":
            guard let (text, closed) = lexer.readRawGroup() else {
                return Nucleus(error("'\(command)' needs its text in braces, as in \(command){if}", shown: command, at: offset))
            }
            if !closed { errors.append(MathError(message: "the '{' of '\(command)' is never closed", offset: offset)) }
            return Nucleus(.text(Self.keepingEdgeSpaces(text)))
        case "operatorname":
            var limits = false
            if lexer.peek()?.kind == .symbol("*") {
                _ = lexer.next()
                limits = true
            }
            guard let (text, closed) = lexer.readRawGroup(), closed, !text.isEmpty else {
                return Nucleus(error("'\\operatorname' needs a name in braces, as in \\operatorname{softmax}",
                                     shown: command, at: offset))
            }
            let name = text.replacingOccurrences(of: "\\,", with: "\u{2009}")
            return Nucleus(.identifier(name, normal: name.unicodeScalars.count == 1), limits: limits, isFunction: true)
        case "left":
            return Nucleus(parseFenced(at: offset))
        case "big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl", "bigr", "Bigr", "biggr", "Biggr",
             "bigm", "Bigm", "biggm", "Biggm":
            return Nucleus(parseSizedDelimiter(name, at: offset))
        case "begin":
            return Nucleus(parseEnvironment(at: offset))
        case "overset", "stackrel", "underset":
            let script = parseArgument(after: command, at: offset)
            let base = parseArgument(after: command, at: offset)
            return Nucleus(MathElement(name == "underset" ? "munder" : "mover", children: [base, script]))
        case "not":
            return Nucleus(parseNegation(at: offset))
        case "limits", "nolimits":
            return Nucleus(error("'\(command)' must follow a large operator such as \\sum", shown: command, at: offset))
        case "":
            return Nucleus(error("a lone '\\' at the end of the formula", shown: "\\", at: offset))
        default:
            if let accent = Self.accents[name] {
                let base = parseArgument(after: command, at: offset)
                var nucleus = Nucleus(accent.apply(to: base), limits: accent.isBrace ? true : nil)
                nucleus.forcedLimits = accent.isBrace
                return nucleus
            }
            return Nucleus(error("unknown TeX command '\(command)'; see the README for the supported commands",
                                 shown: command, at: offset))
        }
    }

    /// The nucleus for a command without arguments.
    static func nucleus(for symbol: TeXSymbol) -> Nucleus {
        switch symbol {
        case .identifier(let text, let normal): Nucleus(.identifier(text, normal: normal))
        case .op(let text): Nucleus(.op(text))
        case .fence(let text): Nucleus(.op(text, [("stretchy", "false")]))
        case .largeOperator(let text, let limits): Nucleus(.op(text), limits: limits)
        case .function(let text, let limits):
            Nucleus(.identifier(text.replacingOccurrences(of: " ", with: "\u{A0}")), limits: limits, isFunction: true)
        case .space(let width): Nucleus(.space(width))
        }
    }

    /// `\sqrt{x}` or `\sqrt[n]{x}`.
    private mutating func parseRoot(at offset: Int) -> MathElement {
        guard lexer.peek()?.kind == .symbol("[") else {
            let radicand = parseArgument(after: "\\sqrt", at: offset)
            return MathElement("msqrt", children: [radicand])
        }
        _ = lexer.next()
        var index: [MathElement] = []
        while let token = lexer.peek(), token.kind != .symbol("]"), !Self.endsList(token) {
            index += parseList(stoppingAt: "]")
        }
        if lexer.peek()?.kind == .symbol("]") {
            _ = lexer.next()
        } else {
            index.append(error("the '[' of '\\sqrt[' is never closed; add ']'", shown: "[", at: offset))
        }
        let radicand = parseArgument(after: "\\sqrt", at: offset)
        return MathElement("mroot", children: [radicand, .row(index)])
    }

    /// `\not=`, `\not\in`: the relation with a stroke through it.
    private mutating func parseNegation(at offset: Int) -> MathElement {
        guard let token = lexer.peek(), !Self.endsList(token) else {
            return error("'\\not' must be followed by a relation, as in \\not\\in", shown: "\\not", at: offset)
        }
        _ = lexer.next()
        switch token.kind {
        case .symbol("="): return .op("≠")
        case .command("in"): return .op("∉")
        default:
            let element = parseCommandOrSymbol(token)
            guard element.name == "mo", case .text(let text) = element.content else {
                return error("'\\not' must be followed by a relation, as in \\not\\in", shown: "\\not", at: offset)
            }
            return .op(text + "\u{338}")
        }
    }

    private mutating func parseCommandOrSymbol(_ token: TeXToken) -> MathElement {
        switch token.kind {
        case .command(let name): parseCommand(name, at: token.offset).element
        case .symbol(let symbol): Self.element(forSymbol: symbol)
        default: .error(Self.spelling(of: token))
        }
    }

    /// Atoms up to (not including) a symbol such as `]`, for `\sqrt[n]`.
    private mutating func parseList(stoppingAt symbol: Character) -> [MathElement] {
        var elements: [MathElement] = []
        while let token = lexer.peek(), token.kind != .symbol(symbol), !Self.endsList(token) {
            elements += parseAtom()
        }
        return elements
    }

    static let alphabets: [String: MathAlphabet] = [
        "mathbb": .doubleStruck, "mathbf": .bold, "mathcal": .script, "mathit": .italic,
        "boldsymbol": .boldItalic, "bm": .boldItalic,
    ]

    /// The element with its letters (and, where the alphabet has them, digits) in another alphabet.
    static func restyle(_ element: MathElement, with alphabet: MathAlphabet) -> MathElement {
        var styled = element
        switch element.content {
        case .text(let text) where element.name == "mi" || element.name == "mn":
            styled.content = .text(alphabet.map(text))
            styled.attributes.removeAll { $0.name == "mathvariant" }
        case .text:
            break
        case .children(let children):
            styled.content = .children(children.map { restyle($0, with: alphabet) })
        }
        return styled
    }

    /// `\mathrm`: single letters upright (longer identifiers already are).
    static func upright(_ element: MathElement) -> MathElement {
        var styled = element
        switch element.content {
        case .text(let text) where element.name == "mi" && text.unicodeScalars.count == 1:
            if !element.attributes.contains(where: { $0.name == "mathvariant" }) {
                styled.attributes.append(MathElement.Attribute(name: "mathvariant", value: "normal"))
            }
        case .text:
            break
        case .children(let children):
            styled.content = .children(children.map(upright))
        }
        return styled
    }

    /// MathML trims spaces at the edges of `<mtext>`; TeX keeps them in `\text{ if }`, so they
    /// become no-break spaces.
    static func keepingEdgeSpaces(_ text: String) -> String {
        let leading = text.prefix { $0 == " " }.count
        let trailing = leading == text.count ? 0 : text.reversed().prefix { $0 == " " }.count
        let middle = text.dropFirst(leading).dropLast(trailing)
        return String(repeating: "\u{A0}", count: leading) + middle + String(repeating: "\u{A0}", count: trailing)
    }
}
