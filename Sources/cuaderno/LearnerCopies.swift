import ArgumentParser
import Foundation
import LessonEngine

/// `cuaderno release --to DIR`: the learner's version of the course, for an instructor to publish.
struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the learner's version of the course into a folder.",
        discussion: """
            Every lesson is copied with its reference solutions replaced by todo() and its hidden \
            checks removed; the lessons folder's other files (data/) are copied as they are. Nothing \
            is written if a file in the folder was edited since Cuaderno last wrote it.
            """)

    @Option(name: .customLong("to"), help: "The folder to write the learner's version into.")
    var destination: String

    @Option(name: .customLong("lessons-dir"), help: "The folder that holds the course's lessons.")
    var lessonsDirectory = "Lessons"

    func run() throws {
        let copy = try LearnerCopyCommand.plan(lessonsDirectory: lessonsDirectory, destination: destination)
        guard copy.edited.isEmpty else {
            for item in copy.edited {
                print("✗ \(destination)/\(item.path) was changed since Cuaderno wrote it (or was not written by Cuaderno)")
            }
            print("Nothing was written. Move those files away, or release into another folder.")
            throw ExitCode(1)
        }
        try copy.write()
        let written = copy.items.filter { $0.action == .write }.count
        print("Wrote the learner's version of the course to \(destination)/ (\(written) files written, \(copy.items.count - written) already up to date).")
    }
}

/// `cuaderno start`: the learner's own copy of the course, in `Workbook/`.
struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make your own copy of the course in Workbook/ to work through.",
        discussion: """
            Run it again at any time: lessons you have not touched are brought up to date, and a \
            lesson you have edited is never replaced.
            """)

    @Option(name: .customLong("lessons-dir"), help: "The folder that holds the course's lessons.")
    var lessonsDirectory = "Lessons"

    @Option(help: "Where your copy of the course lives.")
    var workbook = "Workbook"

    func run() throws {
        let copy = try LearnerCopyCommand.plan(lessonsDirectory: lessonsDirectory, destination: workbook)
        try copy.write()
        for item in copy.edited {
            print("· kept \(workbook)/\(item.path): you have edited it, so it stays as it is")
        }
        let written = copy.items.filter { $0.action == .write }.count
        print("Your workbook is \(workbook)/ (\(written) files written, \(copy.edited.count) kept as you left them).")
        print("Open the lessons in \(workbook)/ in order and fill in their exercises (look for todo()).")
    }
}

/// What `release` and `start` share: planning the learner's copy, or stopping with the lessons' mistakes.
enum LearnerCopyCommand {
    static func plan(lessonsDirectory: String, destination: String) throws -> CourseCopy {
        let result = try CourseCopy.plan(lessonsDirectory: URL(fileURLWithPath: lessonsDirectory, isDirectory: true),
                                         displayFolder: lessonsDirectory,
                                         destination: URL(fileURLWithPath: destination, isDirectory: true))
        switch result {
        case .success(let copy):
            return copy
        case .failure(let errors):
            for error in errors.errors { print(error) }
            print("The learner's version was not written: fix the lessons first.")
            throw ExitCode(1)
        }
    }
}
