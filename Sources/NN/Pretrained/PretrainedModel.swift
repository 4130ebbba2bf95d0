import Foundation
import LessonProtocol

/// Where pretrained models live on this machine.
///
/// `make model` puts each model in a folder of the project's `Models/` folder
/// (`Models/all-MiniLM-L6-v2/`: `config.json`, `model.safetensors`, `vocab.txt`, …). A lesson finds
/// it by name:
///
/// ```swift
/// let folder = try PretrainedModel.folder(named: "all-MiniLM-L6-v2")
/// ```
public enum PretrainedModel {
    /// The folder of the model `name`.
    ///
    /// It is `$CUADERNO_MODELS/<name>` when that variable is set; otherwise the first
    /// `Models/<name>` folder found in the current folder or one of its parents.
    ///
    /// - Throws: ``PretrainedModelError`` when there is no such folder; its description says how
    ///   to get the model (`make model`) and where it looked.
    public static func folder(named name: String) throws -> URL {
        try folder(named: name, environment: ProcessInfo.processInfo.environment,
                   currentFolder: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
    }

    /// ``folder(named:)`` with the environment and current folder given, for tests.
    static func folder(named name: String, environment: [String: String], currentFolder: URL) throws -> URL {
        var searched: [URL] = []
        if let models = environment[RuntimeContract.modelsFolderVariable], !models.isEmpty {
            searched = [URL(fileURLWithPath: models, isDirectory: true).appendingPathComponent(name, isDirectory: true)]
        } else {
            var folder = currentFolder.standardizedFileURL
            while true {
                searched.append(folder.appendingPathComponent("Models", isDirectory: true).appendingPathComponent(name, isDirectory: true))
                let parent = folder.deletingLastPathComponent().standardizedFileURL
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        if let found = searched.first(where: isFolder) { return found }
        let shown = searched.count > 3 ? [searched[0].path, "…", searched[searched.count - 1].path] : searched.map(\.path)
        throw PretrainedModelError(path: name, problem: .notOnThisMachine(name: name, searched: shown))
    }

    private static func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
