import Foundation
import LessonEngine
import SiteRenderer

/// What rendering one lesson gave (`cuaderno render`).
public struct RenderedLesson: Sendable {
    /// The lesson file rendered.
    public var file: URL
    public var outcome: LessonOutcome
    /// The mistakes in its formulas and its links, found while making its page.
    public var proseErrors: ProseErrors
    /// Why its page could not be written, if it could not.
    public var writeError: String?

    /// Whether the lesson ran as intended and its prose has no mistakes.
    public var succeeded: Bool { outcome.succeeded && proseErrors.isEmpty }
}

/// The presenting stage of ``CoursePipeline`` for `cuaderno render`: a loaded course's pages, its
/// index and its search, written by one ``SiteWriter``.
public struct CourseSite: Sendable {
    /// The course, loaded once: its links, anchors and the lessons the search covers.
    public let course: LoadedCourse
    /// Writes the files into the output folder.
    public let writer: SiteWriter

    public init(course: LoadedCourse, writer: SiteWriter) {
        self.course = course
        self.writer = writer
    }

    /// Runs `lessons` through `pipeline` and writes each one's page as soon as it has run, linked
    /// to its neighbours in the course; its formulas are checked while its page is made. See
    /// ``CoursePipeline/execute(_:present:deliver:)`` for the order and for Ctrl-C.
    public func writePages(_ lessons: [CourseLesson], pipeline: CoursePipeline,
                           deliver: @Sendable (RenderedLesson?) -> Void = { _ in }) -> [RenderedLesson?] {
        pipeline.execute(lessons, present: { lesson, outcome in
            writePage(lesson, outcome: outcome)
        }, deliver: deliver)
    }

    /// Runs one lesson through `pipeline` (or takes it from the cache) and writes its page, as
    /// ``writePages(_:pipeline:deliver:)`` does for each lesson; `cuaderno serve` calls it when an
    /// author saves the lesson. Blocks while the lesson runs.
    public func writePage(_ lesson: CourseLesson, pipeline: CoursePipeline) -> RenderedLesson {
        writePage(lesson, outcome: pipeline.run(lesson))
    }

    /// Makes and writes one lesson's page; the mistakes in its prose are found whether or not
    /// the page can be written.
    func writePage(_ lesson: CourseLesson, outcome: LessonOutcome) -> RenderedLesson {
        let page = writer.makePage(for: outcome, course: course.links)
        var proseErrors = ProseErrors.empty
        if case .ran(let report) = outcome {
            proseErrors = ProseErrors(math: page.mathErrors,
                                      links: LinkCheck.errors(in: report.lesson, links: page.links, course: course.anchors))
        }
        do {
            try writer.write(page)
            return RenderedLesson(file: lesson.file, outcome: outcome, proseErrors: proseErrors, writeError: nil)
        } catch {
            return RenderedLesson(file: lesson.file, outcome: outcome, proseErrors: proseErrors, writeError: "\(error)")
        }
    }

    /// Writes the index — every lesson of the course, those in `rendered` with what their run
    /// gave, the others as not rendered — and the search, which covers the whole course,
    /// whichever lessons were rendered.
    public func writeIndexAndSearch(rendered: [RenderedLesson]) throws {
        try writeIndex(rendered: rendered)
        try writeSearch()
    }

    /// Writes the index: every lesson of the course, those in `rendered` with what their run
    /// gave, the others as not rendered.
    public func writeIndex(rendered: [RenderedLesson]) throws {
        var renderedByFile: [URL: RenderedLesson] = [:]
        for lesson in rendered { renderedByFile[lesson.file] = lesson }
        let entries = course.lessons.map { lesson in
            renderedByFile[lesson.file].map { SiteWriter.indexEntry(for: $0.outcome, mathErrorCount: $0.proseErrors.math.count) }
                ?? IndexEntry(slug: lesson.link.slug, title: lesson.link.title, summary: lesson.link.summary, status: .notRendered)
        }
        try writer.writeIndex(entries, language: course.language)
    }

    /// Writes the search over the prose and code of every readable lesson of the course: it
    /// depends on the lesson files only, not on what their runs gave.
    public func writeSearch() throws {
        try writer.writeSearch(lessons: course.readableLessons, language: course.language)
    }
}
