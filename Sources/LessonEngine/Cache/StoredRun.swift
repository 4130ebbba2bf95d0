import Foundation

/// A lesson run as the execution cache keeps it: each cell's status and output, with the lines
/// the cells were on, so that the result can be fitted to a lesson whose prose has changed.
///
/// On disk an entry is three parts: ``ExecutionCache/formatLine``, a line
/// `key <key> sha256 <digest of the JSON>`, then the JSON. An entry whose first two lines or
/// digest do not match is treated as missing.
struct StoredRun: Codable {
    struct StoredCell: Codable {
        var index: Int
        var fenceLine: Int
        var codeLine: Int
        var lineCount: Int
        var status: CellStatus
        var output: [OutputItem]
    }

    var cells: [StoredCell]
    /// Seconds the run took, shown as "ran in … s" when it is reused.
    var duration: Double

    init(_ report: LessonReport) {
        cells = report.cells.map { result in
            StoredCell(index: result.cell.index, fenceLine: result.cell.fenceLine, codeLine: result.cell.codeLine,
                       lineCount: result.cell.lineCount, status: result.status, output: result.output)
        }
        duration = report.duration
    }

    /// The bytes of an entry file.
    func encode(key: String) -> Data? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let json = try? encoder.encode(self) else { return nil }
        let header = "\(ExecutionCache.formatLine)\nkey \(key) sha256 \(FileDigests.sha256(json))\n"
        return Data(header.utf8) + json
    }

    /// Reads an entry file, or nil when it is not a complete, intact entry for `key`.
    static func decode(entry data: Data, key: String) -> StoredRun? {
        let newline = UInt8(ascii: "\n")
        guard let firstEnd = data.firstIndex(of: newline),
              let secondEnd = data[(firstEnd + 1)...].firstIndex(of: newline)
        else { return nil }
        let format = String(decoding: data[..<firstEnd], as: UTF8.self)
        let header = String(decoding: data[(firstEnd + 1)..<secondEnd], as: UTF8.self).split(separator: " ")
        let json = data[(secondEnd + 1)...]
        guard format == ExecutionCache.formatLine, header.count == 4, header[0] == "key", header[1] == key,
              header[2] == "sha256", header[3] == FileDigests.sha256(Data(json))
        else { return nil }
        return try? JSONDecoder().decode(StoredRun.self, from: Data(json))
    }

    /// The report for `lesson` made from this run, or nil when the cells do not correspond
    /// (which the key makes impossible unless the entry is damaged).
    func report(for lesson: Lesson) -> LessonReport? {
        let lessonCells = lesson.cells
        guard lessonCells.count == cells.count,
              zip(lessonCells, cells).allSatisfy({ $0.index == $1.index && $0.lineCount == $1.lineCount })
        else { return nil }
        let shift = LineShift(from: cells.map { (fence: $0.fenceLine, code: $0.codeLine, lineCount: $0.lineCount) },
                              to: lessonCells.map { (fence: $0.fenceLine, code: $0.codeLine, lineCount: $0.lineCount) })
        let results = zip(lessonCells, cells).map { cell, stored in
            CellResult(cell: cell, status: shift.apply(to: stored.status, in: lesson.displayPath),
                       output: stored.output.map { shift.apply(to: $0, in: lesson.displayPath) })
        }
        var report = LessonReport(lesson: lesson, cells: results, duration: duration)
        report.isFromCache = true
        return report
    }
}

/// Moves the line numbers in a stored result along with the cells they belong to, after prose
/// edits above or between cells moved them.
///
/// Every line number in a result is a typed value: a message's ``SourceLocation`` (in this
/// lesson's file) and the cell lines it names, an expectation's line, and the fence line a
/// ``NotRunReason`` names. A line that falls in a stored cell (its fence lines included) moves by
/// that cell's shift; any other is left alone, as is a location in another file.
struct LineShift {
    private let spans: [(first: Int, last: Int, delta: Int)]

    init(from old: [(fence: Int, code: Int, lineCount: Int)], to new: [(fence: Int, code: Int, lineCount: Int)]) {
        spans = zip(old, new).compactMap { before, after in
            let delta = after.fence - before.fence
            guard delta != 0 else { return nil }
            // The cell's lines run from its opening fence to its closing fence.
            return (before.fence, before.code + before.lineCount, delta)
        }
    }

    /// Whether nothing moved.
    var isIdentity: Bool { spans.isEmpty }

    /// Where a stored line is now.
    func map(_ line: Int) -> Int {
        for span in spans where line >= span.first && line <= span.last {
            return line + span.delta
        }
        return line
    }

    func apply(to status: CellStatus, in displayPath: String) -> CellStatus {
        guard !isIdentity else { return status }
        switch status {
        case .succeeded, .shownOnly: return status
        case .failedAsExpected(let messages):
            return .failedAsExpected(messages.map { apply(to: $0, in: displayPath) })
        case .failed(var failure):
            failure.messages = failure.messages.map { apply(to: $0, in: displayPath) }
            return .failed(failure)
        case .notRun(let reason): return .notRun(apply(to: reason))
        }
    }

    func apply(to item: OutputItem, in displayPath: String) -> OutputItem {
        guard !isIdentity, case .expectation(var expectation) = item else { return item }
        expectation.line = expectation.line.map(map)
        return .expectation(expectation)
    }

    /// A message with its location in `displayPath` and the cell lines it names moved.
    func apply(to message: LocatedMessage, in displayPath: String) -> LocatedMessage {
        var moved = message
        if var location = message.location, location.file == displayPath {
            location.line = map(location.line)
            moved.location = location
        }
        if let lines = message.cellLines {
            moved.cellLines = map(lines.lowerBound)...map(lines.upperBound)
        }
        return moved
    }

    func apply(to reason: NotRunReason) -> NotRunReason {
        switch reason {
        case .notReached, .lessonCouldNotRun: reason
        case .earlierCellDoesNotCompile(let line): .earlierCellDoesNotCompile(fenceLine: map(line))
        case .programStopped(let line): .programStopped(fenceLine: map(line))
        }
    }
}
