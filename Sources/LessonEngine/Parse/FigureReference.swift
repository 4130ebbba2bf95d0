/// A reference to a named figure in a lesson's prose: `@fig:attention-heads`, which the page
/// shows as "Figure 3", linked to the figure.
public struct FigureReference: Sendable, Equatable {
    /// The figure's name (what follows `@fig:`).
    public var name: String
    /// The line of the reference within the text searched, from 0.
    public var line: Int

    /// The marker before a figure's name.
    public static let marker = "@fig:"

    /// The references in Markdown prose, leaving out code: fenced blocks and `inline code`.
    public static func find(in markdown: String) -> [FigureReference] {
        var found: [FigureReference] = []
        var fence: Substring?
        for (number, line) in markdown.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = trimmed.prefix { $0 == trimmed.first }
                continue
            }
            found += names(in: outsideCodeSpans(line)).map { FigureReference(name: $0, line: number) }
        }
        return found
    }

    /// The names after each `@fig:` in `text` (no code in it), in order.
    public static func names(in text: Substring) -> [String] {
        ranges(in: text).map { String(text[$0.name]) }
    }

    /// Where each `@fig:name` is in `text`: the whole reference and its name.
    public static func ranges(in text: Substring) -> [(whole: Range<Substring.Index>, name: Range<Substring.Index>)] {
        var found: [(Range<Substring.Index>, Range<Substring.Index>)] = []
        var searchStart = text.startIndex
        while let marker = text[searchStart...].range(of: Self.marker) {
            let nameEnd = text[marker.upperBound...].firstIndex { !isNameCharacter($0) } ?? text.endIndex
            // A word character just before the marker makes it part of something else (an address).
            let glued = marker.lowerBound > text.startIndex && isNameCharacter(text[text.index(before: marker.lowerBound)])
            if nameEnd > marker.upperBound && !glued {
                found.append((marker.lowerBound..<nameEnd, marker.upperBound..<nameEnd))
            }
            searchStart = max(nameEnd, marker.upperBound)
        }
        return found
    }

    static func isNameCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "-" || character == "_"
    }

    /// The line with its code spans (between runs of backticks of the same length) blanked out.
    private static func outsideCodeSpans(_ line: Substring) -> Substring {
        var result = ""
        var index = line.startIndex
        while index < line.endIndex {
            guard line[index] == "`" else {
                result.append(line[index])
                index = line.index(after: index)
                continue
            }
            let run = line[index...].prefix { $0 == "`" }
            let afterOpening = run.endIndex
            guard let closing = line[afterOpening...].range(of: String(run)) else {
                result += line[index...]
                break
            }
            result += " "
            index = closing.upperBound
        }
        return Substring(result)
    }
}
