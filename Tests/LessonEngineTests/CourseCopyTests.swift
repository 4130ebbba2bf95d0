import Foundation
import Testing
@testable import LessonEngine

@Suite struct CourseCopyTests {
    /// A small course: one lesson with an exercise and a hidden check, and a data file.
    func makeCourse() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory(prefix: "copy")
        let lessons = root.url.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons.appendingPathComponent("data"), withIntermediateDirectories: true)
        try ExerciseTests.lesson.write(to: lessons.appendingPathComponent("01-double.md"), atomically: true, encoding: .utf8)
        try "1,2,3\n".write(to: lessons.appendingPathComponent("data/numbers.csv"), atomically: true, encoding: .utf8)
        return root
    }

    func plan(_ root: TemporaryDirectory, into folder: String) throws -> CourseCopy {
        try CourseCopy.plan(lessonsDirectory: root.url.appendingPathComponent("Lessons"), displayFolder: "Lessons",
                            destination: root.url.appendingPathComponent(folder)).get()
    }

    @Test func copiesTheLearnersVersionAndTheData() throws {
        let root = try makeCourse()
        defer { root.remove() }
        try plan(root, into: "Workbook").write()
        let lesson = try String(contentsOf: root.url.appendingPathComponent("Workbook/01-double.md"), encoding: .utf8)
        #expect(lesson.contains("todo()  // write your solution here") && !lesson.contains("BEGIN SOLUTION"))
        #expect(!lesson.contains("hidden"))
        #expect(try String(contentsOf: root.url.appendingPathComponent("Workbook/data/numbers.csv"), encoding: .utf8) == "1,2,3\n")
    }

    @Test func startingTwiceNeverLosesAnEdit() throws {
        let root = try makeCourse()
        defer { root.remove() }
        try plan(root, into: "Workbook").write()
        let file = root.url.appendingPathComponent("Workbook/01-double.md")
        let edited = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "todo()", with: "return 2 * x")
        try edited.write(to: file, atomically: true, encoding: .utf8)

        let second = try plan(root, into: "Workbook")
        #expect(second.edited.map(\.path) == ["01-double.md"])
        #expect(second.items.first { $0.path == "data/numbers.csv" }?.action == .unchanged)
        try second.write()
        #expect(try String(contentsOf: file, encoding: .utf8) == edited)
    }

    @Test func unEditedFilesAreBroughtUpToDate() throws {
        let root = try makeCourse()
        defer { root.remove() }
        try plan(root, into: "Release").write()
        let data = root.url.appendingPathComponent("Lessons/data/numbers.csv")
        try "4,5,6\n".write(to: data, atomically: true, encoding: .utf8)
        let update = try plan(root, into: "Release")
        #expect(update.items.first { $0.path == "data/numbers.csv" }?.action == .write)
        #expect(update.edited.isEmpty)
    }

    @Test func aFileNotWrittenByCuadernoIsKept() throws {
        let root = try makeCourse()
        defer { root.remove() }
        let folder = root.url.appendingPathComponent("Release")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "my notes".write(to: folder.appendingPathComponent("01-double.md"), atomically: true, encoding: .utf8)
        #expect(try plan(root, into: "Release").edited.map(\.path) == ["01-double.md"])
    }
}
