import Foundation
import LessonEngine

/// A reason grading cannot go on — found before any learner is graded, or while joining shards'
/// results — as a value a caller can act on; `cuaderno grade` prints its ``description`` and exits
/// with status 2.
///
/// What a learner's submission does wrong is never a problem here: that is a grade of 0 with its
/// reason (``SubmissionGrader``).
public enum GradingProblem: Error, Sendable, CustomStringConvertible {
    /// A chosen lesson's file has mistakes, in the author's version or in the learner's version
    /// made from it; each mistake names the file and the line.
    case lessonHasMistakes(displayPath: String, errors: LessonErrors)
    /// None of the chosen lessons has a check to grade with.
    case noChecks
    /// The bubblewrap sandbox cannot be made on this machine.
    case sandboxUnavailable(SandboxUnavailable)
    /// The class folder cannot be listed; `reason` is the file system's.
    case unreadableClassFolder(URL, reason: String)
    /// The roster cannot be read, or lacks a learner of the class.
    case roster(RosterError)
    /// The results folder cannot be made; `reason` is the file system's.
    case unmakeableResultsFolder(URL, reason: String)
    /// The results folder already holds files that are not an earlier grading's results.
    case resultsFolderHoldsOtherFiles(URL)
    /// A lesson's reference could not be run at all (no compiler, unwritable folder…).
    case referenceCannotRun(displayPath: String, failure: String)
    /// A lesson's reference solutions do not pass its own checks; `failingCells` are the fence
    /// lines of the cells that failed.
    case referenceFailsItsChecks(displayPath: String, slug: String, failingCells: [Int])
    /// A shard's `grades.json` cannot be read; `reason` is the file system's or the decoder's.
    case unreadableShardResults(file: URL, reason: String)
    /// One learner was graded by two shards.
    case learnerInTwoShards(learner: String, first: URL, second: URL)
    /// Two shards were graded against different checks.
    case shardsGradedAgainstOtherChecks(shard: URL, other: URL)

    public var description: String {
        switch self {
        case .lessonHasMistakes(let displayPath, let errors):
            "the course's lesson \(displayPath) has mistakes:\n\(errors)"
        case .noChecks:
            "the lessons chosen have no checks to grade with"
        case .sandboxUnavailable(let unavailable):
            unavailable.description
        case .unreadableClassFolder(let folder, let reason):
            "cannot read the class folder \(folder.path): \(reason)"
        case .roster(let error):
            error.description
        case .unmakeableResultsFolder(let folder, let reason):
            "cannot make the results folder \(folder.path): \(reason)"
        case .resultsFolderHoldsOtherFiles(let folder):
            "the results folder \(folder.path) already holds files that are not grading results; choose another with --output"
        case .referenceCannotRun(let displayPath, let failure):
            "cannot run \(displayPath): \(failure)"
        case .referenceFailsItsChecks(let displayPath, let slug, _):
            "the course's own \(displayPath) does not pass its checks with its reference solutions; run 'cuaderno check \(slug)' and fix it first"
        case .unreadableShardResults(let file, let reason):
            "cannot read \(file.path): \(reason); is it a grading run's results folder?"
        case .learnerInTwoShards(let learner, let first, let second):
            "\(learner) was graded in both \(first.path) and \(second.path)"
        case .shardsGradedAgainstOtherChecks(let shard, let other):
            "\(shard.path) was graded against other checks than \(other.path)"
        }
    }
}
