import Foundation
import LessonEngine

/// The first stage of ``ClassGrading``: the lessons a class is graded with, loaded and validated
/// before anything runs.
///
/// Each chosen lesson file is read once and parsed twice from that text — as the author's
/// version, whose checks (hidden ones too) grade, and as the learner's version made from it,
/// whose placeholders stand in for an exercise a learner lacks or broke (``GradingLesson``). The
/// lessons are not taken from a ``LoadedCourse``: grading needs neither the course's other
/// lessons nor their links, and the learner's version needs the file's text, which a
/// ``CourseLesson`` does not keep.
public struct GradingCourse: Sendable {
    /// The course folder; its `data/` folder is copied into each learner's run.
    public let directory: URL
    /// The chosen lessons that have checks, in the order chosen.
    public let lessons: [GradingLesson]

    /// Loads `files`, lessons of `course` (``Course/select(_:)``); a lesson without checks is
    /// left out.
    ///
    /// - Throws: ``GradingProblem/lessonHasMistakes(displayPath:errors:)`` for the first file
    ///   with mistakes; ``GradingProblem/noChecks`` when no lesson chosen has a check.
    public init(course: Course, files: [URL]) throws(GradingProblem) {
        var lessons: [GradingLesson] = []
        for file in files {
            let displayPath = Course.displayPath(of: file)
            let lesson: GradingLesson
            do {
                lesson = try GradingLesson(file: file, displayPath: displayPath)
            } catch {
                throw .lessonHasMistakes(displayPath: displayPath, errors: error)
            }
            if lesson.reference.cells.contains(where: { $0.check != nil }) { lessons.append(lesson) }
        }
        guard !lessons.isEmpty else { throw .noChecks }
        directory = course.directory
        self.lessons = lessons
    }

    /// The course's `data/` folder (it may not exist).
    public var dataDirectory: URL { directory.appendingPathComponent("data") }
}
