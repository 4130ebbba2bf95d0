/// The type of a GGUF metadata value, as the file numbers it (`gguf_type` in ggml's `gguf.h`).
public enum GGUFValueType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case uint8 = 0, int8 = 1, uint16 = 2, int16 = 3, uint32 = 4, int32 = 5, float32 = 6, bool = 7
    case string = 8, array = 9, uint64 = 10, int64 = 11, float64 = 12

    /// The name the GGUF specification uses (`UINT32`, `STRING`…).
    public var description: String {
        switch self {
        case .uint8: "UINT8"
        case .int8: "INT8"
        case .uint16: "UINT16"
        case .int16: "INT16"
        case .uint32: "UINT32"
        case .int32: "INT32"
        case .float32: "FLOAT32"
        case .bool: "BOOL"
        case .string: "STRING"
        case .array: "ARRAY"
        case .uint64: "UINT64"
        case .int64: "INT64"
        case .float64: "FLOAT64"
        }
    }

    /// The bytes one value of this type takes in the file, or nil when it varies (strings, arrays).
    var fixedByteWidth: Int? {
        switch self {
        case .uint8, .int8, .bool: 1
        case .uint16, .int16: 2
        case .uint32, .int32, .float32: 4
        case .uint64, .int64, .float64: 8
        case .string, .array: nil
        }
    }
}

/// One value of a GGUF file's metadata (`llama.block_count` → `.uint32(30)`), with the type the
/// file stores it as.
///
/// The accessors read a value whatever its integer or float width:
/// ```swift
/// file.metadata["llama.block_count"]?.integer          // 30
/// file.metadata["llama.rope.freq_base"]?.number        // 100000.0
/// file.metadata["tokenizer.ggml.tokens"]?.strings?.count   // 49152
/// ```
/// (The `gguf` Python package's `GGUFReader.fields[key].contents()`.)
public indirect enum GGUFValue: Equatable, Sendable {
    case uint8(UInt8)
    case int8(Int8)
    case uint16(UInt16)
    case int16(Int16)
    case uint32(UInt32)
    case int32(Int32)
    case uint64(UInt64)
    case int64(Int64)
    case float32(Float)
    case float64(Double)
    case bool(Bool)
    case string(String)
    /// A list of values that all have `elementType` (which may itself be `.array`).
    case array(elementType: GGUFValueType, values: [GGUFValue])

    /// The type the file stores this value as.
    public var type: GGUFValueType {
        switch self {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    /// An integer value of any width, or nil for other values (and a `UINT64` beyond `Int.max`).
    public var integer: Int? {
        switch self {
        case .uint8(let value): Int(value)
        case .int8(let value): Int(value)
        case .uint16(let value): Int(value)
        case .int16(let value): Int(value)
        case .uint32(let value): Int(value)
        case .int32(let value): Int(value)
        case .uint64(let value): Int(exactly: value)
        case .int64(let value): Int(value)
        default: nil
        }
    }

    /// A number of any type (integer or float) as a `Double`, or nil for other values.
    /// A `FLOAT32` is widened exactly: `1e-5` stored as float32 reads `9.999999747378752e-06`.
    public var number: Double? {
        switch self {
        case .float32(let value): Double(value)
        case .float64(let value): value
        case .uint64(let value): Double(value)
        default: integer.map(Double.init)
        }
    }

    /// A `BOOL` value, or nil.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// A `STRING` value, or nil.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The elements of an `ARRAY`, or nil.
    public var array: [GGUFValue]? {
        if case .array(_, let values) = self { return values }
        return nil
    }

    /// The elements of an array of strings, or nil for any other value.
    public var strings: [String]? {
        guard case .array(.string, let values) = self else { return nil }
        return values.map { $0.string ?? "" }
    }

    /// The elements of an array of integers (of any width), or nil for any other value.
    public var integers: [Int]? {
        guard case .array(let type, let values) = self, type != .string, type != .array, type != .bool,
              type != .float32, type != .float64 else { return nil }
        let integers = values.compactMap(\.integer)
        return integers.count == values.count ? integers : nil
    }
}
