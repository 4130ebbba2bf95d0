import Foundation

/// An exercise cell of a learner's lesson given new code, every other byte of the file kept —
/// what `cuaderno serve --workbook` does when the learner presses Run in the page, and what
/// ``ExerciseReset`` does with the released code.
///
/// The page sends the exercise's code as it was when the page was made; if the file's exercise is
/// not that any more (the learner edited it in an editor meanwhile), nothing is written:
/// ``ExerciseEditProblem/changedOnDisk(current:)`` says so with the file's version, and the page
/// keeps the learner's. Changes elsewhere in the file are kept: only the exercise's lines are
/// replaced, in the file as it is now.
public struct ExerciseEdit: Sendable {
    /// The lesson's text before and after.
    public var original: String
    public var updated: String

    /// Plans putting `code` into exercise `exercise` of the learner's lesson whose text is `text`.
    ///
    /// - Parameter base: the exercise's code when the learner's page was made; when the file's is
    ///   another, the exercise changed on disk since.
    public static func plan(exercise: String, code: String, text: String, displayPath: String, fileURL: URL,
                            base: String) throws(ExerciseEditProblem) -> ExerciseEdit {
        let lesson: Lesson
        switch LessonParser(version: .learner).parse(text: text, displayPath: displayPath, fileURL: fileURL,
                                                     slug: fileURL.deletingPathExtension().lastPathComponent) {
        case .success(let parsed):
            lesson = parsed
        case .failure(let errors):
            throw .lessonHasMistakes(errors.errors)
        }
        let exercises = lesson.cells.filter { $0.kind == .exercise }
        guard let cell = exercises.first(where: { $0.id == exercise }) else {
            throw .noSuchExercise(exercise, file: displayPath, exercises: exercises.compactMap(\.id))
        }
        guard cell.code == base else {
            throw .changedOnDisk(current: cell.code)
        }
        let updated = try replacingCode(of: [(cell, code)], in: text, displayPath: displayPath)
        return ExerciseEdit(original: text, updated: updated)
    }

    /// `text` with the code of each cell replaced by the given code: only those lines change.
    /// A file with Windows line ends keeps them.
    ///
    /// - Throws: ``ExerciseEditProblem/codeNotAtItsFence(line:file:)`` when a cell's lines are not
    ///   its code as read (an indented fence).
    static func replacingCode(of edits: [(cell: Cell, code: String)], in text: String,
                              displayPath: String) throws(ExerciseEditProblem) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for edit in edits.sorted(by: { $0.cell.codeLine > $1.cell.codeLine }) {  // from the bottom up
            let range = (edit.cell.codeLine - 1)..<(edit.cell.codeLine - 1 + edit.cell.lineCount)
            let crlf = range.upperBound <= lines.count && !range.isEmpty && lines[range].allSatisfy { $0.hasSuffix("\r") }
            let current = range.upperBound <= lines.count ? lines[range].map { crlf ? String($0.dropLast()) : $0 } : nil
            guard let current, current == codeLines(edit.cell.code) else {
                throw .codeNotAtItsFence(line: edit.cell.fenceLine, file: displayPath)
            }
            lines.replaceSubrange(range, with: codeLines(edit.code).map { crlf ? $0 + "\r" : $0 })
        }
        return lines.joined(separator: "\n")
    }

    /// Code as the file's lines: without the newline that ends it; a page's Windows line ends
    /// become plain ones.
    static func codeLines(_ code: String) -> [String] {
        let plain = code.replacingOccurrences(of: "\r\n", with: "\n")
        guard !plain.isEmpty else { return [] }
        let body = plain.hasSuffix("\n") ? String(plain.dropLast()) : plain
        return body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}

/// Why an exercise's new code was not written.
public enum ExerciseEditProblem: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file changed since the page was made; its version of the exercise.
    case changedOnDisk(current: String)
    /// The lesson has no exercise with that id.
    case noSuchExercise(String, file: String, exercises: [String])
    /// The lesson file cannot be read as a lesson.
    case lessonHasMistakes([LessonError])
    /// A cell's code is not where its fence says.
    case codeNotAtItsFence(line: Int, file: String)

    public var description: String {
        switch self {
        case .changedOnDisk:
            "the exercise changed in the lesson file since this page was made (edited in an editor?); nothing was written"
        case .noSuchExercise(let id, let file, let exercises):
            "\(file): error: no exercise '\(id)' in this lesson; its exercises: \(exercises.joined(separator: ", "))"
        case .lessonHasMistakes(let errors):
            errors.map(\.description).joined(separator: "\n")
                + "\nThe exercises are found by their cells, which cannot be read while the file has the mistakes above: fix them first."
        case .codeNotAtItsFence(let line, let file):
            "\(file):\(line): error: the exercise's code is not where its fence says (an indented fence?); change it in the file by hand"
        }
    }
}
