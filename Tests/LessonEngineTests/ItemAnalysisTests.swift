import Foundation
import Testing
@testable import LessonEngine
@testable import SiteRenderer

/// The item analysis on a class made by hand, so every number can be worked out on paper:
/// eight learners, one lesson with five checks (7 points), one learner who handed nothing in and
/// one in the roster with no folder at all.
@Suite struct ItemAnalysisTests {
    static let wrongSix = FailureCause(kind: .expectation, line: 20, summary: "expected 6, got 4")
    static let notDone = FailureCause(kind: .checkStopped, summary: "runtime error: not done yet: replace todo() with your code")

    /// A check of lesson `01-x`, passed or failed for `cause`.
    static func check(_ exercise: String, _ number: Int, points: Int, hidden: Bool = false,
                      failing cause: FailureCause?, learner: String) -> CheckGrade {
        CheckGrade(lesson: "01-x", exercise: exercise, number: number, hidden: hidden, points: points,
                   score: cause == nil ? points : 0,
                   reason: cause.map { "\(learner)/01-x.md:\($0.line ?? 9): \($0.summary)" } ?? "",
                   cause: cause, output: "")
    }

    /// Which of the checks a, b1, b2, b3 each learner passes; c nobody passes.
    static let passes: [(String, [Bool])] = [
        ("l0", [true, true, true, true]), ("l1", [true, false, true, true]), ("l2", [true, false, true, false]),
        ("l3", [false, true, true, false]), ("l4", [false, true, false, false]), ("l5", [false, false, false, false]),
        ("l6", [true, true, true, true]),
    ]

    static var grades: [LearnerGrade] {
        var grades = passes.map { learner, passed in
            let failureOfA = learner == "l5" ? notDone : wrongSix
            let checks = [
                check("a", 1, points: 1, failing: passed[0] ? nil : failureOfA, learner: learner),
                check("b", 1, points: 1, failing: passed[1] ? nil : wrongSix, learner: learner),
                check("b", 2, points: 2, failing: passed[2] ? nil : wrongSix, learner: learner),
                check("b", 3, points: 2, hidden: true, failing: passed[3] ? nil : wrongSix, learner: learner),
                check("c", 1, points: 1, failing: FailureCause(kind: .expectation, line: 40, summary: "expected 1, got 2"), learner: learner),
            ]
            return LearnerGrade(learner: learner, lessons: [LessonGrade(lesson: "01-x", title: "X", checks: checks)], sandbox: .bwrap)
        }
        let none = FailureCause(kind: .notSubmitted, summary: "no 01-x.md in the learner's folder")
        grades.append(LearnerGrade(learner: "l7", lessons: [LessonGrade(lesson: "01-x", title: "X", checks: [
            check("a", 1, points: 1, failing: none, learner: "l7"), check("b", 1, points: 1, failing: none, learner: "l7"),
            check("b", 2, points: 2, failing: none, learner: "l7"), check("b", 3, points: 2, hidden: true, failing: none, learner: "l7"),
            check("c", 1, points: 1, failing: none, learner: "l7"),
        ])], sandbox: .bwrap))
        return grades
    }

    @Test func scoresSpreadOverThoseWhoSubmitted() throws {
        let analysis = ItemAnalysis(Self.grades, absentLearners: ["zed"])
        #expect(analysis.learners == 8)
        let lesson = try #require(analysis.lessons.first)
        #expect(lesson.maxScore == 7)
        #expect(lesson.submitted == 7)
        #expect(lesson.notSubmitted == ["l7", "zed"])
        // Totals: l0 6, l1 5, l2 3, l3 3, l4 1, l5 0, l6 6.
        #expect(lesson.scoreCounts == [1, 1, 0, 2, 0, 1, 2, 0])
        #expect(try abs(#require(lesson.meanScore) - 24.0 / 7.0) < 1e-12)
        #expect(lesson.medianScore == 3)
    }

