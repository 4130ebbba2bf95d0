import Foundation
import LessonEngine

/// Writes a course's pages into an output folder, each file atomically.
public struct SiteWriter {
    public var outputDirectory: URL
    public var courseTitle: String

    public init(outputDirectory: URL, courseTitle: String) {
        self.outputDirectory = outputDirectory
        self.courseTitle = courseTitle
    }

    /// Writes the page of a lesson that ran, or of one whose file has mistakes.
    public func writePage(for outcome: LessonOutcome) throws {
        switch outcome {
        case .ran(let report):
            try write(LessonPage(report: report).render(), named: LessonPage.fileName(slug: report.lesson.slug))
        case .invalid(let file, _, let errors):
            let slug = file.deletingPathExtension().lastPathComponent
            try write(InvalidLessonPage(title: slug, errors: errors).render(), named: LessonPage.fileName(slug: slug))
        }
    }

    /// Writes the index page.
    public func writeIndex(_ entries: [IndexEntry]) throws {
        try write(IndexPage(courseTitle: courseTitle, entries: entries).render(), named: IndexPage.fileName)
    }

    /// The index line of a lesson from what happened when it was rendered.
    public static func indexEntry(for outcome: LessonOutcome) -> IndexEntry {
        switch outcome {
        case .ran(let report):
            let failed = report.unexpectedFailures.count + (report.machineryFailure == nil ? 0 : 1)
            let passed = report.cells.filter { result in
                switch result.status {
                case .succeeded, .failedAsExpected: true
                default: false
                }
            }.count
            return IndexEntry(slug: report.lesson.slug, title: report.lesson.frontMatter.title,
                              summary: report.lesson.frontMatter.summary,
                              status: .ran(passed: passed, failed: failed))
        case .invalid(let file, _, let errors):
            let slug = file.deletingPathExtension().lastPathComponent
            return IndexEntry(slug: slug, title: slug, summary: nil, status: .invalid(errorCount: errors.errors.count))
        }
    }

    private func write(_ html: String, named name: String) throws {
        try AtomicFile.write(html, to: outputDirectory.appendingPathComponent(name))
    }
}
