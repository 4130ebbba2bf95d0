import Foundation
import LessonProtocol
import Testing
@testable import LessonEngine

/// Lessons 6 and 12 run the pretrained all-MiniLM-L6-v2 and lesson 11 SmolLM2-135M-Instruct. On a machine
/// without the model, a lesson must say how to get it — at the first cell that loads it, with
/// PretrainedModel's message — rather than stop somewhere obscure or skip silently.
@Suite(.serialized) struct PretrainedLessonTests {
    /// A lesson, the code its first model cell calls, and the model it loads.
    struct PretrainedLesson: Sendable, CustomTestStringConvertible {
        let name: String
        let loadingCall: String
        let model: String
        var testDescription: String { name }
    }

    static let lessons = [
        PretrainedLesson(name: "06-a-real-transformer.md", loadingCall: "SentenceTransformer.load", model: "all-MiniLM-L6-v2"),
        PretrainedLesson(name: "11-a-real-language-model.md", loadingCall: "GGUFFile.open", model: "SmolLM2-135M-Instruct"),
        PretrainedLesson(name: "12-fine-tuning-with-lora.md", loadingCall: "SentenceTransformer.load", model: "all-MiniLM-L6-v2"),
    ]

    @Test(arguments: lessons)
    func withoutTheModelTheFirstModelCellSaysToRunMakeModel(lesson: PretrainedLesson) throws {
        let empty = try TemporaryDirectory(prefix: "no-models")
        defer { empty.remove() }
        let text = try String(contentsOf: CourseLessons.folder.appendingPathComponent(lesson.name), encoding: .utf8)
        let report = try runLesson(text, beside: CourseLessons.folder,
                                   environment: [RuntimeContract.modelsFolderVariable: empty.url.path])
        #expect(report.machineryFailure == nil)

        let modelCell = try #require(report.cells.firstIndex { $0.cell.code.contains(lesson.loadingCall) },
                                     "\(lesson.name) has no cell that loads the model")
        // Nothing before it needs the model, so everything before it ran.
        #expect(report.cells[..<modelCell].allSatisfy { $0.status == .succeeded || $0.status == .shownOnly })

        let failure = try #require(report.cells[modelCell].failureMessage, "the model cell did not fail")
        #expect(failure.contains("\(lesson.model) is not on this machine"), "\(failure)")
        #expect(failure.contains("`make model`"), "the message should say how to get the model: \(failure)")
        #expect(failure.contains(empty.url.appendingPathComponent(lesson.model).path),
                "the message should say where it looked: \(failure)")
        // It is the only failure: the cells after it did not run, and none of them failed on its own.
        #expect(report.unexpectedFailures.map(\.cell.fenceLine) == [report.cells[modelCell].cell.fenceLine])
        #expect(report.cells[(modelCell + 1)...].allSatisfy { $0.status != .succeeded })
    }
}
