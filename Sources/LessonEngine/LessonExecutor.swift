import Foundation

/// Runs a lesson: assemble → compile → run → attribute each result to its cell.
///
/// Failures stay inside their cell. A compile error is shown in the cell where it is, and the
/// cells before it still run (the longest prefix of cells that compiles is compiled again and
/// run). A trap is shown in the cell that was running; later cells are "not run". A `fails` cell
/// that fails, or a `check` cell that fails to compile or stops, is taken out (a compile error)
/// or skipped on a second run (a trap), so the cells after it still run.
public struct LessonExecutor: Sendable {
    public var compiler: SwiftCompiler
    public var runner = ProgramRunner()
    public var assembler = ProgramAssembler()
    /// The time limit when neither the run nor the lesson's front matter sets one.
    public static let defaultTimeout = 60.0
    /// Bytes a lesson may print before it is stopped (the rest is cut, with a notice).
    public var outputLimit = 16 << 20
    /// Bytes of virtual memory a lesson program may map; nil for no limit (the grader sets one).
    public var memoryLimit: Int?

    public init(compiler: SwiftCompiler) {
        self.compiler = compiler
    }

    /// Runs a lesson with a time limit in seconds (nil: the front matter's, else the default).
    public func execute(_ lesson: Lesson, timeout requested: Double? = nil) -> LessonReport {
        let start = Date()
        let timeout = requested ?? lesson.frontMatter.timeout ?? Self.defaultTimeout
        var attempt = Attempt(lesson: lesson)
        do {
            let workDirectory = try TemporaryDirectory(prefix: "cuaderno-run")
            defer { workDirectory.remove() }
            if let executable = try compileLongestPrefix(&attempt, in: workDirectory.url) {
                try runWithExpectedFailures(&attempt, executable: executable, timeout: timeout)
            }
        } catch {
            attempt.machineryFailure = "\(error)"
        }
        return attempt.report(duration: Date().timeIntervalSince(start))
    }

    /// Compiles the lesson's runnable cells, dropping `fails` cells that do not compile and
    /// cutting the program before the first other cell that does not; nil when nothing is left.
    private func compileLongestPrefix(_ attempt: inout Attempt, in directory: URL) throws -> URL? {
        while !attempt.included.isEmpty {
            let program = assembler.assemble(attempt.lesson, cells: attempt.included)
            switch try compiler.compile(source: program.source, in: directory) {
            case .compiled(let executable):
                return executable
            case .failed(let diagnostics, let output):
                let errors = diagnostics.filter { $0.severity == .error }
                let firstCell = attempt.included.first { cell in
                    errors.contains { $0.file == attempt.lesson.displayPath && cell.contains(markdownLine: $0.line) }
                }
                guard let cell = firstCell else {
                    attempt.machineryFailure = "the program assembled from the lesson did not compile:\n" + output
                    return nil
                }
                let messages = errors
                    .filter { $0.file == attempt.lesson.displayPath && cell.contains(markdownLine: $0.line) }
                    .flatMap(\.messages)
                if cell.kind == .fails {
                    attempt.decide(cell, .failedAsExpected(messages))
                    attempt.included.removeAll { $0.index == cell.index }
                } else if cell.kind == .check {
                    // A check that does not compile (say, the learner renamed the function it
                    // calls) fails alone; the other checks still run.
                    attempt.decide(cell, .failed(CellFailure(kind: .compileError, messages: messages)))
                    attempt.included.removeAll { $0.index == cell.index }
                } else {
                    attempt.decide(cell, .failed(CellFailure(kind: .compileError, messages: messages)))
                    for later in attempt.included where later.index > cell.index {
                        attempt.decide(later, .notRun(.earlierCellDoesNotCompile(fenceLine: cell.fenceLine)))
                    }
                    attempt.included.removeAll { $0.index >= cell.index }
                }
            }
        }
        return nil
    }

