import LessonEngine

/// Turns a lesson into a notebook: the title and each stretch of prose a Markdown cell (math kept
/// as `$…$` and `$$…$$`, which Jupyter renders), each Swift cell a code cell tagged with its kind.
///
/// | lesson | notebook |
/// | --- | --- |
/// | printed text | `stream` output (`stdout`); text left out of a long output is a line "… N lines not shown …" |
/// | a figure | `display_data` with `image/svg+xml` |
/// | a tensor table | `display_data` with `text/html` (the site's table) and `text/plain` |
/// | a Markdown or text display | `display_data` with `text/markdown` or `text/plain` |
/// | a failure (expected or not) | `error` output; a cell that did not run says why on `stderr` |
/// | a check | its verdict, "✓ Check passed 2/2 points", on `stdout` (a hidden check shows only that) |
public enum NotebookExport {
    /// The notebook of a lesson that ran, with what every cell printed and displayed.
    public static func reference(_ report: LessonReport) -> Notebook {
        var builder = Builder(lesson: report.lesson)
        if let failure = report.machineryFailure {
            builder.addMarkdown("**\(builder.strings.lessonNotRun)**\n\n```text\n\(failure)\n```", base: "not-run")
        }
        let outputs = CellOutputs(strings: builder.strings, lessonPath: report.lesson.displayPath)
        var byCell: [Int: (items: [NotebookOutput], ran: Bool)] = [:]
        for result in report.cells { byCell[result.cell.index] = outputs.of(result) }
        builder.walk { cell in byCell[cell.index] ?? ([], false) }
        return Notebook(cells: builder.cells, metadata: builder.metadata(.reference))
    }

    /// The notebook of a learner's version of a lesson (``LearnerVersion``), not run: code and
    /// prose only, as a notebook handed out to learners has no outputs to give answers away.
    public static func learner(_ lesson: Lesson) -> Notebook {
        var builder = Builder(lesson: lesson)
        builder.walk { _ in ([], false) }
        return Notebook(cells: builder.cells, metadata: builder.metadata(.learner))
    }

    /// The tags of a cell: its kind (none for a plain `swift` cell), `hidden` for a hidden check,
    /// and `hide-input` for setup code, which Jupyter Book folds away as the site does.
    static func tags(of cell: Cell) -> [String] {
        switch cell.kind {
        case .code: []
        case .setup: ["setup", "hide-input"]
        case .check: cell.check?.hidden == true ? ["check", "hidden"] : ["check"]
        case .norun, .fails, .exercise: [cell.kind.rawValue]
        }
    }

    /// Assembles the cells of one notebook in lesson order.
    private struct Builder {
        let lesson: Lesson
        let strings: InterfaceStrings
        var cells: [NotebookCell] = []
        var ids = NotebookCellIDs()
        var executionCount = 0

        init(lesson: Lesson) {
            self.lesson = lesson
            strings = InterfaceStrings.forLanguage(lesson.frontMatter.language)
            var heading = "# " + lesson.frontMatter.title
            if let summary = lesson.frontMatter.summary { heading += "\n\n" + summary }
            addMarkdown(heading, base: "title")
        }

        func metadata(_ version: NotebookVersion) -> NotebookMetadata {
            NotebookMetadata(slug: lesson.slug, title: lesson.frontMatter.title, version: version)
        }

        mutating func addMarkdown(_ markdown: String, base: String) {
            cells.append(.markdown(id: ids.unique(base), source: markdown))
        }

        /// Adds every block of the lesson; `outputs` gives a cell's outputs and whether it ran.
        mutating func walk(_ outputs: (Cell) -> (items: [NotebookOutput], ran: Bool)) {
            var proseCount = 0
            for block in lesson.blocks {
                switch block {
                case .prose(let markdown, _):
                    let trimmed = Self.trimmingBlankLines(markdown)
                    guard !trimmed.isEmpty else { continue }
                    proseCount += 1
                    addMarkdown(trimmed, base: "prose-\(proseCount)")
                case .cell(let cell):
                    let (items, ran) = outputs(cell)
                    var count: Int?
                    if ran {
                        executionCount += 1
                        count = executionCount
                    }
                    let id = ids.unique(cell.id ?? "cell-\(cell.index + 1)")
                    let source = cell.code.hasSuffix("\n") ? String(cell.code.dropLast()) : cell.code
                    cells.append(.code(NotebookCodeCell(id: id, source: source, tags: NotebookExport.tags(of: cell),
                                                        executionCount: count, outputs: items)))
                }
            }
        }

        /// Markdown without the blank lines around it.
        private static func trimmingBlankLines(_ markdown: String) -> String {
            var lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
            while let first = lines.first, first.allSatisfy(\.isWhitespace) { lines.removeFirst() }
            while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
            return lines.joined(separator: "\n")
        }
    }
}

/// Cell ids as nbformat 4.5 wants them: 1 to 64 of `A–Z a–z 0–9 - _`, unique in the notebook.
struct NotebookCellIDs {
    private var used: Set<String> = []

    /// `base` made valid (other characters become `-`, cut to fit) and unique (`-2`, `-3`… added).
    mutating func unique(_ base: String) -> String {
        var valid = String(base.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "-" || scalar == "_")
                ? Character(scalar) : "-"
        })
        if valid.isEmpty { valid = "cell" }
        valid = String(valid.prefix(Self.maximumLength))
        var candidate = valid
        var number = 2
        while used.contains(candidate) {
            let suffix = "-\(number)"
            candidate = String(valid.prefix(Self.maximumLength - suffix.count)) + suffix
            number += 1
        }
        used.insert(candidate)
        return candidate
    }

    static let maximumLength = 64
}
