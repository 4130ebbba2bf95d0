import LessonEngine
import CCmark

/// A heading of a page, for its table of contents.
struct Heading: Equatable {
    var level: Int
    var id: String
    /// The heading's content as HTML for the contents list: text, code and math, no links.
    var html: String
}

/// A mistake in a formula of a piece of prose, at its line (1-based, within the prose) and column.
struct MathProblem: Equatable {
    var line: Int
    var column: Int
    var message: String
}

/// Markdown prose as HTML: CommonMark by libcmark, with `$…$`/`$$…$$` as MathML, Swift code
/// blocks highlighted, and headings given unique ids for the table of contents.
struct ProseRenderer {
    var html: String
    var headings: [Heading]
    var mathProblems: [MathProblem]
    /// The destinations of the prose's links (not images), in order, as written.
    var linkURLs: [String]

    /// Renders `markdown`, taking heading ids from `anchors`; `@fig:name` becomes a link to the
    /// named figure, "Figure 3", with its number from `figures`.
    init(_ markdown: String, anchors: inout AnchorRegistry, figures: FigureNumbering = FigureNumbering()) {
        html = ""
        headings = []
        mathProblems = []
        linkURLs = []
        guard let blocks = MarkdownDocument(markdown) else {
            html = "<pre>\(HTML.escape(markdown))</pre>\n"
            return
        }
        var skipped: Set<Int> = []
        var quoted: Set<Int> = []
        for node in blocks.allNodes() {
            switch node.type {
            case CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_BLOCK:
                skipped.formUnion(node.startLine...max(node.startLine, node.endLine))
            case CMARK_NODE_BLOCK_QUOTE:
                quoted.formUnion(node.startLine...max(node.startLine, node.endLine))
            case CMARK_NODE_LINK:
                if let url = node.url { linkURLs.append(url) }
            default:
                break
            }
        }
        let (text, spans) = MathExtractor.extract(from: markdown, skippedLines: skipped, quotedLines: quoted)
        guard let document = spans.isEmpty ? blocks : MarkdownDocument(text) else {
            html = "<pre>\(HTML.escape(markdown))</pre>\n"
            return
        }
        let formulas = spans.map { span in
            let conversion = TeXToMathML.convert(span.tex, display: span.display)
            for error in conversion.errors {
                let location = span.location(ofOffset: error.offset)
                mathProblems.append(MathProblem(line: location.line, column: location.column, message: error.message))
            }
            return conversion.mathML
        }
        transform(document, spans: spans, formulas: formulas, anchors: &anchors)
        Self.linkFigureReferences(in: document, figures: figures)
        html = document.html()
    }

    private mutating func transform(_ document: MarkdownDocument, spans: [MathSpan], formulas: [String],
                                    anchors: inout AnchorRegistry) {
        for node in document.allNodes() {
            switch node.type {
            case CMARK_NODE_TEXT where node.literal?.unicodeScalars.contains(MathExtractor.placeholderStart) == true:
                if Self.isInsideImage(node) {
                    node.setLiteral(Self.restoring(node.literal ?? "", spans: spans))
                } else {
                    Self.replacePlaceholders(in: node, formulas: formulas)
                }
            case CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK, CMARK_NODE_HTML_INLINE:
                // A formula's placeholder in code means the extractor read it differently from
                // CommonMark: the code gets its text back.
                if let literal = node.literal { node.setLiteral(Self.restoring(literal, spans: spans)) }
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
                if let url = node.url { node.setURL(Self.pageURL(Self.restoring(url, spans: spans))) }
                if let title = node.title { node.setTitle(Self.restoring(title, spans: spans)) }
            default:
                break
            }
        }
        for node in document.allNodes() {
            switch node.type {
            case CMARK_NODE_CODE_BLOCK where node.fenceInfo?.split(separator: " ").first == "swift":
                node.replace(with: .rawHTML(SwiftHighlighter.codeBlock(node.literal ?? ""), block: true))
            case CMARK_NODE_HEADING:
                let id = anchors.uniqueID(for: Self.plainText(of: node))
                let level = node.headingLevel
                headings.append(Heading(level: level, id: id, html: Self.contentsHTML(of: node)))
                let anchored = MarkdownNode.rawHTML("<h\(level) id=\"\(HTML.escape(id))\">", block: true)
                cmark_node_set_on_exit(anchored.pointer, "</h\(level)>")
                node.moveChildren(to: anchored)
                node.replace(with: anchored)
            default:
                break
            }
        }
    }

