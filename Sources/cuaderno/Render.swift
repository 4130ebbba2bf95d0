import ArgumentParser
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
        let files = try course.selectedLessons()
        let runner = try course.makeRunner()
        Interruption.install()
        let writer = SiteWriter(outputDirectory: URL(fileURLWithPath: outputDirectory, isDirectory: true),
                                courseTitle: title, cacheDirectory: course.readableCacheDirectory, search: true)
        let allLessons = try Course(directory: URL(fileURLWithPath: course.lessonsDirectory, isDirectory: true)).lessonFiles
        let links = SiteWriter.courseLinks(lessonFiles: allLessons, parser: runner.parser)
        // Every lesson of the course, read once: for checking links into any of them, and for the search.
        let readable = allLessons.compactMap { file in
            try? runner.parser.parse(fileURL: file, displayPath: Course.displayPath(of: file)).get()
        }
        let anchors = LinkCheck.CourseAnchors(readable)
        let progress = ProgressDisplay(total: files.count, unit: "lessons")
        // Each worker runs a lesson and writes its page; the terminal report comes in course order.
        let pages = WorkPool.run(count: files.count, jobs: course.jobs, startOrder: runner.longestFirst(files),
                                 work: { position -> RenderedLesson? in
            let outcome = runner.run(file: files[position], timeout: course.timeout)
            guard !Interruption.isRequested else { return nil }
            let proseErrors = Terminal.proseErrors(of: outcome, course: anchors)
            do {
                try writer.writePage(for: outcome, course: links)
                return RenderedLesson(outcome: outcome, proseErrors: proseErrors, writeError: nil)
            } catch {
                return RenderedLesson(outcome: outcome, proseErrors: proseErrors, writeError: "\(error)")
            }
        }, deliver: { _, rendered in
            progress.printing {
                if let rendered { Terminal.report(rendered.outcome, proseErrors: rendered.proseErrors) }
            }
        })
        progress.finish()
        try Terminal.stopIfInterrupted()
        let rendered = pages.compactMap { $0 ?? nil }
        if let failure = rendered.compactMap(\.writeError).first {
            throw ValidationError("cannot write the pages to \(outputDirectory)/: \(failure)")
        }
        var renderedByFile: [URL: RenderedLesson] = [:]
        for (file, page) in zip(files, pages) { renderedByFile[file] = page ?? nil }
        let entries = zip(allLessons, links).map { file, link in
            renderedByFile[file].map { SiteWriter.indexEntry(for: $0.outcome, mathErrorCount: $0.proseErrors.math.count) }
                ?? IndexEntry(slug: link.slug, title: link.title, summary: link.summary, status: .notRendered)
        }
        try writer.writeIndex(entries, language: links.first?.language ?? "en")
        // The search covers the whole course, whichever lessons this run rendered.
        try writer.writeSearch(lessons: readable, language: links.first?.language ?? "en")
        print("Wrote \(files.count) \(files.count == 1 ? "page" : "pages") and the index to \(outputDirectory)/")
        if !rendered.allSatisfy({ $0.outcome.succeeded && $0.proseErrors.math.isEmpty && $0.proseErrors.links.isEmpty }) {
            throw ExitCode(1)
        }
    }

    /// What rendering one lesson gave.
    struct RenderedLesson: Sendable {
        var outcome: LessonOutcome
        /// The mistakes in its formulas and its links.
        var proseErrors: (math: [LessonError], links: [LessonError])
        /// Why its page could not be written, if it could not.
        var writeError: String?
    }
}
