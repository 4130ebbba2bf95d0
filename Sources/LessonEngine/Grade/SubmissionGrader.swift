import Foundation

/// A course lesson made ready for grading: the reference lesson (with its hidden checks) and, for
/// each exercise, the placeholder cell of the learner's version, which stands in for an exercise
/// a submission lacks or that breaks the program.
public struct GradingLesson: Sendable {
    public var reference: Lesson
    /// Exercise id → the learner's-version cell (`todo()` in place of the solution).
    var placeholders: [String: Cell]

    /// Parses the lesson at `file` as the reference and makes its placeholders.
    public init(file: URL, displayPath: String) throws(LessonErrors) {
        let (reference, learner) = try LearnerVersion.lessons(file: file, displayPath: displayPath)
        self.reference = reference
        placeholders = Dictionary(learner.cells.compactMap { cell in
            cell.kind == .exercise ? cell.id.map { ($0, cell) } : nil
        }, uniquingKeysWith: { first, _ in first })
    }

    public var slug: String { reference.slug }
}

/// Why every check of one exercise scores 0: the exercise cell is missing or broke the program.
struct ExerciseProblem {
    /// What the learner reads.
    var reason: String
    /// What the report groups by.
    var cause: FailureCause
}

/// Grades one learner's copy of one lesson.
///
/// Only the learner's exercise cells are taken from the submission (matched by id) and put into
/// the reference lesson, so prose, setup cells and every check — hidden ones too — come from the
/// course. An exercise cell that does not compile or stops the program is replaced by the
/// learner's-version placeholder and the lesson runs again, so that one broken exercise costs
/// only its own checks. The program runs in a fresh temporary folder holding a copy of the
/// course's `data/` folder, with the executor's time, memory and output limits.
public struct SubmissionGrader: Sendable {
    public var executor: LessonExecutor
    /// Seconds per lesson (nil: the lesson's own, else 60).
    public var timeout: Double?
    /// The course's `data/` folder, copied into each run's folder when it exists.
    public var dataDirectory: URL?
    /// Characters of a check's printed output kept for the feedback.
    public static let outputKept = 2_000

    public init(executor: LessonExecutor, timeout: Double?, dataDirectory: URL?) {
        self.executor = executor
        self.timeout = timeout
        self.dataDirectory = dataDirectory
    }

    /// The grade, and what the run produced (nil when nothing could run) for the feedback page.
    public func grade(_ submission: Submission, _ lesson: GradingLesson) -> (grade: LessonGrade, report: LessonReport?) {
        let slug = lesson.slug
        let displayPath = "\(submission.learner)/\(slug).md"
        let file = submission.folder.appendingPathComponent(slug + ".md")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            return (zeroed(lesson, reason: "the submission has no \(slug).md",
                           cause: FailureCause(kind: .notSubmitted, summary: "no \(slug).md in the learner's folder")), nil)
        }
        let submitted: Lesson
        switch LessonParser(version: .submission).parse(text: text, displayPath: displayPath, fileURL: file, slug: slug) {
        case .failure(let errors):
            let listed = errors.errors.prefix(5).map(\.description).joined(separator: "\n")
            return (zeroed(lesson, reason: "\(displayPath) has mistakes, so it could not be run:\n\(listed)",
                           cause: FailureCause(kind: .unreadable, summary: FailureCause.headline(of: listed))), nil)
        case .success(let lesson):
            submitted = lesson
        }

        var problems: [String: ExerciseProblem] = [:]   // exercise id → why its checks score 0
        var graded = lesson.reference
        graded.displayPath = displayPath
        graded.blocks = graded.blocks.map { block in
            guard case .cell(let cell) = block, cell.kind == .exercise, let id = cell.id else { return block }
            if let mine = submitted.cells.first(where: { $0.kind == .exercise && $0.id == id }) {
                var replaced = cell
                replaced.code = mine.code
                replaced.fenceLine = mine.fenceLine
                replaced.codeLine = mine.codeLine
                return .cell(replaced)
            }
            problems[id] = ExerciseProblem(
                reason: "the exercise cell id=\(id) is missing from \(displayPath)",
                cause: FailureCause(kind: .exerciseMissing, summary: "the exercise cell id=\(id) is missing"))
            return .cell(placeholder(for: cell, in: lesson))
        }