    /// Turns each `@fig:name` of the prose's text (never of code, and not inside a link) into a
    /// link to the figure, "Figure N"; a name with no number (which the parser reports as a
    /// mistake) stays as it was written.
    private static func linkFigureReferences(in document: MarkdownDocument, figures: FigureNumbering) {
        for node in document.allNodes() where node.type == CMARK_NODE_TEXT {
            guard let literal = node.literal, literal.contains(FigureReference.marker), !isInsideLink(node) else { continue }
            let text = Substring(literal)
            let references = FigureReference.ranges(in: text).filter { figures.numbers[String(text[$0.name])] != nil }
            guard !references.isEmpty else { continue }
            var position = text.startIndex
            for reference in references {
                if position < reference.whole.lowerBound { node.insertBefore(.text(String(text[position..<reference.whole.lowerBound]))) }
                let name = String(text[reference.name])
                node.insertBefore(.rawHTML(figures.link(to: name)))
                position = reference.whole.upperBound
            }
            if position < text.endIndex { node.insertBefore(.text(String(text[position...]))) }
            node.remove()
        }
    }

    /// A link to another lesson's Markdown file (`02-multi-head-attention.md#cell-3`) leads to its
    /// page (`02-multi-head-attention.html#cell-3`), as mdBook rewrites them; other links stay.
    static func pageURL(_ url: String) -> String {
        let parts = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        var path = String(parts[0])
        guard path.hasSuffix(".md"), !path.contains("/") || path.hasPrefix("./"), !path.contains(":"),
              path.dropFirst(path.hasPrefix("./") ? 2 : 0).first?.isNumber == true else { return url }
        path = String(path.dropLast(3)) + ".html"
        return parts.count > 1 ? path + "#" + parts[1] : path
    }

    private static func isInsideLink(_ node: MarkdownNode) -> Bool {
        var parent = cmark_node_parent(node.pointer)
        while let current = parent {
            let type = cmark_node_get_type(current)
            if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE { return true }
            parent = cmark_node_parent(current)
        }
        return false
    }

    /// Splits a text node at its placeholders into text and MathML. Punctuation right after a
    /// formula stays on its line (`$x$,` never breaks before the comma).
    private static func replacePlaceholders(in node: MarkdownNode, formulas: [String]) {
        let scalars = Array((node.literal ?? "").unicodeScalars)
        var text = ""
        var position = 0
        while position < scalars.count {
            guard scalars[position] == MathExtractor.placeholderStart else {
                text.unicodeScalars.append(scalars[position])
                position += 1
                continue
            }
            var digits = ""
            position += 1
            while position < scalars.count, scalars[position] != MathExtractor.placeholderEnd {
                digits.unicodeScalars.append(scalars[position])
                position += 1
            }
            position += 1
            if !text.isEmpty { node.insertBefore(.text(text)) }
            text = ""
            guard let index = Int(digits), formulas.indices.contains(index) else { continue }
            var punctuation = ""
            while position < scalars.count, trailingPunctuation.contains(scalars[position]) {
                punctuation.unicodeScalars.append(scalars[position])
                position += 1
            }
            let html = punctuation.isEmpty
                ? formulas[index]
                : "<span class=\"nowrap\">\(formulas[index])\(HTML.escape(punctuation))</span>"
            node.insertBefore(.rawHTML(html))
        }
        if !text.isEmpty { node.insertBefore(.text(text)) }
        node.remove()
    }

    private static let trailingPunctuation = Set(",.;:!?)]»”’…".unicodeScalars)

    /// Text with placeholders turned back into the formulas as written.
    private static func restoring(_ text: String, spans: [MathSpan]) -> String {
        var result = text
        for (index, span) in spans.enumerated().reversed() {
            result = result.replacingOccurrences(of: MathExtractor.placeholder(index), with: span.source)
        }
        return result
    }

    private static func isInsideImage(_ node: MarkdownNode) -> Bool {
        var parent = cmark_node_parent(node.pointer)
        while let current = parent {
            if cmark_node_get_type(current) == CMARK_NODE_IMAGE { return true }
            parent = cmark_node_parent(current)
        }
        return false
    }

    /// The words of a heading, for its id.
    private static func plainText(of node: MarkdownNode) -> String {
        node.children.map { child in
            switch child.type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: child.literal ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: " "
            default: plainText(of: child)
            }
        }.joined()
    }

    /// A heading's content for the contents list: links and emphasis dropped, code and math kept.
    private static func contentsHTML(of node: MarkdownNode) -> String {
        node.children.map { child in
            switch child.type {
            case CMARK_NODE_TEXT: HTML.escape(child.literal ?? "")
            case CMARK_NODE_CODE: "<code>\(HTML.escape(child.literal ?? ""))</code>"
            case CMARK_NODE_CUSTOM_INLINE: child.onEnter ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: " "
            case CMARK_NODE_IMAGE, CMARK_NODE_HTML_INLINE: ""
            default: contentsHTML(of: child)
            }
        }.joined()
    }
}
