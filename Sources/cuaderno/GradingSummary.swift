import CourseSession
import Foundation
import LessonEngine

extension Terminal {
    /// Prints what `cuaderno grade` graded, how fast, each learner's score, and where the
    /// results are.
    static func summarise(_ graded: GradedClass, seconds: Double, roster: Roster?, output: URL) {
        let grades = graded.grades
        let runs = grades.count * graded.lessons.count
        let perMinute = seconds > 0 ? Double(runs) / seconds * 60 : 0
        let slice = graded.shard == .whole ? "" : " (shard \(graded.shard))"
        print("Graded \(grades.count) learners × \(graded.lessons.count) lessons\(slice) in "
              + String(format: "%.1f s (%.0f lesson-submissions per minute)", seconds, perMinute))
        for grade in grades {
            let failing = grade.checks.filter { !$0.passed }.count
            print("  \(grade.learner): \(grade.score)/\(grade.maxScore) points"
                  + (failing == 0 ? "" : ", \(failing) \(failing == 1 ? "check" : "checks") failing"))
        }
        print("Results: \(output.path)/\(GradeFiles.gradebookFile), the item analysis \(GradeFiles.reportHTMLFile), "
              + "and per learner \(GradeFiles.learnersFolder)/NAME/")
        if let roster {
            let files = [roster.hasCanvasIdentities ? GradeFiles.canvasFile : nil,
                         roster.moodleKeyColumn != nil ? GradeFiles.moodleFile : nil].compactMap { $0 }
            print("For your LMS: \(files.joined(separator: " and ")) (\(roster.entries.count) learners of \(roster.path))")
        } else if graded.shard == .whole {
            print("For Canvas or Moodle import files, grade with --roster FILE (see the README's \"Grades where instructors put them\")")
        }
    }
}
