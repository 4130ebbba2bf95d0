/// What happened to one cell.
public enum CellStatus: Sendable, Equatable, Codable {
    /// It ran to its end.
    case succeeded
    /// A `norun` cell: shown, never run.
    case shownOnly
    /// A `fails` cell failed, as it should; the messages are its failure.
    case failedAsExpected([LocatedMessage])
    /// The cell's code failed (or a `fails` cell succeeded).
    case failed(CellFailure)
    /// The cell did not run, for this reason.
    case notRun(NotRunReason)
}

/// Why a cell did not run.
public enum NotRunReason: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The run ended before it reached the cell, for no reason of its own.
    case notReached
    /// The machinery failed, so no cell ran.
    case lessonCouldNotRun
    /// An earlier cell, at this line (its opening fence), does not compile.
    case earlierCellDoesNotCompile(fenceLine: Int)
    /// The program stopped in an earlier cell, at this line (its opening fence).
    case programStopped(fenceLine: Int)

    /// The reason as shown under the cell: `not run: the cell at line 12 does not compile`.
    public var description: String {
        switch self {
        case .notReached: "not run"
        case .lessonCouldNotRun: "not run: the lesson could not be run"
        case .earlierCellDoesNotCompile(let line): "not run: the cell at line \(line) does not compile"
        case .programStopped(let line): "not run: the program stopped in the cell at line \(line)"
        }
    }
}

/// How a cell failed, with the messages shown under it.
public struct CellFailure: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case compileError = "compile error"
        case runtimeError = "runtime error"
        case timedOut = "time limit"
        case outputLimit = "output limit"
        case unexpectedSuccess = "expected to fail"
    }

    public var kind: Kind
    /// The messages, each naming the Markdown file and line where it can (a compile error's
    /// diagnostics, in the compiler's order).
    public var messages: [LocatedMessage]

    public init(kind: Kind, messages: [LocatedMessage]) {
        self.kind = kind
        self.messages = messages
    }

    /// A failure with one message that points nowhere (`stopped: the lesson ran longer than …`).
    public init(kind: Kind, message: String) {
        self.init(kind: kind, messages: [LocatedMessage(text: message)])
    }

    /// The messages as text, as the terminal shows them (`Lessons/x.md:12:5: error: …`).
    public var message: String { messages.formatted }

    /// The first message that points at a line of `file`, if any.
    public func firstLocation(in file: String) -> SourceLocation? {
        messages.lazy.compactMap(\.location).first { $0.file == file }
    }
}

/// A cell and what it produced.
public struct CellResult: Sendable, Equatable {
    public var cell: Cell
    public var status: CellStatus
    /// What it printed and displayed, in order.
    public var output: [OutputItem]

    public init(cell: Cell, status: CellStatus, output: [OutputItem]) {
        self.cell = cell
        self.status = status
        self.output = output
    }

    /// Whether this result should fail `cuaderno check`: a cell that failed, or a check cell with
    /// a failed expectation (a reference solution must pass its own checks).
    public var isUnexpectedFailure: Bool {
        if case .failed = status { return true }
        return cell.kind == .check && output.contains { item in
            if case .expectation(let expectation) = item { return !expectation.passed }
            return false
        }
    }
}

/// The outcome of one check cell: it earns its points only if it ran to its end, reported at
/// least one expectation, and every expectation in it held.
public struct CheckResult: Sendable, Equatable {
    public var cell: Cell
    public var check: Cell.Check
    public var passed: Bool
    /// Why it failed: each failed expectation (with its line), or how the cell stopped.
    public var failures: [LocatedMessage]

    public var points: Int { check.points }
    public var earned: Int { passed ? check.points : 0 }

    /// The outcome of a check cell's result (nil for other cells); `file` names the lesson in
    /// the locations of failed expectations.
    public init?(_ result: CellResult, file: String) {
        guard let check = result.cell.check else { return nil }
        var failures: [LocatedMessage] = []
        for case .expectation(let expectation) in result.output where !expectation.passed {
            let location = expectation.line.map { SourceLocation(file: file, line: $0) }
            failures.append(LocatedMessage(location: location, text: expectation.message))
        }
        switch result.status {
        case .failed(let failure): failures += failure.messages
        case .notRun(let reason): failures.append(LocatedMessage(text: reason.description))
        default: break
        }
        // Silence is a failure: a check passes only when it ran to its end and reported at
        // least one expectation, all of them held.
        let reported = result.output.contains { if case .expectation = $0 { return true } else { return false } }
        if failures.isEmpty && !reported {
            failures.append(LocatedMessage(text: "the check reported no result: none of its expect… calls ran"))
        }
        self.cell = result.cell
        self.check = check
        self.passed = failures.isEmpty
        self.failures = failures
    }
}

/// The result of running a lesson: every cell's result, and any failure of the machinery itself.
public struct LessonReport: Sendable {
    public var lesson: Lesson
    public var cells: [CellResult]
    /// A problem that was not the lesson's fault (no compiler, runtime not built, unwritable folder).
    public var machineryFailure: String?
    /// Seconds spent compiling and running (for a result from the cache: when it was made).
    public var duration: Double
    /// Whether this result came from the execution cache instead of a run.
    public var isFromCache = false

    public init(lesson: Lesson, cells: [CellResult], machineryFailure: String? = nil, duration: Double) {
        self.lesson = lesson
        self.cells = cells
        self.machineryFailure = machineryFailure
        self.duration = duration
    }

    /// Cells whose code failed unexpectedly.
    public var unexpectedFailures: [CellResult] { cells.filter(\.isUnexpectedFailure) }

    /// Whether the lesson ran as its author intended (for a reference lesson, every check passes).
    public var succeeded: Bool { machineryFailure == nil && unexpectedFailures.isEmpty }

    /// The result of every check cell, in order.
    public var checks: [CheckResult] {
        cells.compactMap { CheckResult($0, file: lesson.displayPath) }
    }

    /// Points earned and points available over all checks.
    public var score: (earned: Int, possible: Int) {
        checks.reduce((0, 0)) { ($0.0 + $1.earned, $0.1 + $1.points) }
    }
}
