import Foundation
import TensorCore

/// Writes the bytes of a safetensors file (https://huggingface.co/docs/safetensors):
///
/// ```
/// [8 bytes]  N, the header's length, an unsigned little-endian integer
/// [N bytes]  the header, JSON: {"__metadata__": {"key": "value", …},
///                               "name": {"dtype": "F64", "shape": [2, 3], "data_offsets": [0, 48]}, …}
///            padded with spaces so that the data starts at a multiple of 8 bytes
/// [rest]     the tensors' elements, little-endian, row-major, packed one after another;
///            data_offsets count from the start of this part
/// ```
///
/// The same tensors and metadata always give the same bytes: the tensors are laid out with the
/// widest elements first (int64, float64, then float32, then bool) and by name (byte order of
/// UTF-8) within a type, the metadata keys sorted. That is the reference library's order, so a
/// file we write is byte for byte the one Python's `safetensors` writes for the same arrays
/// (given at most one metadata key: the reference writes its metadata in hash-map order).
///
/// Wider elements first also keeps every tensor aligned to its element size, so a reader can use
/// the bytes in place: the data starts at a multiple of 8, and every tensor before a given one has
/// elements at least as wide, so its length is a multiple of that one's element size.
enum SafetensorsEncoding {
    /// The file's bytes.
    ///
    /// - Throws: ``ParameterFileError/Problem/duplicateName(_:)`` when two tensors share a name.
    static func encode(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String]) throws -> Data {
        var seen = Set<String>()
        for (name, _) in tensors where !seen.insert(name).inserted {
            throw ParameterFileError.Problem.duplicateName(name)
        }
        let ordered = tensors.sorted(by: layoutOrder)
        var entries: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.sorted { precedesInUTF8($0.key, $1.key) }
                .map { "\(jsonString($0.key)):\(jsonString($0.value))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        var offset = 0
        for (name, tensor) in ordered {
            let end = offset + tensor.count * tensor.dtype.byteWidth
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            entries.append(
                "\(jsonString(name)):{\"dtype\":\"\(tensor.dtype.safetensorsName)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        header += Array(repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)

        var data = Data(capacity: 8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for (_, tensor) in ordered {
            TensorBytes.append(tensor, to: &data)
        }
        return data
    }

    /// Wider elements first, then names in the byte order of their UTF-8.
    private static func layoutOrder(_ a: (name: String, tensor: Tensor), _ b: (name: String, tensor: Tensor)) -> Bool {
        let (rankA, rankB) = (layoutRank(a.tensor.dtype), layoutRank(b.tensor.dtype))
        if rankA != rankB { return rankA > rankB }
        return precedesInUTF8(a.name, b.name)
    }

    /// The reference library orders element types by its `Dtype` enumeration, which lists them
    /// from narrow to wide and puts I64 after F64.
    private static func layoutRank(_ dtype: DType) -> Int {
        switch dtype {
        case .bool: 0
        case .float32: 1
        case .float64: 2
        case .int64: 3
        }
    }

    private static func precedesInUTF8(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    /// `text` as a JSON string literal: quotation mark, backslash and control characters escaped
    /// (RFC 8259 §7), everything else — `/` and non-ASCII letters included — as it is, as the
    /// reference library writes it.
    static func jsonString(_ text: String) -> String {
        var literal = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": literal += "\\\""
            case "\\": literal += "\\\\"
            case "\n": literal += "\\n"
            case "\r": literal += "\\r"
            case "\t": literal += "\\t"
            case "\u{08}": literal += "\\b"
            case "\u{0C}": literal += "\\f"
            case _ where scalar.value < 0x20: literal += String(format: "\\u%04x", scalar.value)
            default: literal.unicodeScalars.append(scalar)
            }
        }
        return literal + "\""
    }
}
