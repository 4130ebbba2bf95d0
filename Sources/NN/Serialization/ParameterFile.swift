import Foundation
import TensorCore

/// Named tensors saved to and read from a file in the safetensors format
/// (https://huggingface.co/docs/safetensors), the one Hugging Face models are shared in: Python
/// reads our files with `safetensors.numpy.load_file`, and we read theirs.
///
/// ```swift
/// try ParameterFile.write([("weight", w), ("bias", b)], metadata: ["epochs": "10"],
///                         to: URL(fileURLWithPath: "classifier.safetensors"))
/// let (tensors, metadata) = try ParameterFile.read(from: URL(fileURLWithPath: "classifier.safetensors"))
/// ```
///
/// The file holds float64 (`F64`), float32 (`F32`), int64 (`I64`) and bool (`BOOL`) tensors
/// exactly, bit for bit; half-precision tensors (`F16`, `BF16`) in a file made elsewhere are read
/// as float32, which holds their values exactly. To save or restore a whole model, use ``Module/save(to:metadata:)`` and
/// ``Module/load(from:)``.
public enum ParameterFile {
    /// Writes tensors and string metadata to a file, replacing any file there.
    ///
    /// The same tensors and metadata always give the same bytes (see the layout in the source,
    /// `SafetensorsEncoding`). The file is written under a temporary name in the same folder and
    /// then renamed into place, so a reader never sees half a file and a failed write leaves any
    /// previous file as it was.
    ///
    /// - Parameters:
    ///   - tensors: the tensors with their names; names must be unique (their order does not matter).
    ///   - metadata: free-form text to keep alongside (the epoch, the learning rate…).
    ///   - url: the file to write, usually ending in `.safetensors`.
    /// - Throws: ``ParameterFileError`` for a repeated name or when the file cannot be written.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
                             to url: URL) throws {
        let bytes: Data
        do {
            bytes = try SafetensorsEncoding.encode(tensors, metadata: metadata)
        } catch let problem as ParameterFileError.Problem {
            throw ParameterFileError(path: url.path, problem: problem)
        }
        try replaceAtomically(url, with: bytes)
    }

    /// Reads the tensors and metadata of a file.
    ///
    /// - Returns: the tensors by name, with the shape and dtype they were saved with, and the
    ///   metadata (empty when the file has none).
    /// - Throws: ``ParameterFileError`` when the file cannot be read or is malformed: too short,
    ///   a header length past its end, a header that is not the expected JSON, an element type
    ///   other than F64, F32, F16, BF16, I64 and BOOL, or data offsets out of range, of the wrong size,
    ///   overlapping or leaving bytes unclaimed. A bad file never crashes the program.
    public static func read(from url: URL) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let bytes: Data
        do {
            bytes = try Data(contentsOf: url)
        } catch {
            throw ParameterFileError(path: url.path, problem: .cannotRead(reason: systemErrorText(error)))
        }
        do {
            return try SafetensorsDecoding.decode(bytes)
        } catch let problem as ParameterFileError.Problem {
            throw ParameterFileError(path: url.path, problem: problem)
        }
    }

    /// Writes `bytes` to a temporary file beside `url`, then renames it to `url`: POSIX `rename`
    /// replaces the destination in one step.
    private static func replaceAtomically(_ url: URL, with bytes: Data) throws {
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try bytes.write(to: temporary)
        } catch {
            throw ParameterFileError(path: url.path, problem: .cannotWrite(reason: systemErrorText(error)))
        }
        guard rename(temporary.path, url.path) == 0 else {
            let failure = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ParameterFileError(path: url.path, problem: .cannotWrite(reason: failure))
        }
    }
}
