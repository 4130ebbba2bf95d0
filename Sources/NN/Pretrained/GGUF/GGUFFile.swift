import Foundation
import TensorCore

/// A GGUF file — the single-file model format of llama.cpp and ggml — opened for reading: its
/// metadata, the list of its tensors, and each tensor dequantised to float32 on request.
///
/// ```swift
/// let file = try GGUFFile.open(model: "SmolLM2-135M-Instruct", file: "SmolLM2-135M-Instruct.Q4_1.gguf")
/// file.metadata["llama.block_count"]?.integer        // 30
/// let query = try file.tensor(named: "blk.0.attn_q.weight")   // [576, 576] float32, from Q4_1
/// ```
///
/// The layout (version 3, little-endian; ggml's `docs/gguf.md`):
/// ```
/// "GGUF"  version: UINT32 = 3  tensor count: UINT64  metadata count: UINT64
/// metadata:     key (string), value type (UINT32), value               × metadata count
/// tensor infos: name (string), dimension count (UINT32), dimensions (UINT64 each),
///               element type (UINT32, ggml_type), offset in the data (UINT64)   × tensor count
/// padding to a multiple of general.alignment (32 when the key is absent)
/// tensor data: each tensor at its offset, a multiple of the alignment
/// ```
/// A string is a `UINT64` byte count and that many bytes of UTF-8; an array is its element type
/// (`UINT32`), a `UINT64` count, then the elements.
///
/// The file is memory-mapped: opening it reads only the header, metadata and tensor infos (for
/// the 98 MB SmolLM2 file, the first 1.8 MB), and a tensor's bytes are read when it is asked for.
/// Everything is checked on opening, so a damaged file is an error naming it and never a read out
/// of bounds. (The `gguf` Python package's `GGUFReader`; llama.cpp's `gguf_init_from_file`.)
public struct GGUFFile: Sendable {
    /// The file, as it was given.
    public let path: String
    /// The GGUF version (always 3: other versions are refused).
    public let version: UInt32
    /// The metadata keys, in the order of the file.
    public let metadataKeys: [String]
    /// The metadata, by key (`general.architecture`, `llama.block_count`, `tokenizer.ggml.tokens`…).
    public let metadata: [String: GGUFValue]
    /// The alignment of the tensor data, in bytes: `general.alignment`, or 32 when it is absent.
    public let alignment: Int
    /// The tensors, in the order of the file.
    public let tensors: [GGUFTensorInfo]
    /// Where the tensor data starts, in bytes from the start of the file (a multiple of ``alignment``).
    public let dataOffset: Int

    private let bytes: Data
    private let index: [String: Int]

    /// Opens the GGUF file at `url` and reads its header, metadata and tensor infos.
    ///
    /// - Throws: ``GGUFFileError`` when the file cannot be read, is not GGUF, is not version 3,
    ///   was cut short, or is malformed; its description names the file and says what to do.
    public init(contentsOf url: URL) throws {
        let path = url.path
        do {
            // Mapped, not read: the pages of a tensor are read from disk when the tensor is.
            bytes = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw GGUFFileError(path: path, problem: .cannotRead(reason: systemErrorText(error)))
        }
        let layout: Layout
        do {
            layout = try bytes.withUnsafeBytes { try Self.parse($0) }
        } catch let problem as GGUFFileError.Problem {
            throw GGUFFileError(path: path, problem: problem)
        }
        self.path = path
        version = layout.version
        metadataKeys = layout.metadataKeys
        metadata = layout.metadata
        alignment = layout.alignment
        tensors = layout.tensors
        dataOffset = layout.dataOffset
        index = Dictionary(uniqueKeysWithValues: layout.tensors.enumerated().map { ($1.name, $0) })
    }

    /// Opens the GGUF file `fileName` of the model `name` that `make model` fetched into
    /// `Models/<name>/` (found as ``PretrainedModel/folder(named:)`` finds it).
    ///
    /// - Throws: ``PretrainedModelError`` when the model is not on this machine (its description
    ///   says to run `make model`); ``GGUFFileError`` when the file is missing or damaged.
    public static func open(model name: String, file fileName: String) throws -> GGUFFile {
        let folder = try PretrainedModel.folder(named: name)
        return try GGUFFile(contentsOf: folder.appendingPathComponent(fileName))
    }

    /// The info of the tensor `name`, or nil when the file has none of that name.
    public func info(named name: String) -> GGUFTensorInfo? {
        index[name].map { tensors[$0] }
    }

    /// The tensor `name`, dequantised to float32, in row-major order with shape
    /// ``GGUFTensorInfo/shape`` (the file's dimensions reversed).
    ///
    /// ```
    /// F32:   x                         F16:  x widened exactly
    /// Q8_0:  x[j] = d · q[j]           (blocks of 32: float16 d, 32 signed bytes q)
    /// Q4_1:  x[j] = d · q[j] + m       (blocks of 32: float16 d, float16 m, 16 bytes whose low
    ///                                   4 bits are q[0…15] and high 4 bits q[16…31])
    /// ```
    /// The products are computed in float32, as ggml's `dequantize_row_q8_0`/`_q4_1` do, so the
    /// values are those llama.cpp and the `gguf` Python package give.
    ///
    /// - Throws: ``GGUFFileError`` when there is no such tensor or its type is not one of F32,
    ///   F16, Q8_0 and Q4_1.
    public func tensor(named name: String) throws -> Tensor {
        guard let info = info(named: name) else {
            throw GGUFFileError(path: path, problem: .noSuchTensor(name: name))
        }
        return try tensor(info)
    }

    /// The tensor `info` describes, dequantised to float32 (see ``tensor(named:)``); `info` must be
    /// one of this file's ``tensors``.
    public func tensor(_ info: GGUFTensorInfo) throws -> Tensor {
        guard info.type.isReadable else {
            throw GGUFFileError(path: path, problem: .unsupportedTensorType(name: info.name, type: info.type))
        }
        return try withStoredBytes(of: info) { data in
            let values = GGUFDequantization.floats(data, type: info.type, count: info.elementCount)
            return values.withUnsafeBytes { Tensor(shape: info.shape, dtype: .float32, littleEndianBytes: $0) }
        }
    }

    /// Calls `body` with the bytes of the tensor `info` describes exactly as the file stores them
    /// (blocks of a quantised type, not dequantised); `info` must be one of this file's ``tensors``.
    /// The bytes are valid only during the call. (`LlamaModel` copies its weights out this way,
    /// quantised, and multiplies by them without ever dequantising the whole matrix.)
    ///
    /// - Throws: ``GGUFFileError`` when there is no such tensor or its type's block size is unknown.
    public func withStoredBytes<Result>(of info: GGUFTensorInfo,
                                        _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        // An info from another file would point at bytes this file may not have.
        guard let position = index[info.name], tensors[position] == info else {
            throw GGUFFileError(path: path, problem: .noSuchTensor(name: info.name))
        }
        guard let byteCount = info.byteCount else {
            throw GGUFFileError(path: path, problem: .unsupportedTensorType(name: info.name, type: info.type))
        }
        let start = dataOffset + info.offset
        return try bytes.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[start..<(start + byteCount)]))
        }
    }
}
