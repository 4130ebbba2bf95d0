import Foundation
import LessonEngine

/// The folder notebooks are exported to: one `<slug>.ipynb` per lesson, each written atomically.
///
/// A file is replaced only when it is one of our exports of the same version — its metadata has
/// a `cuaderno` object (``NotebookMetadata/cuadernoKey``) naming that version. Anything else
/// there (a notebook someone saved, an export of the other version) is left alone, with an error
/// naming it; so exporting the reference can never put solutions where learners' notebooks were.
public struct NotebookFolder: Sendable {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The notebook file of a lesson.
    public func file(slug: String) -> URL {
        directory.appendingPathComponent(slug + ".ipynb")
    }

    /// Throws for the first of the lessons' files that exists and may not be replaced.
    public func checkReplaceable(slugs: [String], version: NotebookVersion) throws(NotebookFolderError) {
        for slug in slugs {
            let url = file(slug: slug)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            switch Self.exportVersion(of: url) {
            case version?:
                continue
            case let other?:
                throw .otherVersion(path: Course.displayPath(of: url), found: other, writing: version)
            case nil:
                throw .notAnExport(path: Course.displayPath(of: url))
            }
        }
    }

    /// Writes a lesson's notebook, unless a file there may not be replaced.
    public func write(_ notebook: Notebook) throws(NotebookFolderError) {
        try checkReplaceable(slugs: [notebook.metadata.slug], version: notebook.metadata.version)
        let url = file(slug: notebook.metadata.slug)
        do {
            try AtomicFile.write(notebook.json.text, to: url)
        } catch {
            throw .cannotWrite(path: Course.displayPath(of: url), reason: error.localizedDescription)
        }
    }

    /// The version of a Cuaderno export at `url`; nil for any other file.
    static func exportVersion(of url: URL) -> NotebookVersion? {
        guard let data = try? Data(contentsOf: url),
              let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let metadata = document["metadata"] as? [String: Any],
              let ours = metadata[NotebookMetadata.cuadernoKey] as? [String: Any],
              let version = ours["version"] as? String
        else { return nil }
        return NotebookVersion(rawValue: version)
    }
}

/// Why a notebook was not written.
public enum NotebookFolderError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A file that Cuaderno did not export is where the notebook would go.
    case notAnExport(path: String)
    /// An export of the other version is there.
    case otherVersion(path: String, found: NotebookVersion, writing: NotebookVersion)
    /// The file system refused.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .notAnExport(let path):
            "will not overwrite \(path): it exists and is not a notebook exported by Cuaderno. "
                + "Move it away, or export into another folder with --to."
        case .otherVersion(let path, let found, let writing):
            "will not overwrite \(path): it holds the \(found.rawValue) version of the lesson, and this export "
                + "writes the \(writing.rawValue) version. Export into another folder with --to, or delete it first."
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}
