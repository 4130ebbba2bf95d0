import Testing
@testable import SiteRenderer

private func prose(_ markdown: String) -> ProseRenderer {
    var anchors = AnchorRegistry()
    return ProseRenderer(markdown, anchors: &anchors)
}

private func html(_ markdown: String) -> String { prose(markdown).html }

@Suite struct ProseRendererTests {
    @Test func inlineAndDisplayMathBecomeMathML() {
        #expect(html("Let $x^2$ be.") == "<p>Let <math><msup><mi>x</mi><mn>2</mn></msup></math> be.</p>\n")
        #expect(html("$$\nx\n$$\n") == #"<p><math display="block"><mi>x</mi></math></p>"# + "\n")
    }

    @Test func dollarsInCodeAreLeftAlone() {
        #expect(html("Code `$x$` and `` a$b$c ``.") == "<p>Code <code>$x$</code> and <code>a$b$c</code>.</p>\n")
        #expect(html("```text\ncost: $x$\n```\n") == "<pre><code class=\"language-text\">cost: $x$\n</code></pre>\n")
        #expect(html("    indented $x$ code\n") == "<pre><code>indented $x$ code\n</code></pre>\n")
    }

    @Test func pricesAndEscapedDollarsStayText() {
        #expect(html("It costs $5 and $10 today.") == "<p>It costs $5 and $10 today.</p>\n")
        #expect(html(#"An escaped \$x\$ is text."#) == "<p>An escaped $x$ is text.</p>\n")
        #expect(html("A lone $ sign.") == "<p>A lone $ sign.</p>\n")
        // A dollar cannot close after a space, and a formula never contains a backtick.
        #expect(html("From $5 to `$HOME`.") == "<p>From $5 to <code>$HOME</code>.</p>\n")
    }

    @Test func emphasisMarkersAndBackslashesInsideMathAreTeX() {
        // CommonMark alone would read `_Q + x_` as emphasis and `\\` as one backslash.
        #expect(html(#"$\mathbf{W}_Q + x_{1}$"#)
            == "<p><math><msub><mi>𝐖</mi><mi>Q</mi></msub><mo>+</mo><msub><mi>x</mi><mn>1</mn></msub></math></p>\n")
        #expect(html("$$\\begin{matrix} 1 \\\\ 2 \\end{matrix}$$")
            == #"<p><math display="block"><mtable><mtr><mtd><mn>1</mn></mtd></mtr><mtr><mtd><mn>2</mn></mtd></mtr></mtable></math></p>"#
            + "\n")
        #expect(html(#"$\{a\}$"#) == #"<p><math><mo stretchy="false">{</mo><mi>a</mi><mo stretchy="false">}</mo></math></p>"# + "\n")
    }

    @Test func punctuationAfterAFormulaStaysOnItsLine() {
        #expect(html("Take $x$, then.") == #"<p>Take <span class="nowrap"><math><mi>x</mi></math>,</span> then.</p>"# + "\n")
    }

    @Test func aFormulaContinuesOverLinesOfAParagraphButNotABlankLine() {
        #expect(html("$a +\nb$") == "<p><math><mi>a</mi><mo>+</mo><mi>b</mi></math></p>\n")
        #expect(html("$a +\n\nb$") == "<p>$a +</p>\n<p>b$</p>\n")
        #expect(html("> $$a +\n> b$$") == "<blockquote>\n<p><math display=\"block\"><mi>a</mi><mo>+</mo><mi>b</mi></math></p>\n</blockquote>\n")
    }

    @Test func mathProblemsNameTheirLineAndColumn() {
        let rendered = prose("First line.\n\nSecond $a + \\oops$ here.\n")
        #expect(rendered.mathProblems == [MathProblem(
            line: 3, column: 13, message: "unknown TeX command '\\oops'; see the README for the supported commands")])
        #expect(rendered.html.contains("<merror><mtext>\\oops</mtext></merror>"))
        let multiline = prose("$$\nx\n+ \\nope\n$$")
        #expect(multiline.mathProblems.map(\.line) == [3])
        #expect(multiline.mathProblems.map(\.column) == [3])
    }

    @Test func headingsGetUniqueIdsAndContentsEntries() {
        var anchors = AnchorRegistry()
        anchors.reserve("cell-1")
        let rendered = ProseRenderer("## Scaling by $\\sqrt{d}$\n\n## Cell 1\n\n### Example\n\n## Example\n", anchors: &anchors)
        #expect(rendered.headings.map(\.id) == ["scaling-by", "cell-1-2", "example", "example-2"])
        #expect(rendered.headings.map(\.level) == [2, 2, 3, 2])
        #expect(rendered.headings[0].html == "Scaling by <math><msqrt><mi>d</mi></msqrt></math>")
        #expect(rendered.html.hasPrefix("<h2 id=\"scaling-by\">\nScaling by <math>"))
    }

    @Test func swiftCodeBlocksInProseAreHighlighted() {
        #expect(html("- item\n\n  ```swift\n  let a = 1\n  ```\n").contains(
            #"<pre class="code"><code class="language-swift"><span class="hl-keyword">let</span> a = <span class="hl-number">1</span>"#))
    }

    @Test func rawHTMLInProseIsLeftOut() {
        let rendered = html("Hi <script>alert(1)</script> there.\n\n<div onclick=\"x()\">block</div>\n")
        #expect(!rendered.contains("<script>"))
        #expect(!rendered.contains("onclick"))
    }

    @Test func slugsKeepLettersOfAnyScriptAndUnderscores() {
        #expect(AnchorRegistry.slug("Atención: ¿qué es?") == "atención-qué-es")
        #expect(AnchorRegistry.slug("Scaling by √d_k") == "scaling-by-d_k")
        #expect(AnchorRegistry.slug("!!!") == "section")
    }
}
