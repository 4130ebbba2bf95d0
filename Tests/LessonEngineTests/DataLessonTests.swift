import Foundation
import Testing
@testable import LessonEngine

/// Lessons 8, 9 and 12 train on the movie-review sentences and lesson 10 on the fortunes that
/// `make data` fetches. Without them, a lesson must say how to get them — at the first cell that
/// reads them, with the loader's message — and nothing else may fail on its own.
@Suite struct DataLessonTests {
    /// A lesson, the call that loads its data, and what the loader says when the data are missing.
    struct DataLesson: Sendable, CustomTestStringConvertible {
        var name: String
        var loader: String
        var missing: String
        var file: String
        var testDescription: String { name }
    }

    static let reviews = (loader: "MovieReviews.load", missing: "the movie-review sentences are not on this machine",
                          file: "data/movie-reviews/movieReviewSnippets_GroundTruth.txt")

    @Test(arguments: [
        DataLesson(name: "08-reading-reviews.md", loader: reviews.loader, missing: reviews.missing, file: reviews.file),
        DataLesson(name: "09-rnn-lstm-or-transformer.md", loader: reviews.loader, missing: reviews.missing, file: reviews.file),
        DataLesson(name: "10-a-tiny-gpt.md", loader: "Fortunes.load", missing: "the fortunes are not on this machine",
                   file: "data/fortunes/fortunes.txt"),
        DataLesson(name: "12-fine-tuning-with-lora.md", loader: reviews.loader, missing: reviews.missing, file: reviews.file),
    ])
    func withoutTheDataTheFirstDataCellSaysToRunMakeData(lesson: DataLesson) throws {
        let text = try String(contentsOf: CourseLessons.folder.appendingPathComponent(lesson.name), encoding: .utf8)
        // No `beside:`: the lesson runs in a folder with no data/ beside it.
        let report = try runLesson(text)
        #expect(report.machineryFailure == nil)

        let dataCell = try #require(report.cells.firstIndex { $0.cell.code.contains(lesson.loader) },
                                    "\(lesson.name) has no cell that loads its data")
        #expect(report.cells[..<dataCell].allSatisfy { $0.status == .succeeded || $0.status == .shownOnly })
        let failure = try #require(report.cells[dataCell].failureMessage, "the data cell did not fail")
        #expect(failure.contains(lesson.missing), "\(failure)")
        #expect(failure.contains("Run `make data`"), "the message should say how to get the data: \(failure)")
        #expect(failure.contains("Looked for /") && failure.contains(lesson.file), "the message should say where it looked: \(failure)")
        #expect(report.unexpectedFailures.map(\.cell.fenceLine) == [report.cells[dataCell].cell.fenceLine])
        #expect(report.cells[(dataCell + 1)...].allSatisfy { $0.status != .succeeded })
    }
}
