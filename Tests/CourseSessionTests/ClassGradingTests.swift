import CourseSession
import Foundation
import LessonEngine
import Synchronization
import Testing

/// `cuaderno grade`'s stages run in-process on a small course: one lesson with an exercise, a
/// check and a hidden check, graded for a class of two — one learner right, one wrong — with
/// programs run outside the sandbox (`--sandbox none`).
@Suite(.serialized) struct ClassGradingTests {
    static let lesson = """
        ---
        title: Doubling
        ---

        One exercise, with a check anyone sees and one only the grader runs.

        ```swift exercise id=double
        func double(_ x: Int) -> Int {
            // BEGIN SOLUTION
            return 2 * x
            // END SOLUTION
        }
        ```

        ```swift check for=double points=2
        expectEqual(double(3), 6)
        ```

        ```swift check for=double points=1 hidden
        expectEqual(double(-4), -8)
        ```

        """

    /// A lesson with no exercise and no check: nothing to grade with.
    static let notes = """
        ---
        title: Notes
        ---
        ```swift
        print("nothing to grade")
        ```
        """

    /// A cell tag that does not exist, on line 4.
    static let broken = """
        ---
        title: Broken
        ---
        ```swift bogus
        print("never run")
        ```
        """

    /// Each learner's body for `double`, in place of the learner's version's `todo()`.
    static let answers = ["right": "    return 2 * x", "wrong": "    return x + 1"]

    /// The course (the lesson `course` as its first) and the class folder, in a fresh temporary folder.
    struct Fixture {
        let root: TemporaryDirectory
        var lessons: URL { root.url.appendingPathComponent("Lessons", isDirectory: true) }
        var classFolder: URL { root.url.appendingPathComponent("class", isDirectory: true) }
        var results: URL { root.url.appendingPathComponent("Grades", isDirectory: true) }

        init(course: String = ClassGradingTests.lesson) throws {
            root = try TemporaryDirectory(prefix: "class-grading")
            try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
            for (name, text) in [("01-double.md", course), ("02-broken.md", broken), ("03-notes.md", notes)] {
                try text.write(to: lessons.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            // The learners answer the lesson as released, whatever the course's solution.
            let reference = try LessonParser().parse(text: ClassGradingTests.lesson, displayPath: "01-double.md",
                                                     fileURL: lessons.appendingPathComponent("01-double.md"), slug: "01-double").get()
            let released = LearnerVersion.make(from: reference, text: ClassGradingTests.lesson)
            for (learner, answer) in answers {
                let folder = classFolder.appendingPathComponent(learner, isDirectory: true)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let answered = released.replacingOccurrences(of: "    todo()  // write your solution here", with: answer)
                #expect(answered != released)
                try answered.write(to: folder.appendingPathComponent("01-double.md"), atomically: true, encoding: .utf8)
            }
        }

        func load(_ requests: [String]) throws -> GradingCourse {
            let course = try Course(directory: lessons)
            return try GradingCourse(course: course, files: course.select(requests))
        }

        func grading(_ course: GradingCourse) throws -> ClassGrading {
            try ClassGrading(course: course, sandbox: .none, memoryLimit: 4096 << 20, outputLimit: 1 << 20,
                             timeout: 60, jobs: 2)
        }
    }

    @Test func aClassOfTwoIsGradedAndItsResultsWritten() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let course = try fixture.load(["1"])
        let grading = try fixture.grading(course)
        try grading.verifyReferences()
        let roll = try ClassRoll(folder: fixture.classFolder)
        #expect(roll.submissions.map(\.learner) == ["right", "wrong"])

        // Reported from the workers; checked here, on the test's own task.
        let reported = Mutex<[String]>([])
        let graded = grading.grade(roll) { done, total in
            reported.withLock { $0.append("\(done)/\(total)") }
        }
        #expect(reported.withLock { $0.sorted() } == ["1/2", "2/2"])

        #expect(graded.lessons.map(\.slug) == ["01-double"])
        #expect(graded.grades.map(\.learner) == ["right", "wrong"])
        #expect(graded.grades.map(\.score) == [3, 0])
        #expect(graded.grades.map(\.maxScore) == [3, 3])
        #expect(graded.grades.allSatisfy { $0.sandbox == SandboxChoice.none })
        let right = graded.grades[0].checks, wrong = graded.grades[1].checks
        #expect(right.map(\.score) == [2, 1] && right.map(\.reason) == ["", ""])
        #expect(wrong.map(\.score) == [0, 0])
        #expect(wrong.map(\.reason) == ["wrong/01-double.md:16: expected 6, got 4", "wrong/01-double.md:20: expected -8, got -3"])
        #expect(wrong.map(\.hidden) == [false, true])
        #expect(graded.learners.allSatisfy { $0.reports.count == 1 && $0.reports[0] != nil })

        let folder = GradingResultsFolder(fixture.results)
        try folder.prepare()
        try folder.write(graded, roster: nil)
        #expect(try GradeFiles.readGrades(from: fixture.results.appendingPathComponent(GradeFiles.gradesFile)) == graded.grades)
        let feedback = try String(contentsOf: fixture.results.appendingPathComponent("learners/wrong/feedback/index.html"),
                                  encoding: .utf8)
        #expect(feedback.contains("Feedback for wrong: 0/3 points"))
        // A folder that holds grading results is reused.
        try folder.prepare()
    }

