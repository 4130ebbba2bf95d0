/// What happened to one cell.
public enum CellStatus: Sendable, Equatable, Codable {
    /// It ran to its end.
    case succeeded
    /// A `norun` cell: shown, never run.
    case shownOnly
    /// A `fails` cell failed, as it should; the text is its failure.
    case failedAsExpected(String)
    /// The cell's code failed (or a `fails` cell succeeded).
    case failed(CellFailure)
    /// The cell did not run; the text says why.
    case notRun(String)
}

/// How a cell failed, with the message shown under it.
public struct CellFailure: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case compileError = "compile error"
        case runtimeError = "runtime error"
        case timedOut = "time limit"
        case outputLimit = "output limit"
        case unexpectedSuccess = "expected to fail"
    }

    public var kind: Kind
    /// The message, naming the Markdown file and line where it can (`Lessons/x.md:12:5: error: …`).
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
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
    public var failures: [String]

    public var points: Int { check.points }
    public var earned: Int { passed ? check.points : 0 }

    /// The outcome of a check cell's result (nil for other cells); `file` names the lesson in
    /// the locations of failed expectations.
    public init?(_ result: CellResult, file: String) {
        guard let check = result.cell.check else { return nil }
        var failures: [String] = []
        for case .expectation(let expectation) in result.output where !expectation.passed {
            let place = expectation.line.map { "\(file):\($0): " } ?? ""
            failures.append(place + expectation.message)
        }
        switch result.status {
        case .failed(let failure): failures.append(failure.message)
        case .notRun(let reason): failures.append(reason)
        default: break
        }
        // Silence is a failure: a check passes only when it ran to its end and reported at
        // least one expectation, all of them held.
        let reported = result.output.contains { if case .expectation = $0 { return true } else { return false } }
        if failures.isEmpty && !reported {
            failures.append("the check reported no result: none of its expect… calls ran")
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
