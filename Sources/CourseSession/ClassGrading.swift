import Foundation
import LessonEngine

/// What `cuaderno grade` does with a class, as stages that each hand the next a plain value:
///
/// 1. load and validate: ``GradingCourse`` parses the chosen lessons, each as the author's
///    version and the learner's, and keeps those with checks;
/// 2. prepare: ``ClassGrading`` makes the executor (sandbox, memory and output limits), and
///    ``ClassRoll`` reads the class folder, takes the shard's learners and checks the roster;
/// 3. verify: ``verifyReferences()`` runs each lesson's reference solutions against its checks;
/// 4. grade: ``grade(_:progress:)`` grades every learner against every lesson, giving a
///    ``GradedClass``, which ``GradingResultsFolder`` writes.
///
/// The command only parses its arguments, prints, and chooses the exit status.
public struct ClassGrading: Sendable {
    /// The lessons that grade the class.
    public let course: GradingCourse
    /// Where the learners' programs run; every grade records it.
    public let sandbox: SandboxChoice
    /// Grades one learner's copy of one lesson, within the time, memory and output limits.
    public let grader: SubmissionGrader
    /// How many lesson runs at once.
    public let jobs: Int

    /// Grading against `course`, with programs compiled against the runtime built beside this
    /// executable and run in `sandbox`.
    ///
    /// - Parameters:
    ///   - memoryLimit: bytes of memory each lesson program may map.
    ///   - outputLimit: bytes a lesson program may print before it is stopped.
    ///   - timeout: seconds each lesson may run (nil: the lesson's own `timeout:`, else 60).
    /// - Precondition: `jobs` is at least 1.
    /// - Throws: ``GradingProblem/sandboxUnavailable(_:)`` when the machine cannot make the
    ///   sandbox; the runner's error when the runtime library cannot be found.
    public init(course: GradingCourse, sandbox: SandboxChoice, memoryLimit: Int, outputLimit: Int,
                timeout: Double?, jobs: Int) throws {
        precondition(jobs >= 1, "grading runs at least one lesson at a time")
        var executor: LessonExecutor
        do {
            executor = try CourseRunner.besideExecutable(sandbox: sandbox).executor
        } catch let unavailable as SandboxUnavailable {
            throw GradingProblem.sandboxUnavailable(unavailable)
        }
        executor.memoryLimit = memoryLimit
        executor.outputLimit = outputLimit
        self.course = course
        self.sandbox = sandbox
        grader = SubmissionGrader(executor: executor, timeout: timeout, dataDirectory: course.dataDirectory)
        self.jobs = jobs
    }

    /// Runs each lesson's reference once, before any learner is graded: grading against a course
    /// whose own solutions fail its checks would blame the learners for the course's mistake.
    ///
    /// Once Ctrl-C arrives (``Interruption``) it stops without a verdict; the caller asks
    /// ``Interruption/isRequested``.
    ///
    /// - Throws: ``GradingProblem/referenceCannotRun(displayPath:failure:)`` or
    ///   ``GradingProblem/referenceFailsItsChecks(displayPath:slug:failingCells:)`` for the first
    ///   lesson that does not pass.
    public func verifyReferences() throws(GradingProblem) {
        for lesson in course.lessons {
            let report = grader.executor.execute(lesson.reference, timeout: grader.timeout)
            if Interruption.isRequested { return }
            if let failure = report.machineryFailure {
                throw .referenceCannotRun(displayPath: lesson.reference.displayPath, failure: failure)
            }
            let failingChecks = report.checks.filter { !$0.passed }.map(\.cell)
            let failing = report.unexpectedFailures.map(\.cell) + failingChecks
            guard failing.isEmpty else {
                throw .referenceFailsItsChecks(displayPath: lesson.reference.displayPath, slug: lesson.slug,
                                               failingCells: Set(failing.map(\.fenceLine)).sorted())
            }
        }
    }

    /// Grades every learner of `roll` against every lesson, ``jobs`` lesson runs at a time;
    /// `progress(done, total)` is called after each lesson-submission, from the worker that
    /// finished it.
    ///
    /// Once Ctrl-C arrives no run starts, and what was not graded scores 0 ("grading was
    /// interrupted").
    public func grade(_ roll: ClassRoll, progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void) -> GradedClass {
        let graded = ClassGrader(grader: grader, lessons: course.lessons).grade(roll.submissions, jobs: jobs, progress: progress)
        let learners = graded.map { learner in
            var recorded = learner
            recorded.grade.sandbox = sandbox
            return recorded
        }
        return GradedClass(learners: learners, lessons: course.lessons, shard: roll.shard, absentLearners: roll.absentLearners)
    }
}

/// The learners one grading run takes from a class folder, read — and checked against the
/// roster — before any grading: a learner missing from the roster stops the run now, not in an
/// hour.
public struct ClassRoll: Sendable {
    /// The slice of the class this run grades.
    public let shard: Shard
    /// The shard's learners, in name order.
    public let submissions: [Submission]
    /// The roster's learners with no folder in the class (none without a roster).
    public let absentLearners: [String]

    /// Reads the class folder `folder`: one sub-folder per learner.
    ///
    /// - Parameter roster: when given, every learner of the class — not only the shard's — must
    ///   have a row in it.
    /// - Throws: ``GradingProblem/unreadableClassFolder(_:reason:)``, or
    ///   ``GradingProblem/roster(_:)`` naming a learner the roster lacks.
    public init(folder: URL, shard: Shard = .whole, roster: Roster? = nil) throws(GradingProblem) {
        let everyone: [Submission]
        do {
            everyone = try ClassFolder.submissions(in: folder)
        } catch {
            throw .unreadableClassFolder(folder, reason: error.localizedDescription)
        }
        do throws(RosterError) {
            absentLearners = try roster?.absentLearners(graded: everyone.map(\.learner)) ?? []
        } catch {
            throw .roster(error)
        }
        self.shard = shard
        submissions = everyone.filter { shard.contains($0.learner) }
    }
}

/// What grading a class gave: each learner's grades and, for the feedback pages, what each of
/// their lessons' runs produced.
public struct GradedClass: Sendable {
    /// In learner name order; each grade records the sandbox its programs ran in.
    public var learners: [ClassGrader.Graded]
    /// The lessons graded, in the order of each learner's lesson grades and reports.
    public var lessons: [GradingLesson]
    /// The slice of the class graded.
    public var shard: Shard
    /// The roster's learners with no folder in the class.
    public var absentLearners: [String]

    /// Each learner's grades, in learner name order.
    public var grades: [LearnerGrade] { learners.map(\.grade) }
}
