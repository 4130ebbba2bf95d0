import Foundation
import Testing
@testable import LessonEngine

/// The course's own lessons, read from the repository.
enum CourseLessons {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Lessons")

    static var files: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "md" && $0.lastPathComponent.first?.isNumber == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// Parses lesson text the way the runner does, in the given version.
func parseVersion(_ text: String, version: LessonVersion = .reference) -> Result<Lesson, LessonErrors> {
    LessonParser(version: version).parse(text: text, displayPath: "Lessons/01-test.md",
                                         fileURL: URL(fileURLWithPath: "/tmp/01-test.md"), slug: "01-test")
}

@Suite struct AuthoringErrorTests {
    static let cases: [(String, String)] = [
        ("```swift check for=nothing\nexpect(true)\n```\n",
         "Lessons/01-test.md:4: error: check for 'nothing', but this lesson has no exercise with id=nothing"),
        ("```swift exercise id=e\nfunc f() -> Int { 1 }\n```\n```swift check for=e\nexpect(f() == 1)\n```\n",
         "Lessons/01-test.md:4: error: exercise 'e' has no reference solution: put it between '// BEGIN SOLUTION' and '// END SOLUTION' lines, so the learner's version can replace it"),
        ("```swift exercise id=e\nfunc f() -> Int {\n// BEGIN SOLUTION\nreturn 1\n}\n```\n```swift check for=e\nexpect(f() == 1)\n```\n",
         "Lessons/01-test.md:6: error: '// BEGIN SOLUTION' is never closed; add '// END SOLUTION' after the solution"),
        ("```swift exercise id=e\nfunc f() -> Int {\nreturn 1\n// END SOLUTION\n}\n```\n```swift check for=e\nexpect(f() == 1)\n```\n",
         "Lessons/01-test.md:7: error: '// END SOLUTION' without a '// BEGIN SOLUTION' before it"),
        ("```swift exercise id=e\nfunc f() -> Int {\n// BEGIN SOLUTION\nreturn 1\n// END SOLUTION\n}\n```\n",
         "Lessons/01-test.md:4: error: exercise 'e' has no check: add a ```swift check for=e cell after it"),
        ("```swift exercise id=e\n// BEGIN SOLUTION\nlet a = 1\n// END SOLUTION\n```\n```swift exercise id=e\n// BEGIN SOLUTION\nlet b = 1\n// END SOLUTION\n```\n```swift check for=e\nexpect(true)\n```\n",
         "Lessons/01-test.md:9: error: cell id 'e' is already used by the cell at line 4; ids must be unique in a lesson"),
        ("```swift check for=e\nexpect(true)\n```\n```swift exercise id=e\n// BEGIN SOLUTION\nlet a = 1\n// END SOLUTION\n```\n",
         "Lessons/01-test.md:4: error: check for 'e' comes before its exercise (line 7); move it after"),
        ("```swift exercise\nlet a = 1\n```\n",
         "Lessons/01-test.md:4: error: an exercise needs a name: write ```swift exercise id=some-name"),
        ("```swift exercise id=e\n// BEGIN SOLUTION\nlet a = 1\n// END SOLUTION\n```\n```swift check for=e points=lots\nexpect(true)\n```\n",
         "Lessons/01-test.md:9: error: points=lots in ```swift check for=e points=lots must be a whole number, 0 or more"),
        ("```swift setup hidden\nlet a = 1\n```\n",
         "Lessons/01-test.md:4: error: 'hidden' in ```swift setup hidden belongs to check cells only (```swift check for=… hidden)"),
    ]

    @Test(arguments: cases)
    func authoringMistakesNameTheirLine(body: String, message: String) {
        let result = parseVersion("---\ntitle: T\n---\n" + body)
        guard case .failure(let errors) = result else {
            Issue.record("expected an error for:\n\(body)")
            return
        }
        #expect(errors.errors.map(\.description) == [message])
    }
}

@Suite(.serialized) struct ExerciseTests {
    static let lesson = """
        ---
        title: T
        ---
        ```swift exercise id=double
        func double(_ x: Int) -> Int {
            // BEGIN SOLUTION
            return 2 * x
            // END SOLUTION
        }
        ```
        ```swift check for=double points=2 hint="Multiply by two."
        expectEqual(double(3), 6)
        expect(double(0) == 0, "double(0) should be 0")
        ```
        ```swift check for=double hidden
        expectEqual(double(-4), -8)
        ```
        ```swift
        print("after the checks")
        ```
        """

