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
        #expect(report.checks.first?.failures.map(\.formatted) == [
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

    /// A progress file written before hints had tiers: no `hints`, checks without `notDone`.
    static let progressBeforeHintTiers = """
        {
          "lessons" : {
            "01-double.md" : {
              "cellsFailed" : 0,
              "cellsSucceeded" : 2,
              "checks" : [
                { "exercise" : "double", "line" : 9, "passed" : false, "points" : 2 }
              ],
              "fingerprint" : "8c9f3a1d2b4e5f60",
              "mistakesInFile" : 0
            }
          }
        }
        """

    @Test func aProgressFileFromBeforeHintTiersStillLoads() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        let url = WorkbookProgress.fileURL(in: root.url)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.progressBeforeHintTiers.write(to: url, atomically: true, encoding: .utf8)
        let loaded = try WorkbookProgress.load(from: root.url)
        let record = try #require(loaded.lessons["01-double.md"])
        #expect(record.checks == [WorkbookProgress.CheckRecord(exercise: "double", line: 9, points: 2, passed: false)])
        #expect(record.checks[0].notDone == nil)
        #expect(loaded.hints.isEmpty)
        #expect(record.referencedChecks.map(\.reference) == [CheckReference(exercise: "double", number: 1)])
    }

    @Test func hintTiersSeenSurviveSavingAndLoadingAsCheckNames() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        var progress = WorkbookProgress()
        progress.hints["01-double.md"] = [CheckReference(exercise: "double", number: 1): HintRecord(tiersSeen: 2, failedAttempt: "ab12")]
        try progress.save(to: root.url)
        let text = try String(contentsOf: WorkbookProgress.fileURL(in: root.url), encoding: .utf8)
        #expect(text.contains("\"double/1\" : {"))
        #expect(try WorkbookProgress.load(from: root.url) == progress)
    }

    @Test func checkReferencesReadAndCount() {
        #expect(CheckReference("causal-mask/2") == CheckReference(exercise: "causal-mask", number: 2))
        #expect(CheckReference("causal-mask") == nil)
        #expect(CheckReference("causal-mask/0") == nil)
        #expect(CheckReference("/2") == nil)
        #expect(CheckReference.numbering(["a", "b", "a"]).map(\.description) == ["a/1", "b/1", "a/2"])
    }

    /// Runs, records, and returns the hint offers of the run, as `cuaderno run` does.
    func runWithHints(_ workbook: URL, progress: inout WorkbookProgress) throws -> [HintOffer] {
        guard case .ran(let report) = try runAndRecord(workbook, progress: &progress) else {
            Issue.record("the lesson did not run")
            return []
        }
        return HintLadder.afterRun(report, records: &progress.hints["01-double.md", default: [:]])
    }

    @Test func hintsComeOnlyAfterAnAttemptAndRunRevealsATierOnlyForAnEditedAttempt() throws {
        let root = try makeWorkbook()
        defer { root.remove() }
        let file = root.url.appendingPathComponent("01-double.md")
        try String(contentsOf: file, encoding: .utf8)
            .replacingOccurrences(of: #"hint="Multiply by two.""#, with: #"hint="What does doubling mean?" hint="Multiply by two.""#)
            .write(to: file, atomically: true, encoding: .utf8)
        var progress = WorkbookProgress()
        let reference = CheckReference(exercise: "double", number: 1)

        // Not done yet: nothing is offered, and `hint` says to try first.
        let notDone = try runWithHints(root.url, progress: &progress)
        #expect(notDone.map(\.notDone) == [true])
        var lesson = try LessonParser(version: .learner).parse(fileURL: file, displayPath: "01-double.md").get()
        #expect(try HintRequest.answer(lesson: lesson, record: progress.lessons["01-double.md"],
                                       hints: &progress.hints["01-double.md", default: [:]], check: nil)
            == .tryFirst(exercise: "double", line: 4))

        // A first wrong attempt: a hint is available, none shown yet.
        try solve(root.url, with: "return x + 2")
        var offers = try runWithHints(root.url, progress: &progress)
        #expect(offers == [HintOffer(reference: reference, tiers: ["What does doubling mean?", "Multiply by two."],
                                     seen: 0, revealedNow: false, notDone: false)])
        // The same code again reveals nothing new.
        offers = try runWithHints(root.url, progress: &progress)
        #expect(offers.first?.seen == 0)

        // `hint` shows tier 1, then tier 2, then says there are no more.
        lesson = try LessonParser(version: .learner).parse(fileURL: file, displayPath: "01-double.md").get()
        func ask(_ check: String? = nil) throws -> HintAnswer {
            try HintRequest.answer(lesson: lesson, record: progress.lessons["01-double.md"],
                                   hints: &progress.hints["01-double.md", default: [:]], check: check)
        }
        #expect(try ask() == .tier(reference, line: 9, number: 1, count: 2, text: "What does doubling mean?"))
        #expect(try ask("double/1") == .tier(reference, line: 9, number: 2, count: 2, text: "Multiply by two."))
        #expect(try ask("double") == .allSeen(reference, line: 9, tiers: ["What does doubling mean?", "Multiply by two."]))
        #expect(throws: HintRequestProblem.self) { try ask("triple") }

        // An edited attempt that fails again would reveal the next tier by itself (none left here).
        progress.hints["01-double.md"]?[reference]?.tiersSeen = 1
        try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "return x + 2", with: "return x + 3")
            .write(to: file, atomically: true, encoding: .utf8)
        offers = try runWithHints(root.url, progress: &progress)
        #expect(offers.first?.seen == 2)
        #expect(offers.first?.revealedNow == true)
        #expect(offers.first?.remaining == 0)
    }
}
