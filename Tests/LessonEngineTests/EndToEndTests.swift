import Foundation
import LessonProtocol
import Testing
@testable import LessonEngine
@testable import SiteRenderer

/// Writes a lesson into a fresh folder, runs it for real against the built runtime, and returns the report.
/// `beside` names a lessons folder whose `data/` the lesson may read. As `cuaderno` does, the lesson
/// program is told where the package's pretrained models are (unless `CUADERNO_MODELS` is already
/// set); `environment` adds or replaces variables of its environment.
func runLesson(_ body: String, timeout: Double? = nil, version: LessonVersion = .reference,
               beside lessons: URL? = nil, environment: [String: String] = [:]) throws -> LessonReport {
    let directory = try TemporaryDirectory(prefix: "e2e")
    defer { directory.remove() }
    if let lessons {
        try FileManager.default.createSymbolicLink(at: directory.url.appendingPathComponent("data"),
                                                   withDestinationURL: lessons.appendingPathComponent("data"))
    }
    let file = directory.url.appendingPathComponent("01-test.md")
    try Data(body.utf8).write(to: file)
    let lesson = try LessonParser(version: version).parse(fileURL: file, displayPath: "Lessons/01-test.md").get()
    let runtime = try RuntimeLibrary.besideExecutable()
    let compiler = SwiftCompiler(runtime: runtime,
                                 moduleCache: runtime.buildDirectory.appendingPathComponent("cuaderno-module-cache"))
    var executor = LessonExecutor(compiler: compiler)
    if ProcessInfo.processInfo.environment[RuntimeContract.modelsFolderVariable] == nil {
        executor.runner.environment[RuntimeContract.modelsFolderVariable] =
            PretrainedModels.directory(packageRoot: runtime.packageRoot).path
    }
    executor.runner.environment.merge(environment) { _, given in given }
    return executor.execute(lesson, timeout: timeout)
}

extension CellResult {
    /// Everything the cell printed, as one string.
    var printed: String {
        output.map { item in
            if case .text(let text) = item { return text }
            return ""
        }.joined()
    }

    var failureMessage: String? {
        if case .failed(let failure) = status { return failure.message }
        return nil
    }
}

extension LessonReport {
    /// The message of every `fails` cell after the first cell, in order (or what happened instead).
    var expectedFailureMessages: [String] {
        cells.dropFirst().map { cell -> String in
            if case .failedAsExpected(let messages) = cell.status { return messages.formatted }
            return "unexpected status \(cell.status)"
        }
    }
}

