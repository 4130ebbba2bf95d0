import Foundation

/// What became of one lesson file.
public enum LessonOutcome: Sendable {
    /// The file has mistakes and was not run.
    case invalid(file: URL, displayPath: String, errors: LessonErrors)
    /// The lesson ran (successfully or not).
    case ran(LessonReport)

    /// Whether the lesson ran as its author intended.
    public var succeeded: Bool {
        if case .ran(let report) = self { return report.succeeded }
        return false
    }
}

/// Parses and runs lessons one after another, continuing past failures.
public struct CourseRunner: Sendable {
    public var executor: LessonExecutor
    public var parser = LessonParser()

    public init(executor: LessonExecutor) {
        self.executor = executor
    }

    /// Makes a runner that compiles against the runtime built beside this executable.
    public static func besideExecutable() throws -> CourseRunner {
        let runtime = try RuntimeLibrary.besideExecutable()
        let compiler = SwiftCompiler(
            runtime: runtime,
            moduleCache: runtime.buildDirectory.appendingPathComponent("cuaderno-module-cache"))
        return CourseRunner(executor: LessonExecutor(compiler: compiler))
    }

    /// Parses and runs one lesson file.
    public func run(file: URL, timeout: Double?) -> LessonOutcome {
        let displayPath = Course.displayPath(of: file)
        switch parser.parse(fileURL: file, displayPath: displayPath) {
        case .failure(let errors):
            return .invalid(file: file, displayPath: displayPath, errors: errors)
        case .success(let lesson):
            return .ran(executor.execute(lesson, timeout: timeout))
        }
    }
}
