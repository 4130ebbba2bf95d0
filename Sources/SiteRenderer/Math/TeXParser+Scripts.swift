/// Superscripts, subscripts and primes, placed beside a nucleus or, for large operators with
/// limits, below and above it.
extension TeXParser {
    /// Reads `^`, `_`, primes, `\limits` and `\nolimits` after a nucleus and builds the scripted element.
    mutating func attachScripts(to nucleus: inout Nucleus) -> [MathElement] {
        var superscript: MathElement?
        var subscriptElement: MathElement?
        var primes = 0
        scripts: while let token = lexer.peek() {
            switch token.kind {
            case .superscript:
                _ = lexer.next()
                let argument = parseArgument(after: "^", at: token.offset)
                if superscript != nil {
                    superscript = error("two superscripts in a row; group them with braces, as in x^{ab}",
                                        shown: "^", at: token.offset)
                } else {
                    superscript = argument
                }
            case .subscript:
                _ = lexer.next()
                let argument = parseArgument(after: "_", at: token.offset)
                if subscriptElement != nil {
                    subscriptElement = error("two subscripts in a row; group them with braces, as in x_{ij}",
                                             shown: "_", at: token.offset)
                } else {
                    subscriptElement = argument
                }
            case .symbol("'"):
                _ = lexer.next()
                primes += 1
            case .command("limits") where nucleus.limits != nil:
                _ = lexer.next()
                nucleus.limits = true
                nucleus.forcedLimits = true
            case .command("nolimits") where nucleus.limits != nil:
                _ = lexer.next()
                nucleus.limits = false
                nucleus.forcedLimits = false
            default:
                break scripts
            }
        }
        var base = nucleus.element
        if primes > 0 {
            // Browsers draw a prime in a superscript far too small; a full-size prime after the
            // base is the look of TeX's f′. Any scripts attach to both.
            let prime = MathElement.op(String(repeating: "′", count: primes), [("lspace", "0"), ("rspace", "0")])
            base = MathElement("mrow", children: [base, prime])
        }
        let stacked = (nucleus.limits ?? false) && (display || nucleus.forcedLimits)
        switch (subscriptElement, superscript) {
        case (nil, nil):
            return [base]
        case (let sub?, nil):
            return [MathElement(stacked ? "munder" : "msub", children: [base, sub])]
        case (nil, let sup?):
            return [MathElement(stacked ? "mover" : "msup", children: [base, sup])]
        case (let sub?, let sup?):
            return [MathElement(stacked ? "munderover" : "msubsup", children: [base, sub, sup])]
        }
    }
}

/// The base of an atom and how its scripts are placed.
struct Nucleus {
    var element: MathElement
    /// `nil` for ordinary bases; for large operators and functions such as `\max`, whether
    /// scripts go below and above (in display math) rather than to the side.
    var limits: Bool?
    /// `\limits` asked for scripts below and above even in inline math.
    var forcedLimits = false
    /// A named function (`\log`, `\max`, `\operatorname`), followed by a thin space.
    var isFunction = false

    init(_ element: MathElement, limits: Bool? = nil, isFunction: Bool = false) {
        self.element = element
        self.limits = limits
        self.isFunction = isFunction
    }
}