@Suite(.serialized) struct EndToEndTests {
    @Test func outputGoesToTheCellThatPrintedIt() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            print("one")
            ```
            ```swift
            let x = Tensor([[1.0, 2.0], [3.0, 4.0]])
            print(x.matmul(x))
            ```
            """)
        #expect(report.succeeded)
        #expect(report.cells.map(\.status) == [.succeeded, .succeeded])
        #expect(report.cells[0].printed == "one\n")
        #expect(report.cells[1].printed == "[[ 7. 10.]\n [15. 22.]]\n")
    }

    @Test func aTypeErrorInTheThirdCellIsReportedAtItsLineWhileEarlierCellsKeepTheirOutput() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            print("cell one")
            ```
            ```swift
            print("cell two")
            ```
            ```swift
            let broken: Int = "text"
            ```
            ```swift
            print("cell four")
            ```
            """)
        #expect(!report.succeeded)
        #expect(report.cells[0].printed == "cell one\n")
        #expect(report.cells[1].printed == "cell two\n")
        guard case .failed(let failure) = report.cells[2].status else {
            Issue.record("cell three did not fail: \(report.cells[2].status)")
            return
        }
        #expect(failure.kind == .compileError)
        #expect(failure.message.hasPrefix(
            "Lessons/01-test.md:11:19: error: cannot convert value of type 'String' to specified type 'Int'"))
        #expect(failure.firstLocation(in: "Lessons/01-test.md") == SourceLocation(file: "Lessons/01-test.md", line: 11, column: 19))
        #expect(report.cells[3].status == .notRun(.earlierCellDoesNotCompile(fenceLine: 10)))
        #expect(NotRunReason.earlierCellDoesNotCompile(fenceLine: 10).description == "not run: the cell at line 10 does not compile")
    }

    @Test func aTrapIsAttributedToTheCellThatWasRunning() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            let numbers = [1, 2, 3]
            ```
            ```swift
            print("before the trap")
            print(numbers[7])
            ```
            ```swift
            print("after")
            ```
            """)
        #expect(report.cells[0].status == .succeeded)
        #expect(report.cells[1].printed == "before the trap\n")
        #expect(report.cells[1].failureMessage == """
            Fatal error: Index out of range
            (raised inside the Swift standard library while this cell was running)
            """)
        #expect(report.cells[2].status == .notRun(.programStopped(fenceLine: 7)))
        #expect(NotRunReason.programStopped(fenceLine: 7).description == "not run: the program stopped in the cell at line 7")
    }

    @Test func anErrorThrownAndNotCaughtShowsItsMessage() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            struct MissingFile: Error, CustomStringConvertible { var description: String { "run `make model` first" } }
            print("before")
            throw MissingFile()
            ```
            """)
        #expect(report.cells[0].failureMessage == "error: this cell threw an error and nothing caught it: run `make model` first")
        #expect(report.cells[0].output == [.text("before\n")])
    }

    @Test func fatalErrorNamesTheLessonLine() throws {
        let report = try runLesson("---\ntitle: T\n---\n```swift\nfatalError(\"stop here\")\n```\n")
        #expect(report.cells[0].failureMessage == "Lessons/01-test.md:5: Fatal error: stop here")
    }

    @Test func aShapeMismatchNamesBothShapesAndTheMarkdownLine() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            let a = Tensor([[1.0, 2.0, 3.0]])

            let b = a.matmul(a)
            ```
            """)
        #expect(report.cells[0].failureMessage
            == "Lessons/01-test.md:7: error: matmul: shapes (1, 3) and (1, 3) do not fit: the first has 3 columns but the second has 1 rows")
    }

    @Test func aNegativeRandomShapeNamesTheMarkdownLine() throws {
        let report = try runLesson("---\ntitle: T\n---\n```swift\nRandom.seed(1)\nlet a = Random.randn(2, -1)\n```\n")
        #expect(report.cells[0].failureMessage
            == "Lessons/01-test.md:6: error: randn: axis length -1 is negative in shape (2, -1)")
    }

    @Test func anInfiniteLoopHitsTheTimeLimit() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            print("looping")
            var spins = 0
            while true { spins &+= 1 }
            ```
            ```swift
            print("never")
            ```
            """, timeout: 1)
        guard case .failed(let failure) = report.cells[0].status else {
            Issue.record("the loop was not stopped: \(report.cells[0].status)")
            return
        }
        #expect(failure.kind == .timedOut)
        #expect(failure.message.hasPrefix("stopped: the lesson ran longer than its time limit of 1 s"))
        #expect(report.cells[0].printed == "looping\n")
        #expect(report.cells[1].status == .notRun(.programStopped(fenceLine: 4)))
    }

    @Test func unboundedRecursionIsExplained() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            func forever(_ n: Int) -> Int { forever(n + 1) + 1 }
            print(forever(0))
            ```
            """)
        #expect(report.cells[0].failureMessage?.contains("most likely unbounded recursion") == true)
    }

    @Test func failsCellsThatFailAreFineAndLaterCellsStillRun() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            let value = 41
            ```
            ```swift fails
            let wrong: String = value
            ```
            ```swift fails
            print("about to stop")
            fatalError("on purpose")
            ```
            ```swift
            print(value + 1)
            ```
            """)
        #expect(report.succeeded)
        guard case .failedAsExpected(let compileMessage) = report.cells[1].status,
              case .failedAsExpected(let trapMessage) = report.cells[2].status
        else {
            Issue.record("unexpected statuses: \(report.cells.map(\.status))")
            return
        }
        #expect(compileMessage.formatted.hasPrefix("Lessons/01-test.md:8:21: error: cannot convert value of type 'Int' to specified type 'String'"))
        #expect(trapMessage.formatted == "Lessons/01-test.md:12: Fatal error: on purpose")
        #expect(trapMessage == [LocatedMessage(location: SourceLocation(file: "Lessons/01-test.md", line: 12),
                                               text: "Fatal error: on purpose")])
        #expect(report.cells[2].printed == "about to stop\n")
        #expect(report.cells[3].printed == "42\n")
        #expect(report.cells[3].status == .succeeded)
    }

    @Test func aFailsCellThatSucceedsIsAnError() throws {
        let report = try runLesson("---\ntitle: T\n---\n```swift fails\nprint(\"fine\")\n```\n")
        #expect(!report.succeeded)
        guard case .failed(let failure) = report.cells[0].status else {
            Issue.record("a succeeding fails cell was accepted")
            return
        }
        #expect(failure.kind == .unexpectedSuccess)
    }

    @Test func exitHalfwayIsNotASuccess() throws {
        let report = try runLesson("---\ntitle: T\n---\n```swift\nimport Foundation\nexit(0)\n```\n```swift\nprint(1)\n```\n")
        #expect(report.cells[0].failureMessage
            == "the program exited in this cell with status 0 before the lesson's end (was exit() called?)")
        #expect(!report.succeeded)
    }

    @Test func pagesEscapePrintedTextAndRenderIdentically() throws {
        let lesson = """
            ---
            title: Escaping <b>
            ---
            Prose with <script>alert(2)</script> raw HTML.

            ```swift
            print("<script>alert(1)</script> & more")
            ```
            """
        let page = LessonPage(report: try runLesson(lesson)).render()
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"))
        #expect(!page.contains("<script>"))
        #expect(page.contains("<title>Escaping &lt;b&gt;</title>"))
        let again = LessonPage(report: try runLesson(lesson)).render()
        #expect(page == again)
    }
}

