import Foundation
import Testing
import NN
import TensorCore

/// The bytes of a safetensors file with the given header text and data; `headerLength` overrides
/// the length written in the first 8 bytes.
private func fileBytes(header: String, data: [UInt8] = [], headerLength: UInt64? = nil) -> Data {
    let headerBytes = Array(header.utf8)
    var bytes = Data()
    withUnsafeBytes(of: (headerLength ?? UInt64(headerBytes.count)).littleEndian) { bytes.append(contentsOf: $0) }
    return bytes + headerBytes + data
}

/// The problem reading `bytes` as a file reports (nil if it reads without error).
private func problem(reading bytes: Data) throws -> ParameterFileError.Problem? {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("bad.safetensors")
    try bytes.write(to: url)
    do {
        _ = try ParameterFile.read(from: url)
        return nil
    } catch let error as ParameterFileError {
        #expect(error.description.hasPrefix("\(url.path): error: "))
        return error.problem
    }
}

private func entry(_ dtype: String, _ shape: [Int], _ begin: Int, _ end: Int) -> String {
    "{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":[\(begin),\(end)]}"
}

@Suite struct MalformedParameterFileTests {
    @Test func tooShortForTheHeaderLength() throws {
        #expect(try problem(reading: Data()) == .truncated(byteCount: 0))
        #expect(try problem(reading: Data([1, 0, 0, 0, 0])) == .truncated(byteCount: 5))
    }

