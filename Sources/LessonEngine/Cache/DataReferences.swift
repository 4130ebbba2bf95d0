import Foundation

/// The data a lesson reads, as far as its code says so: files and folders named by string
/// literals in its cells.
///
/// A literal counts when, taken as a path relative to the lesson's folder (where lessons run),
/// it names an existing file or folder inside that folder (`"data/digits.csv"`, `"data"`), or
/// when it is the name of a folder in the models folder (`"all-MiniLM-L6-v2"`). A path built at
/// run time is not seen; such a lesson should name its file in a literal, or be rendered with
/// `--no-cache` after its data changes.
public enum DataReferences {
    /// A file or folder a lesson names.
    public struct Reference: Sendable, Equatable {
        /// How the key names it: the literal, or `models/NAME`.
        public var name: String
        public var url: URL
        public var isDirectory: Bool
    }

    /// The data files and folders `lesson` names, sorted by name, each once.
    public static func find(in lesson: Lesson, modelsDirectory: URL?) -> [Reference] {
        let lessonFolder = lesson.fileURL.deletingLastPathComponent().standardizedFileURL
        var found: [String: Reference] = [:]
        for cell in lesson.cells where cell.runs {
            for literal in stringLiterals(in: cell.code) {
                if let local = resolve(literal, in: lessonFolder) {
                    found[literal] = Reference(name: literal, url: local.url, isDirectory: local.isDirectory)
                } else if let modelsDirectory, !literal.contains("/"), !literal.hasPrefix("."),
                          let model = resolve(literal, in: modelsDirectory.standardizedFileURL), model.isDirectory {
                    found["models/" + literal] = Reference(name: "models/" + literal, url: model.url, isDirectory: true)
                }
            }
        }
        return found.values.sorted { $0.name < $1.name }
    }

    /// The existing file or folder `literal` names inside `folder`, never outside it.
    private static func resolve(_ literal: String, in folder: URL) -> (url: URL, isDirectory: Bool)? {
        guard !literal.isEmpty, !literal.hasPrefix("/"), literal != ".", literal.count < 256 else { return nil }
        let url = folder.appendingPathComponent(literal).standardizedFileURL
        guard url.path.hasPrefix(folder.path + "/") else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return nil }
        return (url, isDirectory.boolValue)
    }

    /// The plain string literals in Swift code: `"…"` on one line, without escapes or
    /// interpolation (literals in comments count too; an extra name only makes the key longer).
    static func stringLiterals(in code: String) -> [String] {
        var literals: [String] = []
        for line in code.split(separator: "\n") {
            var current: String?
            var escaped = false
            for character in line {
                if var text = current {
                    if escaped {
                        text.append(character)
                        escaped = false
                        current = text
                    } else if character == "\\" {
                        escaped = true
                        text.append(character)
                        current = text
                    } else if character == "\"" {
                        if !text.contains("\\") { literals.append(text) }
                        current = nil
                    } else {
                        text.append(character)
                        current = text
                    }
                } else if character == "\"" {
                    current = ""
                }
            }
        }
        return literals
    }
}

/// Where pretrained models live: the `Models` folder of the Cuaderno package, handed to lesson
/// programs in ``RuntimeContract/modelsFolderVariable`` (`CUADERNO_MODELS`).
public enum PretrainedModels {
    /// The models folder of a Cuaderno checkout.
    public static func directory(packageRoot: URL) -> URL {
        packageRoot.appendingPathComponent("Models", isDirectory: true)
    }
}
