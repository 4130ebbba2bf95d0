/// What a TeX command without arguments stands for.
enum TeXSymbol: Equatable {
    /// An identifier (`<mi>`): Greek letters, ∞, ∂. `normal` keeps it upright (capital Greek).
    case identifier(String, normal: Bool)
    /// An operator, relation, arrow or punctuation (`<mo>`).
    case op(String)
    /// A fence written as a command (`\langle`, `\{`), which does not stretch unless `\left`,
    /// `\right` or `\big` ask for it.
    case fence(String)
    /// A large operator (`\sum`, `\int`); `limits` puts its scripts below and above in display math.
    case largeOperator(String, limits: Bool)
    /// A named function (`\log`, `\max`), set upright; `limits` as for large operators.
    case function(String, limits: Bool)
    /// Horizontal space of a CSS width.
    case space(String)
}

/// The commands of Cuaderno's TeX subset that take no argument.
enum TeXSymbols {
    static func lookup(_ name: String) -> TeXSymbol? { table[name] }

    private static let table: [String: TeXSymbol] = {
        var table: [String: TeXSymbol] = [:]
        for (name, character) in lowercaseGreek { table[name] = .identifier(character, normal: false) }
        for (name, character) in uppercaseGreek { table[name] = .identifier(character, normal: true) }
        for (name, character) in otherIdentifiers { table[name] = .identifier(character, normal: false) }
        for (name, character) in operators { table[name] = .op(character) }
        for (name, character) in fences { table[name] = .fence(character) }
        for (name, character) in largeOperatorsWithLimits { table[name] = .largeOperator(character, limits: true) }
        for (name, character) in integrals { table[name] = .largeOperator(character, limits: false) }
        for name in functions { table[name] = .function(name, limits: false) }
        for (name, text) in functionsWithLimits { table[name] = .function(text, limits: true) }
        for (name, width) in spaces { table[name] = .space(width) }
        return table
    }()

    static let lowercaseGreek: [(String, String)] = [
        ("alpha", "α"), ("beta", "β"), ("gamma", "γ"), ("delta", "δ"), ("epsilon", "ϵ"),
        ("varepsilon", "ε"), ("zeta", "ζ"), ("eta", "η"), ("theta", "θ"), ("vartheta", "ϑ"),
        ("iota", "ι"), ("kappa", "κ"), ("lambda", "λ"), ("mu", "μ"), ("nu", "ν"), ("xi", "ξ"),
        ("omicron", "ο"), ("pi", "π"), ("varpi", "ϖ"), ("rho", "ρ"), ("varrho", "ϱ"), ("sigma", "σ"),
        ("varsigma", "ς"), ("tau", "τ"), ("upsilon", "υ"), ("phi", "ϕ"), ("varphi", "φ"), ("chi", "χ"),
        ("psi", "ψ"), ("omega", "ω"),
    ]

    static let uppercaseGreek: [(String, String)] = [
        ("Gamma", "Γ"), ("Delta", "Δ"), ("Theta", "Θ"), ("Lambda", "Λ"), ("Xi", "Ξ"), ("Pi", "Π"),
        ("Sigma", "Σ"), ("Upsilon", "Υ"), ("Phi", "Φ"), ("Psi", "Ψ"), ("Omega", "Ω"),
    ]

    static let otherIdentifiers: [(String, String)] = [
        ("infty", "∞"), ("ell", "ℓ"), ("partial", "∂"), ("nabla", "∇"), ("hbar", "ℏ"),
        ("emptyset", "∅"), ("varnothing", "∅"), ("top", "⊤"), ("bot", "⊥"), ("aleph", "ℵ"),
        ("Re", "ℜ"), ("Im", "ℑ"), ("imath", "ı"), ("jmath", "ȷ"),
    ]

