import ArgumentParser
import LessonEngine
import SiteRenderer

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run lessons and report any cell that fails unexpectedly, without writing pages.",
        discussion: """
            For authors and CI: the exit status is 1 when any cell failed unexpectedly, a lesson file \
            has mistakes, or a formula ($…$, $$…$$) has a mistake. Lessons run several at a time \
            (--jobs), and unchanged ones come from the execution cache (--no-cache runs them all).
            """)

    @OptionGroup var course: CourseOptions

    func run() throws {
        let files = try course.selectedLessons()
        let runner = try course.makeRunner()
        Interruption.install()
        let progress = ProgressDisplay(total: files.count, unit: "lessons")
        let outcomes = runner.run(files: files, timeout: course.timeout, jobs: course.jobs) { _, outcome in
            progress.printing {
                if let outcome { Terminal.report(outcome, mathErrors: Terminal.mathErrors(of: outcome)) }
            }
        }
        progress.finish()
        try Terminal.stopIfInterrupted()
        let failed = outcomes.compactMap { $0 }.filter { !$0.succeeded || !Terminal.mathErrors(of: $0).isEmpty }.count
        print(failed == 0
            ? "All \(files.count) \(files.count == 1 ? "lesson" : "lessons") ran as intended."
            : "\(failed) of \(files.count) \(files.count == 1 ? "lesson" : "lessons") failed.")
        if failed > 0 { throw ExitCode(1) }
    }
}
