import CCmark
import Foundation
import LessonEngine

/// The links of a lesson's prose that lead nowhere: to a lesson the course does not have, to an
/// anchor (`#cell-ID`, a heading, a named figure) its page will not have, or to a file beside the
/// lessons that is not there. `cuaderno check` and `render` report each at its file and line.
///
/// Links with a scheme (`https:`, `mailto:`) are not followed: checking them would need the network.
public enum LinkCheck {
    /// What a page of the course can be linked to: its anchors, by lesson slug.
    public struct CourseAnchors: Sendable {
        var anchors: [String: Set<String>]

        /// The anchors of every lesson in `lessons` (parsed, not run: cells and headings are known
        /// from the file alone; `LoadedCourse` in `CourseSession` passes the course's lessons,
        /// each parsed once).
        public init(_ lessons: [Lesson]) {
            anchors = Dictionary(lessons.map { ($0.slug, LinkCheck.anchors(of: $0)) }, uniquingKeysWith: { first, _ in first })
        }
    }

    /// The links written in one block of a lesson's prose.
    public struct ProseLinks: Sendable, Equatable {
        /// The block's Markdown.
        var markdown: String
        /// The file line the block starts on.
        var startLine: Int
        /// The destinations of its links, in order.
        var urls: [String]
    }

    /// The broken links of `lesson`'s prose, each as a lesson error at its line.
    public static func errors(in lesson: Lesson, course: CourseAnchors) -> [LessonError] {
        var links: [ProseLinks] = []
        for case .prose(let markdown, let startLine) in lesson.blocks {
            links.append(ProseLinks(markdown: markdown, startLine: startLine, urls: linkURLs(in: markdown)))
        }
        return errors(in: lesson, links: links, course: course)
    }

    /// The broken links among `links`, found in `lesson`'s prose (by ``LessonPage`` while it
    /// renders the prose, say), each as a lesson error at its line.
    public static func errors(in lesson: Lesson, links: [ProseLinks], course: CourseAnchors) -> [LessonError] {
        var errors: [LessonError] = []
        let folder = lesson.fileURL.deletingLastPathComponent()
        for block in links {
            for url in block.urls {
                guard let problem = problem(with: url, from: lesson, folder: folder, course: course) else { continue }
                errors.append(LessonError(file: lesson.displayPath, line: block.startLine + line(of: url, in: block.markdown),
                                          message: "the link (\(url)) \(problem)"))
            }
        }
        return errors
    }

    /// Why `url` leads nowhere, or nil when it leads somewhere (or is not ours to check).
    static func problem(with url: String, from lesson: Lesson, folder: URL, course: CourseAnchors) -> String? {
        if url.isEmpty || hasScheme(url) || url.hasPrefix("/") { return nil }
        let parts = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        let path = String(parts[0]).removingPercentEncoding ?? String(parts[0])
        let fragment = parts.count > 1 ? String(parts[1]) : nil
        let name = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        let slug: String
        if name.isEmpty {
            slug = lesson.slug
        } else if !name.contains("/"), name.hasSuffix(".md") || name.hasSuffix(".html") {
            slug = String(name.prefix { $0 != "." })
            guard course.anchors[slug] != nil else {
                return "leads to no lesson of this course: there is no \(slug).md beside this lesson; check the file name"
            }
        } else {
            let target = folder.appendingPathComponent(name)
            return FileManager.default.fileExists(atPath: target.path)
                ? nil : "leads to \(name), which is not beside the lessons; check the path"
        }
        guard let fragment, !fragment.isEmpty else { return nil }
        guard course.anchors[slug]?.contains(fragment) == true else {
            let page = slug == lesson.slug ? "this page" : "\(slug)'s page"
            let hint = fragment.hasPrefix("cell-")
                ? "a cell's anchor is cell-ID for a cell with id=ID, or cell-N for the N-th cell"
                : "a heading's anchor is made from its words, in lower case, joined by '-'"
            return "points to #\(fragment), which \(page) does not have; \(hint)"
        }
        return nil
    }

    /// Every anchor a lesson's page has: each cell's (`cell-ID`, or `cell-N` without an id), each named
    /// figure's, each heading's, and the contents list's.
    static func anchors(of lesson: Lesson) -> Set<String> {
        var anchors: Set<String> = ["contents"]
        var registry = AnchorRegistry()
        registry.reserve("contents")
        for cell in lesson.cells {
            anchors.insert(CellView.anchor(for: cell))
            registry.reserve(CellView.anchor(for: cell))
            if let figure = cell.figure {
                anchors.insert(figure.anchor)
                registry.reserve(figure.anchor)
            }
        }
        for case .prose(let markdown, _) in lesson.blocks {
            anchors.formUnion(ProseRenderer(markdown, anchors: &registry).headings.map(\.id))
        }
        return anchors
    }

    /// The destinations of the links (not images) in Markdown prose, in order.
    static func linkURLs(in markdown: String) -> [String] {
        guard let document = MarkdownDocument(markdown) else { return [] }
        return document.allNodes().compactMap { node in
            node.type == CMARK_NODE_LINK ? node.url : nil
        }
    }

    /// The line (from 0) of the prose where `url` is written, or 0 when it cannot be found.
    static func line(of url: String, in markdown: String) -> Int {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.firstIndex { $0.contains("](\(url)") || $0.contains("<\(url)>") || $0.contains(": \(url)") }
            ?? lines.firstIndex { $0.contains(url) } ?? 0
    }

    private static func hasScheme(_ url: String) -> Bool {
        guard let colon = url.firstIndex(of: ":") else { return false }
        let scheme = url[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
            && !scheme.contains("/")
    }
}
