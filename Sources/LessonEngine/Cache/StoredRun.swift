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
/// Line numbers appear in three forms in a result, all written by Cuaderno itself: an
/// expectation's line (a number), `Lessons/x.md:12` (optionally `:12:5`) in compiler and runtime
/// messages, and "line 12" / "lines 12–14" in the runner's own sentences. A number that falls in a
/// stored cell (its fence lines included) moves by that cell's shift; any other is left alone.
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
        case .failedAsExpected(let text): return .failedAsExpected(apply(to: text, in: displayPath))
        case .failed(let failure): return .failed(CellFailure(kind: failure.kind, message: apply(to: failure.message, in: displayPath)))
        case .notRun(let text): return .notRun(apply(to: text, in: displayPath))
        }
    }

    func apply(to item: OutputItem, in displayPath: String) -> OutputItem {
        guard !isIdentity, case .expectation(var expectation) = item else { return item }
        expectation.line = expectation.line.map(map)
        expectation.message = apply(to: expectation.message, in: displayPath)
        return .expectation(expectation)
    }

    /// Rewrites `path:N`, `line N` and `lines N–M` in a message.
    func apply(to text: String, in displayPath: String) -> String {
        guard !isIdentity else { return text }
        let escapedPath = NSRegularExpression.escapedPattern(for: displayPath)
        let pattern = "(?:(?<=\(escapedPath):)|(?<=\\bline )|(?<=\\blines )|(?<=\\blines \\d{1,9}–))\\d+"
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return text }
        let source = text as NSString
        var result = ""
        var position = 0
        for match in expression.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            result += source.substring(with: NSRange(location: position, length: match.range.location - position))
            let number = Int(source.substring(with: match.range)) ?? 0
            result += String(map(number))
            position = match.range.location + match.range.length
        }
        result += source.substring(from: position)
        return result
    }
}
