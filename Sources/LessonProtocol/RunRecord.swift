import Foundation

/// One structured message from a running lesson program to the runner.
///
/// A lesson program writes plain text (whatever its cells print) and records on the same stream,
/// so that text and records keep their true order. Records are framed by ``RecordFraming``;
/// everything between two records is text belonging to the cell that is running.
public enum RunRecord: Codable, Equatable, Sendable {
    /// The cell with this index (its position among the lesson's runnable cells) starts.
    case cellStarted(cell: Int)
    /// The cell with this index finished without stopping the program.
    case cellFinished(cell: Int)
    /// A rich item for the page (a tensor table, a figure, Markdown…), shown under the running cell.
    case display(DisplayItem)
    /// A failure a learner can cause (shape mismatch, bad axis…) that stops the program, reported
    /// with the Markdown file and line of the call that failed when the call site is known.
    case failure(message: String, file: String?, line: Int?)
    /// One expectation of a check cell (`expect`, `expectClose`…) held or failed; a failed one
    /// carries the message shown to the learner, and the lesson line of the call.
    case expectation(passed: Bool, message: String, file: String?, line: Int?)
    /// Every cell ran; the program is about to exit normally.
    case finished
}

/// Something a cell asked to show other than plain text.
public struct DisplayItem: Codable, Equatable, Sendable {
    /// What the payload is.
    public enum Kind: String, Codable, Sendable {
        /// Preformatted text (for example a tensor's NumPy-style printout).
        case text
        /// An SVG document, embedded inline in the page.
        case svg
        /// A fragment of Markdown, rendered like the lesson's prose.
        case markdown
        /// A tensor as a table: JSON with `shape`, `dtype` and `rows` (cells, `null` for a gap).
        case table
    }

    public var kind: Kind
    public var payload: String

    public init(kind: Kind, payload: String) {
        self.kind = kind
        self.payload = payload
    }
}

/// How records are framed on the output stream of a lesson program.
///
/// A record is the byte `0x1E` (ASCII record separator), the run's secret token, one space, the
/// record as one line of JSON, and a newline. The token is made anew for every run and handed to
/// the program privately, so text a cell prints can never pass for a record.
public enum RecordFraming {
    /// The byte that opens every record.
    public static let separator: UInt8 = 0x1E

    /// The name of the environment variable that names a file holding the token. The runtime
    /// reads the file, deletes it and removes the variable before any cell runs, so the lesson's
    /// code cannot learn the token from its environment (nor from `/proc/self/environ`, which
    /// keeps a process's first environment) and forge records.
    public static let tokenFileVariable = "CUADERNO_RECORD_TOKEN_FILE"

    /// The bytes of one framed record.
    public static func encode(_ record: RunRecord, token: String) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain enums cannot fail; a failure here is a bug in this module.
        let json = (try? encoder.encode(record)) ?? Data("{}".utf8)
        var bytes: [UInt8] = [separator]
        bytes += Array(token.utf8)
        bytes.append(UInt8(ascii: " "))
        bytes += Array(json)
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}

/// One piece of a lesson program's output stream, in order.
public enum StreamEvent: Equatable, Sendable {
    case text([UInt8])
    case record(RunRecord)
}

/// Splits a lesson program's output into text and records.
///
/// Feed it bytes as they arrive (`consume`), then call `finish` once the stream has ended.
/// A separator not followed by the token, or a record that does not decode, is kept as text.
public struct RecordStreamParser {
    private let prefix: [UInt8]
    private var pending: [UInt8] = []
    private var events: [StreamEvent] = []

    public init(token: String) {
        prefix = [RecordFraming.separator] + Array(token.utf8) + [UInt8(ascii: " ")]
    }

    /// Adds bytes that arrived and returns the events they complete.
    public mutating func consume(_ bytes: some Sequence<UInt8>) -> [StreamEvent] {
        pending.append(contentsOf: bytes)
        drain(final: false)
        defer { events.removeAll() }
        return events
    }

    /// Returns whatever is left once the stream has ended.
    public mutating func finish() -> [StreamEvent] {
        drain(final: true)
        defer { events.removeAll() }
        return events
    }

    private mutating func drain(final: Bool) {
        var start = 0
        while start < pending.count {
            guard let mark = pending[start...].firstIndex(of: RecordFraming.separator) else {
                emitText(pending[start...])
                start = pending.count
                break
            }
            emitText(pending[start..<mark])
            let available = pending.count - mark
            if available < prefix.count {
                // Could still become a record once more bytes arrive.
                if final || !pending[mark...].elementsEqual(prefix.prefix(available)) {
                    emitText(pending[mark...mark])
                    start = mark + 1
                    continue
                }
                start = mark
                break
            }
            guard pending[mark..<(mark + prefix.count)].elementsEqual(prefix) else {
                emitText(pending[mark...mark])
                start = mark + 1
                continue
            }
            guard let end = pending[(mark + prefix.count)...].firstIndex(of: UInt8(ascii: "\n")) else {
                if final {
                    emitText(pending[mark...])
                    start = pending.count
                } else {
                    start = mark
                }
                break
            }
            let json = Data(pending[(mark + prefix.count)..<end])
            if let record = try? JSONDecoder().decode(RunRecord.self, from: json) {
                events.append(.record(record))
            } else {
                emitText(pending[mark...end])
            }
            start = end + 1
        }
        pending.removeFirst(start)
    }

    private mutating func emitText(_ bytes: ArraySlice<UInt8>) {
        guard !bytes.isEmpty else { return }
        if case .text(let previous) = events.last {
            events[events.count - 1] = .text(previous + bytes)
        } else {
            events.append(.text(Array(bytes)))
        }
    }
}
