import Foundation

/// What the learner's runs found, kept in the workbook (`Workbook/.cuaderno/progress.json`) so
/// that it survives restarts.
///
/// Progress is only ever derived from real runs: `cuaderno run` and `cuaderno watch` record the
/// checks of the lesson they ran, with a fingerprint of the file as it was run, so that
/// `cuaderno status` can tell a result from a file edited since. Beside the runs it keeps which
/// hint tiers the learner has seen (``hints``), which `cuaderno hint` and `run` add to.
///
/// Files written before hints had tiers (no `hints`, checks without `notDone`) still load.
public struct WorkbookProgress: Codable, Sendable, Equatable {
    /// The progress file's path inside the workbook.
    public static let relativePath = ".cuaderno/progress.json"

    /// The last run of one lesson.
    public struct LessonRecord: Codable, Sendable, Equatable {
        /// The fingerprint of the lesson file as it was run.
        public var fingerprint: String
        /// Why the lesson itself could not run (its file has mistakes, a cell other than an
        /// exercise failed, the machinery failed); nil when it ran.
        public var problem: String?
        /// Every check cell, in order.
        public var checks: [CheckRecord]
        /// The number of mistakes in the lesson file when it could not be read (0 when it ran).
        public var mistakesInFile: Int
        /// Cells that ran as intended, and cells whose code failed.
        public var cellsSucceeded: Int
        public var cellsFailed: Int

        public var earned: Int { checks.filter(\.passed).reduce(0) { $0 + $1.points } }
        /// Each check with its reference (`causal-mask/2`), in order.
        public var referencedChecks: [(reference: CheckReference, check: CheckRecord)] {
            Array(zip(CheckReference.numbering(checks.map(\.exercise)), checks))
        }
        public var failingChecks: Int { checks.filter { !$0.passed }.count }
        /// Every check passed and the lesson ran.
        public var isDone: Bool { problem == nil && !checks.isEmpty && failingChecks == 0 }
    }

    /// One check's result in a run.
    public struct CheckRecord: Codable, Sendable, Equatable {
        /// The exercise it checks.
        public var exercise: String
        /// The line of its opening fence.
        public var line: Int
        public var points: Int
        public var passed: Bool
        /// The check failed while its exercise still had `todo()`: "not done yet", not a wrong
        /// answer. Nil in files written before it was recorded.
        public var notDone: Bool?

        public init(exercise: String, line: Int, points: Int, passed: Bool, notDone: Bool? = nil) {
            self.exercise = exercise
            self.line = line
            self.points = points
            self.passed = passed
            self.notDone = notDone
        }
    }

    /// The last run of each lesson, by file name (`01-self-attention.md`).
    public var lessons: [String: LessonRecord] = [:]
    /// What the learner has been shown of each check's hints, by lesson file name, then check.
    /// Unlike ``lessons`` it is not replaced by each run: a tier once seen stays seen.
    public var hints: [String: [CheckReference: HintRecord]] = [:]

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case lessons, hints
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lessons = try container.decode([String: LessonRecord].self, forKey: .lessons)
        hints = try container.decodeIfPresent([String: [CheckReference: HintRecord]].self, forKey: .hints) ?? [:]
    }

    /// The progress file of the workbook at `workbook`.
    public static func fileURL(in workbook: URL) -> URL {
        workbook.appendingPathComponent(relativePath)
    }

    /// Reads the workbook's progress; empty when no lesson has been run yet.
    ///
    /// A progress file that cannot be read is an error that names it, never silently replaced.
    public static func load(from workbook: URL) throws(ProgressFileProblem) -> WorkbookProgress {
        let url = fileURL(in: workbook)
        guard FileManager.default.fileExists(atPath: url.path) else { return WorkbookProgress() }
        do {
            return try JSONDecoder().decode(WorkbookProgress.self, from: Data(contentsOf: url))
        } catch {
            throw ProgressFileProblem(path: url.path, reason: "\(error)")
        }
    }

    /// Writes the progress file atomically.
    public func save(to workbook: URL) throws {
        let encoder = JSONEncoder()
        // Unescaped slashes keep check names (`causal-mask/2`) and paths readable.
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicFile.write(try encoder.encode(self), to: Self.fileURL(in: workbook))
    }

    /// Records the outcome of running the lesson file `name` whose contents were `contents`.
    public mutating func record(_ outcome: LessonOutcome, name: String, contents: Data) {
        lessons[name] = Self.record(of: outcome, contents: contents)
    }

    /// What a run leaves in the progress file.
    static func record(of outcome: LessonOutcome, contents: Data) -> LessonRecord {
        switch outcome {
        case .invalid(_, _, let errors):
            return LessonRecord(fingerprint: Fingerprint.of(contents),
                                problem: errors.errors.first.map(\.description) ?? "the lesson file has mistakes",
                                checks: [], mistakesInFile: errors.errors.count, cellsSucceeded: 0, cellsFailed: 0)
        case .ran(let report):
            let notDone = LearnerVersion.exercisesNotDone(in: report.lesson)
            let checks = report.checks.map { check in
                CheckRecord(exercise: check.check.exercise, line: check.cell.fenceLine, points: check.points,
                            passed: check.passed, notDone: !check.passed && notDone.contains(check.check.exercise))
            }
            // A check with a failed expectation is counted among the checks, not the failed cells.
            let failedCells = report.cells.filter { result in
                if case .failed = result.status { return true }
                return false
            }.count
            let succeededCells = report.cells.filter { result in
                switch result.status {
                case .succeeded, .failedAsExpected: true
                default: false
                }
            }.count
            return LessonRecord(fingerprint: Fingerprint.of(contents), problem: LearnerRun.problem(in: report),
                                checks: checks, mistakesInFile: 0, cellsSucceeded: succeededCells, cellsFailed: failedCells)
        }
    }
}

/// A progress file that exists but cannot be read.
public struct ProgressFileProblem: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public var description: String {
        "\(path): error: the progress file cannot be read (\(reason)). It only holds the results of your "
            + "runs: move it away and run your lessons again to rebuild it."
    }
}

/// How a learner's run of a lesson went, for the exit status of `cuaderno run`.
public enum LearnerRun {
    /// The exit status of `cuaderno run`: 0 when every check passed, 1 when any failed,
    /// 2 when the lesson itself could not run.
    public static func exitStatus(of outcome: LessonOutcome) -> Int32 {
        switch outcome {
        case .invalid:
            return 2
        case .ran(let report):
            if problem(in: report) != nil { return 2 }
            return report.checks.allSatisfy(\.passed) ? 0 : 1
        }
    }

    /// Why a lesson that ran could not be worked through: the machinery failed, or a cell that
    /// is neither an exercise nor a check failed (those two are the learner's work and show up
    /// as failing checks). Nil when the lesson itself ran.
    public static func problem(in report: LessonReport) -> String? {
        if let machinery = report.machineryFailure { return machinery }
        let broken = report.cells.first { result in
            result.isUnexpectedFailure && result.cell.kind != .exercise && result.cell.kind != .check
        }
        guard let broken, case .failed(let failure) = broken.status else { return nil }
        return "the cell at line \(broken.cell.fenceLine) failed (\(failure.kind.rawValue)):\n\(failure.message)"
    }
}
