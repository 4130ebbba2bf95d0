/// A `$…$` or `$$…$$` formula found in a piece of Markdown prose.
struct MathSpan: Equatable {
    /// The TeX between the delimiters, exactly as written (backslashes and all).
    var tex: String
    /// `$$…$$`.
    var display: Bool
    /// The whole span as written, delimiters included (put back if it lands in code).
    var source: String
    /// Line (1-based, within the prose) and column (1-based, in Unicode scalars) of the TeX's
    /// first character.
    var line: Int
    var column: Int

    /// The line and column of a position inside the TeX (in Unicode scalars from its start).
    func location(ofOffset offset: Int) -> (line: Int, column: Int) {
        var line = self.line
        var column = self.column
        for scalar in tex.unicodeScalars.prefix(offset) {
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}

/// Finds the formulas in Markdown prose and replaces each with a placeholder, before libcmark
/// parses the inline text.
///
/// Math has to be cut out first: CommonMark reads `_` and `*` as emphasis (`\mathbf{W}_Q + x_{1}`
/// would lose its subscripts) and drops the backslash of `\\`, `\{` and `\,`. What is *not* math
/// is decided as CommonMark decides it: lines of code blocks and HTML blocks (from libcmark's own
/// block tree) are skipped, code spans (backtick runs) are skipped, and `\$` is an escaped dollar.
/// The rules for a dollar are Pandoc's, so prices stay prices: `$` opens only before a non-space,
/// closes only after a non-space and not before a digit ("$5 and $10" has no math), and a
/// formula cannot cross a blank line or contain a backtick.
struct MathExtractor {
    /// A placeholder is `U+E000`, the span's index in decimal, `U+E001`: private-use characters
    /// that CommonMark passes through as ordinary text.
    static let placeholderStart: Unicode.Scalar = "\u{E000}"
    static let placeholderEnd: Unicode.Scalar = "\u{E001}"

    static func placeholder(_ index: Int) -> String {
        String(placeholderStart) + String(index) + String(placeholderEnd)
    }

    /// The prose with every formula replaced by its placeholder, and the formulas in order.
    /// - Parameters:
    ///   - markdown: the prose.
    ///   - skippedLines: 1-based lines that belong to code or HTML blocks.
    ///   - quotedLines: 1-based lines inside block quotes, whose `>` markers are not part of a
    ///     formula that continues onto them.
    static func extract(from markdown: String, skippedLines: Set<Int>, quotedLines: Set<Int>) -> (text: String, spans: [MathSpan]) {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        var scanner = Scanner(lines: lines, skippedLines: skippedLines, quotedLines: quotedLines)
        return scanner.run()
    }
}

/// The state of one pass over the prose, line by line and scalar by scalar.
private struct Scanner {
    let lines: [[Unicode.Scalar]]
    let skippedLines: Set<Int>
    let quotedLines: Set<Int>
    var spans: [MathSpan] = []
    var output = ""

    init(lines: [[Unicode.Scalar]], skippedLines: Set<Int>, quotedLines: Set<Int>) {
        self.lines = lines
        self.skippedLines = skippedLines
        self.quotedLines = quotedLines
    }

    /// A position: line index (0-based) and scalar index in that line.
    struct Position: Comparable {
        var line: Int
        var index: Int
        static func < (a: Position, b: Position) -> Bool { (a.line, a.index) < (b.line, b.index) }
    }

    mutating func run() -> (text: String, spans: [MathSpan]) {
        var position = Position(line: 0, index: 0)
        while position.line < lines.count {
            if skippedLines.contains(position.line + 1) {
                append(lines[position.line][...])
                endLine(&position)
                continue
            }
            let line = lines[position.line]
            guard position.index < line.count else {
                endLine(&position)
                continue
            }
            let scalar = line[position.index]
            if scalar == "\\", position.index + 1 < line.count, line[position.index + 1].isASCIIPunctuation {
                append(line[position.index...(position.index + 1)])
                position.index += 2
            } else if scalar == "`" {
                position = skipCodeSpan(from: position)
            } else if scalar == "$", let end = closingDelimiter(from: position) {
                recordSpan(from: position, to: end)
                position = end
            } else {
                output.unicodeScalars.append(scalar)
                position.index += 1
            }
        }
        return (output, spans)
    }

    private mutating func endLine(_ position: inout Position) {
        if position.line < lines.count - 1 { output += "\n" }
        position = Position(line: position.line + 1, index: 0)
    }

    private mutating func append(_ scalars: ArraySlice<Unicode.Scalar>) {
        output.unicodeScalars.append(contentsOf: scalars)
    }

    /// A code span: a run of n backticks up to the next run of exactly n, within the paragraph;
    /// copied as it is. A run without its match is literal backticks.
    private mutating func skipCodeSpan(from start: Position) -> Position {
        let line = lines[start.line]
        let length = line[start.index...].prefix { $0 == "`" }.count
        var position = Position(line: start.line, index: start.index + length)
        while let next = scalarPosition(after: position) {
            if lines[next.line][next.index] == "`" {
                let run = lines[next.line][next.index...].prefix { $0 == "`" }.count
                if run == length {
                    copy(from: start, to: Position(line: next.line, index: next.index + run))
                    return Position(line: next.line, index: next.index + run)
                }
                position = Position(line: next.line, index: next.index + run)
            } else {
                position = Position(line: next.line, index: next.index + 1)
            }
        }
        append(line[start.index..<(start.index + length)])
        return Position(line: start.line, index: start.index + length)
    }

    /// Where the formula opened by the `$` at `start` ends (just after its closing delimiter),
    /// or `nil` when that dollar opens nothing.
    private func closingDelimiter(from start: Position) -> Position? {
        let line = lines[start.line]
        let display = start.index + 1 < line.count && line[start.index + 1] == "$"
        var position = Position(line: start.line, index: start.index + (display ? 2 : 1))
        if !display {
            guard position.index < line.count, !line[position.index].properties.isWhitespace else { return nil }
        }
        var previous: Unicode.Scalar?
        while let next = scalarPosition(after: position) {
            let current = lines[next.line]
            let scalar = current[next.index]
            if next.line != position.line || next.index != position.index { previous = "\n" }
            if scalar == "`" { return nil }
            if scalar == "\\" {
                previous = "\\"
                position = Position(line: next.line, index: min(next.index + 2, current.count))
                continue
            }
            if scalar == "$" {
                let following = next.index + 1 < current.count ? current[next.index + 1] : nil
                if display {
                    if following == "$" { return Position(line: next.line, index: next.index + 2) }
                } else if let previous, !previous.properties.isWhitespace,
                          following.map({ !("0"..."9").contains($0) }) ?? true {
                    return Position(line: next.line, index: next.index + 1)
                } else {
                    return nil
                }
            }
            previous = scalar
            position = Position(line: next.line, index: next.index + 1)
        }
        return nil
    }

    /// The first scalar at or after `position`, moving to following lines unless a blank or
    /// skipped line ends the paragraph.
    private func scalarPosition(after position: Position) -> Position? {
        var current = position
        while current.line < lines.count {
            if current.index < lines[current.line].count { return current }
            let nextLine = current.line + 1
            guard nextLine < lines.count, !skippedLines.contains(nextLine + 1),
                  !lines[nextLine].allSatisfy(\.properties.isWhitespace)
            else { return nil }
            current = Position(line: nextLine, index: 0)
        }
        return nil
    }

    /// Records the formula from `start` (its first `$`) to `end` (after its last) and writes its placeholder.
    private mutating func recordSpan(from start: Position, to end: Position) {
        let display = lines[start.line][start.index + 1] == "$"
        let width = display ? 2 : 1
        let contentStart = Position(line: start.line, index: start.index + width)
        let contentEnd = Position(line: end.line, index: end.index - width)
        let tex = text(from: contentStart, to: contentEnd, strippingQuotes: true)
        let source = text(from: start, to: end, strippingQuotes: false)
        spans.append(MathSpan(tex: tex, display: display, source: source,
                              line: start.line + 1, column: contentStart.index + 1))
        output += MathExtractor.placeholder(spans.count - 1)
    }

    private mutating func copy(from start: Position, to end: Position) {
        output += text(from: start, to: end, strippingQuotes: false)
    }

    /// The text between two positions, lines joined by newlines; with `strippingQuotes`, the
    /// block-quote markers at the start of continuation lines are left out.
    private func text(from start: Position, to end: Position, strippingQuotes: Bool) -> String {
        var result = ""
        for lineIndex in start.line...end.line {
            let line = lines[lineIndex]
            var from = lineIndex == start.line ? start.index : 0
            let to = lineIndex == end.line ? end.index : line.count
            if lineIndex != start.line {
                result += "\n"
                if strippingQuotes && quotedLines.contains(lineIndex + 1) {
                    while from < to, line[from] == ">" || line[from] == " " { from += 1 }
                }
            }
            result.unicodeScalars.append(contentsOf: line[from..<to])
        }
        return result
    }
}

private extension Unicode.Scalar {
    /// CommonMark's escapable characters.
    var isASCIIPunctuation: Bool {
        isASCII && "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars.contains(self)
    }
}