    static let operators: [(String, String)] = [
        // Binary operators.
        ("cdot", "⋅"), ("times", "×"), ("div", "÷"), ("pm", "±"), ("mp", "∓"), ("ast", "∗"),
        ("star", "⋆"), ("circ", "∘"), ("bullet", "∙"), ("odot", "⊙"), ("otimes", "⊗"),
        ("oplus", "⊕"), ("ominus", "⊖"), ("oslash", "⊘"), ("setminus", "∖"), ("cup", "∪"),
        ("cap", "∩"), ("wedge", "∧"), ("land", "∧"), ("vee", "∨"), ("lor", "∨"),
        // Relations.
        ("le", "≤"), ("leq", "≤"), ("ge", "≥"), ("geq", "≥"), ("neq", "≠"), ("ne", "≠"),
        ("approx", "≈"), ("equiv", "≡"), ("sim", "∼"), ("simeq", "≃"), ("cong", "≅"),
        ("propto", "∝"), ("in", "∈"), ("notin", "∉"), ("ni", "∋"), ("subset", "⊂"),
        ("subseteq", "⊆"), ("supset", "⊃"), ("supseteq", "⊇"), ("ll", "≪"), ("gg", "≫"),
        ("prec", "≺"), ("succ", "≻"), ("perp", "⊥"), ("parallel", "∥"), ("mid", "∣"),
        ("coloneqq", "≔"), ("triangleq", "≜"), ("doteq", "≐"), ("models", "⊨"), ("vdash", "⊢"),
        // Arrows.
        ("to", "→"), ("rightarrow", "→"), ("leftarrow", "←"), ("gets", "←"), ("leftrightarrow", "↔"),
        ("Rightarrow", "⇒"), ("Leftarrow", "⇐"), ("Leftrightarrow", "⇔"), ("implies", "⟹"),
        ("impliedby", "⟸"), ("iff", "⟺"), ("mapsto", "↦"), ("longrightarrow", "⟶"),
        ("longleftarrow", "⟵"), ("longmapsto", "⟼"), ("uparrow", "↑"), ("downarrow", "↓"),
        // Dots, logic and punctuation.
        ("ldots", "…"), ("dots", "…"), ("cdots", "⋯"), ("vdots", "⋮"), ("ddots", "⋱"),
        ("colon", ":"), ("forall", "∀"), ("exists", "∃"), ("nexists", "∄"), ("neg", "¬"),
        ("lnot", "¬"), ("prime", "′"), ("%", "%"), ("#", "#"), ("&", "&"), ("$", "$"), ("_", "_"),
    ]

    static let fences: [(String, String)] = [
        ("{", "{"), ("}", "}"), ("lbrace", "{"), ("rbrace", "}"), ("langle", "⟨"), ("rangle", "⟩"),
        ("vert", "|"), ("lvert", "|"), ("rvert", "|"), ("|", "‖"), ("Vert", "‖"), ("lVert", "‖"),
        ("rVert", "‖"), ("lfloor", "⌊"), ("rfloor", "⌋"), ("lceil", "⌈"), ("rceil", "⌉"),
        ("backslash", "\\"),
    ]

    static let largeOperatorsWithLimits: [(String, String)] = [
        ("sum", "∑"), ("prod", "∏"), ("coprod", "∐"), ("bigcup", "⋃"), ("bigcap", "⋂"),
        ("bigoplus", "⨁"), ("bigotimes", "⨂"), ("bigodot", "⨀"), ("bigvee", "⋁"), ("bigwedge", "⋀"),
    ]

    static let integrals: [(String, String)] = [("int", "∫"), ("iint", "∬"), ("iiint", "∭"), ("oint", "∮")]

    static let functions = [
        "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh",
        "exp", "log", "ln", "lg", "dim", "ker", "hom", "arg", "deg",
    ]

    static let functionsWithLimits: [(String, String)] = [
        ("lim", "lim"), ("liminf", "lim inf"), ("limsup", "lim sup"), ("max", "max"), ("min", "min"),
        ("sup", "sup"), ("inf", "inf"), ("det", "det"), ("gcd", "gcd"), ("Pr", "Pr"),
        ("argmax", "arg max"), ("argmin", "arg min"),
    ]

    /// TeX's math spaces, in em (a thin space is 3/18 em, a medium 4/18, a thick 5/18).
    static let spaces: [(String, String)] = [
        (",", "0.1667em"), ("thinspace", "0.1667em"), (":", "0.2222em"), (">", "0.2222em"),
        (";", "0.2778em"), ("!", "-0.1667em"), (" ", "0.3333em"), ("quad", "1em"), ("qquad", "2em"),
        ("enspace", "0.5em"),
    ]
}
