import Foundation
import LessonEngine

/// The highlighted HTML of one lesson's code cells, kept between renders.
///
/// Highlighting parses each cell with SwiftSyntax, which is most of the time a page takes to
/// render; a cell whose code did not change is taken from here instead. The memo is one file per
/// lesson, holding only the cells of its last render, and is valid only for the build of
/// Cuaderno that wrote it (`rendererIdentity`, the running executable's size, time and inode): a
/// rebuilt highlighter never serves HTML made by an older one.
public final class HighlightMemo: @unchecked Sendable {
    private struct Stored: Codable {
        var renderer: String
        /// SHA-256 of the code → its HTML.
        var blocks: [String: String]
    }

    private let file: URL
    private let rendererIdentity: String
    private let lock = NSLock()
    private var known: [String: String]
    private var used: [String: String] = [:]

    /// Reads the memo in `file` (a missing, damaged or stale one starts empty).
    public init(file: URL, rendererIdentity: String = HighlightMemo.runningRendererIdentity) {
        self.file = file
        self.rendererIdentity = rendererIdentity
        let stored = (try? Data(contentsOf: file)).flatMap { try? JSONDecoder().decode(Stored.self, from: $0) }
        known = stored?.renderer == rendererIdentity ? stored?.blocks ?? [:] : [:]
    }

    /// The highlighted code block of `code`.
    func codeBlock(_ code: String) -> String {
        let key = ContentDigest.sha256(code)
        if let html = lock.withLock({ known[key] }) {
            lock.withLock { used[key] = html }
            return html
        }
        let html = SwiftHighlighter.codeBlock(code)
        lock.withLock { used[key] = html }
        return html
    }

    /// Writes the blocks this render used, when they differ from what was read.
    public func save() {
        let blocks: [String: String]? = lock.withLock { used == known ? nil : used }
        guard let blocks else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if let data = try? encoder.encode(Stored(renderer: rendererIdentity, blocks: blocks)) {
            try? AtomicFile.write(data, to: file)
        }
    }

    /// The identity of the running build of Cuaderno: its executable's path, size, modification
    /// time and inode.
    public static let runningRendererIdentity: String = {
        let path = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        var status = stat()
        guard stat(path, &status) == 0 else { return "unknown" }
        return "\(path) \(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec) \(status.st_ino)"
    }()
}
