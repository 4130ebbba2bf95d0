import Foundation
import Testing
@testable import LessonEngine

/// The execution cache, observed from outside: whether the compiler ran (a wrapper around
/// `swiftc` counts its compiles) and what the results say.
@Suite(.serialized) struct ExecutionCacheTests {
    static let lesson = """
        ---
        title: Cache demo
        ---
        Numbers from a data file.

        ```swift
        let text = try! String(contentsOfFile: "data/numbers.txt", encoding: .utf8)
        let total = text.split(separator: "\\n").compactMap { Int($0) }.reduce(0, +)
        print("total:", total)
        ```

        A cell that must fail to compile, and one that must stop.

        ```swift fails
        let wrong: Int = "not a number"
        ```

        ```swift fails
        let values = [1, 2, 3]
        print(values[total])
        ```

        ```swift exercise id=half
        func half(_ x: Int) -> Int {
            // BEGIN SOLUTION
            return x / 2
            // END SOLUTION
        }
        ```

        ```swift check for=half hint="divide by two"
        expect(half(total) == total / 2)
        expect(half(3) == 5, "deliberately wrong, to keep a failed expectation and its line")
        ```
        """

    /// A course folder with the lesson and its data, a compiler wrapper that counts compiles,
    /// and a runner using a cache in the folder.
    struct Fixture {
        let root: TemporaryDirectory
        var lessonFile: URL { root.url.appendingPathComponent("Lessons/01-cache.md") }
        var dataFile: URL { root.url.appendingPathComponent("Lessons/data/numbers.txt") }
        var cacheDirectory: URL { root.url.appendingPathComponent("cache") }
        var compileLog: URL { root.url.appendingPathComponent("compiles.log") }
        var runner: CourseRunner

        init() throws {
            root = try TemporaryDirectory(prefix: "cache-test")
            let lessons = root.url.appendingPathComponent("Lessons/data")
            try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
            try "1\n2\n3\n".write(to: root.url.appendingPathComponent("Lessons/data/numbers.txt"), atomically: true, encoding: .utf8)
            try ExecutionCacheTests.lesson.write(to: root.url.appendingPathComponent("Lessons/01-cache.md"),
                                                 atomically: true, encoding: .utf8)
            let wrapper = root.url.appendingPathComponent("swiftc-counting")
            let log = root.url.appendingPathComponent("compiles.log").path
            try """
                #!/bin/sh
                case "$*" in *--version*) ;; *) echo compile >> '\(log)' ;; esac
                exec swiftc "$@"

                """.write(to: wrapper, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
            let runtime = try RuntimeLibrary.besideExecutable()
            let compiler = SwiftCompiler(runtime: runtime, swiftc: wrapper.path,
                                         moduleCache: runtime.buildDirectory.appendingPathComponent("cuaderno-module-cache"))
            runner = CourseRunner(executor: LessonExecutor(compiler: compiler),
                                  cache: ExecutionCache(directory: root.url.appendingPathComponent("cache")))
        }

        /// How many times the compiler has compiled so far.
        var compiles: Int {
            ((try? String(contentsOf: compileLog, encoding: .utf8)) ?? "").split(separator: "\n").count
        }

        func run(refreshing: Bool = false) throws -> LessonReport {
            var runner = runner
            runner.refreshesCache = refreshing
            guard case .ran(let report) = runner.run(file: lessonFile, timeout: nil) else {
                throw CocoaError(.fileReadCorruptFile)
            }
            return report
        }

        func edit(_ change: (String) -> String) throws {
            let text = try String(contentsOf: lessonFile, encoding: .utf8)
            try change(text).write(to: lessonFile, atomically: true, encoding: .utf8)
        }

        /// The stored entry files.
        var entries: [URL] {
            let folder = cacheDirectory.appendingPathComponent("runs/01-cache")
            return ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
                .filter { $0.pathExtension == "json" }
        }
    }

    /// The first line of printed text of a cell.
    func printed(_ report: LessonReport, cell: Int) -> String {
        report.cells[cell].output.compactMap { item -> String? in
            if case .text(let text) = item { return text }
            return nil
        }.joined()
    }

    @Test func anUnchangedLessonComesFromTheCacheWithoutCompiling() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let first = try fixture.run()
        #expect(!first.isFromCache)
        #expect(printed(first, cell: 0) == "total: 6\n")
        let compiles = fixture.compiles
        #expect(compiles >= 1)

        let second = try fixture.run()
        #expect(second.isFromCache)
        #expect(fixture.compiles == compiles)
        #expect(second.cells == first.cells)
        #expect(second.checks == first.checks)
    }

    @Test func aProseEditIsServedFromTheCacheWithItsLinesMoved() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        _ = try fixture.run()
        let compiles = fixture.compiles
        try fixture.edit {
            $0.replacingOccurrences(of: "Numbers from a data file.\n",
                                    with: "Numbers from a data file,\nover three lines\nof prose.\n")
                .replacingOccurrences(of: "and one that must stop.", with: "and one that must stop (edited).")
        }
        let cached = try fixture.run()
        #expect(cached.isFromCache)
        #expect(fixture.compiles == compiles)

