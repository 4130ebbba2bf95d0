import Foundation
import LessonEngine
import SiteRenderer

/// What `cuaderno render`, `check` and `export` do with an author's course, as one pipeline:
///
/// 1. load and validate: ``LoadedCourse`` parses every lesson file once;
/// 2. execute: ``execute(_:present:deliver:)`` runs each selected lesson once, through the
///    execution cache, several at a time;
/// 3. present: each lesson's result is presented (its page written, its prose checked, its
///    notebook written) on the worker that ran it, and handed to the caller in course order —
///    ``check(_:of:deliver:)``, ``CourseSite/writePages(_:pipeline:deliver:)``,
///    ``exportNotebooks(_:into:deliver:)``.
///
/// The commands only parse their arguments, print what is delivered and choose the exit status.
public struct CoursePipeline: Sendable {
    /// Runs a lesson or takes its result from the execution cache.
    public var runner: CourseRunner
    /// Seconds a lesson may run (nil: the lesson's own `timeout:`, else 60).
    public var timeout: Double?
    /// How many lessons run at once.
    public var jobs: Int

    /// - Precondition: `jobs` is at least 1.
    public init(runner: CourseRunner, timeout: Double? = nil, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        precondition(jobs >= 1, "a pipeline runs at least one lesson at a time")
        self.runner = runner
        self.timeout = timeout
        self.jobs = jobs
    }

    /// Runs one lesson (or takes its result from the cache); a lesson file with mistakes is not run.
    public func run(_ lesson: CourseLesson) -> LessonOutcome {
        switch lesson.parsed {
        case .failure(let errors):
            .invalid(file: lesson.file, displayPath: lesson.displayPath, errors: errors)
        case .success(let parsed):
            .ran(runner.run(lesson: parsed, timeout: timeout))
        }
    }

    /// Runs `lessons`, `jobs` at a time (those that took longest last time first), and presents
    /// each on the worker that ran it; `deliver` gets the presented results in the order of
    /// `lessons`, one at a time, as soon as each and all before it are ready.
    ///
    /// Once Ctrl-C arrives (``Interruption``) no lesson starts, and a lesson that was running is
    /// not presented: its result, delivered and returned, is nil.
    ///
    /// - Returns: the presented result of each lesson, in the order of `lessons`.
    public func execute<Presented: Sendable>(
        _ lessons: [CourseLesson],
        present: @Sendable (CourseLesson, LessonOutcome) -> Presented,
        deliver: @Sendable (Presented?) -> Void = { _ in }
    ) -> [Presented?] {
        let results = WorkPool.run(count: lessons.count, jobs: jobs, startOrder: runner.longestFirst(lessons.map(\.file)),
                                   work: { position -> Presented? in
            let outcome = run(lessons[position])
            guard !Interruption.isRequested else { return nil }
            return present(lessons[position], outcome)
        }, deliver: { _, presented in deliver(presented) })
        return results.map { $0 ?? nil }
    }
}

/// The mistakes in the prose of a lesson that could be read: in its formulas and in its links.
public struct ProseErrors: Sendable, Equatable {
    /// The mistakes in its `$…$` and `$$…$$` formulas (``MathCheck``).
    public var math: [LessonError]
    /// Its links that lead nowhere (``LinkCheck``).
    public var links: [LessonError]

    /// No mistakes: a lesson file that could not be read has no prose to check.
    public static let empty = ProseErrors(math: [], links: [])

    public init(math: [LessonError], links: [LessonError]) {
        self.math = math
        self.links = links
    }

    /// The mistakes in the prose of `outcome`'s lesson, its links checked against `anchors`.
    public init(of outcome: LessonOutcome, anchors: LinkCheck.CourseAnchors) {
        guard case .ran(let report) = outcome else {
            self = .empty
            return
        }
        self.init(math: MathCheck.errors(in: report.lesson), links: LinkCheck.errors(in: report.lesson, course: anchors))
    }

    public var isEmpty: Bool { math.isEmpty && links.isEmpty }
}

/// What checking one lesson gave (`cuaderno check`).
public struct CheckedLesson: Sendable {
    public var outcome: LessonOutcome
    public var proseErrors: ProseErrors

    /// Whether the lesson ran as intended and its prose has no mistakes.
    public var succeeded: Bool { outcome.succeeded && proseErrors.isEmpty }
}

extension CoursePipeline {
    /// Runs `lessons` (of `course`) and checks their prose; writes nothing. See
    /// ``execute(_:present:deliver:)`` for the order and for Ctrl-C.
    public func check(_ lessons: [CourseLesson], of course: LoadedCourse,
                      deliver: @Sendable (CheckedLesson?) -> Void = { _ in }) -> [CheckedLesson?] {
        let anchors = course.anchors
        return execute(lessons, present: { _, outcome in
            CheckedLesson(outcome: outcome, proseErrors: ProseErrors(of: outcome, anchors: anchors))
        }, deliver: deliver)
    }
}
