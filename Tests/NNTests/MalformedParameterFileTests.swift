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

    @Test func anElementTypeCuadernoDoesNotHold() throws {
        let bytes = fileBytes(header: "{\"half\":\(entry("F16", [2], 0, 4))}", data: [0, 0, 0, 0])
        let found = try problem(reading: bytes)
        #expect(found == .unsupportedDType(name: "half", dtype: "F16"))
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
