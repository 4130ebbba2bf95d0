import Foundation
import LessonProtocol
import Testing
@testable import LessonEngine

/// Figures drawn by real lesson programs: shown under their cell, saved to files, and mistakes in
/// their input reported at the lesson's line.
@Suite(.serialized) struct FigureLessonTests {
    @Test func showPutsAnSVGFigureUnderTheCell() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            let weights = Tensor([[0.7, 0.3], [0.4, 0.6]])
            show(heatmap(weights, rows: ["a", "b"], columns: ["a", "b"], title: "Weights"))
            show(lineplot(weights[0], title: "Row 0"))
            show(weights)
            ```
            """)
        #expect(report.succeeded)
        let figures = report.cells[0].output.compactMap { item -> String? in
            if case .display(let display) = item, display.kind == .svg { return display.payload }
            return nil
        }
        #expect(figures.count == 2)
        #expect(figures[0].hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cuaderno-figure\""))
        #expect(figures[0].contains("<title>Weights</title>"))
        #expect(figures[1].contains("<title>Row 0</title>"))
        let tables = report.cells[0].output.compactMap { item -> String? in
            if case .display(let display) = item, display.kind == .table { return display.payload }
            return nil
        }
        #expect(tables == [#"{"dtype":"float64","rows":[["0.7","0.3"],["0.4","0.6"]],"shape":[2,2]}"#])
    }

    @Test func chartMistakesNameTheLessonLine() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            let cube = Tensor.zeros([2, 3, 4])
            ```
            ```swift fails
            let picture = heatmap(cube)
            ```
            ```swift fails
            let picture = heatmap([[1.0, 2.0], [3.0, 4.0]], rows: ["only one"])
            ```
            ```swift fails
            let plot = lineplot([1.0, 2.0, 3.0], x: [0.0, 1.0])
            ```
            """)
        #expect(report.succeeded)
        #expect(report.expectedFailureMessages == [
            "Lessons/01-test.md:8: error: heatmap: expected a tensor with two axes (a matrix); got shape (2, 3, 4). Pick one matrix with x[i]",
            "Lessons/01-test.md:11: error: a heatmap needs one row label per row; got 1 labels for 2 rows",
            "Lessons/01-test.md:14: error: a line needs as many x values as y values; got 2 x values and 3 y values",
        ])
    }

    @Test func saveWritesTheFigureAndNeverReplacesAnotherFile() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            import Foundation
            let chart = bar(["a", "b"], [1.0, 2.0], title: "Saved")
            chart.save("figures/bars.svg")
            chart.save("figures/bars.svg")
            print(try! String(contentsOfFile: "figures/bars.svg", encoding: .utf8) == chart.svg)
            try! "mine".write(toFile: "notes.svg", atomically: true, encoding: .utf8)
            ```
            ```swift fails
            bar(["a"], [1.0]).save("notes.svg")
            ```
            """)
        #expect(report.succeeded)
        #expect(report.cells[0].printed == "true\n")
        if case .failedAsExpected(let message) = report.cells[1].status {
            #expect(message.formatted == "Lessons/01-test.md:13: error: will not overwrite 'notes.svg': it exists and was not drawn by Cuaderno. Choose another file name, or move that file away first.")
        } else {
            Issue.record("expected the save to fail, got \(report.cells[1].status)")
        }
    }
}
