import Foundation

/// One learner's workbook in a class folder: the files `cuaderno start` made, as the learner
/// edited them.
public struct Submission: Sendable, Equatable {
    /// The learner, named by the folder (`alice` for `submissions/alice/`).
    public var learner: String
    public var folder: URL

    public init(learner: String, folder: URL) {
        self.learner = learner
        self.folder = folder
    }
}

/// Which slice of a class one grading run takes, `i/n` (`--shard 2/4`): the learners whose
/// name hashes to `i − 1` modulo `n`. The hash (FNV-1a of the name's UTF-8 bytes) never depends on
/// the other names, so adding a learner never moves anyone else to another shard.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public var index: Int
    public var count: Int

    public static let whole = Shard(index: 1, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Reads `i/n` with 1 ≤ i ≤ n; nil otherwise.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              count >= 1, (1...count).contains(index) else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether this shard grades `learner`.
    public func contains(_ learner: String) -> Bool {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in learner.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return Int(hash % UInt64(count)) == index - 1
    }
}

/// The submissions of a class: every sub-folder of the class folder, in name order.
public enum ClassFolder {
    /// The learners' folders in `folder` (hidden folders and plain files are skipped), sorted by name.
    public static func submissions(in folder: URL) throws -> [Submission] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        return names.filter { name in
            var isDirectory: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }
        .sorted()
        .map { Submission(learner: $0, folder: folder.appendingPathComponent($0, isDirectory: true)) }
    }
}
