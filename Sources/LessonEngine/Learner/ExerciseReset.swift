import Foundation

/// Puts exercises of a learner's lesson back as the course released them (`cuaderno reset`).
///
/// Only the code of the chosen exercise cells changes: each becomes the code of the same
/// exercise (matched by `id=`) in the learner's version of the course's lesson, with `todo()` in
/// place of the solution. Every other byte of the file stays as the learner left it. Before the
/// file is replaced, the learner's version is kept beside it under a numbered name
/// (`01-self-attention.md.~1~`, then `.~2~`…) that never replaces an earlier copy.
public struct ExerciseReset: Sendable {
    /// One exercise that changes.
    public struct Change: Sendable, Equatable {
        public var exercise: String
        /// The line of the exercise's opening fence in the learner's file.
        public var line: Int
    }

    /// The learner's lesson file.
    public var file: URL
    /// The file's text now, and as it will be.
    public var original: String
    public var updated: String
    /// The exercises that change, in lesson order.
    public var changes: [Change]
    /// The exercises asked for that are already as released.
    public var alreadyReleased: [String]

    /// Plans the reset of one exercise (`exercise`), or of every exercise when it is nil.
    ///
    /// - Parameters:
    ///   - file: the learner's lesson, read as a learner's copy.
    ///   - courseFile: the same lesson in the course, whose learner's version is the released one.
    public static func plan(file: URL, displayPath: String, courseFile: URL, courseDisplayPath: String,
                            exercise: String?) throws(ResetProblem) -> ExerciseReset
    {
        guard FileManager.default.fileExists(atPath: courseFile.path) else {
            throw ResetProblem(description: """
                \(courseDisplayPath): error: the course has no such lesson, so there is no released \
                version to go back to; name the course's folder with --lessons-dir
                """)
        }
        let released: Lesson
        do {
            released = try LearnerVersion.lessons(file: courseFile, displayPath: courseDisplayPath).learner
        } catch {
            throw ResetProblem(description: error.errors.map(\.description).joined(separator: "\n")
                + "\nThe course's lesson has mistakes, so its released version cannot be made: fix those lines first.")
        }
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw ResetProblem(description: "\(displayPath): error: cannot read the lesson as UTF-8 text")
        }
        let mine: Lesson
        switch LessonParser(version: .learner).parse(text: text, displayPath: displayPath, fileURL: file,
                                                     slug: file.deletingPathExtension().lastPathComponent) {
        case .success(let lesson):
            mine = lesson
        case .failure(let errors):
            throw ResetProblem(description: errors.errors.map(\.description).joined(separator: "\n") + """

                Reset finds your exercises by their cells, and cannot while the file has the mistakes above: fix \
                them, or move the file away and run 'cuaderno start' for a fresh copy of the lesson.
                """)
        }

        let releasedExercises = released.cells.filter { $0.kind == .exercise }
        let ids = releasedExercises.compactMap(\.id)
        if let exercise, !ids.contains(exercise) {
            throw ResetProblem(description: """
                \(displayPath): error: no exercise '\(exercise)' in this lesson; its exercises: \
                \(ids.joined(separator: ", "))
                """)
        }
        var edits: [(cell: Cell, code: String)] = []
        var alreadyReleased: [String] = []
        for releasedCell in releasedExercises where exercise == nil || releasedCell.id == exercise {
            let id = releasedCell.id ?? ""
            guard let cell = mine.cells.first(where: { $0.kind == .exercise && $0.id == id }) else {
                throw ResetProblem(description: """
                    \(displayPath): error: the exercise cell id=\(id) is not in this file any more; move the file \
                    away and run 'cuaderno start' for a fresh copy of the lesson
                    """)
            }
            if cell.code == releasedCell.code {
                alreadyReleased.append(id)
                continue
            }
            edits.append((cell, releasedCell.code))
        }
        let updated: String
        do {
            updated = try ExerciseEdit.replacingCode(of: edits, in: text, displayPath: displayPath)
        } catch {
            throw ResetProblem(description: error.description)
        }
        return ExerciseReset(file: file, original: text, updated: updated,
                             changes: edits.map { Change(exercise: $0.cell.id ?? "", line: $0.cell.fenceLine) },
                             alreadyReleased: alreadyReleased)
    }

    /// Keeps the learner's version beside the file under the next free numbered name, then
    /// replaces the file atomically; returns where the learner's version was kept.
    public func write() throws -> URL {
        let data = Data(original.utf8)
        var number = Self.highestBackupNumber(of: file) + 1
        var backup = Self.backupURL(of: file, number: number)
        while try !AtomicFile.writeNew(data, to: backup) {
            number += 1
            backup = Self.backupURL(of: file, number: number)
        }
        try AtomicFile.write(updated, to: file)
        return backup
    }

    /// `01-x.md.~3~`: the learner's version kept by the third reset of the file.
    public static func backupURL(of file: URL, number: Int) -> URL {
        file.deletingLastPathComponent().appendingPathComponent("\(file.lastPathComponent).~\(number)~")
    }

    /// The largest number of a kept copy of `file` (0 when there is none).
    static func highestBackupNumber(of file: URL) -> Int {
        let prefix = file.lastPathComponent + ".~"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix(prefix), name.hasSuffix("~") else { return nil }
            return Int(name.dropFirst(prefix.count).dropLast())
        }.max() ?? 0
    }
}

/// Why an exercise cannot be reset, with the file and line and what to do.
public struct ResetProblem: Error, CustomStringConvertible, Sendable {
    public var description: String
}
