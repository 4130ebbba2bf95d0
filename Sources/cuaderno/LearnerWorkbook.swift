import ArgumentParser
import Foundation
import LessonEngine
import SiteRenderer

/// Where the learner's workbook is, shared by the learner commands.
struct WorkbookOptions: ParsableArguments {
    @Option(help: "Where your copy of the course lives (made by 'cuaderno start').")
    var workbook = "Workbook"

    @Option(name: .customLong("lessons-dir"), help: "The course's own lessons folder, to notice lessons your workbook lacks.")
    var lessonsDirectory = "Lessons"

    @Option(help: "Colour the results: auto (when writing to a terminal and NO_COLOR is not set), always or never.")
    var color: ColorChoice = .auto
}

/// How a learner's lesson is run, shared by `run` and `watch`.
struct LearnerRunOptions: ParsableArguments {
    @Option(name: .customLong("output"), help: "Pages are written to the 'workbook' folder inside this folder.")
    var outputDirectory = "Output"

    @Option(help: "Seconds a lesson may run before it is stopped (default: the lesson's 'timeout:', else 60).")
    var timeout: Double?

    @Flag(help: "Run the lesson even when it has not changed since its last run.")
    var noCache = false

    @Option(help: "Where the lesson's program runs: none (with your rights) or bwrap (a bubblewrap sandbox, as 'cuaderno grade' uses).")
    var sandbox: SandboxChoice = .none

    func validate() throws {
        if let timeout, !(timeout > 0) {
            throw ValidationError("--timeout must be a positive number of seconds")
        }
    }
}

/// A problem that stops a learner command, said in words the learner can act on.
struct LearnerProblem: Error, CustomStringConvertible {
    var description: String
}

/// The learner's copy of the course and the progress of its lessons.
struct LearnerWorkbook {
    var directory: URL
    /// How messages name the workbook folder (`Workbook`).
    var displayPath: String
    var courseLessons: URL

    init(_ options: WorkbookOptions) throws {
        directory = URL(fileURLWithPath: options.workbook, isDirectory: true)
        displayPath = options.workbook
        courseLessons = URL(fileURLWithPath: options.lessonsDirectory, isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw LearnerProblem(description: "There is no workbook in \(displayPath)/ yet: run 'cuaderno start' to make your copy of the course.")
        }
    }

    /// The workbook's execution cache: a lesson run again unchanged is not compiled again.
    var cacheDirectory: URL {
        directory.appendingPathComponent(".cuaderno/cache", isDirectory: true)
    }

    func progress() throws -> WorkbookProgress {
        try WorkbookProgress.load(from: directory)
    }

    func status() throws -> WorkbookStatus {
        try WorkbookStatus.read(workbook: directory, progress: progress(), courseLessons: courseLessons)
    }

    /// The lesson file a command names (a number, a name or a path), or the next lesson.
    func lessonFile(_ request: String?) throws -> URL {
        if let request {
            do {
                return try Course(directory: directory).select([request])[0]
            } catch {
                throw LearnerProblem(description: error.description)
            }
        }
        let status = try status()
        guard let next = status.next else {
            throw LearnerProblem(description: "Every exercise in your workbook passes. Name a lesson to run it again: 'cuaderno run 1'.")
        }
        return next.file
    }
}

/// Runs a lesson of the learner's workbook: prints its checks and what it may show of their
/// hints (``HintLadder``), writes its page
/// under `Output/workbook/`, and records the result in the workbook's progress.
struct LearnerLessonRun {
    var workbook: LearnerWorkbook
    var options: LearnerRunOptions
    var style: TerminalStyle
    var runner: CourseRunner

    init(workbook: LearnerWorkbook, options: LearnerRunOptions, style: TerminalStyle) throws {
        self.workbook = workbook
        self.options = options
        self.style = style
        runner = try CourseRunner.besideExecutable(cache: ExecutionCache(directory: workbook.cacheDirectory),
                                                   sandbox: options.sandbox)
        runner.refreshesCache = options.noCache
        runner.parser = LessonParser(version: .learner)
    }

    /// The folder the workbook's pages go to.
    var pagesDirectory: URL {
        URL(fileURLWithPath: options.outputDirectory, isDirectory: true).appendingPathComponent("workbook", isDirectory: true)
    }

    /// Runs the lesson in `file`, reports and records it; returns the exit status of
    /// `cuaderno run` (0, 1 or 2), or nil when the run was interrupted (nothing is recorded).
    func run(_ file: URL) throws -> Int32? {
        let contents = try Data(contentsOf: file)
        let name = file.lastPathComponent
        print(style.bold("Running \(Course.displayPath(of: file)) …"))
        let outcome = runner.run(file: file, timeout: options.timeout)
        if Interruption.isRequested { return nil }

        var progress = try workbook.progress()
        var offers: [HintOffer] = []
        if case .ran(let report) = outcome {
            offers = HintLadder.afterRun(report, records: &progress.hints[name, default: [:]])
        }
        progress.record(outcome, name: name, contents: contents)
        try progress.save(to: workbook.directory)
        let status = try WorkbookStatus.read(workbook: workbook.directory, progress: progress,
                                             courseLessons: workbook.courseLessons)
        let page = try writePages(for: outcome, status: status, progress: progress)

        let printer = LearnerPrinter(style: style)
        let standing = status.lessons.first { $0.file.lastPathComponent == name }
        printer.printRun(outcome, page: Course.displayPath(of: page),
                         hints: HintsShown(offers: offers, lesson: standing?.number ?? Course.number(of: name) ?? 0),
                         hiddenChecks: standing?.hiddenChecks ?? 0)
        let exitStatus = LearnerRun.exitStatus(of: outcome)
        if exitStatus == 0 {
            printer.printWhatIsNext(status, justRan: name)
        }
        return exitStatus
    }

    /// Writes the lesson's page and the workbook's index; returns the page's location.
    private func writePages(for outcome: LessonOutcome, status: WorkbookStatus, progress: WorkbookProgress) throws -> URL {
        let writer = SiteWriter(outputDirectory: pagesDirectory, courseTitle: "Your workbook",
                                cacheDirectory: options.noCache ? nil : workbook.cacheDirectory)
        let ranSlug = Self.slug(of: outcome)
        let fileManager = FileManager.default
        // Pages link only to lessons that have a page: a lesson not run yet has none.
        let links = status.lessons.compactMap { standing -> LessonLink? in
            let slug = standing.file.deletingPathExtension().lastPathComponent
            let hasPage = slug == ranSlug
                || fileManager.fileExists(atPath: pagesDirectory.appendingPathComponent(LessonPage.fileName(slug: slug)).path)
            return hasPage ? LessonLink(slug: slug, title: standing.title) : nil
        }
        try writer.writePage(for: outcome, course: links)
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
        return pagesDirectory.appendingPathComponent(LessonPage.fileName(slug: ranSlug))
    }

    private static func slug(of outcome: LessonOutcome) -> String {
        switch outcome {
        case .ran(let report): report.lesson.slug
        case .invalid(let file, _, _): file.deletingPathExtension().lastPathComponent
        }
    }
}
