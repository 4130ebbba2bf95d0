/// Where a tensor of a GGUF file is, and what it holds: its name, dimensions, element type and
/// the offset of its data.
public struct GGUFTensorInfo: Equatable, Sendable {
    /// The tensor's name (`blk.0.attn_q.weight`).
    public let name: String
    /// The dimensions as the file stores them, ggml's `ne`: the first is the one whose elements
    /// are next to each other in memory. A matrix of 576 rows of 1536 numbers is `[1536, 576]`.
    public let dimensions: [Int]
    /// The element type (`F32`, `Q4_1`…).
    public let type: GGMLType
    /// Where the data starts, in bytes from the start of the file's tensor data
    /// (``GGUFFile/dataOffset``).
    public let offset: Int

    /// The shape in row-major order, as NumPy, PyTorch and `Tensor` write it: ``dimensions``
    /// reversed. The `[1536, 576]` of the file is shape `[576, 1536]`: 576 rows of 1536.
    /// (The `gguf` Python package's `ReaderTensor.data.shape`.)
    public var shape: [Int] { dimensions.reversed() }

    /// The number of elements.
    public var elementCount: Int { dimensions.reduce(1, *) }

    /// The bytes the data takes in the file, or nil for a type whose block size is not known.
    public var byteCount: Int? {
        guard let blockSize = type.blockSize, let bytesPerBlock = type.bytesPerBlock else { return nil }
        return elementCount / blockSize * bytesPerBlock
    }
}
