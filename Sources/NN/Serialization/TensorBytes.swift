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

    /// The tensor whose elements are `bytes`, which hold exactly `shape`'s count of `stored`
    /// elements. F64, F32, I64 and BOOL are copied as they are, in one block; F16 and BF16 are
    /// widened to float32, which holds every one of their values exactly.
    static func tensor(from bytes: UnsafeRawBufferPointer, stored: StoredElementType, shape: [Int]) -> Tensor {
        switch stored {
        case .float64: return Tensor(shape: shape, dtype: .float64, littleEndianBytes: bytes)
        case .float32: return Tensor(shape: shape, dtype: .float32, littleEndianBytes: bytes)
        case .int64: return Tensor(shape: shape, dtype: .int64, littleEndianBytes: bytes)
        case .bool: return Tensor(shape: shape, dtype: .bool, littleEndianBytes: bytes)
        case .float16: return widened(bytes, shape: shape, Self.float16)
        case .bfloat16: return widened(bytes, shape: shape) { Float(bitPattern: UInt32($0) << 16) }
        }
    }

    /// A float32 tensor from 2-byte little-endian elements, each widened by `widen`.
    private static func widened(_ bytes: UnsafeRawBufferPointer, shape: [Int], _ widen: (UInt16) -> Float) -> Tensor {
        let count = bytes.count / 2
        let floats = (0..<count).map { index in
            widen(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * index, as: UInt16.self)))
        }
        return floats.withUnsafeBytes { Tensor(shape: shape, dtype: .float32, littleEndianBytes: $0) }
    }

    /// The value of an IEEE 754 half-precision number (1 sign bit, 5 exponent bits with bias 15,
    /// 10 fraction bits), written out rather than through `Float16`, which some platforms lack.
    static func float16(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 == 0 ? 1 : -1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24                        // zero and subnormals: fraction · 2⁻²⁴
        case 0x1F: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}

/// The element types a safetensors file may hold that Cuaderno reads, by their header names.
enum StoredElementType {
    case float64, float32, float16, bfloat16, int64, bool

    /// The type a header names (`"F32"`), or nil for one Cuaderno does not read (I32, U8, F8…).
    init?(safetensorsName name: String) {
        switch name {
        case "F64": self = .float64
        case "F32": self = .float32
        case "F16": self = .float16
        case "BF16": self = .bfloat16
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
        case .float16, .bfloat16: 2
        case .bool: 1
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

    /// The size of one element in a file, in bytes.
    var byteWidth: Int {
        switch self {
        case .float64, .int64: 8
        case .float32: 4
        case .bool: 1
        }
    }
}
