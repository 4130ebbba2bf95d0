import Testing
@testable import SiteRenderer

/// The inline MathML of a formula that must convert without mistakes.
private func inline(_ tex: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    let conversion = TeXToMathML.convert(tex, display: false)
    #expect(conversion.errors == [], sourceLocation: sourceLocation)
    return conversion.mathML
}

private func display(_ tex: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
    let conversion = TeXToMathML.convert(tex, display: true)
    #expect(conversion.errors == [], sourceLocation: sourceLocation)
    return conversion.mathML
}

@Suite struct TeXToMathMLTests {
    @Test func lettersNumbersAndOperators() {
        #expect(inline("2x + 3.5 = y") == "<math><mn>2</mn><mi>x</mi><mo>+</mo><mn>3.5</mn><mo>=</mo><mi>y</mi></math>")
        #expect(inline("a - b * c") == "<math><mi>a</mi><mo>−</mo><mi>b</mi><mo>∗</mo><mi>c</mi></math>")
        #expect(inline("f(x)") == #"<math><mi>f</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></math>"#)
    }

    @Test func displayMathIsABlock() {
        #expect(display("x") == #"<math display="block"><mi>x</mi></math>"#)
    }

    @Test func fractions() {
        #expect(inline(#"\frac{a}{b}"#) == "<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math>")
        #expect(inline(#"\frac12"#) == "<math><mfrac><mn>1</mn><mn>2</mn></mfrac></math>")
        #expect(inline(#"\frac{QK^\top}{\sqrt{d_k}}"#)
            == "<math><mfrac><mrow><mi>Q</mi><msup><mi>K</mi><mi>⊤</mi></msup></mrow>"
            + "<msqrt><msub><mi>d</mi><mi>k</mi></msub></msqrt></mfrac></math>")
    }

    @Test func roots() {
        #expect(inline(#"\sqrt{x}"#) == "<math><msqrt><mi>x</mi></msqrt></math>")
        #expect(inline(#"\sqrt[3]{x+1}"#) == "<math><mroot><mrow><mi>x</mi><mo>+</mo><mn>1</mn></mrow><mn>3</mn></mroot></math>")
    }

    @Test func scripts() {
        #expect(inline("x^2") == "<math><msup><mi>x</mi><mn>2</mn></msup></math>")
        #expect(inline("x_i") == "<math><msub><mi>x</mi><mi>i</mi></msub></math>")
        #expect(inline("x_i^2") == "<math><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>")
        #expect(inline("x^2_i") == "<math><msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup></math>")
        // As in TeX, an unbraced script takes one digit.
        #expect(inline("x^10") == "<math><msup><mi>x</mi><mn>1</mn></msup><mn>0</mn></math>")
        #expect(inline("e^{-x}") == "<math><msup><mi>e</mi><mrow><mo>−</mo><mi>x</mi></mrow></msup></math>")
        let prime = #"<mo lspace="0" rspace="0">′</mo>"#
        #expect(inline("f'") == "<math><mrow><mi>f</mi>\(prime)</mrow></math>")
        #expect(inline("f''(x)")
            == #"<math><mrow><mi>f</mi><mo lspace="0" rspace="0">′′</mo></mrow><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></math>"#)
        #expect(inline("f'^2") == "<math><msup><mrow><mi>f</mi>\(prime)</mrow><mn>2</mn></msup></math>")
    }

    @Test func greekLetters() {
        #expect(inline(#"\alpha\beta"#) == "<math><mi>α</mi><mi>β</mi></math>")
        #expect(inline(#"\Sigma \varepsilon"#) == #"<math><mi mathvariant="normal">Σ</mi><mi>ε</mi></math>"#)
    }

    @Test func fonts() {
        #expect(inline(#"\mathbb{R}^{n \times d}"#)
            == "<math><msup><mi>ℝ</mi><mrow><mi>n</mi><mo>×</mo><mi>d</mi></mrow></msup></math>")
        #expect(inline(#"\mathbb{E}"#) == "<math><mi>𝔼</mi></math>")
        #expect(inline(#"\mathbf{W}_Q"#) == "<math><msub><mi>𝐖</mi><mi>Q</mi></msub></math>")
        #expect(inline(#"\mathbf{x1}"#) == "<math><mrow><mi>𝐱</mi><mn>𝟏</mn></mrow></math>")
        #expect(inline(#"\mathcal{L}"#) == "<math><mi>ℒ</mi></math>")
        #expect(inline(#"\mathrm{d}x"#) == #"<math><mi mathvariant="normal">d</mi><mi>x</mi></math>"#)
        #expect(inline(#"\boldsymbol{\mu}"#) == "<math><mi>𝝁</mi></math>")
    }

    @Test func text() {
        #expect(inline(#"x \text{ if } x > 0"#)
            == "<math><mi>x</mi><mtext>\u{A0}if\u{A0}</mtext><mi>x</mi><mo>&gt;</mo><mn>0</mn></math>")
        #expect(inline(#"\text{a \{b\}}"#) == "<math><mtext>a {b}</mtext></math>")
    }

    @Test func operatorsAndRelations() {
        #expect(inline(#"a \cdot b \times c \le d \ge e \approx f \in g"#)
            == "<math><mi>a</mi><mo>⋅</mo><mi>b</mi><mo>×</mo><mi>c</mi><mo>≤</mo><mi>d</mi>"
            + "<mo>≥</mo><mi>e</mi><mo>≈</mo><mi>f</mi><mo>∈</mo><mi>g</mi></math>")
        #expect(inline(#"a \neq b \to \infty"#) == "<math><mi>a</mi><mo>≠</mo><mi>b</mi><mo>→</mo><mi>∞</mi></math>")
        #expect(inline(#"x_1, \ldots, x_n \cdots A^\top \odot B"#)
            == "<math><msub><mi>x</mi><mn>1</mn></msub><mo>,</mo><mo>…</mo><mo>,</mo><msub><mi>x</mi><mi>n</mi></msub>"
            + "<mo>⋯</mo><msup><mi>A</mi><mi>⊤</mi></msup><mo>⊙</mo><mi>B</mi></math>")
        #expect(inline(#"a \not= b \not\in C"#) == "<math><mi>a</mi><mo>≠</mo><mi>b</mi><mo>∉</mo><mi>C</mi></math>")
    }

    @Test func sumPutsItsLimitsBelowAndAboveInDisplayMathOnly() {
        #expect(display(#"\sum_{i=1}^{n} x_i"#)
            == #"<math display="block"><munderover><mo>∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mi>n</mi></munderover>"#
            + "<msub><mi>x</mi><mi>i</mi></msub></math>")
        #expect(inline(#"\sum_j w_j"#) == "<math><msub><mo>∑</mo><mi>j</mi></msub><msub><mi>w</mi><mi>j</mi></msub></math>")
        #expect(inline(#"\sum\limits_j"#) == "<math><munder><mo>∑</mo><mi>j</mi></munder></math>")
        #expect(display(#"\int_0^1"#) == #"<math display="block"><msubsup><mo>∫</mo><mn>0</mn><mn>1</mn></msubsup></math>"#)
    }

    @Test func namedFunctionsAreUprightWithAThinSpaceBeforeAnArgument() {
        #expect(inline(#"\exp x"#) == #"<math><mi>exp</mi><mspace width="0.1667em"></mspace><mi>x</mi></math>"#)
        #expect(inline(#"\log(x)"#)
            == #"<math><mi>log</mi><mo stretchy="false">(</mo><mi>x</mi><mo stretchy="false">)</mo></math>"#)
        #expect(display(#"\max_i s_i"#)
            == #"<math display="block"><munder><mi>max</mi><mi>i</mi></munder><mspace width="0.1667em"></mspace>"#
            + "<msub><mi>s</mi><mi>i</mi></msub></math>")
        #expect(inline(#"\min_i"#) == "<math><msub><mi>min</mi><mi>i</mi></msub></math>")
        #expect(inline(#"\operatorname{softmax}(z)"#)
            == #"<math><mi>softmax</mi><mo stretchy="false">(</mo><mi>z</mi><mo stretchy="false">)</mo></math>"#)
        #expect(display(#"\operatorname*{arg\,max}_k x_k"#)
            == #"<math display="block"><munder><mi>arg\#u{2009}max</mi><mi>k</mi></munder><mspace width="0.1667em"></mspace>"#
            + "<msub><mi>x</mi><mi>k</mi></msub></math>")
    }

    @Test func leftAndRightFencesStretch() {
        let prefix = #"<mo form="prefix" stretchy="true">"#
        let postfix = #"<mo form="postfix" stretchy="true">"#
        #expect(inline(#"\left( \frac{a}{b} \right)"#)
            == "<math><mrow>\(prefix)(</mo><mfrac><mi>a</mi><mi>b</mi></mfrac>\(postfix))</mo></mrow></math>")
        #expect(inline(#"\left[ x \right]"#) == "<math><mrow>\(prefix)[</mo><mi>x</mi>\(postfix)]</mo></mrow></math>")
        #expect(inline(#"\left| x \right|"#) == "<math><mrow>\(prefix)|</mo><mi>x</mi>\(postfix)|</mo></mrow></math>")
        #expect(inline(#"\left\{ x \middle| y \right."#)
            == #"<math><mrow>\#(prefix){</mo><mi>x</mi><mo form="infix" stretchy="true">|</mo><mi>y</mi></mrow></math>"#)
        #expect(inline(#"\left\| v \right\|"#) == "<math><mrow>\(prefix)‖</mo><mi>v</mi>\(postfix)‖</mo></mrow></math>")
        #expect(inline(#"\left\langle u, v \right\rangle"#)
            == "<math><mrow>\(prefix)⟨</mo><mi>u</mi><mo>,</mo><mi>v</mi>\(postfix)⟩</mo></mrow></math>")
        #expect(inline(#"\big( x \big)"#)
            == #"<math><mo form="infix" stretchy="true" minsize="1.2em" maxsize="1.2em">(</mo><mi>x</mi>"#
            + #"<mo form="infix" stretchy="true" minsize="1.2em" maxsize="1.2em">)</mo></math>"#)
    }

    @Test func matrices() {
        let cells = "<mtable><mtr><mtd><mn>1</mn></mtd><mtd><mn>2</mn></mtd></mtr>"
            + "<mtr><mtd><mn>3</mn></mtd><mtd><mn>4</mn></mtd></mtr></mtable>"
        #expect(display(#"\begin{bmatrix} 1 & 2 \\ 3 & 4 \end{bmatrix}"#)
            == #"<math display="block"><mrow><mo form="prefix" stretchy="true">[</mo>"# + cells
            + #"<mo form="postfix" stretchy="true">]</mo></mrow></math>"#)
        #expect(inline(#"\begin{pmatrix} 1 & 2 \\ 3 & 4 \\ \end{pmatrix}"#)
            == #"<math><mrow><mo form="prefix" stretchy="true">(</mo>"# + cells
            + #"<mo form="postfix" stretchy="true">)</mo></mrow></math>"#)
        #expect(inline(#"\begin{matrix} 1 & 2 \\ 3 & 4 \end{matrix}"#) == "<math>\(cells)</math>")
    }

    @Test func casesAndAlignedAlignTheirColumns() {
        #expect(display(#"|x| = \begin{cases} x & x \ge 0 \\ -x & \text{otherwise} \end{cases}"#)
            == #"<math display="block"><mo stretchy="false">|</mo><mi>x</mi><mo stretchy="false">|</mo><mo>=</mo>"#
            + #"<mrow><mo form="prefix" stretchy="true">{</mo><mtable columnalign="left left">"#
            + "<mtr><mtd><mi>x</mi></mtd><mtd><mi>x</mi><mo>≥</mo><mn>0</mn></mtd></mtr>"
            + "<mtr><mtd><mo>−</mo><mi>x</mi></mtd><mtd><mtext>otherwise</mtext></mtd></mtr></mtable></mrow></math>")
        #expect(display(#"\begin{aligned} a &= b \\ &= c \end{aligned}"#)
            == #"<math display="block"><mtable columnalign="right left">"#
            + #"<mtr><mtd><mi>a</mi></mtd><mtd><mo form="infix">=</mo><mi>b</mi></mtd></mtr>"#
            + #"<mtr><mtd></mtd><mtd><mo form="infix">=</mo><mi>c</mi></mtd></mtr></mtable></math>"#)
    }

    @Test func accentsAndSpaces() {
        #expect(inline(#"\hat{y}"#) == #"<math><mover accent="true"><mi>y</mi><mo stretchy="false">^</mo></mover></math>"#)
        #expect(inline(#"\bar x"#) == #"<math><mover accent="true"><mi>x</mi><mo stretchy="false">¯</mo></mover></math>"#)
        #expect(inline(#"\vec{v}"#) == #"<math><mover accent="true"><mi>v</mi><mo stretchy="false">→</mo></mover></math>"#)
        #expect(inline(#"a\,b\quad c"#)
            == #"<math><mi>a</mi><mspace width="0.1667em"></mspace><mi>b</mi><mspace width="1em"></mspace><mi>c</mi></math>"#)
    }

    @Test func specialCharactersAreEscaped() {
        #expect(inline("a < b") == "<math><mi>a</mi><mo>&lt;</mo><mi>b</mi></math>")
        #expect(inline(#"\text{<script>}"#) == "<math><mtext>&lt;script&gt;</mtext></math>")
        #expect(inline(#"50\%"#) == "<math><mn>50</mn><mo>%</mo></math>")
    }
}

@Suite struct TeXSignTests {
    @Test func aSignAfterAnOperatorOrAnOpeningFenceIsUnary() {
        #expect(inline("a = -2") == #"<math><mi>a</mi><mo>=</mo><mo form="prefix">−</mo><mn>2</mn></math>"#)
        #expect(inline(#"(-\infty, 0]"#)
            == #"<math><mo stretchy="false">(</mo><mo form="prefix">−</mo><mi>∞</mi><mo>,</mo><mn>0</mn><mo stretchy="false">]</mo></math>"#)
        #expect(inline("(a) - b") == #"<math><mo stretchy="false">(</mo><mi>a</mi><mo stretchy="false">)</mo><mo>−</mo><mi>b</mi></math>"#)
        #expect(inline("-x") == "<math><mo>−</mo><mi>x</mi></math>")
    }
}
