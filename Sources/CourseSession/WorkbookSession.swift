import Foundation
import LessonEngine
import SiteRenderer

/// A learner's workbook and what running one of its lessons does, whoever asks — `cuaderno run`
/// and `watch` in a terminal, `cuaderno serve --workbook` in a browser: run the learner's copy
/// (from the workbook's execution cache when it is unchanged), let the hint ladder see the result,
/// record it in the progress file, and write the lesson's page and the workbook's index.
public struct WorkbookSession: Sendable {
    /// The learner's copy of the course (`Workbook/`).
    public let directory: URL
    /// The course's own lessons, for what the workbook lacks and the hidden checks' count.
    public let courseLessons: URL
    /// Where the workbook's pages go (`Output/workbook/`).
    public let pagesDirectory: URL
    /// Seconds a lesson may run (nil: the lesson's own `timeout:`, else 60).
    public let timeout: Double?
    let runner: CourseRunner
    let keepsHighlighting: Bool

    /// The session of the workbook in `directory`.
    ///
    /// - Parameters:
    ///   - outputDirectory: the pages go into its `workbook` folder.
    ///   - refreshesCache: run lessons even when the cache has their result (`--no-cache`).
    /// - Throws: ``WorkbookProblem`` when there is no workbook there; the runner's error when the
    ///   runtime library cannot be found.
    public init(directory: URL, courseLessons: URL, outputDirectory: URL, timeout: Double?,
                refreshesCache: Bool = false, sandbox: SandboxChoice = .none) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw WorkbookProblem(description: "There is no workbook in \(Course.displayPath(of: directory))/ yet: run 'cuaderno start' to make your copy of the course.")
        }
        self.directory = directory
        self.courseLessons = courseLessons
        pagesDirectory = outputDirectory.appendingPathComponent("workbook", isDirectory: true)
        self.timeout = timeout
        var runner = try CourseRunner.besideExecutable(cache: ExecutionCache(directory: Self.cacheDirectory(of: directory)),
                                                       sandbox: sandbox)
        runner.refreshesCache = refreshesCache
        runner.parser = LessonParser(version: .learner)
        self.runner = runner
        keepsHighlighting = !refreshesCache
    }

    /// The workbook's execution cache: a lesson run again unchanged is not compiled again.
    public static func cacheDirectory(of workbook: URL) -> URL {
        workbook.appendingPathComponent(".cuaderno/cache", isDirectory: true)
    }

    public func progress() throws -> WorkbookProgress {
        try WorkbookProgress.load(from: directory)
    }

    public func status() throws -> WorkbookStatus {
        try WorkbookStatus.read(workbook: directory, progress: progress(), courseLessons: courseLessons)
    }

    /// What running a lesson gave.
    public struct LessonRun: Sendable {
        public var outcome: LessonOutcome
        /// The hints the ladder shows for this run.
        public var offers: [HintOffer]
        /// The workbook after the run.
        public var status: WorkbookStatus
        /// The lesson's page.
        public var page: URL
    }

    /// Runs the lesson in `file`, records it and writes its page; nil when Ctrl-C stopped the run
    /// (nothing is recorded or written then).
    public func run(_ file: URL) throws -> LessonRun? {
        let contents = try Data(contentsOf: file)
        let name = file.lastPathComponent
        let outcome = runner.run(file: file, timeout: timeout)
        if Interruption.isRequested { return nil }

        var progress = try progress()
        var offers: [HintOffer] = []
        if case .ran(let report) = outcome {
            offers = HintLadder.afterRun(report, records: &progress.hints[name, default: [:]])
        }
        progress.record(outcome, name: name, contents: contents)
        try progress.save(to: directory)
        let status = try WorkbookStatus.read(workbook: directory, progress: progress, courseLessons: courseLessons)
        let page = try writePages(for: outcome, status: status, progress: progress)
        return LessonRun(outcome: outcome, offers: offers, status: status, page: page)
    }

    /// Writes the lesson's page and the workbook's index; returns the page's location.
    private func writePages(for outcome: LessonOutcome, status: WorkbookStatus, progress: WorkbookProgress) throws -> URL {
        let ranSlug = Self.slug(of: outcome)
        let links = lessonLinks(status: status, alsoWith: ranSlug)
        try writer.writePage(for: outcome, course: links)
        try writeIndex(status: status, progress: progress, links: links)
        return pagesDirectory.appendingPathComponent(LessonPage.fileName(slug: ranSlug))
    }

    /// Writes the workbook's index as it stands (`serve` shows it before any lesson has run).
    public func writeIndex() throws {
        let status = try status()
        try writeIndex(status: status, progress: try progress(), links: lessonLinks(status: status, alsoWith: nil))
    }

    private var writer: SiteWriter {
        SiteWriter(outputDirectory: pagesDirectory, courseTitle: "Your workbook",
                   cacheDirectory: keepsHighlighting ? Self.cacheDirectory(of: directory) : nil)
    }

    /// The lessons that have a page (a lesson not run yet has none), and `slug`'s, about to.
    private func lessonLinks(status: WorkbookStatus, alsoWith slug: String?) -> [LessonLink] {
        status.lessons.compactMap { standing -> LessonLink? in
            let lessonSlug = standing.file.deletingPathExtension().lastPathComponent
            let hasPage = lessonSlug == slug
                || FileManager.default.fileExists(atPath: pagesDirectory.appendingPathComponent(LessonPage.fileName(slug: lessonSlug)).path)
            return hasPage ? LessonLink(slug: lessonSlug, title: standing.title) : nil
        }
    }

    private func writeIndex(status: WorkbookStatus, progress: WorkbookProgress, links: [LessonLink]) throws {
        let entries = status.lessons.map { standing -> IndexEntry in
            let slug = standing.file.deletingPathExtension().lastPathComponent
            guard links.contains(where: { $0.slug == slug }), let record = progress.lessons[standing.file.lastPathComponent] else {
                return IndexEntry(slug: slug, title: standing.title, summary: standing.summary, status: .notStarted)
            }
            return IndexEntry(slug: slug, title: standing.title, summary: standing.summary,
                              status: record.mistakesInFile > 0
                                  ? .invalid(errorCount: record.mistakesInFile)
                                  : .ran(passed: record.cellsSucceeded, failed: record.cellsFailed),
                              checks: record.checks.isEmpty ? nil
                                  : CheckTally(passed: record.checks.count - record.failingChecks, total: record.checks.count))
        }
        try writer.writeIndex(entries)
    }

    static func slug(of outcome: LessonOutcome) -> String {
        switch outcome {
        case .ran(let report): report.lesson.slug
        case .invalid(let file, _, _): file.deletingPathExtension().lastPathComponent
        }
    }
}

/// A problem with the workbook that stops a learner's command, said in words the learner can act on.
public struct WorkbookProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(description: String) { self.description = description }
}
