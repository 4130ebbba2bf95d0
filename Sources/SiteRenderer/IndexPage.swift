import LessonEngine

/// One line of the course index.
public struct IndexEntry: Sendable {
    public enum Status: Sendable {
        /// The lesson ran; the numbers are cells that ran as intended and cells that failed.
        case ran(passed: Int, failed: Int)
        /// The lesson file has mistakes and could not be run.
        case invalid(errorCount: Int)
        /// The lesson was not part of this render.
        case notRendered
    }

    public var slug: String
    public var title: String
    public var summary: String?
    public var status: Status

    public init(slug: String, title: String, summary: String?, status: Status) {
        self.slug = slug
        self.title = title
        self.summary = summary
        self.status = status
    }
}

/// The course's front page: the lessons in order, with what their last render found.
public struct IndexPage {
    public var courseTitle: String
    public var entries: [IndexEntry]

    public init(courseTitle: String, entries: [IndexEntry]) {
        self.courseTitle = courseTitle
        self.entries = entries
    }

    public static let fileName = "index.html"

    public func render() -> String {
        var body = "<main>\n<h1>\(HTML.escape(courseTitle))</h1>\n<ol class=\"lessons\">\n"
        for entry in entries {
            body += "<li><a href=\"\(HTML.escape(LessonPage.fileName(slug: entry.slug)))\">\(HTML.escape(entry.title))</a>"
            switch entry.status {
            case .ran(let passed, 0):
                body += " <span class=\"ok\">✓ \(passed) cells ran</span>"
            case .ran(_, let failed):
                body += " <span class=\"bad\">✗ \(failed) \(failed == 1 ? "cell" : "cells") failed</span>"
            case .invalid(let count):
                body += " <span class=\"bad\">✗ \(count) \(count == 1 ? "error" : "errors") in the lesson file</span>"
            case .notRendered:
                break
            }
            if let summary = entry.summary {
                body += "<br>\(HTML.escape(summary))"
            }
            body += "</li>\n"
        }
        body += "</ol>\n</main>\n"
        return PageTemplate.page(title: courseTitle, language: "en", body: body)
    }
}
