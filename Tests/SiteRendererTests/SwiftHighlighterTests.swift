import Testing
@testable import SiteRenderer

@Suite struct SwiftHighlighterTests {
    @Test func keywordsNumbersAndTypesAreClassifiedByTheParser() {
        #expect(SwiftHighlighter.html(for: "let x: Int = 42")
            == #"<span class="hl-keyword">let</span> x: <span class="hl-type">Int</span> = <span class="hl-number">42</span>"#)
    }

    @Test func stringsCommentsAndFloats() {
        #expect(SwiftHighlighter.html(for: "print(\"hi\", 0.5) // note\n")
            == #"print(<span class="hl-string">&quot;hi&quot;</span>, <span class="hl-number">0.5</span>) <span class="hl-comment">// note</span>"#
                + "\n")
    }

    @Test func attributesLabelsAndDocComments() {
        let html = SwiftHighlighter.html(for: "/// Doc.\n@discardableResult func f(by step: Int) {}")
        #expect(html == #"<span class="hl-comment hl-doc">/// Doc.</span>"# + "\n"
            + #"<span class="hl-attribute">@discardableResult</span> <span class="hl-keyword">func</span> f("#
            + #"<span class="hl-label">by</span> step: <span class="hl-type">Int</span>) {}"#)
    }

    @Test func aTypeInAnInitializerCallIsAnIdentifierToTheParser() {
        // Without type checking, `Tensor(...)` is a call of a name: swift-syntax does not guess.
        #expect(SwiftHighlighter.html(for: "let t = Tensor.eye(3)")
            == #"<span class="hl-keyword">let</span> t = Tensor.eye(<span class="hl-number">3</span>)"#)
    }

    @Test func textIsEscapedAndNothingIsLost() {
        let code = "let s = \"<b>&</b>\" // <i>\nlet broken = = [1, 2\nlet ü = \"ñ\" ; x <  y"
        let html = SwiftHighlighter.html(for: code)
        #expect(html.contains("&lt;b&gt;&amp;&lt;/b&gt;"))
        #expect(!html.contains("<b>"))
        #expect(TestHTML.textContent(of: html) == code)
    }

    @Test func stringInterpolationKeepsItsExpressionsHighlighted() {
        let html = SwiftHighlighter.html(for: #"print("n = \(n + 1)")"#)
        #expect(html.contains(#"<span class="hl-number">1</span>"#))
        #expect(TestHTML.textContent(of: html) == #"print("n = \(n + 1)")"#)
    }
}

/// Helpers for reading HTML in tests.
enum TestHTML {
    /// The text of an HTML fragment: tags dropped, the five entities `HTML.escape` writes decoded.
    static func textContent(of html: String) -> String {
        var text = ""
        var inTag = false
        for character in html {
            if character == "<" { inTag = true; continue }
            if character == ">" && inTag { inTag = false; continue }
            if !inTag { text.append(character) }
        }
        return text.replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
