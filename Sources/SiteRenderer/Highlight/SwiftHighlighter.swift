import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Swift syntax highlighting from swift-syntax's own parser and classifier, as HTML.
///
/// The code is parsed with `SwiftParser` (which recovers from errors, so a `swift fails` cell
/// highlights as well as it can) and coloured by `SwiftIDEUtils`' classifications — the
/// classification an editor uses, not a pattern over the text. Every classified range becomes a
/// `<span class="hl-…">` around its escaped text; plain identifiers, punctuation and whitespace
/// stay unwrapped. The output, with the tags removed and entities decoded, is exactly the input.
public enum SwiftHighlighter {
    /// The CSS class of each kind of token; `nil` leaves the text unstyled.
    static func cssClass(for classification: SyntaxClassification) -> String? {
        switch classification {
        case .keyword: "hl-keyword"
        case .type: "hl-type"
        case .stringLiteral: "hl-string"
        case .integerLiteral, .floatLiteral: "hl-number"
        case .lineComment, .blockComment: "hl-comment"
        case .docLineComment, .docBlockComment: "hl-comment hl-doc"
        case .attribute: "hl-attribute"
        case .ifConfigDirective: "hl-directive"
        case .regexLiteral: "hl-regex"
        case .editorPlaceholder: "hl-placeholder"
        case .argumentLabel: "hl-label"
        case .dollarIdentifier: "hl-dollar"
        case .operator: "hl-operator"
        case .identifier, .none: nil
        @unknown default: nil
        }
    }

    /// The code as HTML (escaped text and `<span>`s), for use inside `<pre><code>`.
    public static func html(for code: String) -> String {
        let bytes = Array(code.utf8)
        let tree = Parser.parse(source: code)
        var html = ""
        html.reserveCapacity(bytes.count * 2)
        var written = 0  // bytes of `code` already in `html`
        for range in tree.classifications {
            let start = max(range.range.lowerBound.utf8Offset, written)
            let end = min(range.range.upperBound.utf8Offset, bytes.count)
            guard start < end else { continue }
            if start > written {
                // Classified ranges are contiguous; this only guards against a gap losing text.
                html += HTML.escape(text(bytes[written..<start]))
            }
            let escaped = HTML.escape(text(bytes[start..<end]))
            if let cssClass = cssClass(for: range.kind) {
                html += "<span class=\"\(cssClass)\">\(escaped)</span>"
            } else {
                html += escaped
            }
            written = end
        }
        if written < bytes.count {
            html += HTML.escape(text(bytes[written...]))
        }
        return html
    }

    /// A whole code block: `<pre class="code"><code class="language-swift">…</code></pre>`.
    static func codeBlock(_ code: String) -> String {
        "<pre class=\"code\"><code class=\"language-swift\">\(html(for: code))</code></pre>\n"
    }

    /// Text for a byte range. Ranges from the classifier start and end on character boundaries;
    /// should one ever not, the decoding repairs it rather than losing the rest.
    private static func text(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
