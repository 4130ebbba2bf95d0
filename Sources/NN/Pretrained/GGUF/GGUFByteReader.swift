/// Reads a GGUF file's little-endian numbers and strings from its bytes, in order, checking each
/// read against the end of the file: a file cut short is a ``GGUFFileError/Problem/truncated``
/// naming what was being read, never a read out of bounds.
struct GGUFByteReader {
    let bytes: UnsafeRawBufferPointer
    /// The offset of the next byte to read.
    private(set) var position = 0
    /// What is being read, for the error when the file ends ("tensor info 3").
    var reading = "the header"

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Checks that `count` more bytes are there and returns where they start.
    private mutating func claim(_ count: Int) throws -> Int {
        let start = position
        let (end, overflow) = start.addingReportingOverflow(count)
        guard count >= 0, !overflow, end <= bytes.count else {
            throw GGUFFileError.Problem.truncated(reading: reading, needsBytesUpTo: overflow ? Int.max : end,
                                                  fileSize: bytes.count)
        }
        position = end
        return start
    }

    mutating func read<Value: FixedWidthInteger>(_: Value.Type) throws -> Value {
        let start = try claim(MemoryLayout<Value>.size)
        return Value(littleEndian: bytes.loadUnaligned(fromByteOffset: start, as: Value.self))
    }

    mutating func readFloat() throws -> Float { Float(bitPattern: try read(UInt32.self)) }

    mutating func readDouble() throws -> Double { Double(bitPattern: try read(UInt64.self)) }

    /// A length as a Swift `Int`; a length that cannot fit (past `Int.max`) cannot fit in the file either.
    mutating func readLength() throws -> Int {
        let length = try read(UInt64.self)
        guard let count = Int(exactly: length) else {
            throw GGUFFileError.Problem.truncated(reading: reading, needsBytesUpTo: Int.max, fileSize: bytes.count)
        }
        return count
    }

    /// A GGUF string: a `UINT64` byte count, then that many bytes of UTF-8 (no terminating zero).
    mutating func readString() throws -> String {
        let count = try readLength()
        let start = try claim(count)
        let text = UnsafeRawBufferPointer(rebasing: bytes[start..<(start + count)])
        guard let string = String(validating: text, as: UTF8.self) else {
            throw GGUFFileError.Problem.invalidText(reading: reading)
        }
        return string
    }

    /// Moves to the next multiple of `alignment` (measured from the start of the file).
    mutating func align(to alignment: Int) {
        position = (position + alignment - 1) / alignment * alignment
    }
}
