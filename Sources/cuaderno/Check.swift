import ArgumentParser
import LessonEngine
import SiteRenderer

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run lessons and report any cell that fails unexpectedly, without writing pages.",
        discussion: """
            For authors and CI: the exit status is 1 when any cell failed unexpectedly, a lesson file \
            has mistakes, or a formula ($…$, $$…$$) has a mistake.
            """)

    @OptionGroup var course: CourseOptions

    func run() throws {
        let files = try course.selectedLessons()
        let runner = try CourseRunner.besideExecutable()
        Interruption.install()
        var failed = 0
        for file in files {
            let outcome = runner.run(file: file, timeout: course.timeout)
            try Terminal.stopIfInterrupted()
            let mathErrors = Terminal.mathErrors(of: outcome)
            Terminal.report(outcome, mathErrors: mathErrors)
            if !outcome.succeeded || !mathErrors.isEmpty { failed += 1 }
        }
        print(failed == 0
            ? "All \(files.count) \(files.count == 1 ? "lesson" : "lessons") ran as intended."
            : "\(failed) of \(files.count) \(files.count == 1 ? "lesson" : "lessons") failed.")
        if failed > 0 { throw ExitCode(1) }
    }
}