    @Test func headerLengthPastTheEnd() throws {
        #expect(try problem(reading: fileBytes(header: "{}", headerLength: 3)) == .headerTooLong(headerLength: 3, bytesAfterLength: 2))
        #expect(try problem(reading: fileBytes(header: "{}", headerLength: .max))
                == .headerTooLong(headerLength: .max, bytesAfterLength: 2))
    }

    @Test func headerThatIsNotAnObjectOfEntries() throws {
        #expect(try problem(reading: fileBytes(header: "{\"a\": ")) == .invalidHeader(reason: "it is not valid JSON text"))
        #expect(try problem(reading: fileBytes(header: "")) == .invalidHeader(reason: "it is not valid JSON text"))
        #expect(try problem(reading: fileBytes(header: "[1, 2]"))
                == .invalidHeader(reason: "it is JSON but not an object of named tensors"))
        #expect(try problem(reading: fileBytes(header: #"{"__metadata__":{"epochs":10}}"#))
                == .invalidHeader(reason: "\"__metadata__\" must map strings to strings"))
        // Not UTF-8.
        #expect(try problem(reading: Data([2, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFE])) == .invalidHeader(reason: "it is not valid JSON text"))
    }

    @Test func malformedEntries() throws {
        let cases: [(entry: String, reason: String)] = [
            ("7", "it must be an object with \"dtype\", \"shape\" and \"data_offsets\""),
            (#"{"shape":[1],"data_offsets":[0,8]}"#, "\"dtype\" is missing"),
            (#"{"dtype":"F64","shape":"1","data_offsets":[0,8]}"#, "\"shape\" must be a list of whole numbers"),
            (#"{"dtype":"F64","shape":[1.5],"data_offsets":[0,8]}"#, "\"shape\" must be a list of whole numbers"),
            (#"{"dtype":"F64","shape":[1],"data_offsets":[0,99999999999999999999]}"#, "\"data_offsets\" must be a list of two whole numbers"),
            (#"{"dtype":"F64","shape":[1]}"#, "\"data_offsets\" is missing"),
            (entry("F64", [-1], 0, 8), "\"shape\" [-1] has a negative length"),
            (#"{"dtype":"F64","shape":[1],"data_offsets":[0,4,8]}"#, "\"data_offsets\" must hold two numbers, begin and end, not 3"),
            (entry("F64", [1], 8, 0), "\"data_offsets\" [8, 0] must have 0 ≤ begin ≤ end"),
            (entry("F64", [1], -8, 0), "\"data_offsets\" [-8, 0] must have 0 ≤ begin ≤ end"),
            (entry("F64", [1 << 40, 1 << 40], 0, 8), "\"shape\" [1099511627776, 1099511627776] holds more elements than any file can"),
        ]
        for (text, reason) in cases {
            let bytes = fileBytes(header: "{\"w\":\(text)}", data: Array(repeating: 0, count: 8))
            #expect(try problem(reading: bytes) == .invalidEntry(name: "w", reason: reason), "\(text)")
        }
    }

    @Test func anElementTypeCuadernoDoesNotRead() throws {
        let bytes = fileBytes(header: "{\"counts\":\(entry("I32", [2], 0, 8))}", data: Array(repeating: 0, count: 8))
        let found = try problem(reading: bytes)
        #expect(found == .unsupportedDType(name: "counts", dtype: "I32"))
        #expect(found.map { ParameterFileError(path: "m.safetensors", problem: $0).description }
                == "m.safetensors: error: \"counts\" has dtype I32, which Cuaderno does not read (it reads F64, F32, I64, BOOL, and F16 and BF16 as float32); convert it, say to float32, where it was saved, and save it again")
    }

    @Test func halfPrecisionIsReadAsFloat32() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("half.safetensors")
        // F16: 1, −2, 0.5, 65504 (the largest), 2⁻²⁴ (the smallest subnormal), −0, +∞.
        let half: [UInt16] = [0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x8000, 0x7C00]
        // BF16: the top half of a float32: 1, −2.5, 3.140625.
        let brain: [UInt16] = [0x3F80, 0xC020, 0x4049]
        let data = (half + brain).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let header = "{\"b\":\(entry("BF16", [3], 14, 20)),\"h\":\(entry("F16", [7], 0, 14))}"
        try fileBytes(header: header, data: data).write(to: url)
        let (tensors, _) = try ParameterFile.read(from: url)
        #expect(tensors["h"]?.dtype == .float32)
        #expect(tensors["h"]?.scalars == [1, -2, 0.5, 65504, 0x1p-24, 0, .infinity])
        #expect(tensors["h"]?.scalars[5].sign == .minus)
        #expect(tensors["b"]?.scalars == [1, -2.5, 3.140625])
        // NaN stays NaN.
        let nan = fileBytes(header: "{\"n\":\(entry("F16", [1], 0, 2))}", data: [0x01, 0x7E])
        try nan.write(to: url)
        #expect(try ParameterFile.read(from: url).tensors["n"]?.scalars[0].isNaN == true)
    }

    @Test func offsetsOutsideTheData() throws {
        let bytes = fileBytes(header: "{\"w\":\(entry("F64", [2], 0, 16))}", data: Array(repeating: 0, count: 8))
        #expect(try problem(reading: bytes) == .dataOutOfRange(name: "w", begin: 0, end: 16, dataByteCount: 8))
    }

    @Test func offsetsOfTheWrongSize() throws {
        let bytes = fileBytes(header: "{\"w\":\(entry("F64", [2], 0, 12))}", data: Array(repeating: 0, count: 12))
        #expect(try problem(reading: bytes) == .wrongByteCount(name: "w", expected: 16, actual: 12))
    }

    @Test func overlappingTensors() throws {
        let header = "{\"a\":\(entry("F64", [2], 0, 16)),\"b\":\(entry("F64", [1], 8, 16))}"
        #expect(try problem(reading: fileBytes(header: header, data: Array(repeating: 0, count: 16)))
                == .overlappingData(name: "b", other: "a"))
        // The same bytes twice.
        let twice = "{\"a\":\(entry("F32", [1], 0, 4)),\"b\":\(entry("F32", [1], 0, 4))}"
        #expect(try problem(reading: fileBytes(header: twice, data: [0, 0, 0, 0])) == .overlappingData(name: "b", other: "a"))
    }

    @Test func bytesThatBelongToNoTensor() throws {
        let gap = "{\"a\":\(entry("F32", [1], 0, 4)),\"b\":\(entry("F32", [1], 8, 12))}"
        #expect(try problem(reading: fileBytes(header: gap, data: Array(repeating: 0, count: 12))) == .unclaimedBytes(begin: 4, end: 8))
        let trailing = "{\"a\":\(entry("F32", [1], 0, 4))}"
        #expect(try problem(reading: fileBytes(header: trailing, data: Array(repeating: 0, count: 6))) == .unclaimedBytes(begin: 4, end: 6))
    }

    @Test func aWellFormedHandWrittenFileReads() throws {
        // Padding spaces after the JSON, and no __metadata__, are both allowed.
        let header = "{\"a\":\(entry("F32", [1], 0, 4)),\"b\":\(entry("I64", [], 4, 12))}   "
        var data: [UInt8] = [0, 0, 0xC0, 0x3F]  // 1.5 as float32
        data += [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // -2 as int64
        #expect(try problem(reading: fileBytes(header: header, data: data)) == nil)
    }

    @Test func everyTruncationOfAGoodFileIsAnError() throws {
        let good = try Data(contentsOf: referenceFixture)
        for length in 0..<good.count {
            #expect(try problem(reading: good.prefix(length)) != nil, "cut at \(length) bytes")
        }
    }

    /// The pretrained model's 87 MB file, cut inside its header and inside its data.
    @Test func theModelFileCutShort() throws {
        let weights: URL
        do {
            weights = try PretrainedModel.folder(named: PretrainedFixtures.modelName).appendingPathComponent("model.safetensors")
        } catch {
            Issue.record("\(error)")
            return
        }
        let handle = try FileHandle(forReadingFrom: weights)
        defer { try? handle.close() }
        let start = try handle.read(upToCount: 2 << 20) ?? Data()
        let headerLength = Int(UInt64(littleEndian: start.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
        #expect(headerLength == 11408)
        #expect(try problem(reading: start.prefix(5000)) == .headerTooLong(headerLength: 11408, bytesAfterLength: 4992))
        // 2 MB in: the position embeddings (up to byte 793,600 of the data) are whole, the word
        // embeddings (bytes 796,672..<47,678,464) are not.
        #expect(try problem(reading: start) == .dataOutOfRange(name: "embeddings.word_embeddings.weight", begin: 796_672,
                                                                end: 47_678_464, dataByteCount: (2 << 20) - 8 - 11408))
    }

    @Test func corruptedHeaderBytesNeverCrash() throws {
        // Changing header bytes must give an error or a file that reads; never a trap.
        let good = try Data(contentsOf: referenceFixture)
        var random = RandomState(seed: 11)
        var errors = 0
        for _ in 0..<200 {
            var bytes = good
            let position = random.randint(8, 8 + 400)
            bytes[position] = UInt8(random.randint(32, 127))
            if try problem(reading: bytes) != nil { errors += 1 }
        }
        #expect(errors > 100)
    }
}
