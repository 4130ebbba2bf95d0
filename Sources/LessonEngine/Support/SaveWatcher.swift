import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a file looked like, from one `stat`: which file it is (an editor that saves by renaming
/// a new file over the old one makes a new inode), its size and its modification time to the
/// nanosecond; all nil when the file is gone. Cheap enough to take many times a second without
/// reading the file.
public struct FileSnapshot: Equatable, Sendable {
    public var inode: UInt64?
    public var size: Int64?
    public var modifiedSeconds: Int?
    public var modifiedNanoseconds: Int?

    /// How `file` looks now.
    public init(_ file: URL) {
        var status = stat()
        guard stat(file.path, &status) == 0 else { return }
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modifiedSeconds = Int(status.st_mtim.tv_sec)
        modifiedNanoseconds = Int(status.st_mtim.tv_nsec)
    }

    /// Whether there was a file to look at.
    public var exists: Bool { inode != nil }
}

/// Tells when files in one folder are saved, the moment they are: Linux's inotify wakes it when
/// a file in the folder is closed after writing or renamed into it — the two ways editors save
/// (and the way ``AtomicFile`` writes). A save is whole by then, so it can be acted on at once.
///
/// Where inotify cannot watch the folder (some network and container file systems, too many
/// watches already), ``isNotified`` is false and ``waitForSaves(timeout:)`` only waits: the
/// caller then notices changes by comparing ``FileSnapshot``s, as it does anyway for what
/// inotify does not report (a file deleted, or written by a program still holding it open).
public final class SaveWatcher: @unchecked Sendable {
    /// The folder watched.
    public let folder: URL
    /// The inotify descriptor, or -1 when the folder cannot be watched.
    private let descriptor: Int32
    /// One waiter at a time reads the descriptor.
    private let lock = NSLock()

    /// Watches `folder` (not its sub-folders).
    public init(folder: URL) {
        self.folder = folder
        var descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if descriptor >= 0 && inotify_add_watch(descriptor, folder.path, UInt32(IN_CLOSE_WRITE | IN_MOVED_TO)) < 0 {
            close(descriptor)
            descriptor = -1
        }
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Whether saves wake ``waitForSaves(timeout:)`` (false: it only sleeps; poll instead).
    public var isNotified: Bool { descriptor >= 0 }

    /// Waits until a file in the folder is saved, or `timeout` seconds pass; returns the names
    /// of the files saved meanwhile (`01-self-attention.md`), empty when none was. Blocks the
    /// calling thread.
    public func waitForSaves(timeout: Double) -> Set<String> {
        guard descriptor >= 0 else {
            Thread.sleep(forTimeInterval: timeout)
            return []
        }
        lock.lock()
        defer { lock.unlock() }
        var waiting = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&waiting, 1, Int32((timeout * 1000).rounded(.up))) > 0 else { return [] }
        return readSaves()
    }

    /// The names in the events waiting on the descriptor.
    private func readSaves() -> Set<String> {
        var names: Set<String> = []
        let capacity = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: MemoryLayout<inotify_event>.alignment)
        defer { buffer.deallocate() }
        while true {
            let count = read(descriptor, buffer, capacity)
            guard count > 0 else { return names }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.load(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = offset + MemoryLayout<inotify_event>.size
                if event.len > 0 {
                    // The name is NUL-padded to `len` bytes.
                    let bytes = UnsafeRawBufferPointer(start: buffer + nameStart, count: Int(event.len))
                    let name = String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
                    if !name.isEmpty { names.insert(name) }
                }
                offset = nameStart + Int(event.len)
            }
        }
    }
}
