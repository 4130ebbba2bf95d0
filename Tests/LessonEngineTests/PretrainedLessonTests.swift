import Foundation
import Testing
@testable import LessonEngine

/// Lesson 6 runs the pretrained all-MiniLM-L6-v2. On a machine without the model, the lesson
/// must say how to get it — at the first cell that loads it, with PretrainedModel's message —
/// rather than stop somewhere obscure or skip silently.
@Suite(.serialized) struct PretrainedLessonTests {
    static let name = "06-a-real-transformer.md"

    @Test func withoutTheModelTheFirstModelCellSaysToRunMakeModel() throws {
        let empty = try TemporaryDirectory(prefix: "no-models")
        defer { empty.remove() }
        let text = try String(contentsOf: CourseLessons.folder.appendingPathComponent(Self.name), encoding: .utf8)
        let report = try runLesson(text, beside: CourseLessons.folder,
                                   environment: [PretrainedModels.environmentVariable: empty.url.path])
        #expect(report.machineryFailure == nil)

        let modelCell = try #require(report.cells.firstIndex { $0.cell.code.contains("SentenceTransformer.load") },
                                     "lesson 6 has no cell that loads the model")
        // Nothing before it needs the model, so everything before it ran.
        #expect(report.cells[..<modelCell].allSatisfy { $0.status == .succeeded || $0.status == .shownOnly })

        let failure = try #require(report.cells[modelCell].failureMessage, "the model cell did not fail")
        #expect(failure.contains("all-MiniLM-L6-v2 is not on this machine"), "\(failure)")
        #expect(failure.contains("`make model`"), "the message should say how to get the model: \(failure)")
        #expect(failure.contains(empty.url.appendingPathComponent("all-MiniLM-L6-v2").path),
                "the message should say where it looked: \(failure)")
        // It is the only failure: the cells after it did not run, and none of them failed on its own.
        #expect(report.unexpectedFailures.map(\.cell.fenceLine) == [report.cells[modelCell].cell.fenceLine])
        #expect(report.cells[(modelCell + 1)...].allSatisfy { $0.status != .succeeded })
    }
}