        // The same lesson run afresh says exactly the same, line numbers included.
        let fresh = try fixture.run(refreshing: true)
        #expect(!fresh.isFromCache)
        #expect(fixture.compiles > compiles)
        #expect(cached.cells == fresh.cells)
        #expect(cached.checks.map(\.failures) == fresh.checks.map(\.failures))
        // The moved messages really name the new lines.
        guard case .failedAsExpected(let compileError) = cached.cells[1].status else {
            Issue.record("the fails cell should have failed to compile")
            return
        }
        let path = cached.lesson.displayPath
        #expect(compileError.formatted.contains("\(path):\(cached.cells[1].cell.codeLine):"))
        #expect(compileError.first?.location?.line == cached.cells[1].cell.codeLine)
        #expect(cached.checks[0].failures.first?.formatted.hasPrefix("\(path):\(cached.cells[4].cell.codeLine + 1): ") == true)
    }

    @Test func aCodeEditRecompiles() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        _ = try fixture.run()
        let compiles = fixture.compiles
        try fixture.edit { $0.replacingOccurrences(of: "print(\"total:\", total)", with: "print(\"sum:\", total)") }
        let report = try fixture.run()
        #expect(!report.isFromCache)
        #expect(fixture.compiles > compiles)
        #expect(printed(report, cell: 0) == "sum: 6\n")
    }

    @Test func aChangedDataFileRunsTheLessonAgain() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        _ = try fixture.run()
        try "10\n20\n".write(to: fixture.dataFile, atomically: true, encoding: .utf8)
        let report = try fixture.run()
        #expect(!report.isFromCache)
        #expect(printed(report, cell: 0) == "total: 30\n")
    }

    @Test func frontMatterTagsAndLimitsArePartOfTheKey() throws {
        var fixture = try Fixture()
        defer { fixture.root.remove() }
        _ = try fixture.run()
        #expect(try fixture.run().isFromCache)

        try fixture.edit { $0.replacingOccurrences(of: "title: Cache demo\n", with: "title: Cache demo\ntimeout: 30\n") }
        #expect(try !fixture.run().isFromCache)
        #expect(try fixture.run().isFromCache)

        try fixture.edit { $0.replacingOccurrences(of: "hint=\"divide by two\"", with: "hint=\"divide by two\" points=3") }
        #expect(try !fixture.run().isFromCache)

        // A check's hint changes the page, not the run.
        try fixture.edit { $0.replacingOccurrences(of: "divide by two", with: "halve it") }
        #expect(try fixture.run().isFromCache)

        fixture.runner.executor.outputLimit = 1 << 20
        #expect(try !fixture.run().isFromCache)
    }

    @Test func aDamagedEntryIsIgnoredAndReplaced() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let first = try fixture.run()
        let entry = try #require(fixture.entries.first)
        let intact = try Data(contentsOf: entry)

        // Cut short, as by a crash in the middle of a write that was not atomic.
        try intact.prefix(intact.count / 2).write(to: entry)
        let afterTruncation = try fixture.run()
        #expect(!afterTruncation.isFromCache)
        #expect(afterTruncation.cells == first.cells)

        // One byte changed inside the stored result: the digest no longer matches.
        var flipped = try Data(contentsOf: try #require(fixture.entries.first))
        let position = try #require(flipped.lastIndex(of: UInt8(ascii: "6")))
        flipped[position] = UInt8(ascii: "7")
        try flipped.write(to: try #require(fixture.entries.first))
        let afterFlip = try fixture.run()
        #expect(!afterFlip.isFromCache)
        #expect(printed(afterFlip, cell: 0) == "total: 6\n")

        // The fresh run replaced the entry, and it is used again.
        #expect(try fixture.run().isFromCache)
        #expect(fixture.entries.count == 1)
    }

    @Test func noCacheRunsTheLessonAndRefreshesTheEntry() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        _ = try fixture.run()
        let compiles = fixture.compiles
        let forced = try fixture.run(refreshing: true)
        #expect(!forced.isFromCache)
        #expect(fixture.compiles > compiles)
        #expect(try fixture.run().isFromCache)
    }

    @Test func aRunThatRanOutOfTimeIsNotKept() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        try fixture.edit { $0.replacingOccurrences(of: "print(\"total:\", total)", with: "while total > 0 { }") }
        guard case .ran(let report) = fixture.runner.run(file: fixture.lessonFile, timeout: 1) else {
            Issue.record("the lesson should have run")
            return
        }
        guard case .failed(let failure) = report.cells[0].status else {
            Issue.record("the endless loop should have failed")
            return
        }
        #expect(failure.kind == .timedOut)
        #expect(fixture.entries.isEmpty)
    }

    @Test func lineShiftMovesOnlyNumbersInsideMovedCells() {
        let shift = LineShift(from: [(fence: 10, code: 11, lineCount: 3), (fence: 20, code: 21, lineCount: 2)],
                              to: [(fence: 10, code: 11, lineCount: 3), (fence: 25, code: 26, lineCount: 2)])
        #expect(shift.map(12) == 12)
        #expect(shift.map(20) == 25)
        #expect(shift.map(23) == 28)  // the closing fence
        #expect(shift.map(24) == 24)
    }

    @Test func lineShiftMovesTypedLocationsKeepingTheirColumns() {
        // The second cell moved down by 3 lines.
        let shift = LineShift(from: [(fence: 10, code: 11, lineCount: 3), (fence: 20, code: 21, lineCount: 2)],
                              to: [(fence: 10, code: 11, lineCount: 3), (fence: 23, code: 24, lineCount: 2)])
        let failure = CellFailure(kind: .compileError, messages: [
            LocatedMessage(location: SourceLocation(file: "L/a.md", line: 22, column: 5), severity: .error,
                           text: "cannot find 'y' in scope\nprint(y)\n    ^"),
            LocatedMessage(location: SourceLocation(file: "L/a.md", line: 12, column: 1), severity: .note, text: "did you mean 'x'?"),
            LocatedMessage(location: SourceLocation(file: "other/b.md", line: 22), severity: .note, text: "elsewhere"),
        ])
        guard case .failed(let moved) = shift.apply(to: .failed(failure), in: "L/a.md") else {
            Issue.record("the status changed its case")
            return
        }
        #expect(moved.kind == .compileError)
        #expect(moved.messages.map(\.location) == [
            SourceLocation(file: "L/a.md", line: 25, column: 5),   // in the moved cell: +3, column kept
            SourceLocation(file: "L/a.md", line: 12, column: 1),   // in a cell that stayed
            SourceLocation(file: "other/b.md", line: 22),          // another file: left alone
        ])
        #expect(moved.messages.map(\.text) == failure.messages.map(\.text))
        #expect(moved.message.hasPrefix("L/a.md:25:5: error: cannot find 'y' in scope\nprint(y)\n    ^\nL/a.md:12:1: note:"))

        let operatorFailure = LocatedMessage(location: SourceLocation(file: "L/a.md", line: 21), severity: .error,
                                             text: "shapes differ", cellLines: 21...22)
        #expect(shift.apply(to: .failedAsExpected([operatorFailure]), in: "L/a.md") == .failedAsExpected([
            LocatedMessage(location: SourceLocation(file: "L/a.md", line: 24), severity: .error,
                           text: "shapes differ", cellLines: 24...25),
        ]))
        #expect(shift.apply(to: .notRun(.programStopped(fenceLine: 20)), in: "L/a.md") == .notRun(.programStopped(fenceLine: 23)))
        #expect(shift.apply(to: .notRun(.earlierCellDoesNotCompile(fenceLine: 10)), in: "L/a.md")
            == .notRun(.earlierCellDoesNotCompile(fenceLine: 10)))
        #expect(shift.apply(to: .expectation(Expectation(passed: false, message: "expected 1, got 2", line: 22)), in: "L/a.md")
            == .expectation(Expectation(passed: false, message: "expected 1, got 2", line: 25)))
    }

    @Test func anOperatorFailureNamesItsCellsLines() {
        let message = LocatedMessage(location: SourceLocation(file: "L/a.md", line: 21), severity: .error,
                                     text: "shapes differ", cellLines: 21...22)
        #expect(message.formatted
            == "L/a.md:21: error: shapes differ (in the cell at lines 21–22; an operator such as + cannot report its exact line)")
        var oneLine = message
        oneLine.cellLines = 21...21
        #expect(oneLine.formatted
            == "L/a.md:21: error: shapes differ (in the cell at line 21; an operator such as + cannot report its exact line)")
    }

    @Test func dataReferencesAreLiteralsNamingFilesInsideTheLessonFolder() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let models = fixture.root.url.appendingPathComponent("Models")
        try FileManager.default.createDirectory(at: models.appendingPathComponent("tiny-model"), withIntermediateDirectories: true)
        try fixture.edit {
            $0.replacingOccurrences(of: "print(\"total:\", total)",
                                    with: "print(\"total:\", total, \"../outside\", \"/etc/hostname\", \"tiny-model\", \"data\")")
        }
        let lesson = try LessonParser().parse(fileURL: fixture.lessonFile, displayPath: "Lessons/01-cache.md").get()
        let found = DataReferences.find(in: lesson, modelsDirectory: models)
        #expect(found.map(\.name) == ["data", "data/numbers.txt", "models/tiny-model"])
        #expect(found.map(\.isDirectory) == [true, false, true])
    }
}
