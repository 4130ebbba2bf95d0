/// Fences (`\left…\middle…\right`, `\big(`), environments (`pmatrix`, `bmatrix`, `cases`,
/// `aligned`…) and accents.
extension TeXParser {
    /// The environments of the subset, with their fences and column alignment.
    static let environments: [String: (open: String?, close: String?, columnAlign: String?)] = [
        "matrix": (nil, nil, nil),
        "pmatrix": ("(", ")", nil),
        "bmatrix": ("[", "]", nil),
        "Bmatrix": ("{", "}", nil),
        "vmatrix": ("|", "|", nil),
        "Vmatrix": ("‖", "‖", nil),
        "cases": ("{", nil, "left left"),
        "aligned": (nil, nil, "right left"),
    ]

    /// A fence that stretches to the height of what it encloses.
    static func fence(_ text: String, form: String) -> MathElement {
        .op(text, [("form", form), ("stretchy", "true")])
    }

    /// `\left( … \right)`, with any number of `\middle|` between, after `\left` has been read.
    mutating func parseFenced(at offset: Int) -> MathElement {
        var children = readDelimiter(after: "\\left", at: offset, form: "prefix")
        while true {
            children += parseList()
            guard let token = lexer.next() else {
                children.append(error("'\\left' is never closed; add a '\\right' with its delimiter",
                                      shown: "\\left", at: offset))
                return MathElement("mrow", children: children)
            }
            switch token.kind {
            case .command("right"):
                children += readDelimiter(after: "\\right", at: token.offset, form: "postfix")
                return MathElement("mrow", children: children)
            case .command("middle"):
                children += readDelimiter(after: "\\middle", at: token.offset, form: "infix")
            default:
                let text = Self.spelling(of: token)
                children.append(error("'\(text)' cannot stand between \\left and \\right", shown: text, at: token.offset))
            }
        }
    }

    /// `\big(`, `\Bigr]`…: a delimiter of a fixed size.
    mutating func parseSizedDelimiter(_ name: String, at offset: Int) -> MathElement {
        let size = name.hasPrefix("Bigg") ? "3em" : name.hasPrefix("bigg") ? "2.4em" : name.hasPrefix("Big") ? "1.8em" : "1.2em"
        let form = name.hasSuffix("l") ? "prefix" : name.hasSuffix("r") ? "postfix" : "infix"
        let delimiter = readDelimiter(after: "\\" + name, at: offset, form: form)
        guard var element = delimiter.first, element.name == "mo" else {
            return .row(delimiter)
        }
        element.attributes += [("minsize", size), ("maxsize", size)].map { MathElement.Attribute(name: $0.0, value: $0.1) }
        return element
    }

    /// The delimiter after `\left`, `\right`, `\middle` or `\big`: none for `.`, a stretchy
    /// `<mo>` for a bracket, bar or `\langle`-like command, or an `<merror>`.
    private mutating func readDelimiter(after command: String, at offset: Int, form: String) -> [MathElement] {
        let token = lexer.peek()
        var text: String?
        switch token?.kind {
        case .symbol(let symbol) where "()[]|/.".contains(symbol):
            text = symbol == "." ? "" : String(symbol)
        case .symbol("<"):
            text = "⟨"
        case .symbol(">"):
            text = "⟩"
        case .command(let name):
            if case .fence(let fence)? = TeXSymbols.lookup(name) { text = fence }
        default:
            break
        }
        guard let text else {
            return [error("'\(command)' needs a delimiter after it: ( ) [ ] \\{ \\} | \\| \\langle \\rangle, or . for none",
                          shown: command, at: offset)]
        }
        _ = lexer.next()
        return text.isEmpty ? [] : [Self.fence(text, form: form)]
    }

    /// `\begin{name} … \end{name}` after `\begin` has been read: cells split by `&`, rows by `\\`.
    mutating func parseEnvironment(at offset: Int) -> MathElement {
        guard let (name, closed) = lexer.readRawGroup(), closed else {
            return error("'\\begin' needs an environment name in braces, as in \\begin{pmatrix}", shown: "\\begin", at: offset)
        }
        let known = Self.environments[name]
        if known == nil {
            let names = Self.environments.keys.sorted().joined(separator: ", ")
            errors.append(MathError(message: "unknown environment '\(name)'; known environments: \(names)", offset: offset))
        }
        var rows: [[MathElement]] = [[]]
        var cell: [MathElement] = []
        func endCell() {
            let column = rows[rows.count - 1].count
            if name == "aligned", column % 2 == 1, var first = cell.first, first.name == "mo" {
                // The relation after `&` starts the cell; it is still a relation between two sides.
                first.attributes.append(MathElement.Attribute(name: "form", value: "infix"))
                cell[0] = first
            }
            rows[rows.count - 1].append(MathElement("mtd", children: cell))
            cell = []
        }
        parsing: while true {
            cell += parseList()
            guard let token = lexer.next() else {
                cell.append(error("\\begin{\(name)} is never closed; add \\end{\(name)}", shown: "\\begin{\(name)}", at: offset))
                endCell()
                break parsing
            }
            switch token.kind {
            case .ampersand:
                endCell()
            case .command("\\"):
                endCell()
                rows.append([])
            case .command("end"):
                let end = lexer.readRawGroup()?.text ?? ""
                if end != name {
                    cell.append(error("\\begin{\(name)} is closed by \\end{\(end)}", shown: "\\end{\(end)}", at: token.offset))
                }
                endCell()
                break parsing
            default:
                let text = Self.spelling(of: token)
                cell.append(error("'\(text)' cannot stand inside \\begin{\(name)}", shown: text, at: token.offset))
            }
        }
        // A `\\` after the last row does not start another.
        if rows.count > 1, rows[rows.count - 1] == [MathElement("mtd", children: [])] {
            rows.removeLast()
        }
        let attributes = known?.columnAlign.map { [("columnalign", $0)] } ?? []
        let table = MathElement("mtable", attributes, children: rows.map { MathElement("mtr", children: $0) })
        var children = [table]
        if let open = known?.open { children.insert(Self.fence(open, form: "prefix"), at: 0) }
        if let close = known?.close { children.append(Self.fence(close, form: "postfix")) }
        return .row(children)
    }

    /// A mark over or under its argument.
    struct Accent {
        var mark: String
        var under = false
        var stretchy = false
        /// `\overbrace`/`\underbrace`: their scripts go above or below the brace.
        var isBrace = false

        func apply(to base: MathElement) -> MathElement {
            let markElement = MathElement.op(mark, stretchy ? [] : [("stretchy", "false")])
            if under {
                return MathElement("munder", [("accentunder", "true")], children: [base, markElement])
            }
            return MathElement("mover", [("accent", "true")], children: [base, markElement])
        }
    }

    static let accents: [String: Accent] = [
        "hat": Accent(mark: "^"), "widehat": Accent(mark: "^", stretchy: true),
        "tilde": Accent(mark: "~"), "widetilde": Accent(mark: "~", stretchy: true),
        "bar": Accent(mark: "¯"), "overline": Accent(mark: "‾", stretchy: true),
        "underline": Accent(mark: "_", under: true, stretchy: true),
        "vec": Accent(mark: "→"), "dot": Accent(mark: "˙"), "ddot": Accent(mark: "¨"),
        "check": Accent(mark: "ˇ"), "breve": Accent(mark: "˘"), "acute": Accent(mark: "´"), "grave": Accent(mark: "`"),
        "overbrace": Accent(mark: "⏞", stretchy: true, isBrace: true),
        "underbrace": Accent(mark: "⏟", under: true, stretchy: true, isBrace: true),
    ]
}
