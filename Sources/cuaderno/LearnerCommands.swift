import ArgumentParser
import Foundation
import LessonEngine

/// `cuaderno status`: every lesson of the workbook with its checks and points, and the next one.
struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show your progress: each lesson of your workbook, done, failing or not started.",
        discussion: "Progress comes from your runs ('cuaderno run'), kept in Workbook/.cuaderno/progress.json.")

    @OptionGroup var location: WorkbookOptions

    func run() throws {
        let style = TerminalStyle(location.color)
        try LearnerCommand.reportingProblems(exitCode: 1) {
            let workbook = try LearnerWorkbook(location)
            LearnerPrinter(style: style).printStatus(try workbook.status(), workbook: workbook.displayPath)
        }
    }
}

/// `cuaderno next`: the lesson to work on now.
struct Next: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the lesson to work on next and how to run it.")

    @OptionGroup var location: WorkbookOptions

    func run() throws {
        let style = TerminalStyle(location.color)
        try LearnerCommand.reportingProblems(exitCode: 1) {
            let workbook = try LearnerWorkbook(location)
            LearnerPrinter(style: style).printNext(try workbook.status())
        }
    }
}

/// `cuaderno run [N]`: runs the learner's copy of a lesson and prints its checks.
struct RunLesson: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a lesson of your workbook and see which checks pass, and which have a hint for you.",
        discussion: """
            Runs Workbook/NN-….md (the next lesson when none is named), prints each check, writes \
            the lesson's page to Output/workbook/ and records the result for 'cuaderno status'. A \
            failing check says "hint available: cuaderno hint N"; the hint tiers you have seen are \
            shown again, and the next tier comes by itself only when the check fails again after \
            you changed the exercise. An exercise that still has todo() shows no hint. Exit status: 0 when every check passes, 1 when any fails, 2 when the \
            lesson itself could not run.
            """)

    @Argument(help: "The lesson to run, by number (1), name (01-self-attention) or path; the next lesson when omitted.")
    var lesson: String?

    @OptionGroup var location: WorkbookOptions
    @OptionGroup var runOptions: LearnerRunOptions

    func run() throws {
        Interruption.install()
        let style = TerminalStyle(location.color)
        var exitStatus: Int32 = 0
        try LearnerCommand.reportingProblems(exitCode: 2) {
            let workbook = try LearnerWorkbook(location)
            let file = try workbook.lessonFile(lesson)
            let lessonRun = try LearnerLessonRun(workbook: workbook, options: runOptions, style: style)
            guard let status = try lessonRun.run(file) else {
                print("Stopped: the run was interrupted, and nothing was recorded.")
                exitStatus = 130
                return
            }
            exitStatus = status
        }
        if exitStatus != 0 { throw ExitCode(exitStatus) }
    }
}

/// `cuaderno watch [N]`: runs a lesson again each time its file is saved.
struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a lesson of your workbook each time you save it; Ctrl-C stops.",
        discussion: """
            Without a lesson number, watch follows the course: once every check of a lesson passes \
            it moves on to the next lesson with exercises.
            """)

    @Argument(help: "The lesson to watch, by number, name or path; the next lesson when omitted.")
    var lesson: String?

    @Option(help: "Seconds between looks at the file, for changes the system does not report at once (a save is noticed at once where inotify can watch the folder).")
    var interval = 0.3

    @OptionGroup var location: WorkbookOptions
    @OptionGroup var runOptions: LearnerRunOptions

    func validate() throws {
        guard interval > 0 && interval <= 10 else {
            throw ValidationError("--interval must be between 0 and 10 seconds")
        }
    }

    func run() throws {
        Interruption.install()
        let style = TerminalStyle(location.color)
        try LearnerCommand.reportingProblems(exitCode: 2) {
            let workbook = try LearnerWorkbook(location)
            var file = try workbook.lessonFile(lesson)
            let lessonRun = try LearnerLessonRun(workbook: workbook, options: runOptions, style: style)
            let clearsScreen = isatty(STDOUT_FILENO) == 1
            while !Interruption.isRequested {
                if clearsScreen { print("\u{1B}[2J\u{1B}[H", terminator: "") }
                let seen = FileSnapshot(file)
                guard let status = try lessonRun.run(file) else { break }
                if status == 0 && lesson == nil, let next = try workbook.status().next, next.file != file {
                    file = next.file
                    print(style.bold("Watching the next lesson, \(Course.displayPath(of: file)), now."))
                    continue
                }
                print(style.dim("Watching \(Course.displayPath(of: file)): save it to run it again; Ctrl-C stops."))
                fflush(nil)
                guard SaveWatcher(folder: file.deletingLastPathComponent()).waitForChange(of: file, from: seen, interval: interval) else { break }
            }
            print("\nStopped watching.")
        }
    }
}

/// What the learner commands share.
enum LearnerCommand {
    /// Runs `body` with the workbook and the lesson file a command names (`nil`: the next
    /// lesson), reporting problems as ``reportingProblems(exitCode:_:)`` does.
    static func withLesson(_ lesson: String?, in location: WorkbookOptions, exitCode: Int32,
                           _ body: (LearnerWorkbook, URL) throws -> Void) throws {
        try reportingProblems(exitCode: exitCode) {
            let workbook = try LearnerWorkbook(location)
            try body(workbook, try workbook.lessonFile(lesson))
        }
    }

    /// Runs `body`; a problem the learner can fix is printed as such and ends the command with
    /// `exitCode`, instead of a stack of Swift error text.
    static func reportingProblems(exitCode: Int32, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch {
            print("✗ \(error)")
            throw ExitCode(exitCode)
        }
    }
}

extension SaveWatcher {
    /// Waits until `file` (in the watched folder) differs from `seen` and is whole: saved, as
    /// inotify reports, or else unchanged over two looks `interval` apart (editors may save in
    /// several writes). False when an interrupt arrived first.
    func waitForChange(of file: URL, from seen: FileSnapshot, interval: Double) -> Bool {
        var lastLook = seen
        while !Interruption.isRequested {
            let saved = waitForSaves(timeout: interval).contains(file.lastPathComponent)
            let now = FileSnapshot(file)
            defer { lastLook = now }
            if now != seen && now.exists && (saved || now == lastLook) { return true }
        }
        return false
    }
}
