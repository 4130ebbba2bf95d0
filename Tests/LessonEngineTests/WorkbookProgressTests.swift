import Foundation
import Testing
@testable import LessonEngine

/// Progress and status from real runs of a learner's lesson.
@Suite(.serialized) struct WorkbookProgressTests {
    /// A workbook with the learner's version of `ExerciseTests.lesson` and a lesson without exercises.
    func makeWorkbook() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory(prefix: "workbook")
        let reference = try parseVersion(ExerciseTests.lesson).get()
        try LearnerVersion.make(from: reference, text: ExerciseTests.lesson)
            .write(to: root.url.appendingPathComponent("01-double.md"), atomically: true, encoding: .utf8)
        try "---\ntitle: Reading\n---\nJust prose.\n"
            .write(to: root.url.appendingPathComponent("00-reading.md"), atomically: true, encoding: .utf8)
        return root
    }

    /// Runs the workbook's lesson 1 as a learner and records it.
    func runAndRecord(_ workbook: URL, progress: inout WorkbookProgress) throws -> LessonOutcome {
        let file = workbook.appendingPathComponent("01-double.md")
        let contents = try Data(contentsOf: file)
        let runtime = try RuntimeLibrary.besideExecutable()
        var runner = CourseRunner(executor: LessonExecutor(compiler: SwiftCompiler(
            runtime: runtime, moduleCache: runtime.buildDirectory.appendingPathComponent("cuaderno-module-cache"))))
        runner.parser = LessonParser(version: .learner)
        let outcome = runner.run(file: file, timeout: nil)
        progress.record(outcome, name: "01-double.md", contents: contents)
        return outcome
    }

    func solve(_ workbook: URL, with code: String) throws {
        let file = workbook.appendingPathComponent("01-double.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        try text.replacingOccurrences(of: "todo()  // write your solution here", with: code)
            .write(to: file, atomically: true, encoding: .utf8)
    }

    @Test func statusReflectsAFailingRunThenAPassingOne() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        var progress = WorkbookProgress()

        var status = try WorkbookStatus.read(workbook: root.url, progress: progress)
        #expect(status.lessons.map(\.state) == [.noExercises, .notStarted])
        #expect(status.lessons[1].possible == 2)  // the hidden check is not in the learner's version
        #expect(status.next?.number == 1)

        let failing = try runAndRecord(root.url, progress: &progress)
        #expect(LearnerRun.exitStatus(of: failing) == 1)
        status = try WorkbookStatus.read(workbook: root.url, progress: progress)
        #expect(status.lessons[1].state == .failing(1))
        #expect(status.lessons[1].earned == 0)
        #expect(!status.lessons[1].changedSinceRun)
        #expect(status.next?.number == 1)

        try solve(root.url, with: "return 2 * x")
        status = try WorkbookStatus.read(workbook: root.url, progress: progress)
        #expect(status.lessons[1].changedSinceRun)

        let passing = try runAndRecord(root.url, progress: &progress)
        #expect(LearnerRun.exitStatus(of: passing) == 0)
        status = try WorkbookStatus.read(workbook: root.url, progress: progress)
        #expect(status.lessons[1].state == .done)
        #expect(status.lessons[1].earned == 2)
        #expect(status.next == nil)
    }

    @Test func progressSurvivesSavingAndLoading() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        var progress = WorkbookProgress()
        try solve(root.url, with: "return x + x")
        _ = try runAndRecord(root.url, progress: &progress)
        try progress.save(to: root.url)
        let loaded = try WorkbookProgress.load(from: root.url)
        #expect(loaded == progress)
        #expect(loaded.lessons["01-double.md"]?.checks.map(\.passed) == [true])
        #expect(loaded.lessons["01-double.md"]?.checks.first?.line == 9)
    }

    @Test func aWrongAnswerFailsWithTheLearnersLine() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        var progress = WorkbookProgress()
        try solve(root.url, with: "return x + 1")
        guard case .ran(let report) = try runAndRecord(root.url, progress: &progress) else {
            Issue.record("the lesson did not run")
            return
        }
        #expect(report.checks.first?.failures == [
            "\(Course.displayPath(of: root.url.appendingPathComponent("01-double.md"))):10: expected 6, got 4",
            "\(Course.displayPath(of: root.url.appendingPathComponent("01-double.md"))):11: double(0) should be 0",
        ])
        #expect(progress.lessons["01-double.md"]?.failingChecks == 1)
    }

    @Test func aLessonThatCannotRunIsNotCountedAsFailingChecks() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        let file = root.url.appendingPathComponent("01-double.md")
        let text = try String(contentsOf: file, encoding: .utf8)
        // The learner broke a cell that is not theirs: the last one now traps.
        try text.replacingOccurrences(of: "print(\"after the checks\")", with: "let n: Int? = nil; print(n!)")
            .replacingOccurrences(of: "todo()  // write your solution here", with: "return 2 * x")
            .write(to: file, atomically: true, encoding: .utf8)
        var progress = WorkbookProgress()
        let outcome = try runAndRecord(root.url, progress: &progress)
        #expect(LearnerRun.exitStatus(of: outcome) == 2)
        let record = try #require(progress.lessons["01-double.md"])
        #expect(record.problem?.contains("the cell at line 13 failed (runtime error)") == true)
        let status = try WorkbookStatus.read(workbook: root.url, progress: progress)
        guard case .couldNotRun = status.lessons[1].state else {
            Issue.record("expected 'could not run', got \(status.lessons[1].state)")
            return
        }
    }

    @Test func anUnreadableLessonFileIsReportedWithItsLine() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        try "---\ntitle: X\n---\n```swift check for=nothing\nexpect(true)\n```\n"
            .write(to: root.url.appendingPathComponent("02-broken.md"), atomically: true, encoding: .utf8)
        let status = try WorkbookStatus.read(workbook: root.url, progress: WorkbookProgress())
        guard case .invalid(let mistake) = status.lessons[2].state else {
            Issue.record("expected the lesson to have mistakes, got \(status.lessons[2].state)")
            return
        }
        #expect(mistake.hasSuffix("02-broken.md:4: error: check for 'nothing', but this lesson has no exercise with id=nothing"))
    }

    @Test func aDamagedProgressFileIsAnErrorNotAFreshStart() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        let url = WorkbookProgress.fileURL(in: root.url)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "{ not json".write(to: url, atomically: true, encoding: .utf8)
        #expect {
            _ = try WorkbookProgress.load(from: root.url)
        } throws: { error in
            "\(error)".contains("progress.json: error: the progress file cannot be read")
        }
        #expect(try String(contentsOf: url, encoding: .utf8) == "{ not json")
    }

    @Test func lessonsTheWorkbookLacksAreNamed() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        let course = try TemporaryDirectory(prefix: "course")
        defer { course.remove() }
        for name in ["00-reading.md", "01-double.md", "02-new.md"] {
            try "---\ntitle: X\n---\n".write(to: course.url.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let status = try WorkbookStatus.read(workbook: root.url, progress: WorkbookProgress(), courseLessons: course.url)
        #expect(status.missingFromWorkbook == ["02-new.md"])
    }
}
