import Foundation
import Testing
@testable import LessonEngine

/// `cuaderno render` stopped halfway, or run twice at once, never leaves a half-written page or
/// cache entry: every page is the old one or a whole new one.
@Suite(.serialized) struct RenderInterruptionTests {
    /// A lesson that takes a moment to run and prints `value`.
    static func lesson(number: Int, value: Int) -> String {
        """
        ---
        title: Lesson \(number)
        ---
        A lesson that takes a little while.

        ```swift
        import Foundation
        Thread.sleep(forTimeInterval: 0.3)
        print("value:", \(value))
        ```
        """
    }

    func writeCourse(in folder: URL, value: Int) throws {
        let lessons = folder.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        for number in 1...4 {
            try Self.lesson(number: number, value: value * 10 + number)
                .write(to: lessons.appendingPathComponent("0\(number)-lesson.md"), atomically: true, encoding: .utf8)
        }
    }

    var executable: URL {
        get throws { try RuntimeLibrary.besideExecutable().buildDirectory.appendingPathComponent("cuaderno") }
    }

    func render(in folder: URL, output: String, cache: String = "cache", extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = try executable
        process.arguments = ["render", "--lessons-dir", "Lessons", "--output", output, "--cache-dir", cache, "--jobs", "2"] + extra
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The pages in a folder, by name (hidden files aside).
    func pages(in folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasPrefix(".") {
            found[name] = try Data(contentsOf: folder.appendingPathComponent(name))
        }
        return found
    }

    @Test func aRenderKilledHalfwayLeavesEveryPageWholeAndTheNextRenderFinishes() throws {
        let root = try TemporaryDirectory(prefix: "render-kill")
        defer { root.remove() }
        try writeCourse(in: root.url, value: 1)
        let first = try render(in: root.url, output: "Output")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let oldPages = try pages(in: root.url.appendingPathComponent("Output"))
        #expect(oldPages.count == 8)   // four lessons, the index, search.html, its script and its index

        // The new course, rendered on its own for reference.
        try writeCourse(in: root.url, value: 2)
        let reference = try render(in: root.url, output: "Reference", cache: "reference-cache", extra: ["--no-cache"])
        reference.waitUntilExit()
        let newPages = try pages(in: root.url.appendingPathComponent("Reference"))
        #expect(newPages.count == 8)
        #expect(newPages != oldPages)

        // Killed at several moments: every page is the old one or the new one, whole.
        for delay in [0.15, 0.4, 0.7, 1.0] {
            try? FileManager.default.removeItem(at: root.url.appendingPathComponent("cache"))
            let process = try render(in: root.url, output: "Output")
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            for (name, page) in try pages(in: root.url.appendingPathComponent("Output")) {
                #expect(page == oldPages[name] || page == newPages[name], "\(name) after a kill at \(delay) s")
            }
        }

        // What a killed render left in the cache is whole or absent: the next render gives the
        // same pages as the reference.
        let last = try render(in: root.url, output: "Output")
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        #expect(try pages(in: root.url.appendingPathComponent("Output")) == newPages)
    }

    @Test func anInterruptedRenderWritesNothingOfTheLessonsItStopped() throws {
        let root = try TemporaryDirectory(prefix: "render-interrupt")
        defer { root.remove() }
        try writeCourse(in: root.url, value: 1)
        let first = try render(in: root.url, output: "Output")
        first.waitUntilExit()
        let oldPages = try pages(in: root.url.appendingPathComponent("Output"))

        try writeCourse(in: root.url, value: 2)
        let process = try render(in: root.url, output: "Output")
        Thread.sleep(forTimeInterval: 0.3)
        process.interrupt()  // Ctrl-C
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        // The index is written only by a render that finished.
        #expect(try pages(in: root.url.appendingPathComponent("Output"))["index.html"] == oldPages["index.html"])
    }

    @Test func twoRendersAtOnceBothFinishWithWholePages() throws {
        let root = try TemporaryDirectory(prefix: "render-twice")
        defer { root.remove() }
        try writeCourse(in: root.url, value: 3)
        let reference = try render(in: root.url, output: "Reference", cache: "reference-cache", extra: ["--no-cache"])
        reference.waitUntilExit()
        let expected = try pages(in: root.url.appendingPathComponent("Reference"))

        let one = try render(in: root.url, output: "Output")
        let two = try render(in: root.url, output: "Output")
        one.waitUntilExit()
        two.waitUntilExit()
        #expect(one.terminationStatus == 0)
        #expect(two.terminationStatus == 0)
        #expect(try pages(in: root.url.appendingPathComponent("Output")) == expected)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root.url.appendingPathComponent("Output").path)
            .filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
