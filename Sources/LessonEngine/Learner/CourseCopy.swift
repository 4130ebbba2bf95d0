import Foundation

/// Copies a course for learners — the learner's version of every lesson, and the lessons folder's
/// other files (such as `data/`) as they are — into a folder, never replacing a file the learner
/// has edited.
///
/// The destination keeps a manifest (`.cuaderno-manifest.json`) with a fingerprint of every file
/// Cuaderno wrote there. A file whose contents still match its fingerprint is Cuaderno's own and
/// may be brought up to date; any other existing file that would change is someone's work, and
/// it is kept.
public struct CourseCopy: Sendable {
    /// The manifest's file name inside the destination.
    public static let manifestName = ".cuaderno-manifest.json"

    /// What copying would do to one file.
    public enum Action: Equatable, Sendable {
        /// The file is new, or Cuaderno's own and out of date: it is written.
        case write
        /// The file is already exactly what would be written.
        case unchanged
        /// The file exists with other contents that Cuaderno did not write: it is kept.
        case keepEdited
    }

    /// One file of the copy.
    public struct Item: Sendable {
        /// The path inside the destination, e.g. `01-self-attention.md` or `data/digits.csv`.
        public var path: String
        public var contents: Data
        public var action: Action
    }

    public var destination: URL
    public var items: [Item]
    /// The destination's manifest as it was when the copy was planned.
    var manifest: Manifest

    /// Plans the copy of the course in `lessonsDirectory` into `destination`, or returns the
    /// mistakes that stop a lesson from being made into its learner's version.
    public static func plan(lessonsDirectory: URL, displayFolder: String, destination: URL)
        throws -> Result<CourseCopy, LessonErrors>
    {
        let course = try Course(directory: lessonsDirectory)
        let manifest = Manifest.read(in: destination)
        var items: [Item] = []
        var errors: [LessonError] = []
        let lessonNames = Set(course.lessonFiles.map(\.lastPathComponent))
        for file in course.lessonFiles {
            let name = file.lastPathComponent
            switch LessonParser().parse(fileURL: file, displayPath: "\(displayFolder)/\(name)") {
            case .failure(let problems):
                errors += problems.errors
            case .success(let lesson):
                let text = try String(contentsOf: file, encoding: .utf8)
                items.append(Item(path: name, contents: Data(LearnerVersion.make(from: lesson, text: text).utf8), action: .write))
            }
        }
        for path in try otherFiles(in: lessonsDirectory) where !lessonNames.contains(path) {
            items.append(Item(path: path, contents: try Data(contentsOf: lessonsDirectory.appendingPathComponent(path)),
                              action: .write))
        }
        guard errors.isEmpty else { return .failure(LessonErrors(errors)) }
        for index in items.indices {
            items[index].action = action(for: items[index], in: destination, manifest: manifest)
        }
        return .success(CourseCopy(destination: destination, items: items, manifest: manifest))
    }

    /// The files that would replace someone's edits.
    public var edited: [Item] { items.filter { $0.action == .keepEdited } }

    /// Writes every file whose action is `.write` (atomically), then the manifest.
    public func write() throws {
        var manifest = manifest
        for item in items {
            if item.action == .write {
                try AtomicFile.write(item.contents, to: destination.appendingPathComponent(item.path))
            }
            if item.action != .keepEdited {
                manifest.fingerprints[item.path] = Fingerprint.of(item.contents)
            }
        }
        try manifest.write(in: destination)
    }

    private static func action(for item: Item, in destination: URL, manifest: Manifest) -> Action {
        guard let existing = try? Data(contentsOf: destination.appendingPathComponent(item.path)) else { return .write }
        if existing == item.contents { return .unchanged }
        return manifest.fingerprints[item.path] == Fingerprint.of(existing) ? .write : .keepEdited
    }

    /// Every file under `directory` that is not hidden, as relative paths, sorted.
    private static func otherFiles(in directory: URL) throws -> [String] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var paths: [String] = []
        let base = directory.standardizedFileURL.path + "/"
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let path = url.standardizedFileURL.path
            if path.hasPrefix(base) { paths.append(String(path.dropFirst(base.count))) }
        }
        return paths.sorted()
    }
}

/// The fingerprints of the files Cuaderno wrote into a folder.
struct Manifest: Codable {
    var fingerprints: [String: String] = [:]

    static func read(in folder: URL) -> Manifest {
        let url = folder.appendingPathComponent(CourseCopy.manifestName)
        guard let data = try? Data(contentsOf: url), let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else {
            return Manifest()
        }
        return manifest
    }

    func write(in folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(try encoder.encode(self), to: folder.appendingPathComponent(CourseCopy.manifestName))
    }
}

/// A fingerprint of a file's contents: 64-bit FNV-1a, enough to notice that a file changed
/// (it guards against accidents, not against someone forging a file).
enum Fingerprint {
    static func of(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return String(hash, radix: 16)
    }
}
