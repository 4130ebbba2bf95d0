import Foundation

/// The grade of one check for one learner.
public struct CheckGrade: Sendable, Codable, Equatable {
    /// The lesson's slug (`01-self-attention`).
    public var lesson: String
    public var exercise: String
    /// The position of this check among its exercise's checks, from 1.
    public var number: Int
    public var hidden: Bool
    public var points: Int
    public var score: Int
    /// Why it scored 0: the failed expectations, or what stopped it (empty when it passed).
    public var reason: String
    /// The reason as the item-analysis report groups it (nil when it passed, and in results
    /// written before the report existed).
    public var cause: FailureCause?
    /// What the check printed (kept short), for the learner's feedback; empty for hidden checks.
    public var output: String
    /// The check's hint tiers (nudge first), for the learner's feedback.
    public var hints: [String]

    public var passed: Bool { score == points && reason.isEmpty }

    /// `01-self-attention/causal-mask/2`: the gradebook's column for this check.
    public var name: String { "\(lesson)/\(exercise)/\(number)" }

    public init(lesson: String, exercise: String, number: Int, hidden: Bool, points: Int, score: Int,
                reason: String, cause: FailureCause? = nil, output: String, hints: [String] = []) {
        self.lesson = lesson
        self.exercise = exercise
        self.number = number
        self.hidden = hidden
        self.points = points
        self.score = score
        self.reason = reason
        self.cause = cause
        self.output = output
        self.hints = hints
    }

    private enum CodingKeys: String, CodingKey {
        case lesson, exercise, number, hidden, points, score, reason, cause, output, hints
        /// Results written before hints had tiers hold one optional `hint`.
        case hint
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lesson = try container.decode(String.self, forKey: .lesson)
        exercise = try container.decode(String.self, forKey: .exercise)
        number = try container.decode(Int.self, forKey: .number)
        hidden = try container.decode(Bool.self, forKey: .hidden)
        points = try container.decode(Int.self, forKey: .points)
        score = try container.decode(Int.self, forKey: .score)
        reason = try container.decode(String.self, forKey: .reason)
        cause = try container.decodeIfPresent(FailureCause.self, forKey: .cause)
        output = try container.decode(String.self, forKey: .output)
        if let tiers = try container.decodeIfPresent([String].self, forKey: .hints) {
            hints = tiers
        } else {
            hints = try container.decodeIfPresent(String.self, forKey: .hint).map { [$0] } ?? []
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(lesson, forKey: .lesson)
        try container.encode(exercise, forKey: .exercise)
        try container.encode(number, forKey: .number)
        try container.encode(hidden, forKey: .hidden)
        try container.encode(points, forKey: .points)
        try container.encode(score, forKey: .score)
        try container.encode(reason, forKey: .reason)
        try container.encodeIfPresent(cause, forKey: .cause)
        try container.encode(output, forKey: .output)
        try container.encode(hints, forKey: .hints)
    }
}

/// One learner's grades for one lesson.
public struct LessonGrade: Sendable, Codable, Equatable {
    public var lesson: String
    public var title: String
    public var checks: [CheckGrade]

    public var score: Int { checks.reduce(0) { $0 + $1.score } }
    public var maxScore: Int { checks.reduce(0) { $0 + $1.points } }

    public init(lesson: String, title: String, checks: [CheckGrade]) {
        self.lesson = lesson
        self.title = title
        self.checks = checks
    }
}

/// One learner's grades for the whole course.
public struct LearnerGrade: Sendable, Codable, Equatable {
    public var learner: String
    public var lessons: [LessonGrade]
    /// Where this learner's programs ran: `bwrap` (the sandbox) or `none` (with the grader's
    /// rights, `--sandbox none`); nil in results written before the sandbox existed.
    public var sandbox: SandboxChoice?

    public var checks: [CheckGrade] { lessons.flatMap(\.checks) }
    public var score: Int { lessons.reduce(0) { $0 + $1.score } }
    public var maxScore: Int { lessons.reduce(0) { $0 + $1.maxScore } }

    public init(learner: String, lessons: [LessonGrade], sandbox: SandboxChoice? = nil) {
        self.learner = learner
        self.lessons = lessons
        self.sandbox = sandbox
    }
}
