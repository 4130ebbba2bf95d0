import Foundation
import TensorCore

/// A tensor's elements as the little-endian bytes of a safetensors file, and back.
enum TensorBytes {
    /// Appends the elements of `tensor` in row-major order: 8-byte IEEE doubles (F64), 4-byte
    /// floats (F32), 8-byte two's-complement integers (I64), or one byte 0 or 1 per bool (BOOL).
    static func append(_ tensor: Tensor, to data: inout Data) {
        switch tensor.dtype {
        case .float64: appendLittleEndian(tensor.scalars.map(\.bitPattern), to: &data)
        // float32 elements pass through Double exactly, both ways.
        case .float32: appendLittleEndian(tensor.scalars.map { Float($0).bitPattern }, to: &data)
        case .int64: appendLittleEndian(tensor.indices.map { UInt64(bitPattern: Int64($0)) }, to: &data)
        case .bool: data.append(contentsOf: tensor.scalars.map { $0 != 0 ? 1 : 0 })
        }
    }

    private static func appendLittleEndian<Word: FixedWidthInteger>(_ words: [Word], to data: inout Data) {
        words.map(\.littleEndian).withUnsafeBufferPointer { data.append($0) }
    }

    /// The tensor whose elements are `bytes`, which hold exactly `shape`'s count of `dtype` elements.
    static func tensor(from bytes: UnsafeRawBufferPointer, dtype: DType, shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        switch dtype {
        case .float64:
            let values = words(UInt64.self, count: count, in: bytes).map(Double.init(bitPattern:))
            return Tensor(shape: shape, scalars: values, dtype: .float64)
        case .float32:
            let values = words(UInt32.self, count: count, in: bytes).map { Double(Float(bitPattern: $0)) }
            return Tensor(shape: shape, scalars: values, dtype: .float32)
        case .int64:
            return Tensor(shape: shape, indices: words(UInt64.self, count: count, in: bytes).map { Int(Int64(bitPattern: $0)) })
        case .bool:
            // Any non-zero byte is true, as NumPy reads a bool array's bytes.
            return Tensor(shape: shape, scalars: bytes.prefix(count).map { $0 == 0 ? 0 : 1 }, dtype: .bool)
        }
    }

    private static func words<Word: FixedWidthInteger>(_: Word.Type, count: Int, in bytes: UnsafeRawBufferPointer) -> [Word] {
        (0..<count).map { index in
            Word(littleEndian: bytes.loadUnaligned(fromByteOffset: index * MemoryLayout<Word>.size, as: Word.self))
        }
    }
}

extension DType {
    /// The name of this element type in a safetensors header.
    var safetensorsName: String {
        switch self {
        case .float64: "F64"
        case .float32: "F32"
        case .int64: "I64"
        case .bool: "BOOL"
        }
    }

    /// The element type a safetensors header names, or nil for one a tensor cannot hold.
    init?(safetensorsName name: String) {
        switch name {
        case "F64": self = .float64
        case "F32": self = .float32
        case "I64": self = .int64
        case "BOOL": self = .bool
        default: return nil
        }
    }

    /// The size of one element in a file, in bytes.
    var byteWidth: Int {
        switch self {
        case .float64, .int64: 8
        case .float32: 4
        case .bool: 1
        }
    }
}
