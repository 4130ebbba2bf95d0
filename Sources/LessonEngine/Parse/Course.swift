import Foundation

/// The lessons of a course: the Markdown files in its lessons folder whose names start with a
/// number (`01-self-attention.md`), in the order of that number.
public struct Course: Sendable {
    /// The lessons folder.
    public var directory: URL
    /// The lesson files, in course order.
    public var lessonFiles: [URL]

    /// A problem with the course folder or the lessons asked for.
    public struct Problem: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Finds the lessons in `directory`.
    public init(directory: URL) throws(Problem) {
        self.directory = directory
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw Problem(description: "cannot read the lessons folder \(directory.path): it does not exist or is not readable")
        }
        let lessons = names.compactMap { name -> (Int, String)? in
            guard name.hasSuffix(".md"), let number = Self.number(of: name) else { return nil }
            return (number, name)
        }
        lessonFiles = lessons.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { directory.appendingPathComponent($0.1) }
    }

    /// The leading number of a lesson file name (`01-self-attention.md` → 1).
    public static func number(of name: String) -> Int? {
        let digits = name.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, name.dropFirst(digits.count).first == "-" else { return nil }
        return Int(digits)
    }

    /// The lessons a command names: a number (`1`), a name (`01-self-attention`) or a path; all
    /// lessons when none is named.
    public func select(_ requests: [String]) throws(Problem) -> [URL] {
        guard !requests.isEmpty else { return lessonFiles }
        var selected: [URL] = []
        for request in requests {
            let match = lessonFiles.first { file in
                let name = file.deletingPathExtension().lastPathComponent
                return name == request || file.lastPathComponent == request
                    || (Int(request).map { Self.number(of: name) == $0 } ?? false)
                    || file.standardizedFileURL.path == URL(fileURLWithPath: request).standardizedFileURL.path
            }
            guard let match else {
                let available = lessonFiles.map { $0.deletingPathExtension().lastPathComponent }
                throw Problem(description: "no lesson '\(request)' in \(directory.path); lessons: "
                    + (available.isEmpty ? "none" : available.joined(separator: ", ")))
            }
            if !selected.contains(match) { selected.append(match) }
        }
        return selected
    }

    /// How messages name a lesson file: relative to the current folder when it is inside it.
    public static func displayPath(of file: URL) -> String {
        let current = FileManager.default.currentDirectoryPath
        let path = file.standardizedFileURL.path
        if path.hasPrefix(current + "/") {
            return String(path.dropFirst(current.count + 1))
        }
        return path
    }
}