        let workspace: TemporaryDirectory
        do {
            workspace = try TemporaryDirectory(prefix: "cuaderno-grade")
            // A sandbox's unprivileged user must reach it to bind it (it holds only the data).
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: workspace.url.path)
            if let dataDirectory, FileManager.default.fileExists(atPath: dataDirectory.path) {
                try FileManager.default.copyItem(at: dataDirectory, to: workspace.url.appendingPathComponent("data"))
            }
        } catch {
            return (zeroed(lesson, reason: "the grader could not prepare a folder for this lesson: \(error)",
                           cause: FailureCause(kind: .notGraded, summary: "the grader could not prepare a folder")), nil)
        }
        defer { workspace.remove() }
        graded.fileURL = workspace.url.appendingPathComponent(slug + ".md")

        var report = executor.execute(graded, timeout: timeout)
        // A broken exercise cell stops everything after it: put the placeholder in its place and
        // run again, once per exercise at most.
        for _ in 0..<graded.cells.filter({ $0.kind == .exercise }).count {
            guard let broken = report.cells.first(where: { result in
                guard result.cell.kind == .exercise, case .failed = result.status else { return false }
                return true
            }), let id = broken.cell.id, case .failed(let failure) = broken.status else { break }
            problems[id] = ExerciseProblem(
                reason: "the exercise cell at line \(broken.cell.fenceLine) failed (\(failure.kind.rawValue)):\n\(failure.message)",
                cause: FailureCause(kind: .exerciseFailed,
                                    summary: "\(failure.kind.rawValue): \(FailureCause.headline(of: failure.message))"))
            graded.blocks = graded.blocks.map { block in
                guard case .cell(let cell) = block, cell.index == broken.cell.index else { return block }
                return .cell(placeholder(for: cell, in: lesson))
            }
            report = executor.execute(graded, timeout: timeout)
        }
        return (grade(report, lesson: lesson, problems: problems), report)
    }

    /// The learner's-version cell for an exercise, at the position of `cell`.
    private func placeholder(for cell: Cell, in lesson: GradingLesson) -> Cell {
        var replaced = cell
        replaced.code = lesson.placeholders[cell.id ?? ""]?.code ?? "todo()"
        return replaced
    }

    private func grade(_ report: LessonReport, lesson: GradingLesson, problems: [String: ExerciseProblem]) -> LessonGrade {
        var numbers: [String: Int] = [:]
        let checks = report.checks.map { result -> CheckGrade in
            let exercise = result.check.exercise
            numbers[exercise, default: 0] += 1
            let cellResult = report.cells.first { $0.cell.index == result.cell.index }
            var reason = result.passed ? "" : result.failures.formatted
            var cause = result.passed ? nil : cellResult.map(Self.cause(of:))
            if let problem = problems[exercise] {
                reason = problem.reason
                cause = problem.cause
            }
            if let failure = report.machineryFailure {
                reason = "the lesson could not be run: \(failure)"
                cause = FailureCause(kind: .notGraded, summary: "the lesson could not be run: \(FailureCause.headline(of: failure))")
            }
            let printed = cellResult?.output.compactMap { item -> String? in
                if case .text(let text) = item { return text }
                return nil
            }.joined() ?? ""
            let output = result.check.hidden ? "" : Self.shortened(printed)
            return CheckGrade(lesson: lesson.slug, exercise: exercise, number: numbers[exercise]!,
                              hidden: result.check.hidden, points: result.points,
                              score: reason.isEmpty ? result.earned : 0, reason: reason,
                              cause: reason.isEmpty ? nil : cause, output: output, hints: result.check.hints)
        }
        return LessonGrade(lesson: lesson.slug, title: lesson.reference.frontMatter.title, checks: checks)
    }

    /// Why a failed check cell failed: its first failed expectation (every later one is often a
    /// consequence of it), else what stopped it.
    static func cause(of result: CellResult) -> FailureCause {
        for case .expectation(let expectation) in result.output where !expectation.passed {
            return FailureCause(kind: .expectation, line: expectation.line, summary: FailureCause.headline(of: expectation.message))
        }
        switch result.status {
        case .failed(let failure):
            return FailureCause(kind: .checkStopped, summary: "\(failure.kind.rawValue): \(FailureCause.headline(of: failure.message))")
        case .notRun(let reason):
            return FailureCause(kind: .checkStopped, summary: FailureCause.headline(of: reason.description))
        default:
            return FailureCause(kind: .silent, summary: "none of the check's expect… calls ran")
        }
    }

    /// Every check of the lesson at 0 points, for the same reason.
    func zeroed(_ lesson: GradingLesson, reason: String, cause: FailureCause) -> LessonGrade {
        var numbers: [String: Int] = [:]
        let checks = lesson.reference.cells.compactMap { cell -> CheckGrade? in
            guard let check = cell.check else { return nil }
            numbers[check.exercise, default: 0] += 1
            return CheckGrade(lesson: lesson.slug, exercise: check.exercise, number: numbers[check.exercise]!,
                              hidden: check.hidden, points: check.points, score: 0, reason: reason, cause: cause, output: "",
                              hints: check.hints)
        }
        return LessonGrade(lesson: lesson.slug, title: lesson.reference.frontMatter.title, checks: checks)
    }

    static func shortened(_ text: String) -> String {
        guard text.count > outputKept else { return text }
        return String(text.prefix(outputKept)) + "\n… (cut: the check printed \(text.count) characters)"
    }
}
