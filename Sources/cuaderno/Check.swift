import ArgumentParser
import CourseSession
import Foundation
import LessonEngine

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run lessons and report any cell that fails unexpectedly, without writing pages.",
        discussion: """
            For authors and CI: the exit status is 1 when any cell failed unexpectedly, a lesson file \
            has mistakes, a formula ($…$, $$…$$) has a mistake, or a link leads to no lesson, file or \
            anchor (#cell-ID, a heading). Lessons run several at a time \
            (--jobs), and unchanged ones come from the execution cache (--no-cache runs them all).
            """)

    @OptionGroup var course: CourseOptions

    func run() throws {
        let loaded = try course.load()
        let selected = try loaded.select(course.lessons)
        let pipeline = try course.makePipeline()
        Interruption.install()
        let progress = ProgressDisplay(total: selected.count, unit: "lessons")
        let results = pipeline.check(selected, of: loaded) { checked in
            progress.printing {
                if let checked { Terminal.report(checked.outcome, proseErrors: checked.proseErrors) }
            }
        }
        progress.finish()
        try Terminal.stopIfInterrupted()
        let failed = results.compactMap { $0 }.filter { !$0.succeeded }.count
        let lessons = selected.count == 1 ? "lesson" : "lessons"
        print(failed == 0
            ? "All \(selected.count) \(lessons) ran as intended."
            : "\(failed) of \(selected.count) \(lessons) failed.")
        if failed > 0 { throw ExitCode(1) }
    }
}
