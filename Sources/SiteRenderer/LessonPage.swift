import LessonEngine

/// A lesson as a link: its page, its title, its summary and the language it is written in.
public struct LessonLink: Sendable, Equatable {
    public var slug: String
    public var title: String
    public var language: String
    public var summary: String?

    public init(slug: String, title: String, language: String = "en", summary: String? = nil) {
        self.slug = slug
        self.title = title
        self.language = language
        self.summary = summary
    }
}

/// The lessons before and after a lesson, in course order.
public struct CourseNavigation: Sendable, Equatable {
    public var previous: LessonLink?
    public var next: LessonLink?

    public init(previous: LessonLink? = nil, next: LessonLink? = nil) {
        self.previous = previous
        self.next = next
    }

    /// The neighbours of `slug` in `course` (all lessons, in order).
    public init(slug: String, in course: [LessonLink]) {
        guard let position = course.firstIndex(where: { $0.slug == slug }) else {
            self.init()
            return
        }
        self.init(previous: position > 0 ? course[position - 1] : nil,
                  next: position + 1 < course.count ? course[position + 1] : nil)
    }
}

/// The HTML page of one lesson: title, summary, contents, prose with math, every cell with its
/// code, output and errors, and links to the lessons before and after.
public struct LessonPage {
    public var report: LessonReport
    public var navigation: CourseNavigation
    /// Highlighted code kept from earlier renders; nil highlights every cell afresh.
    public var highlightMemo: HighlightMemo?
    /// Whether the page's header carries the course's search box (the site has `search.html`).
    public var search = false

    public init(report: LessonReport, navigation: CourseNavigation = CourseNavigation(),
                highlightMemo: HighlightMemo? = nil) {
        self.report = report
        self.navigation = navigation
        self.highlightMemo = highlightMemo
    }

    /// The page's file name, e.g. `01-self-attention.html`.
    public static func fileName(slug: String) -> String { slug + ".html" }

    public func render() -> String {
        renderWithProse().html
    }

    /// A rendered page and what rendering its prose found.
    public struct Rendered: Sendable {
        public var html: String
        /// The mistakes in the lesson's formulas (those ``MathCheck/errors(in:)`` gives).
        public var mathErrors: [LessonError]
        /// The links written in its prose, for ``LinkCheck/errors(in:links:course:)``.
        public var links: [LinkCheck.ProseLinks]
    }

    /// The page, with the mistakes in its formulas and the links of its prose found in the same
    /// pass over the prose.
    public func renderWithProse() -> Rendered {
        let lesson = report.lesson
        let strings = InterfaceStrings.forLanguage(lesson.frontMatter.language)
        var anchors = AnchorRegistry()
        anchors.reserve("contents")
        for cell in lesson.cells { anchors.reserve(CellView.anchor(for: cell)) }
        for cell in lesson.cells { if let figure = cell.figure { anchors.reserve(figure.anchor) } }
        let figures = FigureNumbering(lesson, strings: strings)

        var content = ""
        var headings: [Heading] = []
        var mathErrors: [LessonError] = []
        var links: [LinkCheck.ProseLinks] = []
        var results = report.cells.makeIterator()
        let notDone = LearnerVersion.exercisesNotDone(in: lesson)
        for block in lesson.blocks {
            switch block {
            case .prose(let markdown, let startLine):
                let prose = ProseRenderer(markdown, anchors: &anchors, figures: figures)
                content += prose.html
                headings += prose.headings
                mathErrors += prose.mathProblems.map {
                    MathCheck.lessonError($0, proseStartLine: startLine, file: lesson.displayPath)
                }
                links.append(LinkCheck.ProseLinks(markdown: markdown, startLine: startLine, urls: prose.linkURLs))
            case .cell(let cell):
                if let result = results.next() {
                    content += CellView(result: result, anchor: CellView.anchor(for: cell), strings: strings,
                                        lessonPath: lesson.displayPath, highlightMemo: highlightMemo, figures: figures,
                                        withholdsHints: cell.check.map { notDone.contains($0.exercise) } ?? false)
                        .render(anchors: &anchors)
                }
            }
        }

        var body = "<header class=\"site\"><a href=\"index.html\">\(HTML.escape(strings.courseIndex))</a>"
            + (search ? SearchPage.form(strings) : "") + "</header>\n"
        body += "<main>\n<article>\n<header>\n<h1>\(HTML.escape(lesson.frontMatter.title))</h1>\n"
        if let summary = lesson.frontMatter.summary {
            body += "<p class=\"summary\">\(HTML.escape(summary))</p>\n"
        }
        body += "</header>\n"
        if let failure = report.machineryFailure {
            body += "<div class=\"error\"><p class=\"label\">\(HTML.escape(strings.lessonNotRun))</p>"
                + "<pre>\(HTML.escape(failure))</pre></div>\n"
        }
        if !mathErrors.isEmpty {
            body += "<div class=\"error\"><p class=\"label\">\(HTML.escape(strings.mathErrors))</p>"
                + "<pre>\(CellView.messageHTML(mathErrors.map(\.locatedMessage)))</pre></div>\n"
        }
        body += Self.tableOfContents(headings, strings: strings)
        body += content
        body += "</article>\n" + Self.pager(navigation, strings: strings) + "</main>\n"
        return Rendered(html: PageTemplate.page(title: lesson.frontMatter.title, language: strings.language, body: body),
                        mathErrors: mathErrors, links: links)
    }

