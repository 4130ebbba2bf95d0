import Foundation
import Testing
@testable import LessonEngine

/// The save watcher behind `cuaderno serve` and `cuaderno watch`: woken by the two ways editors
/// save a file, and quiet otherwise.
@Suite struct SaveWatcherTests {
    /// Runs `write` on another thread a little after the watcher has started waiting.
    func afterAMoment(_ write: @escaping @Sendable () throws -> Void) {
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: 0.05)
            try? write()
        }
    }

    /// The names `watcher` reports until `name` is among them, or `timeout` seconds pass. An
    /// atomic write closes its temporary file before renaming it into place, and the first
    /// wake may come between the two: the rename is then in the next batch.
    func saves(of watcher: SaveWatcher, until name: String, timeout: Double) -> Set<String> {
        let deadline = Date().addingTimeInterval(timeout)
        var seen: Set<String> = []
        while !seen.contains(name) && Date() < deadline {
            seen.formUnion(watcher.waitForSaves(timeout: deadline.timeIntervalSinceNow))
        }
        return seen
    }

    @Test func aFileRenamedIntoTheFolderIsASave() throws {
        let folder = try TemporaryDirectory(prefix: "save-watcher")
        defer { folder.remove() }
        let lesson = folder.url.appendingPathComponent("01-self-attention.md")
        let watcher = SaveWatcher(folder: folder.url)
        #expect(watcher.isNotified)
        afterAMoment { try AtomicFile.write("# new\n", to: lesson) }
        // A generous timeout: the save, not the timeout, ends the wait.
        #expect(saves(of: watcher, until: "01-self-attention.md", timeout: 20).contains("01-self-attention.md"))
    }

    @Test func aFileClosedAfterWritingIsASave() throws {
        let folder = try TemporaryDirectory(prefix: "save-watcher")
        defer { folder.remove() }
        let lesson = folder.url.appendingPathComponent("02-multi-head.md")
        try "# old\n".write(to: lesson, atomically: false, encoding: .utf8)
        let watcher = SaveWatcher(folder: folder.url)
        afterAMoment {
            let handle = try FileHandle(forWritingTo: lesson)
            try handle.write(contentsOf: Data("# new, written in place\n".utf8))
            try handle.close()
        }
        #expect(watcher.waitForSaves(timeout: 20) == ["02-multi-head.md"])
    }

    @Test func withoutASaveTheWaitEndsEmptyAtItsTimeout() throws {
        let folder = try TemporaryDirectory(prefix: "save-watcher")
        defer { folder.remove() }
        try "# old\n".write(to: folder.url.appendingPathComponent("01-a.md"), atomically: false, encoding: .utf8)
        let watcher = SaveWatcher(folder: folder.url)
        // Reading a file is not saving it.
        afterAMoment { _ = try Data(contentsOf: folder.url.appendingPathComponent("01-a.md")) }
        #expect(watcher.waitForSaves(timeout: 0.3).isEmpty)
    }

    @Test func aFolderThatCannotBeWatchedOnlyWaits() {
        let watcher = SaveWatcher(folder: URL(fileURLWithPath: "/nonexistent/cuaderno-lessons"))
        #expect(!watcher.isNotified)
        #expect(watcher.waitForSaves(timeout: 0.05).isEmpty)
    }

    @Test func aSnapshotChangesWhenTheFileIsReplacedOrRemoved() throws {
        let folder = try TemporaryDirectory(prefix: "save-watcher")
        defer { folder.remove() }
        let file = folder.url.appendingPathComponent("01-a.md")
        try "same\n".write(to: file, atomically: false, encoding: .utf8)
        let before = FileSnapshot(file)
        #expect(before.exists && before.size == 5)
        try AtomicFile.write("same\n", to: file)   // the same bytes, in a new file
        #expect(FileSnapshot(file) != before)
        try FileManager.default.removeItem(at: file)
        #expect(!FileSnapshot(file).exists)
    }
}
