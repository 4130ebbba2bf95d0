import ArgumentParser
import Foundation
import LessonEngine
import SiteRenderer

struct Render: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run lessons and write their HTML pages and the course index.",
        discussion: "Pages are written even when a cell fails; the exit status is 1 when any cell failed unexpectedly.")

    @OptionGroup var course: CourseOptions

    @Option(name: .customLong("output"), help: "The folder the pages are written to.")
    var outputDirectory = "Output"

    @Option(help: "The title of the course index page.")
    var title = "How transformers work, in Swift"

    func run() throws {
        let files = try course.selectedLessons()
        let runner = try CourseRunner.besideExecutable()
        let writer = SiteWriter(outputDirectory: URL(fileURLWithPath: outputDirectory, isDirectory: true),
                                courseTitle: title)
        var outcomes: [URL: LessonOutcome] = [:]
        for file in files {
            let outcome = runner.run(file: file, timeout: course.timeout)
            Terminal.report(outcome)
            try writer.writePage(for: outcome)
            outcomes[file] = outcome
        }
        let allLessons = try Course(directory: URL(fileURLWithPath: course.lessonsDirectory, isDirectory: true)).lessonFiles
        let entries = allLessons.map { file in
            outcomes[file].map(SiteWriter.indexEntry(for:)) ?? Self.unrenderedEntry(for: file, parser: runner.parser)
        }
        try writer.writeIndex(entries)
        print("Wrote \(files.count) \(files.count == 1 ? "page" : "pages") and the index to \(outputDirectory)/")
        if !outcomes.values.allSatisfy(\.succeeded) {
            throw ExitCode(1)
        }
    }

    /// An index line for a lesson that this render did not run (its title, when it parses).
    static func unrenderedEntry(for file: URL, parser: LessonParser) -> IndexEntry {
        let slug = file.deletingPathExtension().lastPathComponent
        if case .success(let lesson) = parser.parse(fileURL: file, displayPath: Course.displayPath(of: file)) {
            return IndexEntry(slug: slug, title: lesson.frontMatter.title, summary: lesson.frontMatter.summary,
                              status: .notRendered)
        }
        return IndexEntry(slug: slug, title: slug, summary: nil, status: .notRendered)
    }
}