    @Test func aReferenceThatFailsItsOwnChecksStopsGradingBeforeAnyLearner() throws {
        let fixture = try Fixture(course: Self.lesson.replacingOccurrences(of: "return 2 * x", with: "return 3 * x"))
        defer { fixture.root.remove() }
        let grading = try fixture.grading(try fixture.load(["01-double"]))
        let problem = #expect(throws: GradingProblem.self) { try grading.verifyReferences() }
        guard case .referenceFailsItsChecks(let displayPath, let slug, let failingCells) = problem else {
            Issue.record("expected the reference's failing checks, got \(String(describing: problem))")
            return
        }
        #expect(displayPath.hasSuffix("Lessons/01-double.md"))
        #expect(slug == "01-double")
        #expect(failingCells == [15, 19])   // both checks: 3 * 3 is not 6, 3 * -4 is not -8
        #expect(problem?.description.hasSuffix("run 'cuaderno check 01-double' and fix it first") == true)
    }

    @Test func aLessonFileWithMistakesIsNamedWithItsLine() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let problem = #expect(throws: GradingProblem.self) { try fixture.load(["1", "2"]) }
        guard case .lessonHasMistakes(let displayPath, let errors) = problem else {
            Issue.record("expected the lesson's mistakes, got \(String(describing: problem))")
            return
        }
        #expect(displayPath.hasSuffix("Lessons/02-broken.md"))
        #expect(errors.errors.map(\.file) == [displayPath])
        #expect(errors.errors.map(\.line) == [4])
        #expect(problem?.description.hasPrefix("the course's lesson \(displayPath) has mistakes:\n\(displayPath):4:") == true)
    }

    @Test func aLessonWithoutChecksIsLeftOutAndNoneLeftIsAProblem() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        #expect(try fixture.load(["3", "1"]).lessons.map(\.slug) == ["01-double"])
        let problem = #expect(throws: GradingProblem.self) { try fixture.load(["3"]) }
        guard case .noChecks = problem else {
            Issue.record("expected no checks to grade with, got \(String(describing: problem))")
            return
        }
    }

    @Test func theRollTakesTheShardsLearnersAndChecksEveryoneAgainstTheRoster() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let roster = try Roster(text: "folder,email\nright,r@uni.example\nwrong,w@uni.example\nabsent,a@uni.example\n",
                                path: "roster.csv")
        #expect(try ClassRoll(folder: fixture.classFolder, roster: roster).absentLearners == ["absent"])

        // Two shards take every learner once between them.
        let halves = try [1, 2].map { try ClassRoll(folder: fixture.classFolder, shard: Shard(index: $0, count: 2)) }
        #expect(halves.flatMap { $0.submissions.map(\.learner) }.sorted() == ["right", "wrong"])

        // A learner the roster lacks stops the run, whichever shard they are in.
        let partial = try Roster(text: "folder,email\nright,r@uni.example\n", path: "roster.csv")
        for shard in [Shard(index: 1, count: 2), Shard(index: 2, count: 2)] {
            let problem = #expect(throws: GradingProblem.self) {
                try ClassRoll(folder: fixture.classFolder, shard: shard, roster: partial)
            }
            guard case .roster(let rosterError) = problem else {
                Issue.record("expected the roster's missing learner, got \(String(describing: problem))")
                continue
            }
            #expect(rosterError.description.contains("no row for the class folder 'wrong'"))
        }

        // A results folder holding someone's own files is refused.
        try FileManager.default.createDirectory(at: fixture.results, withIntermediateDirectories: true)
        try "mine".write(to: fixture.results.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let refused = #expect(throws: GradingProblem.self) { try GradingResultsFolder(fixture.results).prepare() }
        guard case .resultsFolderHoldsOtherFiles(let folder) = refused else {
            Issue.record("expected the folder of someone's files to be refused, got \(String(describing: refused))")
            return
        }
        #expect(folder == fixture.results)
    }
}
