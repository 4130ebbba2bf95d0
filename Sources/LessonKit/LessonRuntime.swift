import Foundation
import Figures
import LessonProtocol

/// The runner's side of a running lesson program: cell boundaries, records and failures.
///
/// The program the runner assembles calls ``start(key:)`` first, then ``beginCell(_:key:)`` and
/// ``endCell(_:key:)`` around each cell, and ``finish(key:)`` at the end. Cells never call it
/// directly: without the program's key, those calls stop the program.
public enum LessonRuntime {
    nonisolated(unsafe) private static var token = ""
    /// The program's key: the runner writes it into the calls it generates, so that a cell's
    /// code, which cannot know it, cannot end a cell or the program on the runner's behalf.
    nonisolated(unsafe) private static var key = ""
    nonisolated(unsafe) private static var skippedCells: Set<Int> = []

    /// The exit status after reporting a learner's mistake through a `failure` record.
    public static let failureExitStatus: Int32 = 86

    /// Prepares the process: unbuffered output (a trap must not lose text already printed), the
    /// record token, the cells to skip, and the tensor core's failure handler.
    public static func start(key: String) {
        setvbuf(stdout, nil, _IONBF, 0)
        setvbuf(stderr, nil, _IONBF, 0)
        self.key = key
        if let value = getenv(RecordFraming.tokenFileVariable) {
            let path = String(cString: value)
            token = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            unlink(path)
            unsetenv(RecordFraming.tokenFileVariable)
        }
        // `--skip N` (RuntimeContract.skipCellOption) marks a `fails` cell whose failure was already seen in an earlier run.
        let arguments = CommandLine.arguments
        for (position, argument) in arguments.enumerated() where argument == RuntimeContract.skipCellOption {
            if position + 1 < arguments.count, let cell = Int(arguments[position + 1]) {
                skippedCells.insert(cell)
            }
        }
        TensorFailure.handler = { message, file, line in
            reportFailure(message, file: file, line: line)
        }
        FigureFailure.handler = { message, file, line in
            reportFailure(message, file: file, line: line)
        }
    }

    /// Whether the cell with this index runs (false for a `fails` cell already seen to fail).
    public static func runs(cell: Int) -> Bool { !skippedCells.contains(cell) }

    /// Marks the start of a cell; everything printed until ``endCell(_:key:file:line:)`` belongs to it.
    public static func beginCell(_ cell: Int, key: String, file: StaticString = #filePath, line: UInt = #line) {
        requireKey(key, "beginCell", file: file, line: line)
        write(.cellStarted(cell: cell))
    }

    /// Marks the end of a cell that ran to completion.
    public static func endCell(_ cell: Int, key: String, file: StaticString = #filePath, line: UInt = #line) {
        requireKey(key, "endCell", file: file, line: line)
        write(.cellFinished(cell: cell))
    }

    /// Marks the normal end of the program.
    public static func finish(key: String, file: StaticString = #filePath, line: UInt = #line) {
        requireKey(key, "finish", file: file, line: line)
        write(.finished)
    }

    /// Stops the program, naming the caller's lesson line, when a call that only the runner's
    /// generated code may make comes from a cell (pretending that a check finished).
    private static func requireKey(_ given: String, _ call: String, file: StaticString, line: UInt) {
        guard given != key else { return }
        reportFailure("LessonRuntime.\(call) is the runner's, not the lesson's: a cell may not call it",
                      file: "\(file)", line: Int(line))
    }

    /// Reports one expectation of a check cell.
    public static func recordExpectation(passed: Bool, message: String, file: String?, line: Int?) {
        write(.expectation(passed: passed, message: message, file: file, line: line))
    }

    /// Sends an item to be shown under the running cell.
    public static func display(_ item: DisplayItem) { write(.display(item)) }

    /// Reports a mistake in the lesson's code with the Markdown location of the call and stops.
    public static func reportFailure(_ message: String, file: String?, line: Int?) -> Never {
        write(.failure(message: message, file: file, line: line))
        exit(failureExitStatus)
    }

    private static func write(_ record: RunRecord) {
        let bytes = RecordFraming.encode(record, token: token)
        bytes.withUnsafeBufferPointer { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(STDOUT_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { return }
                offset += written
            }
        }
    }
}
