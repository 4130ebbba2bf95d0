import Foundation

/// Grades a class: every submission against every lesson of the course, on several workers.
public struct ClassGrader: Sendable {
    public var grader: SubmissionGrader
    public var lessons: [GradingLesson]

    public init(grader: SubmissionGrader, lessons: [GradingLesson]) {
        self.grader = grader
        self.lessons = lessons
    }

    /// One learner's grades and, per lesson, what its run produced (for the feedback pages).
    public struct Graded: Sendable {
        public var grade: LearnerGrade
        public var reports: [LessonReport?]
    }

    /// Grades `submissions` with `jobs` lesson runs at a time; `progress(done, total)` is called
    /// after each lesson-submission, from the worker that finished it. The result is in the order
    /// of `submissions`, whatever order the work finished in.
    public func grade(_ submissions: [Submission], jobs: Int,
                      progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void) -> [Graded] {
        let work = submissions.indices.flatMap { learner in lessons.indices.map { (learner, $0) } }
        let results = LockedResults(count: work.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(jobs, work.count))) { _ in
            while let next = results.claim(), !Interruption.isRequested {
                let (learner, lesson) = work[next]
                results.store(next, grader.grade(submissions[learner], lessons[lesson]))
                progress(results.finish(), work.count)
            }
        }
        let done = results.values
        return submissions.indices.map { learner in
            let mine = lessons.indices.map { done[learner * lessons.count + $0] }
            let lessonGrades = mine.enumerated().map { position, result in
                result?.grade ?? grader.zeroed(lessons[position], reason: "not graded: grading was interrupted")
            }
            return Graded(grade: LearnerGrade(learner: submissions[learner].learner, lessons: lessonGrades),
                          reports: mine.map { $0?.report })
        }
    }
}

/// The shared state of the workers: the next job to take, and the results so far.
private final class LockedResults: @unchecked Sendable {
    private let lock = NSLock()
    private var nextJob = 0
    private var finished = 0
    private var stored: [(grade: LessonGrade, report: LessonReport?)?]

    init(count: Int) {
        stored = Array(repeating: nil, count: count)
    }

    func claim() -> Int? {
        lock.withLock {
            guard nextJob < stored.count else { return nil }
            defer { nextJob += 1 }
            return nextJob
        }
    }

    func store(_ index: Int, _ result: (grade: LessonGrade, report: LessonReport?)) {
        lock.withLock { stored[index] = result }
    }

    /// Counts one more finished job; returns how many are finished.
    func finish() -> Int {
        lock.withLock {
            finished += 1
            return finished
        }
    }

    var values: [(grade: LessonGrade, report: LessonReport?)?] { lock.withLock { stored } }
}