    @Test func theReferenceSolutionPassesEveryCheck() throws {
        let report = try runLesson(Self.lesson)
        #expect(report.succeeded)
        #expect(report.checks.map(\.passed) == [true, true])
        #expect(report.score == (3, 3))
        #expect(report.cells.last?.printed == "after the checks\n")
    }

    @Test func theLearnersVersionReplacesSolutionsAndDropsHiddenChecks() throws {
        let reference = try parseVersion(Self.lesson).get()
        let learner = LearnerVersion.make(from: reference, text: Self.lesson)
        #expect(learner == """
            ---
            title: T
            ---
            ```swift exercise id=double
            func double(_ x: Int) -> Int {
                todo()  // write your solution here
            }
            ```
            ```swift check for=double points=2 hint="Multiply by two."
            expectEqual(double(3), 6)
            expect(double(0) == 0, "double(0) should be 0")
            ```
            ```swift
            print("after the checks")
            ```
            """)
        // A reference lesson parses as a learner's too, but not the other way round.
        #expect((try? parseVersion(learner, version: .learner).get()) != nil)
        #expect((try? parseVersion(learner, version: .reference).get()) == nil)
    }

    @Test func theLearnersVersionCompilesAndFailsOnlyItsChecks() throws {
        let reference = try parseVersion(Self.lesson).get()
        let report = try runLesson(LearnerVersion.make(from: reference, text: Self.lesson), version: .learner)
        #expect(report.checks.count == 1)
        #expect(report.checks[0].passed == false)
        #expect(report.checks[0].failures.map(\.formatted) == ["Lessons/01-test.md:6: error: not done yet: replace todo() with your code"])
        // The cell after the failed check still ran.
        #expect(report.cells.last?.printed == "after the checks\n")
    }

    @Test func aWrongAnswerFailsWithBothSidesAndTheOtherExpectationsStillRun() throws {
        let wrong = Self.lesson.replacingOccurrences(of: "return 2 * x", with: "return x + 2")
        let report = try runLesson(wrong)
        #expect(!report.succeeded)
        let check = report.checks[0]
        #expect(!check.passed && check.earned == 0)
        #expect(check.failures.map(\.formatted) == [
            "Lessons/01-test.md:12: expected 6, got 5",
            "Lessons/01-test.md:13: double(0) should be 0",
        ])
        #expect(report.checks[1].failures.map(\.formatted) == ["Lessons/01-test.md:16: expected -8, got -2"])
        #expect(report.checks[1].failures.first?.location == SourceLocation(file: "Lessons/01-test.md", line: 16))
    }

    @Test(arguments: CourseLessons.files.map(\.lastPathComponent))
    func everyCourseLessonsLearnerVersionFailsExactlyItsVisibleChecks(name: String) throws {
        let file = CourseLessons.folder.appendingPathComponent(name)
        let text = try String(contentsOf: file, encoding: .utf8)
        let reference = try LessonParser().parse(fileURL: file, displayPath: "Lessons/\(name)").get()
        let learnerText = LearnerVersion.make(from: reference, text: text)
        let report = try runLesson(learnerText, version: .learner, beside: CourseLessons.folder)
        let visibleChecks = reference.cells.filter { $0.kind == .check && $0.check?.hidden == false }.count
        #expect(report.checks.count == visibleChecks)
        #expect(report.checks.allSatisfy { !$0.passed && $0.failures.allSatisfy { $0.formatted.contains("not done yet") } })
        // Everything that is not a check ran as in the reference.
        #expect(report.unexpectedFailures.allSatisfy { $0.cell.kind == .check })
        #expect(report.machineryFailure == nil)
    }
}