    /// Runs the program; when a `fails` cell stops it, runs it again skipping that cell.
    /// The time limit covers all the runs together, not the compiling before them — except that a
    /// check that runs out of time fails alone and the runs after it get a fresh limit (twice at
    /// most), so that one endless loop in an exercise costs only the checks that reach it.
    private func runWithExpectedFailures(_ attempt: inout Attempt, executable: URL, timeout: Double) throws {
        var deadline = Date().addingTimeInterval(timeout)
        var freshLimitsLeft = 2
        var skipped: Set<Int> = []
        let workingDirectory = attempt.lesson.fileURL.deletingLastPathComponent()
        while true {
            let left = max(deadline.timeIntervalSinceNow, 0.01)
            let run = try runner.run(executable: executable, skipping: skipped,
                                     limits: ProcessLimits(timeout: left, outputLimit: outputLimit,
                                                          memoryLimit: memoryLimit),
                                     workingDirectory: workingDirectory)
            attempt.record(run)
            if run.completed { return }
            guard let cellIndex = run.interruptedCell,
                  let cell = attempt.included.first(where: { $0.index == cellIndex })
            else {
                attempt.machineryFailure = Self.describeStopOutsideCells(run)
                return
            }
            var (kind, message) = Self.describeStop(run, timeout: timeout, attempt: &attempt, cell: cellIndex)
            if let memoryLimit, !run.process.timedOut, !run.process.outputLimitReached,
               run.process.termination == .signaled(SIGKILL) || run.process.termination == .signaled(SIGABRT) {
                message.text += " (the program may map at most \(memoryLimit >> 20) MB; running out of it stops it like this)"
            }
            if cell.kind == .fails && kind == .runtimeError {
                attempt.decide(cell, .failedAsExpected([message]))
                skipped.insert(cellIndex)
                continue
            }
            if cell.kind == .check && (kind == .runtimeError || kind == .outputLimit) {
                // A check that stops (a trap, `todo()` reached, too much printed) fails alone, and
                // the program runs again without it so that the checks after it still run.
                attempt.decide(cell, .failed(CellFailure(kind: kind, messages: [message])))
                skipped.insert(cellIndex)
                continue
            }
            if cell.kind == .check && kind == .timedOut && freshLimitsLeft > 0 {
                attempt.decide(cell, .failed(CellFailure(kind: kind, messages: [message])))
                skipped.insert(cellIndex)
                freshLimitsLeft -= 1
                deadline = Date().addingTimeInterval(timeout)
                continue
            }
            attempt.decide(cell, .failed(CellFailure(kind: kind, messages: [message])))
            for later in attempt.included where later.index > cellIndex {
                attempt.decide(later, .notRun(.programStopped(fenceLine: cell.fenceLine)))
            }
            return
        }
    }

    /// Explains why the program stopped inside a cell, moving a trap's message out of the cell's
    /// printed text into the failure.
    static func describeStop(_ run: RunOutcome, timeout: Double, attempt: inout Attempt, cell: Int)
        -> (CellFailure.Kind, LocatedMessage)
    {
        if run.process.timedOut {
            return (.timedOut, LocatedMessage(
                text: "stopped: the lesson ran longer than its time limit of \(formatSeconds(timeout)); "
                    + "if it needs longer, set 'timeout:' in the front matter or pass --timeout"))
        }
        if run.process.outputLimitReached {
            return (.outputLimit, LocatedMessage(
                text: "stopped: the lesson printed more than its output limit of \(run.outputLimit >> 20) MB"))
        }
        if let failure = run.failure {
            if let file = failure.file, let line = failure.line {
                return (.runtimeError, LocatedMessage(location: SourceLocation(file: file, line: line),
                                                      severity: .error, text: failure.message))
            }
            // Operators (`+`, `.>`) cannot take their caller's line, so name the cell instead.
            let lesson = attempt.lesson
            guard let cell = lesson.cells.first(where: { $0.index == cell }) else {
                // A location without a line: the file alone, as compilers write it.
                return (.runtimeError, LocatedMessage(text: "\(lesson.displayPath): error: \(failure.message)"))
            }
            let lastLine = cell.codeLine + Swift.max(cell.lineCount, 1) - 1
            return (.runtimeError, LocatedMessage(location: SourceLocation(file: lesson.displayPath, line: cell.codeLine),
                                                  severity: .error, text: failure.message,
                                                  cellLines: cell.codeLine...lastLine))
        }
        if let trap = attempt.takeTrapMessage(cell: cell) {
            return (.runtimeError, trap)
        }
        let text: String
        switch run.process.termination {
        case .signaled(SIGSEGV), .signaled(SIGBUS):
            text = "the program crashed in this cell (segmentation fault) — most likely unbounded recursion: a function that keeps calling itself"
        case .signaled(SIGILL), .signaled(SIGTRAP):
            text = "the program stopped with a trap in this cell: an arithmetic overflow, a force-unwrapped nil or a failed precondition"
        case .signaled(SIGKILL):
            text = "the program was killed in this cell — most likely it used too much memory"
        case .signaled(SIGXCPU):
            text = "the program was stopped in this cell: it used more processor time than its limit"
        case .signaled(SIGXFSZ):
            text = "the program was stopped in this cell: it wrote a file larger than its limit"
        case .signaled(let signal):
            text = "the program stopped in this cell with signal \(signal) (\(String(cString: strsignal(signal))))"
        case .exited(let status):
            text = "the program exited in this cell with status \(status) before the lesson's end (was exit() called?)"
        }
        return (.runtimeError, LocatedMessage(text: text))
    }

