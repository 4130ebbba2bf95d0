import Foundation

/// Grade import files for learning-management systems, one row per learner of the roster and one
/// column per lesson (its points). Learners of the roster with no folder in the class get 0 in
/// every lesson: they submitted nothing.
extension GradeFiles {
    public static let canvasFile = "canvas.csv"
    public static let moodleFile = "moodle.csv"

    /// Canvas's gradebook import layout: `Student, ID, SIS User ID, SIS Login ID, Section`, then a
    /// column per assignment (a lesson, named by its slug), a `Points Possible` row, then a row
    /// per learner. Canvas finds each learner by the ID, SIS User ID or SIS Login ID given.
    public static func canvas(_ grades: [LearnerGrade], roster: Roster) -> String {
        let lessons = lessonColumns(grades)
        var rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + lessons.map(\.slug)]
        rows.append(["Points Possible", "", "", "", ""] + lessons.map { String($0.points) })
        for entry in roster.entries {
            rows.append([entry.name, entry.canvasID, entry.sisUserID, entry.sisLoginID, entry.section]
                        + scores(of: entry.folder, in: grades, lessons: lessons))
        }
        return csv(rows)
    }

    /// Moodle's grade import layout: the roster's identifier column (`email`, `username` or
    /// `idnumber`, which Moodle's import maps to the learner), then a column per grade item (a
    /// lesson, named by its slug) with the learner's points.
    public static func moodle(_ grades: [LearnerGrade], roster: Roster) -> String? {
        guard let key = roster.moodleKeyColumn else { return nil }
        let lessons = lessonColumns(grades)
        var rows = [[key] + lessons.map(\.slug)]
        for entry in roster.entries {
            rows.append([entry.moodleKey] + scores(of: entry.folder, in: grades, lessons: lessons))
        }
        return csv(rows)
    }

    private static func lessonColumns(_ grades: [LearnerGrade]) -> [(slug: String, points: Int)] {
        grades.first?.lessons.map { ($0.lesson, $0.maxScore) } ?? []
    }

    private static func scores(of folder: String, in grades: [LearnerGrade],
                               lessons: [(slug: String, points: Int)]) -> [String] {
        guard let grade = grades.first(where: { $0.learner == folder }) else {
            return lessons.map { _ in "0" }
        }
        return grade.lessons.map { String($0.score) }
    }

    /// RFC 4180 text: fields quoted when they must be, CRLF line ends.
    static func csv(_ rows: [[String]]) -> String {
        rows.map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }
}
