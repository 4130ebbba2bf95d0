import Foundation
import LessonProtocol
import Testing
@testable import LessonEngine
@testable import SiteRenderer

/// `cuaderno export --ipynb`: what each part of a lesson becomes in a notebook, the learner's
/// version, the bytes written, and files that are not ours.
@Suite(.serialized) struct NotebookExportTests {
    /// A lesson with a cell of every kind.
    static let lesson = """
        ---
        title: Everything
        summary: One cell of each kind.
        ---
        Prose with $x^2$ and

        $$\\frac{a}{b}$$

        ```swift setup
        let offset = 1
        ```
        ```swift
        print("hello")
        show(Tensor([[1.0, 2.0], [3.0, 4.0]]))
        show(heatmap(Tensor([[0.1, 0.9], [0.5, 0.5]]), rows: ["a", "b"], columns: ["c", "d"], title: "Weights"))
        ```
        Between the cells.
        ```swift norun
        launchRockets()
        ```
        ```swift fails
        let broken: Int = "text"
        ```
        ```swift exercise id=double
        func double(_ x: Int) -> Int {
            // BEGIN SOLUTION
            return 2 * x
            // END SOLUTION
        }
        ```
        ```swift check for=double points=2 hint="Multiply by two."
        expectEqual(double(3), 6)
        ```
        ```swift check for=double hidden
        print("secret")
        expectEqual(double(-4), -8)
        ```
        ```swift
        let values = [1, 2]
        print(values[offset + 1])
        ```
        ```swift
        print("never")
        ```
        """

    static func parsed(_ text: String = lesson, version: LessonVersion = .reference) throws -> Lesson {
        try LessonParser(version: version).parse(text: text, displayPath: "Lessons/01-everything.md",
                                                 fileURL: URL(fileURLWithPath: "/course/Lessons/01-everything.md"),
                                                 slug: "01-everything").get()
    }

    static let tablePayload = #"{"dtype":"float64","rows":[["1.0",null,"30.5"],["4.0",null,"6.0"]],"shape":[2,5]}"#

