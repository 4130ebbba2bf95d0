import ArgumentParser
import CourseSession
import Foundation
import LessonEngine

/// Options shared by the commands that run lessons.
struct CourseOptions: ParsableArguments {
    @Argument(help: "Lessons to run, by number (1), name (01-self-attention) or path; all lessons when none is given.")
    var lessons: [String] = []

    @Option(name: .customLong("lessons-dir"), help: "The folder that holds the course's lessons.")
    var lessonsDirectory = "Lessons"

    @Option(help: "Seconds a lesson may run before it is stopped (default: the lesson's 'timeout:', else 60).")
    var timeout: Double?

    @Option(help: "Lessons run at once (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Run every lesson, even those whose result is in the cache (the fresh results replace it).")
    var noCache = false

    @Option(name: .customLong("cache-dir"), help: "The folder of the execution cache.")
    var cacheDirectory = ".cuaderno-cache"

    @Option(help: "Where lesson programs run: none (with your rights) or bwrap (a bubblewrap sandbox, as 'cuaderno grade' uses).")
    var sandbox: SandboxChoice = .none

    func validate() throws {
        if let timeout, !(timeout > 0) {
            throw ValidationError("--timeout must be a positive number of seconds")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    /// The pipeline that runs the course's lessons: through the execution cache (`--no-cache`
    /// runs every lesson anyway), `--jobs` at a time, each within `--timeout`.
    func makePipeline() throws -> CoursePipeline {
        var runner = try CourseRunner.besideExecutable(
            cache: ExecutionCache(directory: URL(fileURLWithPath: cacheDirectory, isDirectory: true)), sandbox: sandbox)
        runner.refreshesCache = noCache
        return CoursePipeline(runner: runner, timeout: timeout, jobs: jobs)
    }

    /// The cache folder for what rendering keeps (highlighted code); nil with `--no-cache`.
    var readableCacheDirectory: URL? {
        noCache ? nil : URL(fileURLWithPath: cacheDirectory, isDirectory: true)
    }

    /// The course in `--lessons-dir`, each lesson file parsed once; ``LoadedCourse/select(_:)``
    /// with `lessons` gives the ones to run.
    func load() throws -> LoadedCourse {
        try LoadedCourse(directory: URL(fileURLWithPath: lessonsDirectory, isDirectory: true))
    }
}

/// Prints what happened to each lesson, as compilers do: one line per lesson, then the problems.
enum Terminal {
    /// Prints a lesson's outcome, then any mistakes in its formulas and links.
    static func report(_ outcome: LessonOutcome, proseErrors: ProseErrors) {
        report(outcome)
        guard case .ran(let report) = outcome else { return }
        for (errors, place) in [(proseErrors.math, "formulas"), (proseErrors.links, "links")] where !errors.isEmpty {
            print("✗ \(report.lesson.displayPath): \(errors.count) \(errors.count == 1 ? "mistake" : "mistakes") in its \(place)")
            for error in errors { print("  \(error)") }
        }
    }

    private static func report(_ outcome: LessonOutcome) {
        switch outcome {
        case .invalid(_, let displayPath, let errors):
            print("✗ \(displayPath): \(errors.errors.count) \(errors.errors.count == 1 ? "mistake" : "mistakes") in the lesson file")
            for error in errors.errors { print("  \(error)") }
        case .ran(let report):
            let seconds = report.isFromCache ? "cached" : String(format: "%.1f s", report.duration)
            let ran = report.cells.filter(\.cell.runs).count
            if report.succeeded {
                print("✓ \(report.lesson.displayPath): \(ran) cells ran (\(seconds))")
                return
            }
            let failures = report.unexpectedFailures
            print("✗ \(report.lesson.displayPath): \(failures.count) of \(ran) cells failed (\(seconds))")
            if let machinery = report.machineryFailure {
                print(indented(machinery))
            }
            for failure in failures {
                if case .failed(let cellFailure) = failure.status {
                    print("  cell at line \(failure.cell.fenceLine) — \(cellFailure.kind.rawValue):")
                    print(indented(cellFailure.message, by: 4))
                }
            }
        }
    }

    /// Ends the command (exit status 130, as shells expect) when Ctrl-C arrived during a lesson:
    /// the lesson was stopped, so its result is not reported or written.
    static func stopIfInterrupted() throws {
        guard Interruption.isRequested else { return }
        print("Stopped: interrupted. The lesson that was running was not written.")
        throw ExitCode(130)
    }

    static func indented(_ text: String, by spaces: Int = 2) -> String {
        let padding = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { padding + $0 }.joined(separator: "\n")
    }
}
