import CCmark
import Foundation
import LessonEngine

/// The course's search: an index of every section of prose and every cell's code, written beside
/// the pages as a script (`search-index.js`), and a page (`search.html`) that searches it in the
/// reader's browser.
///
/// Browsers do not let a page opened from `file://` fetch a file, but they do run a `<script>`
/// beside it: so the index is JavaScript that sets one variable, as mdBook's `searchindex.js` does,
/// and the search works offline, from the file system, with nothing to install. Lesson pages carry
/// only a plain form that opens `search.html?q=…`; without JavaScript, that page still lists every
/// section of the course as links.
public struct SearchIndex: Sendable, Equatable {
    /// One place a reader can land on: a section of a lesson's prose, or a cell.
    public struct Entry: Sendable, Equatable, Encodable {
        /// A section of prose (from a heading to the next) or a cell's code.
        public enum Kind: String, Sendable, Encodable {
            case section, cell
        }

        public var kind: Kind
        /// The page, `01-self-attention.html`.
        public var page: String
        /// The anchor on it, `scaling-by-d_k` or `cell-causal-mask`; empty for the top of the page.
        public var anchor: String
        /// The lesson's title.
        public var lesson: String
        /// The section's heading, or `Cell 4` / `Cell causal-mask`.
        public var title: String
        /// The words searched: the section's prose as plain text, or the cell's code.
        public var text: String
    }

    public var entries: [Entry]

    public static let indexFile = "search-index.js"
    public static let scriptFile = "search.js"
    public static let pageFile = "search.html"

    /// The entries of `lessons`, in course order. Anchors are the pages' own: headings get their
    /// ids as a page gives them (after the cells' and figures' anchors are reserved).
    public init(lessons: [Lesson]) {
        entries = lessons.flatMap(Self.entries(of:))
    }

    static func entries(of lesson: Lesson) -> [Entry] {
        let page = LessonPage.fileName(slug: lesson.slug)
        var registry = AnchorRegistry()
        registry.reserve("contents")
        for cell in lesson.cells { registry.reserve(CellView.anchor(for: cell)) }
        for cell in lesson.cells { if let figure = cell.figure { registry.reserve(figure.anchor) } }

        // Each entry is placed where it starts; a section's text grows as its prose comes (a
        // section may go on after a cell).
        var entries = [Entry(kind: .section, page: page, anchor: "", lesson: lesson.frontMatter.title, title: lesson.frontMatter.title, text: "")]
        var current = 0
        for block in lesson.blocks {
            switch block {
            case .prose(let markdown, _):
                let ids = ProseRenderer(markdown, anchors: &registry).headings.map(\.id)
                var headingNumber = 0
                for section in sections(of: markdown) {
                    if let heading = section.heading, headingNumber < ids.count {
                        entries.append(Entry(kind: .section, page: page, anchor: ids[headingNumber], lesson: lesson.frontMatter.title,
                                             title: heading, text: ""))
                        current = entries.count - 1
                        headingNumber += 1
                    }
                    entries[current].text += " " + section.text
                }
            case .cell(let cell):
                guard cell.check?.hidden != true else { continue }   // a hidden check's code is for grading
                let anchor = CellView.anchor(for: cell)
                entries.append(Entry(kind: .cell, page: page, anchor: anchor, lesson: lesson.frontMatter.title,
                                     title: "Cell " + anchor.dropFirst("cell-".count), text: cell.code))
            }
        }
        // Prose as one line of words; the top of the page only when it has prose of its own.
        for position in entries.indices where entries[position].kind == .section {
            entries[position].text = entries[position].text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        return entries.filter { !($0.anchor.isEmpty && $0.text.isEmpty) }
    }

    /// The prose cut at its headings: the text before the first heading (no heading), then each
    /// heading with the text under it.
    static func sections(of markdown: String) -> [(heading: String?, text: String)] {
        guard let document = MarkdownDocument(markdown) else { return [(nil, markdown)] }
        var sections: [(heading: String?, text: String)] = [(nil, "")]
        for node in document.allNodes() {
            switch node.type {
            case CMARK_NODE_HEADING:
                sections.append((plainText(of: node), ""))
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                if !isInsideHeading(node) { sections[sections.count - 1].text += " " + (node.literal ?? "") }
            default:
                break
            }
        }
        return sections
    }

    private static func plainText(of node: MarkdownNode) -> String {
        node.children.map { child in
            child.type == CMARK_NODE_TEXT || child.type == CMARK_NODE_CODE ? child.literal ?? "" : plainText(of: child)
        }.joined()
    }

    private static func isInsideHeading(_ node: MarkdownNode) -> Bool {
        var parent = cmark_node_parent(node.pointer)
        while let current = parent {
            if cmark_node_get_type(current) == CMARK_NODE_HEADING { return true }
            parent = cmark_node_parent(current)
        }
        return false
    }

    /// `search-index.js`: the entries as one JavaScript array, the same bytes for the same course.
    public var script: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        // "</" never appears inside a script's text, whatever a lesson says.
        return "window.cuadernoSearchIndex = " + json.replacingOccurrences(of: "</", with: "<\\/") + ";\n"
    }
}
