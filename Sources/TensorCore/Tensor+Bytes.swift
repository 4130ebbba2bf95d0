extension Tensor {
    /// A tensor whose elements are raw little-endian bytes in row-major order, as a file stores
    /// them (NumPy's `np.frombuffer(bytes, dtype="<f4").reshape(shape)`): 4-byte IEEE floats for
    /// `float32`, 8-byte doubles for `float64`, 8-byte two's-complement integers for `int64`, one
    /// byte per `bool` (any non-zero byte is true, as NumPy reads it).
    ///
    /// The bytes are copied once, without a per-element conversion on a little-endian machine: an
    /// 87 MB model file becomes tensors in a few milliseconds. They need no alignment.
    ///
    /// - Shapes: `shape`.
    /// - Precondition: `bytes` holds exactly `shape`'s element count times the element's width.
    public init(shape: [Int], dtype: DType, littleEndianBytes bytes: UnsafeRawBufferPointer,
                file: StaticString = #filePath, line: UInt = #line) {
        Tensor.checkShape(shape, operation: "Tensor(shape:dtype:littleEndianBytes:)", file: file, line: line)
        let count = shape.reduce(1, *)
        let width = switch dtype {
        case .float32: 4
        case .float64, .int64: 8
        case .bool: 1
        }
        guard bytes.count == count * width else {
            tensorFailure("Tensor(shape:dtype:littleEndianBytes:): shape \(describe(shape: shape)) of \(dtype) needs \(count * width) bytes, but \(bytes.count) were given",
                          file: file, line: line)
        }
        let storage: Storage = switch dtype {
        case .float32: .float32(Self.copied(Float.self, count: count, bytes))
        case .float64: .float64(Self.copied(Double.self, count: count, bytes))
        case .int64: .int64(Self.copied(Int64.self, count: count, bytes).map { Int($0) })
        case .bool: .bool(bytes.map { $0 != 0 })
        }
        self.init(shape: shape, storage: storage)
    }

    /// `count` elements copied from little-endian `bytes` in one block; on a big-endian machine
    /// each element's bytes are then reversed.
    private static func copied<Element: BitwiseCopyable>(_: Element.Type, count: Int, _ bytes: UnsafeRawBufferPointer) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { elements, initialized in
            if count > 0, let base = elements.baseAddress {
                HugePages.advise(base, count: count)
                let raw = UnsafeMutableRawBufferPointer(elements)
                raw.copyMemory(from: bytes)
                #if _endian(big)
                let width = MemoryLayout<Element>.size
                for start in stride(from: 0, to: raw.count, by: width) { raw[start..<(start + width)].reverse() }
                #endif
            }
            initialized = count
        }
    }
}
