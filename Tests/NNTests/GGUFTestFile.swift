import Foundation

/// Writes small GGUF files byte by byte for the tests, from the layout in ggml's `docs/gguf.md`,
/// without the reader's code: a header, metadata entries, tensor infos, padding, tensor data.
/// Every part can be set wrong on purpose (magic, version, a type number, an offset).
struct GGUFTestFile {
    var magic: [UInt8] = Array("GGUF".utf8)
    var version: UInt32 = 3
    /// Each entry: the key, the value type's number, and the value's bytes.
    var metadata: [(key: String, type: UInt32, value: [UInt8])] = []
    /// Each tensor: name, dimensions (ggml's order, fastest first), type number, data bytes, and an
    /// offset that replaces the one computed (to write a wrong one).
    var tensors: [(name: String, dimensions: [Int], type: UInt32, data: [UInt8], offset: Int?)] = []
    /// The alignment the data is laid out with (write `general.alignment` too when it is not 32).
    var alignment = 32

    mutating func add(_ key: String, _ type: UInt32, _ value: [UInt8]) {
        metadata.append((key, type, value))
    }

    mutating func addTensor(_ name: String, _ dimensions: [Int], type: UInt32, data: [UInt8], offset: Int? = nil) {
        tensors.append((name, dimensions, type, data, offset))
    }

    /// The file's bytes.
    var bytes: [UInt8] {
        var out = magic + Self.le(version) + Self.le(UInt64(tensors.count)) + Self.le(UInt64(metadata.count))
        for entry in metadata {
            out += Self.string(entry.key) + Self.le(entry.type) + entry.value
        }
        var offsets: [Int] = []
        var next = 0
        for tensor in tensors {
            offsets.append(next)
            next = Self.padded(next + tensor.data.count, to: alignment)
        }
        for (tensor, offset) in zip(tensors, offsets) {
            out += Self.string(tensor.name) + Self.le(UInt32(tensor.dimensions.count))
            for dimension in tensor.dimensions { out += Self.le(UInt64(dimension)) }
            out += Self.le(tensor.type) + Self.le(UInt64(tensor.offset ?? offset))
        }
        out += [UInt8](repeating: 0, count: Self.padded(out.count, to: alignment) - out.count)
        let dataStart = out.count
        for (tensor, offset) in zip(tensors, offsets) {
            out += [UInt8](repeating: 0, count: dataStart + offset - out.count)
            out += tensor.data
        }
        return out
    }

    /// Writes the bytes to a new file in a fresh temporary folder and returns its URL.
    func write(named name: String = "test.gguf") throws -> URL {
        let url = try temporaryFolder().appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    // MARK: Encoding

    static func le<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        withUnsafeBytes(of: value.littleEndian) { Array($0) }
    }

    static func string(_ text: String) -> [UInt8] {
        le(UInt64(text.utf8.count)) + Array(text.utf8)
    }

    static func float32(_ value: Float) -> [UInt8] { le(value.bitPattern) }

    static func float64(_ value: Double) -> [UInt8] { le(value.bitPattern) }

    /// An array value: element type, count, then the elements' bytes.
    static func array(_ elementType: UInt32, _ elements: [[UInt8]]) -> [UInt8] {
        le(elementType) + le(UInt64(elements.count)) + elements.flatMap { $0 }
    }

    static func padded(_ offset: Int, to alignment: Int) -> Int {
        (offset + alignment - 1) / alignment * alignment
    }
}