    /// The contents list: second- and third-level headings, nested.
    static func tableOfContents(_ headings: [Heading], strings: InterfaceStrings) -> String {
        let entries = headings.filter { (2...3).contains($0.level) }
        guard !entries.isEmpty else { return "" }
        var html = "<nav class=\"toc\" aria-labelledby=\"contents\">\n"
            + "<h2 id=\"contents\">\(HTML.escape(strings.contents))</h2>\n<ol>\n"
        var open = false  // a nested list of third-level headings is open
        for (position, heading) in entries.enumerated() {
            let link = "<a href=\"#\(HTML.escape(heading.id))\">\(heading.html)</a>"
            if heading.level == 3 {
                if !open {
                    // A third-level heading before any second-level one still needs an item to sit in.
                    html += position == 0 ? "<li><ol>\n" : "<ol>\n"
                    open = true
                }
                html += "<li>\(link)</li>\n"
            } else {
                if open {
                    html += "</ol></li>\n"
                    open = false
                } else if position > 0 {
                    html += "</li>\n"
                }
                html += "<li>\(link)"
            }
        }
        html += open ? "</ol></li>\n" : "</li>\n"
        return html + "</ol>\n</nav>\n"
    }

    /// Links to the lessons before and after this one.
    static func pager(_ navigation: CourseNavigation, strings: InterfaceStrings) -> String {
        guard navigation.previous != nil || navigation.next != nil else { return "" }
        var html = "<nav class=\"pager\" aria-label=\"\(HTML.escape(strings.lessonNavigation))\">\n"
        if let previous = navigation.previous {
            html += "<a class=\"previous\" rel=\"prev\" href=\"\(HTML.escape(fileName(slug: previous.slug)))\""
                + Self.languageAttributes(of: previous, pageLanguage: strings.language) + ">"
                + "<span class=\"label\">← \(HTML.escape(strings.previous))</span> \(HTML.escape(previous.title))</a>\n"
        }
        if let next = navigation.next {
            html += "<a class=\"next\" rel=\"next\" href=\"\(HTML.escape(fileName(slug: next.slug)))\""
                + Self.languageAttributes(of: next, pageLanguage: strings.language) + ">"
                + "<span class=\"label\">\(HTML.escape(strings.next)) →</span> \(HTML.escape(next.title))</a>\n"
        }
        return html + "</nav>\n"
    }

    /// `hreflang` for a link to a lesson in another language than the page's.
    private static func languageAttributes(of link: LessonLink, pageLanguage: String) -> String {
        link.language == pageLanguage ? "" : " hreflang=\"\(HTML.escape(link.language))\""
    }
}
