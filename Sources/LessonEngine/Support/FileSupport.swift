import Foundation

/// A fresh private folder under the system's temporary directory.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    /// Creates the folder (`mkdtemp`, so two runs never share one).
    public init(prefix: String) throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/\(prefix)-XXXXXX").utf8CString)
        guard let created = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [
                NSLocalizedDescriptionKey: "cannot create a temporary folder in \(FileManager.default.temporaryDirectory.path)"])
        }
        url = URL(fileURLWithPath: String(cString: created), isDirectory: true)
    }

    /// Deletes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Writes files so that a reader sees the old contents or the new, never half of the new.
public enum AtomicFile {
    /// Writes `data` to a temporary file beside `url`, then renames it over `url`.
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            guard rename(temporary.path, url.path) == 0 else {
                throw CocoaError(.fileWriteUnknown, userInfo: [
                    NSLocalizedDescriptionKey: "cannot move the new \(url.lastPathComponent) into place: \(String(cString: strerror(errno)))"])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes `data` to a new file at `url`, atomically, and never over an existing file: the
    /// contents go to a temporary file beside it, which is then hard-linked into place (`link`
    /// fails when `url` exists, so two writers can never replace each other's file).
    ///
    /// - Returns: false when a file at `url` already exists (nothing is written then).
    public static func writeNew(_ data: Data, to url: URL) throws -> Bool {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try data.write(to: temporary)
        if link(temporary.path, url.path) == 0 { return true }
        if errno == EEXIST { return false }
        throw CocoaError(.fileWriteUnknown, userInfo: [
            NSLocalizedDescriptionKey: "cannot write \(url.path): \(String(cString: strerror(errno)))"])
    }

    /// Writes text as UTF-8; see ``write(_:to:)-(Data,_)``.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}