    @Test func checksHaveTheirPassRateAndDiscrimination() throws {
        let lesson = try #require(ItemAnalysis(Self.grades).lessons.first)
        let a = lesson.checks[0]
        #expect(a.name == "01-x/a/1")
        #expect(a.passed == 4 && a.attempted == 7)
        #expect(a.passRate == 4.0 / 7.0)
        // Passing a (1 1 1 0 0 0 1) against the rest of the lesson (5 4 2 3 1 0 5):
        // numpy.corrcoef gives 0.7302967433402214.
        #expect(try abs(#require(a.discrimination) - 0.7302967433402214) < 1e-12)
        #expect(!a.everyoneFails)
        #expect(lesson.checks[3].hidden)

        let c = lesson.checks[4]
        #expect(c.passed == 0 && c.everyoneFails)
        #expect(c.discrimination == nil)   // nobody passes: nothing to correlate
    }

    @Test func failuresAreGroupedByCauseLargestFirst() throws {
        let a = try #require(ItemAnalysis(Self.grades).lessons.first?.checks.first)
        #expect(a.failures.map(\.cause) == [Self.wrongSix, Self.notDone])
        #expect(a.failures.map(\.count) == [2, 1])
        #expect(a.failures.map(\.learners) == [["l3", "l4"], ["l5"]])
        #expect(a.failures[0].share == 2.0 / 7.0)
        #expect(a.failures[0].exampleLearner == "l3")
        #expect(a.failures[0].example == "l3/01-x.md:20: expected 6, got 4")
    }

    @Test func gradesWrittenBeforeCausesAreGroupedByTheirFirstLine() throws {
        // (Without causes, a learner who handed nothing in cannot be told apart: leave l7 out.)
        var grades = Self.grades.filter { $0.learner != "l7" }
        for learner in grades.indices {
            for check in grades[learner].lessons[0].checks.indices { grades[learner].lessons[0].checks[check].cause = nil }
        }
        let a = try #require(ItemAnalysis(grades).lessons.first?.checks.first)
        // The learners' paths differ; the expectation's words are the same.
        #expect(a.failures.map(\.count) == [2, 1])
        #expect(a.failures[0].cause.summary == "expected 6, got 4")
    }

    @Test func aHeadlineLeavesOutWhereInTheLearnersFileItHappened() {
        #expect(FailureCause.headline(of: "Ana María/01-x.md:112:9: error: cannot convert 'String' to 'Int'\n  return x\n")
                == "cannot convert 'String' to 'Int'")
        #expect(FailureCause.headline(of: "\nbob/02-y.md:7: 4 of 16 values differ\nexpected:\n[1]") == "4 of 16 values differ")
        #expect(FailureCause.headline(of: "stopped: the lesson ran longer than its time limit")
                == "stopped: the lesson ran longer than its time limit")
    }

    @Test func theReportIsTheSameBytesEveryTimeAndSaysWhatMatters() {
        let analysis = ItemAnalysis(Self.grades, absentLearners: ["zed"])
        let page = GradeReportPage(analysis: analysis, sandbox: .bwrap).render()
        #expect(page == GradeReportPage(analysis: ItemAnalysis(Self.grades, absentLearners: ["zed"]), sandbox: .bwrap).render())
        #expect(page.contains("8 learners graded on 1 lesson; every program ran in the bubblewrap sandbox."))
        #expect(page.contains("Submitted by 7 of 9; mean 3.4, median 3.0 of 7 points."))
        #expect(page.contains("Did not submit: l7 and zed."))
        #expect(page.contains("Every learner who submitted fails 01-x/c/1"))
        #expect(page.contains("<strong>29 %</strong> (2 learners): line 20: expected 6, got 4"))
        #expect(page.contains("<td class=\"number\">0.73</td>"))
        #expect(page.contains("<svg"))
        #expect(!GradeReportPage(analysis: analysis, sandbox: SandboxChoice.none).render().contains("every program ran in the bubblewrap sandbox"))
        let json = String(decoding: GradeFiles.reportJSON(analysis), as: UTF8.self)
        #expect(json.contains("\"absentLearners\" : [\n    \"zed\"\n  ]"))
    }
}
