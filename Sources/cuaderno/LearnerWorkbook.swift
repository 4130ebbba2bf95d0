import ArgumentParser
import CourseSession
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

/// Runs a lesson of the learner's workbook through its ``WorkbookSession`` (which records the result
/// and writes the page under `Output/workbook/`) and prints its checks and what it may show of
/// their hints (``HintLadder``).
struct LearnerLessonRun {
    var workbook: LearnerWorkbook
    var style: TerminalStyle
    var session: WorkbookSession

    init(workbook: LearnerWorkbook, options: LearnerRunOptions, style: TerminalStyle) throws {
        self.workbook = workbook
        self.style = style
        session = try WorkbookSession(directory: workbook.directory, courseLessons: workbook.courseLessons,
                                      outputDirectory: URL(fileURLWithPath: options.outputDirectory, isDirectory: true),
                                      timeout: options.timeout, refreshesCache: options.noCache, sandbox: options.sandbox)
    }

    /// Runs the lesson in `file`, reports and records it; returns the exit status of
    /// `cuaderno run` (0, 1 or 2), or nil when the run was interrupted (nothing is recorded).
    func run(_ file: URL) throws -> Int32? {
        let name = file.lastPathComponent
        print(style.bold("Running \(Course.displayPath(of: file)) …"))
        guard let result = try session.run(file) else { return nil }
        let printer = LearnerPrinter(style: style)
        let standing = result.status.lessons.first { $0.file.lastPathComponent == name }
        printer.printRun(result.outcome, page: Course.displayPath(of: result.page),
                         hints: HintsShown(offers: result.offers, lesson: standing?.number ?? Course.number(of: name) ?? 0),
                         hiddenChecks: standing?.hiddenChecks ?? 0)
        let exitStatus = LearnerRun.exitStatus(of: result.outcome)
        if exitStatus == 0 {
            printer.printWhatIsNext(result.status, justRan: name)
        }
        return exitStatus
    }
}
