/// Turns TeX formulas (Cuaderno's subset; see the README) into MathML for the page, at render
/// time: no JavaScript and no fonts to fetch. The browser lays the MathML out itself.
public enum TeXToMathML {
    /// A formula as MathML, and its mistakes (each also shown in the MathML as an `<merror>`).
    public struct Conversion: Equatable, Sendable {
        public var mathML: String
        public var errors: [MathError]
    }

    /// Converts one formula.
    /// - Parameters:
    ///   - tex: the formula, without its `$` delimiters.
    ///   - display: `true` for `$$…$$` (`<math display="block">`, limits below and above `\sum`),
    ///     `false` for `$…$`.
    public static func convert(_ tex: String, display: Bool) -> Conversion {
        var parser = TeXParser(tex, display: display)
        let elements = parser.parseFormula()
        return Conversion(mathML: MathMLWriter.formula(elements, display: display), errors: parser.errors)
    }
}

/// A mistake in a TeX formula: what is wrong, and where (in Unicode scalars from its start).
public struct MathError: Equatable, Sendable {
    public var message: String
    public var offset: Int

    public init(message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }
}
