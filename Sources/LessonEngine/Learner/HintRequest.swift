/// What `cuaderno hint N [--check ID]` has to say.
public enum HintAnswer: Sendable, Equatable {
    /// The next tier of a failing check, now recorded as seen: tier `number` of `count`.
    case tier(CheckReference, line: Int, number: Int, count: Int, text: String)
    /// The learner has seen every tier of the check; they are repeated.
    case allSeen(CheckReference, line: Int, tiers: [String])
    /// The failing check has no hints: what failed is all there is.
    case noHints(CheckReference, line: Int)
    /// The exercise still has `todo()`: the learner tries first, and no hint is shown.
    case tryFirst(exercise: String, line: Int)
    /// The lesson has not been run, or not since the exercise was written: run it first.
    case runFirst
    /// Every check asked about passed in the last run (the one named, when one was).
    case passed(CheckReference?)
}

/// A `--check` that names no check of the lesson.
public struct HintRequestProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// Answers `cuaderno hint`: picks the check, and shows its next unseen tier once the learner has
/// tried and failed.
public enum HintRequest {
    /// The answer for the learner's lesson as it is now, given its last run and the tiers seen,
    /// and records a newly shown tier in `hints`.
    ///
    /// - Parameters:
    ///   - lesson: the learner's copy as it is now (its hints, and whether `todo()` is still there).
    ///   - record: the lesson's last run, which says which checks failed; nil when never run.
    ///   - hints: the tiers seen of each check of the lesson.
    ///   - request: an exercise id (its first failing check) or a check (`causal-mask/2`); nil
    ///     for the first failing check that still has a tier to show.
    public static func answer(lesson: Lesson, record: WorkbookProgress.LessonRecord?,
                              hints: inout [CheckReference: HintRecord], check request: String?)
        throws(HintRequestProblem) -> HintAnswer
    {
        let candidates = try select(request, in: lesson)
        guard let record else { return .runFirst }
        let lastRun = Dictionary(record.referencedChecks.map { ($0.reference, $0.check) }, uniquingKeysWith: { first, _ in first })
        if candidates.contains(where: { lastRun[$0.reference] == nil }) { return .runFirst }
        let failing = candidates.filter { lastRun[$0.reference]?.passed == false }
        guard let firstFailing = failing.first else {
            return .passed(candidates.count == 1 && request != nil ? candidates[0].reference : nil)
        }
        let notDone = LearnerVersion.exercisesNotDone(in: lesson)
        let attempted = failing.filter { !notDone.contains($0.check.exercise) }
        guard !attempted.isEmpty else {
            let exercise = firstFailing.check.exercise
            let line = lesson.cells.first { $0.kind == .exercise && $0.id == exercise }?.fenceLine ?? firstFailing.cell.fenceLine
            return .tryFirst(exercise: exercise, line: line)
        }
        // Failed as "not done yet" last time, and written since: the run has not seen the attempt.
        let ran = attempted.filter { lastRun[$0.reference]?.notDone != true }
        guard let firstRan = ran.first else { return .runFirst }

        let hinted = ran.filter { !$0.check.hints.isEmpty }
        let unseen = hinted.first { (hints[$0.reference]?.tiersSeen ?? 0) < $0.check.hints.count }
        guard let chosen = unseen ?? hinted.first else {
            return .noHints(firstRan.reference, line: firstRan.cell.fenceLine)
        }
        let tiers = chosen.check.hints
        var seen = hints[chosen.reference] ?? HintRecord()
        guard seen.tiersSeen < tiers.count else {
            return .allSeen(chosen.reference, line: chosen.cell.fenceLine, tiers: tiers)
        }
        seen.tiersSeen += 1
        hints[chosen.reference] = seen
        return .tier(chosen.reference, line: chosen.cell.fenceLine, number: seen.tiersSeen, count: tiers.count,
                     text: tiers[seen.tiersSeen - 1])
    }

    /// The checks a request names, in lesson order.
    static func select(_ request: String?, in lesson: Lesson)
        throws(HintRequestProblem) -> [(reference: CheckReference, cell: Cell, check: Cell.Check)]
    {
        let checks = lesson.referencedChecks
        guard let request else { return checks }
        let named = checks.filter { $0.reference.description == request || $0.check.exercise == request }
        guard named.isEmpty else { return named }
        let exercises = lesson.cells.filter { $0.kind == .exercise }.compactMap(\.id)
        let listed = checks.map { "\($0.reference) (line \($0.cell.fenceLine))" }
        throw HintRequestProblem(description: """
            \(lesson.displayPath): error: no check '\(request)' in this lesson. Name an exercise \
            (\(exercises.joined(separator: ", "))) or one of its checks: \(listed.joined(separator: ", ")).
            """)
    }
}
