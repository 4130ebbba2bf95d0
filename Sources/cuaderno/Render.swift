import ArgumentParser
import Foundation
import LessonEngine
import SiteRenderer

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run lessons and write their HTML pages and the course index.",
        discussion: """
            Pages are written even when a cell fails; the exit status is 1 when any cell failed \
            unexpectedly or a formula has a mistake. The index's interface words follow the first lesson's 'lang'.
            """)

    @OptionGroup var course: CourseOptions

    @Option(name: .customLong("output"), help: "The folder the pages are written to.")
    var outputDirectory = "Output"

    @Option(help: "The title of the course index page.")
    var title = "How transformers work, in Swift"

    func run() throws {
        let files = try course.selectedLessons()
        let runner = try CourseRunner.besideExecutable()
        Interruption.install()
        let writer = SiteWriter(outputDirectory: URL(fileURLWithPath: outputDirectory, isDirectory: true),
                                courseTitle: title)
        let allLessons = try Course(directory: URL(fileURLWithPath: course.lessonsDirectory, isDirectory: true)).lessonFiles
        let links = SiteWriter.courseLinks(lessonFiles: allLessons, parser: runner.parser)
        var outcomes: [URL: LessonOutcome] = [:]
        var allWell = true
        for file in files {
            let outcome = runner.run(file: file, timeout: course.timeout)
            try Terminal.stopIfInterrupted()
            let mathErrors = Terminal.mathErrors(of: outcome)
            Terminal.report(outcome, mathErrors: mathErrors)
            try writer.writePage(for: outcome, course: links)
            outcomes[file] = outcome
            allWell = allWell && outcome.succeeded && mathErrors.isEmpty
        }
        let entries = zip(allLessons, links).map { file, link in
            outcomes[file].map(SiteWriter.indexEntry(for:))
                ?? IndexEntry(slug: link.slug, title: link.title, summary: Self.summary(of: file, parser: runner.parser),
                              status: .notRendered)
        }
        try writer.writeIndex(entries, language: links.first?.language ?? "en")
        print("Wrote \(files.count) \(files.count == 1 ? "page" : "pages") and the index to \(outputDirectory)/")
        if !allWell {
            throw ExitCode(1)
        }
    }

    /// The summary of a lesson that this render did not run, when its file parses.
    static func summary(of file: URL, parser: LessonParser) -> String? {
        if case .success(let lesson) = parser.parse(fileURL: file, displayPath: Course.displayPath(of: file)) {
            return lesson.frontMatter.summary
        }
        return nil
    }
}