/// The mistakes a learner can make with tensors stop the cell with a message that names the
/// operation, the shapes involved, and the lesson's file and line.
@Suite(.serialized) struct TensorErrorTests {
    @Test func tensorMistakesNameTheOperationTheShapesAndTheLessonLine() throws {
        let report = try runLesson("""
            ---
            title: T
            ---
            ```swift
            let x = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            ```
            ```swift fails
            let product = x.matmul(x)
            ```
            ```swift fails
            let weights = x.softmax(axis: 2)
            ```
            ```swift fails
            let row = x[2]
            ```
            ```swift fails
            let inverse = Tensor([[1.0, 2.0], [2.0, 4.0]]).inverse()
            ```
            ```swift fails
            let mixed = x + x.cast(to: .float32)
            ```
            ```swift fails
            let ids = x.gather([0, 5], axis: 1)
            ```
            ```swift fails
            let sum = x + Tensor([1.0, 2.0])
            ```
            """)
        #expect(report.succeeded)
        #expect(report.expectedFailureMessages == [
            "Lessons/01-test.md:8: error: matmul: shapes (2, 3) and (2, 3) do not fit: the first has 3 columns but the second has 2 rows",
            "Lessons/01-test.md:11: error: softmax(axis:): axis 2 is out of range for a tensor of shape (2, 3) (valid: -2..<2)",
            "Lessons/01-test.md:14: error: subscript: 2 is out of range for axis 0 of a tensor of shape (2, 3) (length 2)",
            "Lessons/01-test.md:17: error: inverse: the matrix of shape (2, 2) is singular (pivot 2 of its LU factorisation is exactly zero), so it has no inverse; check for dependent rows, e.g. with matrixRank()",
            "Lessons/01-test.md:20: error: '+' mixes dtypes float64 and float32; convert one with .cast(to:) first (in the cell at line 20; an operator such as + cannot report its exact line)",
            "Lessons/01-test.md:23: error: gather: index 5 is out of range for axis 1 of a tensor of shape (2, 3) (length 3)",
            "Lessons/01-test.md:26: error: shapes (2, 3) and (2,) cannot be broadcast together for '+' (in the cell at line 26; an operator such as + cannot report its exact line)",
        ])
    }
}
