/// What happened to one cell.
public enum CellStatus: Sendable, Equatable {
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
public struct CellFailure: Sendable, Equatable {
    public enum Kind: String, Sendable {
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

    /// Whether this result should fail `cuaderno check`.
    public var isUnexpectedFailure: Bool {
        if case .failed = status { return true }
        return false
    }
}

/// The result of running a lesson: every cell's result, and any failure of the machinery itself.
public struct LessonReport: Sendable {
    public var lesson: Lesson
    public var cells: [CellResult]
    /// A problem that was not the lesson's fault (no compiler, runtime not built, unwritable folder).
    public var machineryFailure: String?
    /// Seconds spent compiling and running.
    public var duration: Double

    public init(lesson: Lesson, cells: [CellResult], machineryFailure: String? = nil, duration: Double) {
        self.lesson = lesson
        self.cells = cells
        self.machineryFailure = machineryFailure
        self.duration = duration
    }

    /// Cells whose code failed unexpectedly.
    public var unexpectedFailures: [CellResult] { cells.filter(\.isUnexpectedFailure) }

    /// Whether the lesson ran as its author intended.
    public var succeeded: Bool { machineryFailure == nil && unexpectedFailures.isEmpty }
}
