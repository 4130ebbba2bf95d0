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
        switch outcome {
        case .ran(let report):
            let slug = report.lesson.slug
            let memo = cacheDirectory.map {
                HighlightMemo(file: $0.appendingPathComponent("highlight").appendingPathComponent(slug + ".json"))
            }
            var page = LessonPage(report: report, navigation: CourseNavigation(slug: slug, in: course),
                                  highlightMemo: memo)
            page.search = search
            try write(page.render(), named: LessonPage.fileName(slug: slug))
            memo?.save()
        case .invalid(let file, _, let errors):
            let slug = file.deletingPathExtension().lastPathComponent
            let page = InvalidLessonPage(title: slug, errors: errors, navigation: CourseNavigation(slug: slug, in: course))
            try write(page.render(), named: LessonPage.fileName(slug: slug))
        }
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

    /// The lessons of a course as links, in order: each with its title (from its front matter),
    /// or its file name when the front matter cannot be read.
    public static func courseLinks(lessonFiles: [URL], parser: LessonParser) -> [LessonLink] {
        lessonFiles.map { file in
            let slug = file.deletingPathExtension().lastPathComponent
            if let front = parser.frontMatter(fileURL: file, displayPath: Course.displayPath(of: file)) {
                return LessonLink(slug: slug, title: front.title, language: front.language, summary: front.summary)
            }
            return LessonLink(slug: slug, title: slug)
        }
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
