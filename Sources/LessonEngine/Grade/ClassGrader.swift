import Foundation
import Synchronization

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
        let finished = Mutex(0)
        let done = WorkPool.run(count: work.count, jobs: jobs) { next in
            let (learner, lesson) = work[next]
            let result = grader.grade(submissions[learner], lessons[lesson])
            progress(finished.withLock { $0 += 1; return $0 }, work.count)
            return result
        }
        return submissions.indices.map { learner in
            let mine = lessons.indices.map { done[learner * lessons.count + $0] }
            let lessonGrades = mine.enumerated().map { position, result in
                result?.grade ?? grader.zeroed(lessons[position], reason: "not graded: grading was interrupted",
                                              cause: FailureCause(kind: .notGraded, summary: "grading was interrupted"))
            }
            return Graded(grade: LearnerGrade(learner: submissions[learner].learner, lessons: lessonGrades),
                          reports: mine.map { $0?.report })
        }
    }
}
