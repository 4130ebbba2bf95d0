import Foundation

/// What a class's grades say about the course: for each lesson, how the scores spread; for each
/// check, how many passed, whether passing it goes with doing well on the rest of the lesson, and
/// why the others failed, grouped by cause; who did not submit; and the checks nobody passes,
/// which point at a mistake in the check or the lesson rather than in the learners.
///
/// Computed from the grades alone (`grades.json`), so a merged grading gets the same report as
/// one run. Learners who did not submit a lesson are left out of its statistics and listed.
public struct ItemAnalysis: Sendable, Codable, Equatable {
    /// How many learners were graded (those with a folder in the class).
    public var learners: Int
    /// Learners of the roster with no folder in the class, in the roster's order (empty without one).
    public var absentLearners: [String]
    public var lessons: [LessonAnalysis]

    public init(_ grades: [LearnerGrade], absentLearners: [String] = []) {
        learners = grades.count
        self.absentLearners = absentLearners
        let lessonIDs = grades.first?.lessons.map(\.lesson) ?? []
        lessons = lessonIDs.indices.map { position in
            LessonAnalysis(grades.map { ($0.learner, $0.lessons[position]) }, absentLearners: absentLearners)
        }
    }
}

/// One lesson across the class.
public struct LessonAnalysis: Sendable, Codable, Equatable {
    public var lesson: String
    public var title: String
    public var maxScore: Int
    /// How many learners handed the lesson in.
    public var submitted: Int
    /// Learners who did not hand it in: no file for it in their folder, or no folder at all.
    public var notSubmitted: [String]
    /// `scoreCounts[s]`: how many of those who submitted scored `s` points (0…maxScore).
    public var scoreCounts: [Int]
    /// The mean and median score of those who submitted (nil when nobody did).
    public var meanScore: Double?
    public var medianScore: Double?
    public var checks: [CheckAnalysis]

    init(_ grades: [(learner: String, grade: LessonGrade)], absentLearners: [String]) {
        let first = grades.first?.grade
        lesson = first?.lesson ?? ""
        title = first?.title ?? ""
        maxScore = first?.maxScore ?? 0
        let handedIn = grades.filter { !$0.grade.checks.contains { $0.cause?.kind == .notSubmitted } }
        submitted = handedIn.count
        notSubmitted = grades.filter { entry in !handedIn.contains { $0.learner == entry.learner } }.map(\.learner)
            + absentLearners
        var counts = Array(repeating: 0, count: maxScore + 1)
        for entry in handedIn { counts[min(max(entry.grade.score, 0), maxScore)] += 1 }
        scoreCounts = counts
        let scores = handedIn.map { Double($0.grade.score) }.sorted()
        meanScore = scores.isEmpty ? nil : scores.reduce(0, +) / Double(scores.count)
        medianScore = scores.isEmpty ? nil
            : scores.count % 2 == 1 ? scores[scores.count / 2] : (scores[scores.count / 2 - 1] + scores[scores.count / 2]) / 2
        checks = (first?.checks.indices ?? 0..<0).map { position in
            CheckAnalysis(handedIn.map { ($0.learner, $0.grade.checks[position], $0.grade.score) })
        }
    }
}

/// One check across the learners who submitted its lesson.
public struct CheckAnalysis: Sendable, Codable, Equatable {
    /// `01-self-attention/causal-mask/2`.
    public var name: String
    public var hidden: Bool
    public var points: Int
    public var passed: Int
    /// How many learners it was run for (those who submitted the lesson).
    public var attempted: Int
    /// `passed ÷ attempted` (nil when nobody submitted).
    public var passRate: Double?
    /// The corrected item–total correlation: the correlation, over the learners, between passing
    /// this check (1 or 0) and their score on the rest of the lesson. Near 1, the check separates
    /// those who understood the lesson from those who did not; near 0 or below, it measures
    /// something else (often a check that is too easy, too hard, or wrong). Nil when either side
    /// does not vary (everyone passed, or everyone scored the same on the rest).
    public var discrimination: Double?
    /// Whether every learner who submitted fails it: a sign the check or the lesson is wrong.
    public var everyoneFails: Bool
    /// The failures, grouped by cause, the largest group first.
    public var failures: [FailureCluster]

    init(_ results: [(learner: String, check: CheckGrade, lessonScore: Int)]) {
        let check = results.first?.check
        name = check?.name ?? ""
        hidden = check?.hidden ?? false
        points = check?.points ?? 0
        attempted = results.count
        passed = results.filter(\.check.passed).count
        passRate = attempted == 0 ? nil : Double(passed) / Double(attempted)
        everyoneFails = attempted > 0 && passed == 0
        discrimination = Self.correlation(results.map { $0.check.passed ? 1 : 0 },
                                          results.map { Double($0.lessonScore - $0.check.score) })

        var groups: [FailureCause: [(learner: String, reason: String)]] = [:]
        var order: [FailureCause] = []
        for result in results where !result.check.passed {
            let cause = result.check.cause
                ?? FailureCause(kind: .expectation, summary: FailureCause.headline(of: result.check.reason))
            if groups[cause] == nil { order.append(cause) }
            groups[cause, default: []].append((result.learner, result.check.reason))
        }
        let runs = max(results.count, 1)
        failures = order.map { cause in
            let members = groups[cause]!
            return FailureCluster(cause: cause, count: members.count,
                                  share: Double(members.count) / Double(runs),
                                  learners: members.map(\.learner),
                                  exampleLearner: members[0].learner, example: members[0].reason)
        }
        // Largest first; among equals, the order learners are listed in (by name), which is
        // the order the groups were met in.
        .enumerated().sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }.map(\.element)
    }

    /// Pearson's correlation of two equally long series; nil when either is constant.
    static func correlation(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count >= 2 else { return nil }
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n, meanY = y.reduce(0, +) / n
        var covariance = 0.0, varianceX = 0.0, varianceY = 0.0
        for (a, b) in zip(x, y) {
            covariance += (a - meanX) * (b - meanY)
            varianceX += (a - meanX) * (a - meanX)
            varianceY += (b - meanY) * (b - meanY)
        }
        guard varianceX > 0, varianceY > 0 else { return nil }
        return covariance / (varianceX * varianceY).squareRoot()
    }
}

/// The learners who failed a check for the same cause.
public struct FailureCluster: Sendable, Codable, Equatable {
    public var cause: FailureCause
    public var count: Int
    /// `count` as a share of the learners the check was run for.
    public var share: Double
    /// The learners, by name.
    public var learners: [String]
    /// The first of them, and the whole reason their feedback gave: one representative message.
    public var exampleLearner: String
    public var example: String
}
