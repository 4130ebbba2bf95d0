/// How much of a long printed text a cell's output keeps: its first lines and its last, with a
/// count of what was left out between them (Jupyter and VS Code cut long output the same way).
///
/// A cell that prints two million lines would otherwise make a page of many megabytes that no
/// browser shows well and no reader reads. The program itself is not stopped — it prints on, and
/// the cells after it run — only what is kept for the page, the terminal, the cache and the
/// grader's feedback is cut. (The lesson's total output limit, which does stop the program, stays
/// far above this.)
public struct OutputCap: Sendable, Equatable {
    /// The first lines kept.
    public var headLines: Int
    /// The last lines kept.
    public var tailLines: Int
    /// The most bytes the first part keeps (a very long line is cut inside).
    public var headBytes: Int
    /// The most bytes the last part keeps.
    public var tailBytes: Int

    /// The first 200 lines and the last 20, in at most about 100 kB.
    public static let standard = OutputCap(headLines: 200, tailLines: 20, headBytes: 80_000, tailBytes: 20_000)

    public init(headLines: Int, tailLines: Int, headBytes: Int, tailBytes: Int) {
        self.headLines = headLines
        self.tailLines = tailLines
        self.headBytes = headBytes
        self.tailBytes = tailBytes
    }

    /// `items` with each long text cut to its head, an ``OutputItem/omitted(_:)`` marker and its
    /// tail; everything else as it was.
    public func apply(_ items: [OutputItem]) -> [OutputItem] {
        items.flatMap { item -> [OutputItem] in
            guard case .text(let text) = item else { return [item] }
            return cut(text)
        }
    }

    /// One printed text, whole when it is short, else its head, what was left out, and its tail.
    func cut(_ text: String) -> [OutputItem] {
        let bytes = Array(text.utf8)
        guard bytes.count > headBytes + tailBytes || lineCount(bytes[...]) > headLines + tailLines else {
            return [.text(text)]
        }
        let headEnd = boundary(afterLines: headLines, maxBytes: headBytes, in: bytes)
        let tailStart = max(headEnd, boundary(beforeLines: tailLines, maxBytes: tailBytes, in: bytes))
        let middle = bytes[headEnd..<tailStart]
        guard !middle.isEmpty else { return [.text(text)] }
        // A line cut in two by the head's or the tail's byte limit counts as left out.
        let omittedLines = lineCount(middle)
        var items: [OutputItem] = [.text(String(decoding: bytes[..<headEnd], as: UTF8.self))]
        items.append(.omitted(OmittedOutput(lines: omittedLines, bytes: middle.count)))
        if tailStart < bytes.count {
            items.append(.text(String(decoding: bytes[tailStart...], as: UTF8.self)))
        }
        return items
    }

    /// The lines in `bytes`: its newlines, plus one for a last line without a newline.
    private func lineCount(_ bytes: ArraySlice<UInt8>) -> Int {
        let newlines = bytes.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
        return newlines + (bytes.last.map { $0 == UInt8(ascii: "\n") ? 0 : 1 } ?? 0)
    }

    /// The end of the first `lines` lines, or of the first `maxBytes` bytes (at a character's
    /// start) if that comes first.
    private func boundary(afterLines lines: Int, maxBytes: Int, in bytes: [UInt8]) -> Int {
        var seen = 0
        for index in bytes.indices {
            if index >= maxBytes { return characterStart(atOrBefore: index, in: bytes) }
            if bytes[index] == UInt8(ascii: "\n") {
                seen += 1
                if seen == lines { return index + 1 }
            }
        }
        return bytes.count
    }

    /// The start of the last `lines` lines, or of the last `maxBytes` bytes (at a character's
    /// start) if that comes later.
    private func boundary(beforeLines lines: Int, maxBytes: Int, in bytes: [UInt8]) -> Int {
        let limit = max(0, bytes.count - maxBytes)
        // A final newline ends the last line; it does not start another.
        var index = bytes.count - (bytes.last == UInt8(ascii: "\n") ? 1 : 0)
        var seen = 0
        while index > limit {
            index -= 1
            if bytes[index] == UInt8(ascii: "\n") {
                seen += 1
                if seen == lines { return index + 1 }
            }
        }
        return characterStart(atOrAfter: limit, in: bytes)
    }

    /// UTF-8 continuation bytes are 10xxxxxx: step back to the byte that starts the character.
    private func characterStart(atOrBefore index: Int, in bytes: [UInt8]) -> Int {
        var index = index
        while index > 0 && bytes[index] & 0xC0 == 0x80 { index -= 1 }
        return index
    }

    private func characterStart(atOrAfter index: Int, in bytes: [UInt8]) -> Int {
        var index = index
        while index < bytes.count && bytes[index] & 0xC0 == 0x80 { index += 1 }
        return index
    }
}

/// What an ``OutputCap`` left out of a cell's printed text.
public struct OmittedOutput: Sendable, Equatable, Codable {
    /// The lines left out (a line cut in two by a byte limit counts once).
    public var lines: Int
    /// Their size in bytes of UTF-8.
    public var bytes: Int

    public init(lines: Int, bytes: Int) {
        self.lines = lines
        self.bytes = bytes
    }
}
