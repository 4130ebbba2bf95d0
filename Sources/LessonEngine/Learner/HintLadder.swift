import Foundation

/// What a learner has been shown of one check's hints, kept in the workbook's progress file.
public struct HintRecord: Codable, Sendable, Equatable {
    /// How many of the check's tiers, from the first, the learner has seen.
    public var tiersSeen: Int
    /// A fingerprint of the exercise's code the last time this check failed on the learner's own
    /// attempt (not while `todo()` was there); nil until then.
    public var failedAttempt: String?

    public init(tiersSeen: Int = 0, failedAttempt: String? = nil) {
        self.tiersSeen = tiersSeen
        self.failedAttempt = failedAttempt
    }
}

/// What a learner may see of one failing check's hints after a run.
public struct HintOffer: Sendable, Equatable {
    public var reference: CheckReference
    /// The check's tiers, all of them (the learner sees the first ``seen``).
    public var tiers: [String]
    /// How many tiers the learner has seen, counting one this run revealed.
    public var seen: Int
    /// This run revealed tier number ``seen``: the check failed again on an edited attempt.
    public var revealedNow: Bool
    /// The exercise still has `todo()`: nothing about hints is said until the learner tries.
    public var notDone: Bool

    /// Tiers the learner has not seen yet.
    public var remaining: Int { max(0, tiers.count - seen) }
    /// The tiers the learner has seen, in order.
    public var seenTiers: ArraySlice<String> { tiers.prefix(seen) }
}

/// How hint tiers come to a learner: one at a time, and only after an attempt.
///
/// - A check that fails while its exercise still has `todo()` reveals nothing ("not done yet").
/// - A check that fails on the learner's own code offers its next tier on demand
///   (`cuaderno hint N`), which records it as seen.
/// - `run` itself reveals the next tier only when the check fails again on an *edited* attempt:
///   it failed in an earlier run with other code in the exercise. Running the same code again
///   reveals nothing new.
public enum HintLadder {
    /// Updates `records` after a learner's run of a lesson and returns what to say about the
    /// hints of each failing check that has any, in the lesson's order.
    public static func afterRun(_ report: LessonReport, records: inout [CheckReference: HintRecord]) -> [HintOffer] {
        let notDone = LearnerVersion.exercisesNotDone(in: report.lesson)
        let results = Dictionary(report.checks.map { ($0.cell.index, $0) }, uniquingKeysWith: { first, _ in first })
        var offers: [HintOffer] = []
        for (reference, cell, check) in report.lesson.referencedChecks {
            guard let result = results[cell.index], !result.passed, !check.hints.isEmpty else { continue }
            var record = records[reference] ?? HintRecord()
            record.tiersSeen = min(record.tiersSeen, check.hints.count)
            if notDone.contains(check.exercise) {
                offers.append(HintOffer(reference: reference, tiers: check.hints, seen: record.tiersSeen,
                                        revealedNow: false, notDone: true))
                continue
            }
            let attempt = fingerprint(ofExercise: check.exercise, in: report.lesson)
            var revealed = false
            if let earlier = record.failedAttempt, earlier != attempt, record.tiersSeen < check.hints.count {
                record.tiersSeen += 1
                revealed = true
            }
            record.failedAttempt = attempt
            records[reference] = record
            offers.append(HintOffer(reference: reference, tiers: check.hints, seen: record.tiersSeen,
                                    revealedNow: revealed, notDone: false))
        }
        return offers
    }

    /// The offer `cuaderno hint N` answers when no check is named: the first failing check of an
    /// attempted exercise that still has a tier to show.
    public static func defaultOffer(_ offers: [HintOffer]) -> HintOffer? {
        offers.first { !$0.notDone && $0.remaining > 0 }
    }

    /// A fingerprint of an exercise cell's code, to tell a new attempt from the same one run again.
    static func fingerprint(ofExercise id: String, in lesson: Lesson) -> String {
        let code = lesson.cells.first { $0.kind == .exercise && $0.id == id }?.code ?? ""
        return Fingerprint.of(Data(code.utf8))
    }
}