    static func describeStopOutsideCells(_ run: RunOutcome) -> String {
        let printed = run.preamble.trimmingCharacters(in: .whitespacesAndNewlines)
        let how: String
        switch run.process.termination {
        case .exited(let status): how = "exited with status \(status)"
        case .signaled(let signal): how = "stopped with signal \(signal)"
        }
        return "the lesson program \(how) outside any cell" + (printed.isEmpty ? "" : ":\n" + printed)
    }

    static func formatSeconds(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
    }
}

/// The state of one lesson's execution, from which the report is made.
struct Attempt {
    let lesson: Lesson
    /// The runnable cells still in the program.
    var included: [Cell]
    var statuses: [Int: CellStatus] = [:]
    var outputs: [Int: [OutputItem]] = [:]
    var machineryFailure: String?

    init(lesson: Lesson) {
        self.lesson = lesson
        included = lesson.cells.filter(\.runs)
    }

    /// Settles a cell's status; the first decision stands.
    mutating func decide(_ cell: Cell, _ status: CellStatus) {
        if statuses[cell.index] == nil { statuses[cell.index] = status }
    }

    /// Takes the output of one run: cells seen for the first time keep what they printed, and
    /// cells that finished succeed (a `fails` cell that finished is an error).
    mutating func record(_ run: RunOutcome) {
        for (cell, items) in run.outputs where outputs[cell] == nil {
            outputs[cell] = items
        }
        for cell in included where run.finished.contains(cell.index) {
            if cell.kind == .fails {
                decide(cell, .failed(CellFailure(
                    kind: .unexpectedSuccess,
                    message: "this cell is marked 'fails' but ran without error; remove the tag or make it fail")))
            } else {
                decide(cell, .succeeded)
            }
        }
    }

    /// Removes the Swift runtime's "Fatal error" line from a cell's text and returns it.
    mutating func takeTrapMessage(cell: Int) -> LocatedMessage? {
        guard var items = outputs[cell], let last = items.indices.last(where: {
            if case .text(let text) = items[$0] { return text.contains("Fatal error:") }
            return false
        }), case .text(let text) = items[last] else { return nil }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let trapLine = lines.lastIndex(where: { $0.contains("Fatal error:") }) else { return nil }
        let message = Self.explainTrap(lines[trapLine], lessonPath: lesson.displayPath)
        lines.removeSubrange(trapLine...)
        let remaining = lines.joined(separator: "\n")
        if remaining.isEmpty {
            items.remove(at: last)
        } else {
            items[last] = .text(remaining + "\n")
        }
        outputs[cell] = items
        return message
    }

    /// Makes the Swift runtime's trap line name the lesson file.
    ///
    /// `fatalError` reports `#fileID`, which for a lesson program is `Lesson/01-x.md` (module name
    /// and file name); a trap inside the standard library names the library's own source file.
    static func explainTrap(_ line: String, lessonPath: String) -> LocatedMessage {
        let fileName = (lessonPath as NSString).lastPathComponent
        let moduleRelative = "\(ProgramAssembler.moduleName)/\(fileName):"
        for prefix in [moduleRelative, lessonPath + ":"] where line.hasPrefix(prefix) {
            let rest = line.dropFirst(prefix.count)
            return located(rest, in: lessonPath) ?? LocatedMessage(text: lessonPath + ":" + rest)
        }
        // `try` in a cell with no `catch` around it: the error's own message is what matters.
        if let thrown = line.range(of: "Fatal error: Error raised at top level: ") {
            return LocatedMessage(severity: .error,
                                  text: "this cell threw an error and nothing caught it: " + line[thrown.upperBound...])
        }
        guard let range = line.range(of: "Fatal error:") else { return LocatedMessage(text: line) }
        return LocatedMessage(text: String(line[range.lowerBound...])
            + "\n(raised inside the Swift standard library while this cell was running)")
    }

    /// Reads `12: Fatal error: …`, the rest of a trap line after its file, as a message at that
    /// line of the lesson; nil when it does not start with a line number.
    private static func located(_ rest: Substring, in lessonPath: String) -> LocatedMessage? {
        guard let colon = rest.firstIndex(of: ":"), let line = Int(rest[..<colon]),
              rest[rest.index(after: colon)...].hasPrefix(" ")
        else { return nil }
        return LocatedMessage(location: SourceLocation(file: lessonPath, line: line),
                              text: String(rest[rest.index(colon, offsetBy: 2)...]))
    }

    func report(duration: Double) -> LessonReport {
        let results = lesson.cells.map { cell -> CellResult in
            let status: CellStatus
            if !cell.runs {
                status = .shownOnly
            } else if let decided = statuses[cell.index] {
                status = decided
            } else {
                status = .notRun(machineryFailure == nil ? .notReached : .lessonCouldNotRun)
            }
            return CellResult(cell: cell, status: status, output: outputs[cell.index] ?? [])
        }
        return LessonReport(lesson: lesson, cells: results, machineryFailure: machineryFailure, duration: duration)
    }
}
