import Foundation
import TensorCore

/// The fortunes of Debian's `fortunes` package that lesson 10's tiny GPT learns to write: 13,346
/// short sayings, jokes, quotations and definitions, split once, the same way every time, into a
/// training part (90 %) and a validation part (10 %).
///
/// ```swift
/// let fortunes = try Fortunes.load(from: "data/fortunes")
/// fortunes.train.count        // 12,011
/// fortunes.train[0]           // "7:30, Channel 5: The Bionic Dog (Action/Adventure)\n\t…"
/// ```
///
/// `make data` (`Scripts/fetch_data.py`) writes `fortunes.txt`: the package's files minus
/// `ethnic`, `men-women`, `drugs` and `ascii-art`, and minus any fortune with a character that is
/// not printable ASCII, a tab or a newline; each fortune is followed by a line holding only `%`,
/// as in the package's own files.
public struct Fortunes: Sendable {
    public static let fileName = "fortunes.txt"
    public static let pinnedByteCount = 2_271_656
    /// The seed of the one split into training and validation fortunes.
    public static let splitSeed: UInt32 = 0
    public static let validationFraction = 0.1

    /// Every fortune, in the file's order.
    public let all: [String]
    public let train: [String]
    public let validation: [String]

    /// Reads `fortunes.txt` from `folder` (a lesson passes `"data/fortunes"`).
    ///
    /// - Throws: ``DataFileError`` when the file is missing (it says to run `make data`), cannot be
    ///   read, or is not the pinned file's size.
    public static func load(from folder: String) throws -> Fortunes {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            throw DataFileError(
                path: path, line: nil,
                message: "the fortunes are not on this machine. Run `make data` in the Cuaderno folder "
                    + "(fetches Debian's 0.8 MB fortunes package once, verified by SHA-256), then run the lesson again. "
                    + "(Looked for \(absolute).)")
        }
        let bytes: Data
        do {
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DataFileError(path: path, line: nil, message: "cannot read the file (\(systemErrorText(error)))")
        }
        guard bytes.count == pinnedByteCount else {
            throw DataFileError(
                path: path, line: nil,
                message: "the file has \(bytes.count) bytes, but the fortunes have \(pinnedByteCount): it was cut short or altered. "
                    + "Run `make data` to fetch it again (`python3 Scripts/fetch_data.py --check` says what differs).")
        }
        return Fortunes(String(decoding: bytes, as: UTF8.self))
    }

    /// The fortunes of a text in the package's format: fortunes separated by lines holding only `%`.
    public init(_ text: String) {
        all = text.components(separatedBy: "\n%\n").map { $0.trimmingCharacters(in: .newlines) }
            .filter { !$0.isEmpty && $0 != "%" }
        // One held-out part: the split's "test" part serves as the validation fortunes.
        let split = trainValidationTestSplit(count: all.count, validationFraction: 0,
                                             testFraction: Self.validationFraction, seed: Self.splitSeed)
        (train, _, validation) = split.parts(of: all)
    }
}
