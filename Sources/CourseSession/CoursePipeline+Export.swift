import Foundation
import LessonEngine
import SiteRenderer

/// What exporting one lesson as a notebook gave (`cuaderno export --ipynb`).
public struct ExportedLesson: Sendable {
    public var outcome: LessonOutcome
    /// Why its notebook could not be written, if a lesson that ran could not be.
    public var writeError: NotebookFolderError?

    /// Whether its notebook was written: a lesson file with mistakes has none.
    public var written: Bool {
        if case .invalid = outcome { return false }
        return writeError == nil
    }

    /// Whether the lesson ran as intended and its notebook was written.
    public var succeeded: Bool { written && outcome.succeeded }
}

extension CoursePipeline {
    /// Runs `lessons` and writes each one's reference notebook, with the outputs of its run, into
    /// `folder` as soon as it has run. See ``execute(_:present:deliver:)`` for the order and for Ctrl-C.
    public func exportNotebooks(_ lessons: [CourseLesson], into folder: NotebookFolder,
                                deliver: @Sendable (ExportedLesson?) -> Void = { _ in }) -> [ExportedLesson?] {
        execute(lessons, present: { _, outcome in
            guard case .ran(let report) = outcome else { return ExportedLesson(outcome: outcome, writeError: nil) }
            do throws(NotebookFolderError) {
                try folder.write(NotebookExport.reference(report))
                return ExportedLesson(outcome: outcome, writeError: nil)
            } catch {
                return ExportedLesson(outcome: outcome, writeError: error)
            }
        }, deliver: deliver)
    }
}
