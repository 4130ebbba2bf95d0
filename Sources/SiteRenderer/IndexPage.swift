import LessonEngine

/// How many of a lesson's checks passed (filled in once lessons have exercises).
public struct CheckTally: Sendable, Equatable {
    public var passed: Int
    public var total: Int

    public init(passed: Int, total: Int) {
        self.passed = passed
        self.total = total
    }
}

/// One line of the course index.
public struct IndexEntry: Sendable {
    public enum Status: Sendable {
        /// The lesson ran; the numbers are cells that ran as intended and cells that failed.
        case ran(passed: Int, failed: Int)
        /// The lesson file has mistakes and could not be run.
        case invalid(errorCount: Int)
        /// The lesson was not part of this render.
        case notRendered
        /// A workbook lesson the learner has not run yet.
        case notStarted
    }

    public var slug: String
    public var title: String
    public var summary: String?
    public var status: Status
    /// Mistakes in the lesson's formulas.
    public var mathErrorCount: Int
    /// The lesson's exercise checks, when it has any.
    public var checks: CheckTally?

    public init(slug: String, title: String, summary: String?, status: Status,
                mathErrorCount: Int = 0, checks: CheckTally? = nil) {
        self.slug = slug
        self.title = title
        self.summary = summary
        self.status = status
        self.mathErrorCount = mathErrorCount
        self.checks = checks
    }
}

/// The course's front page: the lessons in order, with what their last render found.
public struct IndexPage {
    public var courseTitle: String
    public var entries: [IndexEntry]
    /// The language of the interface words (`en` or `es`).
    public var language: String

    public init(courseTitle: String, entries: [IndexEntry], language: String = "en") {
        self.courseTitle = courseTitle
        self.entries = entries
        self.language = language
    }

    public static let fileName = "index.html"

    /// Whether the page carries the course's search box (the site has `search.html`).
    public var search = false

    public func render() -> String {
        let strings = InterfaceStrings.forLanguage(language)
        var body = search ? "<header class=\"site\">\(SearchPage.form(strings))</header>\n" : ""
        body += "<main>\n<h1>\(HTML.escape(courseTitle))</h1>\n"
        body += "<h2>\(HTML.escape(strings.lessons))</h2>\n<ol class=\"lessons\">\n"
        for entry in entries {
            if case .notStarted = entry.status {
                // A workbook lesson not run yet has no page to link to.
                body += "<li><span class=\"title\">\(HTML.escape(entry.title))</span>\n"
            } else {
                body += "<li><a class=\"title\" href=\"\(HTML.escape(LessonPage.fileName(slug: entry.slug)))\">"
                    + "\(HTML.escape(entry.title))</a>\n"
            }
            let badges = Self.badges(for: entry, strings: strings)
            if !badges.isEmpty {
                body += "<span class=\"status\">\(badges.joined())</span>\n"
            }
            if let summary = entry.summary {
                body += "<p>\(HTML.escape(summary))</p>\n"
            }
            body += "</li>\n"
        }
        body += "</ol>\n</main>\n"
        return PageTemplate.page(title: courseTitle, language: strings.language, body: body)
    }

    /// What the last render found: checks first (what a learner cares about), then cells and formulas.
    static func badges(for entry: IndexEntry, strings: InterfaceStrings) -> [String] {
        var badges: [String] = []
        if let checks = entry.checks {
            let state = checks.passed == checks.total ? "passed" : "failed"
            badges.append("<span class=\"checks \(state)\">\(HTML.escape(strings.checksPassed(checks.passed, checks.total)))</span>")
        }
        switch entry.status {
        case .ran(let passed, 0):
            badges.append("<span class=\"ok\">✓ \(HTML.escape(strings.cellsRan(passed)))</span>")
        case .ran(let passed, let failed):
            badges.append("<span class=\"bad\">✗ \(HTML.escape(strings.cellsFailed(failed, passed + failed)))</span>")
        case .invalid(let count):
            badges.append("<span class=\"bad\">✗ \(HTML.escape(strings.errorsInFile(count)))</span>")
        case .notRendered:
            badges.append("<span class=\"not-run\">\(HTML.escape(strings.notRendered))</span>")
        case .notStarted:
            badges.append("<span class=\"not-run\">\(HTML.escape(strings.notStarted))</span>")
        }
        if entry.mathErrorCount > 0 {
            badges.append("<span class=\"bad\">✗ \(HTML.escape(strings.mathErrorCount(entry.mathErrorCount)))</span>")
        }
        return badges
    }
}
