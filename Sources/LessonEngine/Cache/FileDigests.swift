import Crypto
import Foundation

/// SHA-256 digests of files, remembered between runs the way git's index remembers them: a file
/// whose size, modification time and inode are unchanged is not read again.
///
/// The execution cache hashes the runtime library, the compiler and every data file a lesson
/// names on each render; without this memo the 87 MB pretrained model alone would cost a
/// quarter of a second per lesson. The memo is one JSON file, written atomically; a memo that
/// cannot be read is simply started afresh.
final class FileDigests: @unchecked Sendable {
    /// What a file looked like when its digest was taken.
    private struct Entry: Codable, Equatable {
        var size: Int64
        var modifiedNanoseconds: Int64
        var inode: UInt64
        /// The digest, or whatever value was remembered.
        var digest: String
    }

    private let memoFile: URL
    private let lock = NSLock()
    private var entries: [String: Entry]
    private var changed = false

    init(memoFile: URL) {
        self.memoFile = memoFile
        let data = try? Data(contentsOf: memoFile)
        entries = data.flatMap { try? JSONDecoder().decode([String: Entry].self, from: $0) } ?? [:]
    }

    /// The hex SHA-256 of a file's bytes, or nil when it cannot be read.
    func digest(ofFile url: URL) -> String? {
        remembered("sha256", for: url) { Self.sha256(ofFileAt: $0) }
    }

    /// A value computed from a file (its digest, or a program's `--version` text), computed
    /// again only when the file's size, modification time or inode moved; nil when the file is
    /// not a regular file or `compute` gives nil. A symbolic link is followed to its file.
    func remembered(_ kind: String, for url: URL, compute: (String) -> String?) -> String? {
        let path = url.standardizedFileURL.path
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        let memoKey = kind + ":" + path
        let seen = Entry(size: Int64(status.st_size),
                         modifiedNanoseconds: Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec),
                         inode: UInt64(status.st_ino), digest: "")
        if let known = lock.withLock({ entries[memoKey] }),
           known.size == seen.size, known.modifiedNanoseconds == seen.modifiedNanoseconds, known.inode == seen.inode {
            return known.digest
        }
        guard let value = compute(path) else { return nil }
        var entry = seen
        entry.digest = value
        lock.withLock {
            entries[memoKey] = entry
            changed = true
        }
        return value
    }

    /// One digest for a folder: every regular file under it (hidden ones excepted), by relative
    /// path in sorted order, with its digest.
    func digest(ofDirectory url: URL) -> String? {
        guard let enumerator = FileManager.default.enumerator(
            at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return nil }
        let base = url.standardizedFileURL.path
        var files: [(String, URL)] = []
        for case let file as URL in enumerator where (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let path = file.standardizedFileURL.path
            files.append((String(path.dropFirst(base.count)), file))
        }
        var summary = ""
        for (relative, file) in files.sorted(by: { $0.0 < $1.0 }) {
            summary += "\(relative)\t\(digest(ofFile: file) ?? "unreadable")\n"
        }
        return Self.sha256(Data(summary.utf8))
    }

    /// Writes the memo back when a digest was taken this run.
    func save() {
        let snapshot: [String: Entry]? = lock.withLock { changed ? entries : nil }
        guard let snapshot else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(snapshot) {
            try? AtomicFile.write(data, to: memoFile)
        }
    }

    /// The hex SHA-256 of some bytes.
    static func sha256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    /// The hex SHA-256 of a file, read in 1 MB pieces.
    static func sha256(ofFileAt path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        do {
            // `read(upToCount:)` gives nil or no bytes at the end of the file.
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                hasher.update(data: chunk)
            }
        } catch {
            return nil
        }
        return hex(hasher.finalize())
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}

/// SHA-256 digests for the tool's other caches.
public enum ContentDigest {
    /// The hex SHA-256 of a text's UTF-8 bytes.
    public static func sha256(_ text: String) -> String {
        FileDigests.sha256(Data(text.utf8))
    }
}
