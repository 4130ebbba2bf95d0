extension GGUFFile {
    /// The header, metadata and tensor infos of a GGUF file's bytes, checked (layout in
    /// ``GGUFFile``).
    ///
    /// - Throws: a ``GGUFFileError/Problem``.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> Layout {
        var reader = GGUFByteReader(bytes)
        guard bytes.count >= 4, Array(bytes.prefix(4)) == Array("GGUF".utf8) else {
            throw GGUFFileError.Problem.notGGUF(firstBytes: Array(bytes.prefix(4)))
        }
        _ = try reader.read(UInt32.self)
        let version = try reader.read(UInt32.self)
        guard version == 3 else { throw GGUFFileError.Problem.unsupportedVersion(version) }
        let tensorCount = try reader.readLength()
        let metadataCount = try reader.readLength()

        var metadata: [String: GGUFValue] = [:]
        var keys: [String] = []
        for index in 0..<metadataCount {
            reader.reading = "the key of metadata entry \(index)"
            let key = try reader.readString()
            reader.reading = "the value of metadata key \"\(key)\""
            let value = try readValue(&reader, key: key)
            guard metadata.updateValue(value, forKey: key) == nil else { throw GGUFFileError.Problem.duplicateKey(key) }
            keys.append(key)
        }
        let alignment = try checkedAlignment(metadata["general.alignment"])

        var tensors: [GGUFTensorInfo] = []
        var seen = Set<String>()
        tensors.reserveCapacity(min(tensorCount, bytes.count / 24))
        for index in 0..<tensorCount {
            reader.reading = "tensor info \(index)"
            let info = try readTensorInfo(&reader, alignment: alignment)
            guard seen.insert(info.name).inserted else { throw GGUFFileError.Problem.duplicateTensorName(info.name) }
            tensors.append(info)
        }
        reader.align(to: alignment)
        let dataOffset = reader.position
        for info in tensors {
            let begin = dataOffset + info.offset
            let end = begin + (info.byteCount ?? 0)
            guard end <= bytes.count else {
                throw GGUFFileError.Problem.tensorDataOutOfRange(name: info.name, begin: begin, end: end, fileSize: bytes.count)
            }
        }
        return Layout(version: version, metadataKeys: keys, metadata: metadata, alignment: alignment,
                      tensors: tensors, dataOffset: dataOffset)
    }

    /// What ``parse(_:)`` finds.
    struct Layout {
        var version: UInt32
        var metadataKeys: [String]
        var metadata: [String: GGUFValue]
        var alignment: Int
        var tensors: [GGUFTensorInfo]
        var dataOffset: Int
    }

    // MARK: Metadata

    private static func readValue(_ reader: inout GGUFByteReader, key: String) throws -> GGUFValue {
        let raw = try reader.read(UInt32.self)
        guard let type = GGUFValueType(rawValue: raw) else {
            throw GGUFFileError.Problem.unknownValueType(key: key, rawType: raw)
        }
        return try readValue(&reader, type: type, key: key)
    }

    private static func readValue(_ reader: inout GGUFByteReader, type: GGUFValueType, key: String) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.read(UInt8.self))
        case .int8: return .int8(try reader.read(Int8.self))
        case .uint16: return .uint16(try reader.read(UInt16.self))
        case .int16: return .int16(try reader.read(Int16.self))
        case .uint32: return .uint32(try reader.read(UInt32.self))
        case .int32: return .int32(try reader.read(Int32.self))
        case .uint64: return .uint64(try reader.read(UInt64.self))
        case .int64: return .int64(try reader.read(Int64.self))
        case .float32: return .float32(try reader.readFloat())
        case .float64: return .float64(try reader.readDouble())
        // ggml writes a bool as one byte 0 or 1; any other byte is read as true, as C would.
        case .bool: return .bool(try reader.read(UInt8.self) != 0)
        case .string: return .string(try reader.readString())
        case .array:
            let rawElement = try reader.read(UInt32.self)
            guard let elementType = GGUFValueType(rawValue: rawElement) else {
                throw GGUFFileError.Problem.unknownValueType(key: key, rawType: rawElement)
            }
            let count = try reader.readLength()
            // Every element takes at least one byte (a string, eight): a count larger than the bytes
            // left is a damaged file, found before reserving room for it.
            let smallest = elementType.fixedByteWidth ?? 8
            let left = reader.bytes.count - reader.position
            if count > left / smallest {
                let needed = count > (Int.max - reader.position) / smallest ? Int.max : reader.position + count * smallest
                throw GGUFFileError.Problem.truncated(reading: reader.reading, needsBytesUpTo: needed, fileSize: reader.bytes.count)
            }
            var values: [GGUFValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count { values.append(try readValue(&reader, type: elementType, key: key)) }
            return .array(elementType: elementType, values: values)
        }
    }

    private static func checkedAlignment(_ value: GGUFValue?) throws -> Int {
        guard let value else { return 32 }
        guard case .uint32(let alignment) = value else {
            throw GGUFFileError.Problem.invalidAlignment(reason: "is a \(value.type), not a UINT32")
        }
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw GGUFFileError.Problem.invalidAlignment(reason: "is \(alignment), not a power of two")
        }
        return Int(alignment)
    }

    // MARK: Tensor infos

    private static func readTensorInfo(_ reader: inout GGUFByteReader, alignment: Int) throws -> GGUFTensorInfo {
        let name = try reader.readString()
        reader.reading = "the tensor info of \"\(name)\""
        let dimensionCount = try reader.read(UInt32.self)
        // ggml's tensors have at most 4 dimensions (GGML_MAX_DIMS).
        guard dimensionCount <= 4 else {
            throw GGUFFileError.Problem.invalidTensorInfo(name: name, reason: "has \(dimensionCount) dimensions; ggml's tensors have at most 4")
        }
        var dimensions: [Int] = []
        for _ in 0..<dimensionCount {
            let dimension = try reader.read(Int64.self)
            guard dimension >= 0, dimension < 1 << 40 else {
                throw GGUFFileError.Problem.invalidTensorInfo(name: name, reason: "has a dimension of \(dimension)")
            }
            dimensions.append(Int(dimension))
        }
        let rawType = try reader.read(UInt32.self)
        let type = GGMLType(rawValue: rawType)
        guard type.isKnown else { throw GGUFFileError.Problem.unknownTensorType(name: name, rawType: rawType) }
        let offset = try reader.read(UInt64.self)
        guard offset % UInt64(alignment) == 0 else {
            throw GGUFFileError.Problem.invalidTensorInfo(name: name, reason: "has data offset \(offset), which is not a multiple of the alignment \(alignment)")
        }
        guard offset < 1 << 50 else {
            throw GGUFFileError.Problem.invalidTensorInfo(name: name, reason: "has data offset \(offset), far past the end of any file")
        }
        var elementCount = 1
        for dimension in dimensions {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow, product < 1 << 50 else {
                throw GGUFFileError.Problem.invalidTensorInfo(name: name, reason: "has dimensions \(dimensions), more elements than any file holds")
            }
            elementCount = product
        }
        if let blockSize = type.blockSize, let first = dimensions.first, first % blockSize != 0 {
            throw GGUFFileError.Problem.invalidTensorInfo(
                name: name, reason: "is \(type), whose blocks hold \(blockSize) numbers, but its first dimension is \(first), not a multiple of \(blockSize)")
        }
        return GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: Int(offset))
    }
}
