/// A place in a lesson file: the path it is shown by, a line, and a column where one is known.
///
/// Locations travel as values from where they are found (the compiler's diagnostics, the lesson
/// runtime's records, the parser) to where they are shown; ``compilerPrefix`` is the one place
/// that spells them as text.
public struct SourceLocation: Sendable, Equatable, Hashable, Codable {
    /// The lesson's display path (`Lessons/01-self-attention.md`).
    public var file: String
    /// The line in the file, from 1.
    public var line: Int
    /// The column in the line, from 1, when known.
    public var column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `Lessons/x.md:12:5:` (or `Lessons/x.md:12:` without a column): the form compilers use,
    /// so that editors and terminals can jump to it.
    public var compilerPrefix: String {
        if let column { return "\(file):\(line):\(column):" }
        return "\(file):\(line):"
    }
}

/// One message shown to the author or learner, with the place it is about when it has one.
///
/// Formatted, it reads like a compiler's line: `Lessons/x.md:12:5: error: cannot find 'y' in
/// scope`, followed by any lines that belong to it (the quoted source line and its caret).
public struct LocatedMessage: Sendable, Equatable, Codable {
    /// How serious the message is, spelled as compilers spell it (`error:`).
    public enum Severity: String, Sendable, Codable {
        case error, warning, note
    }

    /// Where the message points, if anywhere.
    public var location: SourceLocation?
    /// Shown as `error: ` (and so on) before the text, when set.
    public var severity: Severity?
    /// The message itself; later lines, if any, are shown as they are.
    public var text: String
    /// For a message about a whole cell (the exact line is unknown): the cell's lines, named after
    /// the text as "(in the cell at lines 12–14; an operator such as + cannot report its exact line)".
    public var cellLines: ClosedRange<Int>?

    public init(location: SourceLocation? = nil, severity: Severity? = nil, text: String,
                cellLines: ClosedRange<Int>? = nil) {
        self.location = location
        self.severity = severity
        self.text = text
        self.cellLines = cellLines
    }

    /// The message without its location: `error: cannot find 'y' in scope`.
    public var body: String {
        var body = severity.map { "\($0.rawValue): " } ?? ""
        body += text
        if let cellLines {
            let lines = cellLines.count > 1 ? "lines \(cellLines.lowerBound)–\(cellLines.upperBound)"
                                            : "line \(cellLines.lowerBound)"
            body += " (in the cell at \(lines); an operator such as + cannot report its exact line)"
        }
        return body
    }

    /// The whole message as text: the location's ``SourceLocation/compilerPrefix``, a space, and
    /// the ``body``.
    public var formatted: String {
        guard let location else { return body }
        return location.compilerPrefix + " " + body
    }
}

extension Array where Element == LocatedMessage {
    /// The messages as text, one after another on their own lines.
    public var formatted: String { map(\.formatted).joined(separator: "\n") }
}
