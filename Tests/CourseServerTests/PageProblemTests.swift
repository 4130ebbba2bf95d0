import Foundation
import LessonEngine
import Testing
@testable import CourseServer

/// Where the page's overlay points for each kind of failure.
@Suite struct PageProblemTests {
    static let markdown = """
        ---
        title: One
        ---

        Some prose.

        ```swift
        let a = 1
        let b: Int = "no"
        ```

        ```swift
        print(a)
        ```

        """

    static func outcome(_ status: CellStatus) throws -> LessonOutcome {
        let lesson = try LessonParser().parse(text: markdown, displayPath: "Lessons/01-one.md",
                                              fileURL: URL(fileURLWithPath: "/tmp/01-one.md"), slug: "01-one").get()
        let cells = [CellResult(cell: lesson.cells[0], status: status, output: []),
                     CellResult(cell: lesson.cells[1], status: .notRun(.earlierCellDoesNotCompile(fenceLine: 7)), output: [])]
        return .ran(LessonReport(lesson: lesson, cells: cells, duration: 0.1))
    }

    @Test func aCompileErrorPointsAtItsOwnLineNotTheFence() throws {
        let failure = CellFailure(kind: .compileError, messages: [
            LocatedMessage(location: SourceLocation(file: "Lessons/01-one.md", line: 9, column: 14), severity: .error,
                           text: "cannot convert value of type 'String' to specified type 'Int'"),
        ])
        let problems = CoursePreview.problems(of: try Self.outcome(.failed(failure)), learner: false)
        #expect(problems.map(\.line) == [9])
        #expect(problems.first?.message
            == "compile error: Lessons/01-one.md:9:14: error: cannot convert value of type 'String' to specified type 'Int'")
    }

    @Test func aRuntimeErrorPointsAtTheCellsFence() throws {
        let failure = CellFailure(kind: .runtimeError, messages: [
            LocatedMessage(location: SourceLocation(file: "Lessons/01-one.md", line: 9), severity: .error, text: "boom"),
        ])
        let problems = CoursePreview.problems(of: try Self.outcome(.failed(failure)), learner: false)
        #expect(problems.map(\.line) == [7])
    }

    @Test func aCompileErrorWithoutALocationInTheLessonPointsAtTheFence() throws {
        let failure = CellFailure(kind: .compileError, message: "something without a place")
        let problems = CoursePreview.problems(of: try Self.outcome(.failed(failure)), learner: false)
        #expect(problems.map(\.line) == [7])
    }
}
