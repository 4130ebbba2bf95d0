import Foundation
import LessonEngine

/// Writes a course's pages into an output folder, each file atomically.
public struct SiteWriter: Sendable {
    public var outputDirectory: URL
    public var courseTitle: String
    /// Where highlighted code is kept between renders (a `highlight` folder is made in it);
    /// nil highlights every cell afresh.
    public var cacheDirectory: URL?
    /// Whether the pages carry a search box: the site then has ``writeSearch(lessons:language:)``'s
    /// `search.html`.
    public var search: Bool

    public init(outputDirectory: URL, courseTitle: String, cacheDirectory: URL? = nil, search: Bool = false) {
        self.outputDirectory = outputDirectory
        self.courseTitle = courseTitle
        self.cacheDirectory = cacheDirectory
        self.search = search
    }

    /// Writes the page of a lesson that ran, or of one whose file has mistakes, linked to its
    /// neighbours in `course` (every lesson of the course, in order).
    public func writePage(for outcome: LessonOutcome, course: [LessonLink] = []) throws {
        try write(makePage(for: outcome, course: course))
    }

    /// A lesson's page, made and not yet written, with what making it found in the prose.
    public struct MadePage: Sendable {
        /// Its file name in the output folder (`01-self-attention.html`).
        public var fileName: String
        public var html: String
        /// The mistakes in the lesson's formulas (those ``MathCheck/errors(in:)`` gives).
        public var mathErrors: [LessonError]
        /// The links written in the lesson's prose, for ``LinkCheck/errors(in:links:course:)``.
        public var links: [LinkCheck.ProseLinks]
        /// The highlighted code to keep once the page is written.
        var highlightMemo: HighlightMemo?
    }

    /// Makes the page ``writePage(for:course:)`` writes, without writing it; the prose is read
    /// once, for the page and for its mistakes.
    public func makePage(for outcome: LessonOutcome, course: [LessonLink] = []) -> MadePage {
        switch outcome {
        case .ran(let report):
            let slug = report.lesson.slug
            let memo = cacheDirectory.map {
                HighlightMemo(file: $0.appendingPathComponent("highlight").appendingPathComponent(slug + ".json"))
            }
            var page = LessonPage(report: report, navigation: CourseNavigation(slug: slug, in: course),
                                  highlightMemo: memo)
            page.search = search
            let rendered = page.renderWithProse()
            return MadePage(fileName: LessonPage.fileName(slug: slug), html: rendered.html,
                            mathErrors: rendered.mathErrors, links: rendered.links, highlightMemo: memo)
        case .invalid(let file, _, let errors):
            let slug = file.deletingPathExtension().lastPathComponent
            let page = InvalidLessonPage(title: slug, errors: errors, navigation: CourseNavigation(slug: slug, in: course))
            return MadePage(fileName: LessonPage.fileName(slug: slug), html: page.render(), mathErrors: [], links: [])
        }
    }

    /// Writes a page made by ``makePage(for:course:)``, then keeps its highlighted code.
    public func write(_ page: MadePage) throws {
        try write(page.html, named: page.fileName)
        page.highlightMemo?.save()
    }

    /// Writes the index page, with its interface words in `language`.
    public func writeIndex(_ entries: [IndexEntry], language: String = "en") throws {
        var page = IndexPage(courseTitle: courseTitle, entries: entries, language: language)
        page.search = search
        try write(page.render(), named: IndexPage.fileName)
    }

    /// Writes the course's search: `search.html`, its script and the index of `lessons`' prose and
    /// code (``SearchIndex``).
    public func writeSearch(lessons: [Lesson], language: String = "en") throws {
        let index = SearchIndex(lessons: lessons)
        let page = SearchPage(courseTitle: courseTitle, index: index, strings: InterfaceStrings.forLanguage(language))
        try write(page.render(), named: SearchIndex.pageFile)
        try write(index.script, named: SearchIndex.indexFile)
        try write(SearchPage.script, named: SearchIndex.scriptFile)
    }

    /// The index line of a lesson from what happened when it was rendered; `mathErrorCount` is
    /// the number of mistakes in its formulas when the caller has already counted them (nil:
    /// count them here).
    public static func indexEntry(for outcome: LessonOutcome, mathErrorCount: Int? = nil) -> IndexEntry {
        switch outcome {
        case .ran(let report):
            let failed = report.unexpectedFailures.count + (report.machineryFailure == nil ? 0 : 1)
            let passed = report.cells.filter { result in
                switch result.status {
                case .succeeded, .failedAsExpected: true
                default: false
                }
            }.count
            return IndexEntry(slug: report.lesson.slug, title: report.lesson.frontMatter.title,
                              summary: report.lesson.frontMatter.summary,
                              status: .ran(passed: passed, failed: failed),
                              mathErrorCount: mathErrorCount ?? MathCheck.errors(in: report.lesson).count,
                              checks: report.checks.isEmpty ? nil : CheckTally(
                                  passed: report.checks.filter(\.passed).count, total: report.checks.count))
        case .invalid(let file, _, let errors):
            let slug = file.deletingPathExtension().lastPathComponent
            return IndexEntry(slug: slug, title: slug, summary: nil, status: .invalid(errorCount: errors.errors.count))
        }
    }

    private func write(_ html: String, named name: String) throws {
        try AtomicFile.write(html, to: outputDirectory.appendingPathComponent(name))
    }
}
