import ArgumentParser
import CourseSession
import Foundation
import LessonEngine
import SiteRenderer

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run lessons and write their HTML pages and the course index.",
        discussion: """
            Lessons run several at a time (--jobs), and a lesson whose code, data, compiler and \
            runtime are unchanged is taken from the execution cache (.cuaderno-cache/) without \
            compiling; --no-cache runs it anyway. Pages are written even when a cell fails; the \
            exit status is 1 when any cell failed unexpectedly or a formula has a mistake. The \
            index's interface words follow the first lesson's 'lang'.
            """)

    @OptionGroup var course: CourseOptions

    @Option(name: .customLong("output"), help: "The folder the pages are written to.")
    var outputDirectory = "Output"

    @Option(help: "The title of the course index page.")
    var title = "How transformers work, in Swift"

    func run() throws {
        let loaded = try course.load()
        let selected = try loaded.select(course.lessons)
        let pipeline = try course.makePipeline()
        Interruption.install()
        let site = CourseSite(course: loaded, writer: SiteWriter(
            outputDirectory: URL(fileURLWithPath: outputDirectory, isDirectory: true),
            courseTitle: title, cacheDirectory: course.readableCacheDirectory, search: true))
        let progress = ProgressDisplay(total: selected.count, unit: "lessons")
        let pages = site.writePages(selected, pipeline: pipeline) { rendered in
            progress.printing {
                if let rendered { Terminal.report(rendered.outcome, proseErrors: rendered.proseErrors) }
            }
        }
        progress.finish()
        try Terminal.stopIfInterrupted()
        let rendered = pages.compactMap { $0 }
        if let failure = rendered.compactMap(\.writeError).first {
            throw ValidationError("cannot write the pages to \(outputDirectory)/: \(failure)")
        }
        try site.writeIndexAndSearch(rendered: rendered)
        print("Wrote \(selected.count) \(selected.count == 1 ? "page" : "pages") and the index to \(outputDirectory)/")
        if !rendered.allSatisfy(\.succeeded) { throw ExitCode(1) }
    }
}
