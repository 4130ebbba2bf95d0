import ArgumentParser
import Foundation
import LessonEngine

/// `cuaderno reset N [--exercise ID] [--yes]`: exercises back as the course released them.
struct Reset: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put an exercise (or every exercise of a lesson) back as the course released it.",
        discussion: """
            Only the exercise cells change, to the course's released version (todo() in place of \
            the solution); every other line of the file stays as you left it. Your version of the \
            whole file is kept beside it first, as Workbook/NN-….md.~1~ (then ~2~, …; an earlier \
            copy is never replaced). Asks before changing anything; --yes answers for you, and \
            without a terminal to ask on, reset changes nothing unless --yes is given.
            """)

    @Argument(help: "The lesson, by number (1), name (01-self-attention) or path.")
    var lesson: String

    @Option(help: ArgumentHelp("The exercise to reset, by its id (exercise id=…); every exercise of the lesson when omitted.",
                               valueName: "id"))
    var exercise: String?

    @Flag(name: .shortAndLong, help: "Reset without asking.")
    var yes = false

    @OptionGroup var location: WorkbookOptions

    func run() throws {
        let style = TerminalStyle(location.color)
        try LearnerCommand.withLesson(lesson, in: location, exitCode: 1) { workbook, file in
            let displayPath = Course.displayPath(of: file)
            let courseFile = workbook.courseLessons.appendingPathComponent(file.lastPathComponent)
            // A problem is reported as it is: it names the file (and line) and says what to do.
            let reset = try ExerciseReset.plan(file: file, displayPath: displayPath, courseFile: courseFile,
                                               courseDisplayPath: Course.displayPath(of: courseFile), exercise: exercise)
            guard !reset.changes.isEmpty else {
                Swift.print("Nothing to reset: \(reset.alreadyReleased.joined(separator: ", ")) in \(displayPath) "
                    + "\(reset.alreadyReleased.count == 1 ? "is" : "are") already as released.")
                return
            }
            let names = reset.changes.map { "\($0.exercise) (line \($0.line))" }.joined(separator: ", ")
            Swift.print("This puts back as released, in \(displayPath): \(names).")
            Swift.print("Your version of the file is kept beside it first; nothing else in it changes.")
            guard try confirmed(style: style) else {
                Swift.print("Nothing was changed.")
                return
            }
            let backup = try reset.write()
            Swift.print(style.passed("✓") + " Reset \(names). Your version is in \(Course.displayPath(of: backup)).")
        }
    }

    /// Whether to go ahead: `--yes`, or a yes typed on the terminal. Without a terminal and
    /// without `--yes`, nobody can be asked, so the answer is a refusal that says how to go on.
    private func confirmed(style: TerminalStyle) throws -> Bool {
        if yes { return true }
        guard isatty(STDIN_FILENO) == 1 else {
            throw LearnerProblem(description: """
                reset needs your confirmation, and there is no terminal to ask on: run it again with \
                --yes to reset without asking. Nothing was changed.
                """)
        }
        Swift.print(style.bold("Reset? [y/N] "), terminator: "")
        fflush(nil)  // every output stream: the question shows before the answer is read
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        return answer == "y" || answer == "yes"
    }
}
