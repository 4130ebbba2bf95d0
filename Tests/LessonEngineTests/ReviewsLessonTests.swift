import Foundation
import Testing
@testable import LessonEngine

/// Lessons 8 and 9 train on the movie-review sentences that `make data` fetches. Without them,
/// a lesson must say how to get them — at the first cell that reads them, with MovieReviews's
/// message — and nothing else may fail on its own.
@Suite struct ReviewsLessonTests {
    @Test(arguments: ["08-reading-reviews.md", "09-rnn-lstm-or-transformer.md"])
    func withoutTheDataTheFirstDataCellSaysToRunMakeData(name: String) throws {
        let text = try String(contentsOf: CourseLessons.folder.appendingPathComponent(name), encoding: .utf8)
        // No `beside:`: the lesson runs in a folder with no data/ beside it.
        let report = try runLesson(text)
        #expect(report.machineryFailure == nil)

        let dataCell = try #require(report.cells.firstIndex { $0.cell.code.contains("MovieReviews.load") },
                                    "\(name) has no cell that loads the reviews")
        #expect(report.cells[..<dataCell].allSatisfy { $0.status == .succeeded || $0.status == .shownOnly })
        let failure = try #require(report.cells[dataCell].failureMessage, "the data cell did not fail")
        #expect(failure.contains("the movie-review sentences are not on this machine"), "\(failure)")
        #expect(failure.contains("Run `make data`"), "the message should say how to get the data: \(failure)")
        #expect(failure.contains("Looked for /") && failure.contains("data/movie-reviews/movieReviewSnippets_GroundTruth.txt"),
                "the message should say where it looked: \(failure)")
        #expect(report.unexpectedFailures.map(\.cell.fenceLine) == [report.cells[dataCell].cell.fenceLine])
        #expect(report.cells[(dataCell + 1)...].allSatisfy { $0.status != .succeeded })
    }
}