    /// Every status and every kind of output, made by hand, so that what each becomes is exact.
    @Test func everyOutputMapsToItsNotebookForm() throws {
        let lesson = try Self.parsed()
        let cells = lesson.cells
        let outputs: [[OutputItem]] = [
            [],
            [.text("hello\n"), .omitted(OmittedOutput(lines: 1_500, bytes: 30)), .text("tail\n"),
             .display(DisplayItem(kind: .text, payload: "tensor of shape (2, 2, 2)")),
             .display(DisplayItem(kind: .markdown, payload: "**bold**")),
             .display(DisplayItem(kind: .svg, payload: "<svg class=\"figure\">\n</svg>")),
             .display(DisplayItem(kind: .table, payload: Self.tablePayload))],
            [], [], [],
            [.expectation(Expectation(passed: true, message: "", line: 31))],
            [.text("secret\n"), .expectation(Expectation(passed: true, message: "", line: 35))],
            [], [],
        ]
        let statuses: [CellStatus] = [
            .succeeded, .succeeded, .shownOnly,
            .failedAsExpected([LocatedMessage(location: SourceLocation(file: "Lessons/01-everything.md", line: 19, column: 19),
                                             severity: .error, text: "cannot convert")]),
            .succeeded, .succeeded, .succeeded,
            .failed(CellFailure(kind: .runtimeError, message: "Fatal error: Index out of range\n(raised inside the Swift standard library)")),
            .notRun(.programStopped(fenceLine: 37)),
        ]
        try #require(cells.count == statuses.count)
        let report = LessonReport(lesson: lesson, cells: zip(cells, zip(statuses, outputs)).map {
            CellResult(cell: $0, status: $1.0, output: $1.1)
        }, duration: 1)
        let notebook = NotebookExport.reference(report)

        #expect(notebook.metadata == NotebookMetadata(slug: "01-everything", title: "Everything", version: .reference))
        let expected: [NotebookCell] = [
            .markdown(id: "title", source: "# Everything\n\nOne cell of each kind."),
            .markdown(id: "prose-1", source: "Prose with $x^2$ and\n\n$$\\frac{a}{b}$$"),
            .code(NotebookCodeCell(id: "cell-1", source: "let offset = 1", tags: ["setup", "hide-input"],
                                   executionCount: 1, outputs: [])),
            .code(NotebookCodeCell(id: "cell-2", source: cells[1].code.dropLastNewline, tags: [], executionCount: 2, outputs: [
                .stream(.stdout, text: "hello\n… 1,500 lines not shown (30 bytes) …\ntail\n"),
                .displayData(["text/plain": "tensor of shape (2, 2, 2)"]),
                .displayData(["text/markdown": "**bold**"]),
                .displayData(["image/svg+xml": "<svg class=\"figure\">\n</svg>"]),
                .displayData(["text/html": TensorTableView.html(Self.tablePayload),
                              "text/plain": "shape (2, 5) · float64\n1.0  ⋯  30.5\n4.0  ⋯   6.0\n"]),
            ])),
            .markdown(id: "prose-2", source: "Between the cells."),
            .code(NotebookCodeCell(id: "cell-3", source: "launchRockets()", tags: ["norun"], executionCount: nil, outputs: [])),
            .code(NotebookCodeCell(id: "cell-4", source: "let broken: Int = \"text\"", tags: ["fails"], executionCount: 3, outputs: [
                .error(name: "Failed, as intended", value: "Lessons/01-everything.md:19:19: error: cannot convert",
                       traceback: ["Failed, as intended:", "Lessons/01-everything.md:19:19: error: cannot convert"]),
            ])),
            .code(NotebookCodeCell(id: "double", source: cells[4].code.dropLastNewline, tags: ["exercise"], executionCount: 4, outputs: [])),
            .code(NotebookCodeCell(id: "cell-6", source: "expectEqual(double(3), 6)", tags: ["check"], executionCount: 5, outputs: [
                .stream(.stdout, text: "✓ Check passed 2/2 points\n"),
            ])),
            // A hidden check shows only its verdict: not what it printed.
            .code(NotebookCodeCell(id: "cell-7", source: "print(\"secret\")\nexpectEqual(double(-4), -8)", tags: ["check", "hidden"],
                                   executionCount: 6, outputs: [
                .stream(.stdout, text: "✓ Check passed 1/1 point (hidden check, run when grading)\n"),
            ])),
            .code(NotebookCodeCell(id: "cell-8", source: "let values = [1, 2]\nprint(values[offset + 1])", tags: [], executionCount: 7, outputs: [
                .error(name: "Runtime error", value: "Fatal error: Index out of range",
                       traceback: ["Runtime error:", "Fatal error: Index out of range", "(raised inside the Swift standard library)"]),
            ])),
            .code(NotebookCodeCell(id: "cell-9", source: "print(\"never\")", tags: [], executionCount: nil, outputs: [
                .stream(.stderr, text: "not run: the program stopped in the cell at line 37\n"),
            ])),
        ]
        #expect(notebook.cells.count == expected.count)
        for (cell, wanted) in zip(notebook.cells, expected) { #expect(cell == wanted) }
    }

    /// A failed check says what failed and gives the hint; a hidden one gives neither.
    @Test func aFailedCheckShowsItsFailuresAndHint() throws {
        let lesson = try Self.parsed()
        let report = LessonReport(lesson: lesson, cells: lesson.cells.map { cell in
            let failing = cell.kind == .check
            return CellResult(cell: cell, status: cell.runs ? .succeeded : .shownOnly,
                              output: failing ? [.expectation(Expectation(passed: false, message: "expected 6, got 7", line: 31))] : [])
        }, duration: 1)
        let outputs = NotebookExport.reference(report).codeCells.filter { $0.tags.contains("check") }.map(\.outputs)
        #expect(outputs == [
            [.stream(.stdout, text: "✗ Check failed 0/2 points\nLessons/01-everything.md:31: expected 6, got 7\nHint: Multiply by two.\n")],
            [.stream(.stdout, text: "✗ Check failed 0/1 point (hidden check, run when grading)\n")],
        ])
    }

    /// The bytes Jupyter writes: keys sorted, one space per level, lists of lines, a final newline.
    @Test func theTextIsLaidOutAsJupyterWritesIt() {
        let notebook = Notebook(cells: [
            .code(NotebookCodeCell(id: "cell-1", source: "print(\"ñ\")\nprint(1)", tags: ["check"], executionCount: 1,
                                   outputs: [.stream(.stdout, text: "ñ\n1\n")])),
        ], metadata: NotebookMetadata(slug: "01-x", title: "X \"quoted\"", version: .learner))
        #expect(notebook.json.text == """
            {
             "cells": [
              {
               "cell_type": "code",
               "execution_count": 1,
               "id": "cell-1",
               "metadata": {
                "tags": [
                 "check"
                ]
               },
               "outputs": [
                {
                 "name": "stdout",
                 "output_type": "stream",
                 "text": [
                  "ñ\\n",
                  "1\\n"
                 ]
                }
               ],
               "source": [
                "print(\\"ñ\\")\\n",
                "print(1)"
               ]
              }
             ],
             "metadata": {
              "cuaderno": {
               "slug": "01-x",
               "title": "X \\"quoted\\"",
               "version": "learner"
              },
              "kernelspec": {
               "display_name": "Swift",
               "language": "swift",
               "name": "swift"
              },
              "language_info": {
               "file_extension": ".swift",
               "mimetype": "text/x-swift",
               "name": "swift"
              }
             },
             "nbformat": 4,
             "nbformat_minor": 5
            }

            """)
    }

    /// Cell ids are valid nbformat ids and unique, whatever the lesson names its exercises.
    @Test func cellIDsAreValidAndUnique() {
        var ids = NotebookCellIDs()
        #expect(ids.unique("cell-2") == "cell-2")
        #expect(ids.unique("cell-2") == "cell-2-2")
        #expect(ids.unique("año_1") == "a-o_1")
        #expect(ids.unique("") == "cell")
        let long = ids.unique(String(repeating: "x", count: 80))
        #expect(long.count == 64)
        #expect(ids.unique(String(repeating: "x", count: 80)) == String(repeating: "x", count: 62) + "-2")
    }

    /// The lesson run for real: its outputs come out as the notebook's.
    @Test func aRunLessonGivesItsRealOutputs() throws {
        let report = try runLesson(Self.lesson)
        let cells = NotebookExport.reference(report).codeCells
        #expect(cells.map(\.id) == ["cell-1", "cell-2", "cell-3", "cell-4", "double", "cell-6", "cell-7", "cell-8", "cell-9"])
        #expect(cells.map(\.executionCount) == [1, 2, nil, 3, 4, 5, 6, 7, nil])
        let printed = cells[1].outputs
        try #require(printed.count == 3)
        #expect(printed[0] == .stream(.stdout, text: "hello\n"))
        guard case .displayData(let table) = printed[1], case .displayData(let figure) = printed[2] else {
            Issue.record("expected a table and a figure, got \(printed)")
            return
        }
        #expect(table.keys.sorted() == ["text/html", "text/plain"])
        #expect(table["text/html"]?.contains("<td>1</td><td>2</td></tr>\n<tr><td>3</td><td>4</td>") == true)
        #expect(table["text/plain"] == "shape (2, 2) · float64\n1  2\n3  4\n")
        #expect(figure.keys.sorted() == ["image/svg+xml"])
        #expect(figure["image/svg+xml"]?.contains("<title>Weights</title>") == true)
        guard case .error(let name, let value, _) = cells[3].outputs.first else {
            Issue.record("the fails cell should end in an error output, got \(cells[3].outputs)")
            return
        }
        #expect(name == "Failed, as intended")
        #expect(value.hasPrefix("Lessons/01-test.md:22:19: error: cannot convert"))
        #expect(cells[6].outputs == [.stream(.stdout, text: "✓ Check passed 1/1 point (hidden check, run when grading)\n")])
        guard case .error(let trap, _, let traceback) = cells[7].outputs.last else {
            Issue.record("the out-of-range cell should end in an error output, got \(cells[7].outputs)")
            return
        }
        #expect(trap == "Runtime error")
        #expect(traceback.joined(separator: "\n").contains("Index out of range"))
    }

    /// The learner's version: `todo()` for the solution, no hidden check, no outputs at all.
    @Test func theLearnerExportHasNoSolutionsHiddenChecksOrOutputs() throws {
        let folder = try TemporaryDirectory(prefix: "notebook-learner")
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("01-everything.md")
        try Self.lesson.write(to: file, atomically: true, encoding: .utf8)
        let lessons = try LearnerVersion.lessons(file: file, displayPath: "Lessons/01-everything.md")
        let notebook = NotebookExport.learner(lessons.learner)
        #expect(notebook.metadata.version == .learner)
        let text = notebook.json.text
        #expect(!text.contains("hidden"))
        #expect(!text.contains("secret"))
        #expect(!text.contains("return 2 * x"))
        let cells = notebook.codeCells
        #expect(cells.map(\.id) == ["cell-1", "cell-2", "cell-3", "cell-4", "double", "cell-6", "cell-7", "cell-8"])
        #expect(cells.first { $0.id == "double" }?.source.contains("todo()  // write your solution here") == true)
        #expect(cells.allSatisfy { $0.outputs.isEmpty && $0.executionCount == nil })
    }

    // MARK: - The command

    /// A course folder with the lesson as `Lessons/01-everything.md`, its out-of-range index
    /// mended so that the lesson runs as intended.
    func makeCourse() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory(prefix: "notebook-export")
        let lessons = root.url.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        try Self.lesson.replacingOccurrences(of: "values[offset + 1]", with: "values[offset]")
            .write(to: lessons.appendingPathComponent("01-everything.md"), atomically: true, encoding: .utf8)
        return root
    }

    /// Runs the `cuaderno` executable built beside the tests (the grading tests' way).
    func cuaderno(_ arguments: String..., in folder: URL) throws -> (output: String, status: Int32) {
        try GradingTests().cuaderno(arguments, in: folder)
    }

    /// Exporting again, from the cache or after a fresh run, writes the same bytes.
    @Test func exportingTwiceGivesTheSameBytes() throws {
        let root = try makeCourse()
        defer { root.remove() }
        let file = root.url.appendingPathComponent("Notebooks/01-everything.ipynb")
        let first = try cuaderno("export", "--ipynb", in: root.url)
        #expect(first.status == 0, "\(first.output)")
        #expect(first.output.contains("Wrote 1 notebook (reference version) to Notebooks/"))
        let bytes = try Data(contentsOf: file)
        #expect(try cuaderno("export", "--ipynb", "1", in: root.url).status == 0)
        #expect(try Data(contentsOf: file) == bytes)
        #expect(try cuaderno("export", "--ipynb", "--no-cache", in: root.url).status == 0)
        #expect(try Data(contentsOf: file) == bytes)

        let learnerFile = root.url.appendingPathComponent("Notebooks/learner/01-everything.ipynb")
        #expect(try cuaderno("export", "--ipynb", "--learner", in: root.url).status == 0)
        let learnerBytes = try Data(contentsOf: learnerFile)
        #expect(try cuaderno("export", "--ipynb", "--learner", in: root.url).status == 0)
        #expect(try Data(contentsOf: learnerFile) == learnerBytes)
    }

    /// A file that is not our export — or is the other version's — is never replaced, and nothing is written.
    @Test func aFileThatIsNotOursIsNeverOverwritten() throws {
        let root = try makeCourse()
        defer { root.remove() }
        let folder = root.url.appendingPathComponent("Shared")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let theirs = Data(#"{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}"#.utf8)
        try theirs.write(to: folder.appendingPathComponent("01-everything.ipynb"))

        let refused = try cuaderno("export", "--ipynb", "--to", "Shared", in: root.url)
        #expect(refused.status == 1)
        #expect(refused.output.contains(
            "will not overwrite Shared/01-everything.ipynb: it exists and is not a notebook exported by Cuaderno"))
        #expect(refused.output.contains("Nothing was written."))
        #expect(try Data(contentsOf: folder.appendingPathComponent("01-everything.ipynb")) == theirs)

        // The learner's notebooks are not replaced by the reference, which has the solutions.
        #expect(try cuaderno("export", "--ipynb", "--learner", "--to", "Handout", in: root.url).status == 0)
        let handout = root.url.appendingPathComponent("Handout/01-everything.ipynb")
        let learnerBytes = try Data(contentsOf: handout)
        let mixed = try cuaderno("export", "--ipynb", "--to", "Handout", in: root.url)
        #expect(mixed.status == 1)
        #expect(mixed.output.contains("will not overwrite Handout/01-everything.ipynb: it holds the learner version"))
        #expect(try Data(contentsOf: handout) == learnerBytes)
    }
}

extension Notebook {
    var codeCells: [NotebookCodeCell] {
        cells.compactMap { if case .code(let cell) = $0 { cell } else { nil } }
    }
}

extension String {
    var dropLastNewline: String { hasSuffix("\n") ? String(dropLast()) : self }
}
