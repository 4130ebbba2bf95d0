import ArgumentParser
import Foundation
import LessonEngine
import SiteRenderer

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
        let files = try course.selectedLessons()
        let runner = try course.makeRunner()
        let anchors = LinkCheck.CourseAnchors(courseDirectory: URL(fileURLWithPath: course.lessonsDirectory, isDirectory: true))
        Interruption.install()
        let progress = ProgressDisplay(total: files.count, unit: "lessons")
        let results = WorkPool.run(count: files.count, jobs: course.jobs, startOrder: runner.longestFirst(files),
                                   work: { position -> (outcome: LessonOutcome, proseErrors: (math: [LessonError], links: [LessonError]))? in
            let outcome = runner.run(file: files[position], timeout: course.timeout)
            return Interruption.isRequested ? nil : (outcome, Terminal.proseErrors(of: outcome, course: anchors))
        }, deliver: { _, result in
            progress.printing {
                if let result { Terminal.report(result.outcome, proseErrors: result.proseErrors) }
            }
        })
        progress.finish()
        try Terminal.stopIfInterrupted()
        let failed = results.compactMap { $0 ?? nil }.filter { !$0.outcome.succeeded || !$0.proseErrors.math.isEmpty || !$0.proseErrors.links.isEmpty }.count
        print(failed == 0
            ? "All \(files.count) \(files.count == 1 ? "lesson" : "lessons") ran as intended."
            : "\(failed) of \(files.count) \(files.count == 1 ? "lesson" : "lessons") failed.")
        if failed > 0 { throw ExitCode(1) }
    }
}
