import Testing
@testable import SiteRenderer

/// Mistakes in a formula are shown in place as `<merror>` and reported with their position.
@Suite struct TeXErrorTests {
    @Test func anUnknownCommandIsShownAndReported() {
        let conversion = TeXToMathML.convert(#"a + \foo{b}"#, display: false)
        #expect(conversion.mathML == "<math><mi>a</mi><mo>+</mo><merror><mtext>\\foo</mtext></merror><mi>b</mi></math>")
        #expect(conversion.errors == [MathError(
            message: "unknown TeX command '\\foo'; see the README for the supported commands", offset: 4)])
    }

    @Test func anUnclosedBraceIsReported() {
        let conversion = TeXToMathML.convert(#"\frac{a}{b"#, display: false)
        #expect(conversion.mathML == "<math><mfrac><mi>a</mi><mrow><mi>b</mi><merror><mtext>{</mtext></merror></mrow></mfrac></math>")
        #expect(conversion.errors == [MathError(message: "'{' is never closed; add the matching '}'", offset: 8)])
    }

    @Test func strayClosersAndSeparatorsAreReported() {
        let brace = TeXToMathML.convert("a}", display: false)
        #expect(brace.mathML == "<math><mi>a</mi><merror><mtext>}</mtext></merror></math>")
        #expect(brace.errors.map(\.offset) == [1])
        let ampersand = TeXToMathML.convert("a & b", display: false)
        #expect(ampersand.errors.count == 1)
        #expect(ampersand.errors.first?.message.hasPrefix("'&' separates the cells of a matrix") == true)
        let right = TeXToMathML.convert(#"x \right)"#, display: false)
        #expect(right.errors.map(\.message) == ["'\\right' without a \\left before it"])
    }

    @Test func aLeftWithoutRightIsReported() {
        let conversion = TeXToMathML.convert(#"\left( x"#, display: false)
        #expect(conversion.errors == [MathError(message: "'\\left' is never closed; add a '\\right' with its delimiter", offset: 0)])
        #expect(conversion.mathML.contains("<merror><mtext>\\left</mtext></merror>"))
    }

    @Test func unknownEnvironmentsStillShowTheirCells() {
        let conversion = TeXToMathML.convert(#"\begin{tabular} 1 & 2 \end{tabular}"#, display: true)
        #expect(conversion.errors.map(\.message) == [
            "unknown environment 'tabular'; known environments: Bmatrix, Vmatrix, aligned, bmatrix, cases, matrix, pmatrix, vmatrix",
        ])
        #expect(conversion.mathML == #"<math display="block"><mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>2</mn></mtd></mtr></mtable></math>"#)
        let mismatched = TeXToMathML.convert(#"\begin{pmatrix} 1 \end{bmatrix}"#, display: false)
        #expect(mismatched.errors.map(\.message) == ["\\begin{pmatrix} is closed by \\end{bmatrix}"])
    }

    @Test func missingArgumentsAndDoubleScriptsAreReported() {
        #expect(TeXToMathML.convert("x^", display: false).errors.map(\.message)
            == ["'^' needs an argument; write it in braces, as in ^{…}"])
        #expect(TeXToMathML.convert(#"\frac{a}"#, display: false).errors.map(\.message)
            == ["'\\frac' needs an argument; write it in braces, as in \\frac{…}"])
        #expect(TeXToMathML.convert("x^2^3", display: false).errors.map(\.message)
            == ["two superscripts in a row; group them with braces, as in x^{ab}"])
        #expect(TeXToMathML.convert(#"\text"#, display: false).errors.count == 1)
        #expect(TeXToMathML.convert(#"x \"#, display: false).errors.map(\.offset) == [2])
    }

    @Test func errorOffsetsCountUnicodeScalars() {
        let conversion = TeXToMathML.convert(#"α + \nope"#, display: false)
        #expect(conversion.errors.map(\.offset) == [4])
    }
}
