import Foundation
import Testing
import NN
import TensorCore

/// `Fixtures/reference.safetensors`, written by the reference library (make_safetensors_fixture.py).
let referenceFixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/reference.safetensors")

/// The tensors of make_safetensors_fixture.py, built in Swift.
let referenceTensors: [(name: String, tensor: Tensor)] = [
    ("layer.weight", Tensor([[1.5, -2.25, 1e-300], [Double.pi, -0.0, 1e300]])),
    ("layer.bias", Tensor([0.1, -1.5, 3.4028235e38], dtype: .float32)),
    ("token_ids", Tensor(shape: [2, 2], indices: [0, -1, 1 << 62, Int.min])),
    ("mask", Tensor([true, false, false, true])),
    ("temperature", Tensor(0.5)),
    ("empty", Tensor.zeros([0, 3], dtype: .float32)),
]

/// Whether two tensors have the same shape, dtype and bits (so -0.0 differs from 0.0).
func identical(_ a: Tensor, _ b: Tensor) -> Bool {
    guard a.shape == b.shape, a.dtype == b.dtype else { return false }
    // int64 values past 2⁵³ are not all Doubles: compare them as integers.
    if a.dtype == .int64 { return a.indices == b.indices }
    return a.scalars.map(\.bitPattern) == b.scalars.map(\.bitPattern)
}

@Suite struct ParameterFileTests {
    @Test func readsTheReferenceLibrarysFile() throws {
        let (tensors, metadata) = try ParameterFile.read(from: referenceFixture)
        #expect(metadata == ["format": "np"])
        #expect(Set(tensors.keys) == Set(referenceTensors.map(\.name)))
        let weight = try #require(tensors["layer.weight"])
        #expect(weight.dtype == .float64 && weight.shape == [2, 3])
        #expect(weight.scalars.map(\.bitPattern) == [1.5, -2.25, 1e-300, .pi, -0.0, 1e300].map(\.bitPattern))
        let bias = try #require(tensors["layer.bias"])
        #expect(bias.dtype == .float32 && bias.shape == [3])
        #expect(bias.scalars == [Double(Float(0.1)), -1.5, Double(Float(3.4028235e38))])
        let ids = try #require(tensors["token_ids"])
        #expect(ids.dtype == .int64 && ids.shape == [2, 2])
        #expect(ids.indices == [0, -1, 4_611_686_018_427_387_904, -9_223_372_036_854_775_808])
        let mask = try #require(tensors["mask"])
        #expect(mask.dtype == .bool && mask.scalars == [1, 0, 0, 1])
        let temperature = try #require(tensors["temperature"])
        #expect(temperature.shape == [] && temperature.item() == 0.5)
        let empty = try #require(tensors["empty"])
        #expect(empty.shape == [0, 3] && empty.dtype == .float32)
    }

    @Test func writesTheReferenceLibrarysBytes() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("ours.safetensors")
        try ParameterFile.write(referenceTensors.reversed(), metadata: ["format": "np"], to: url)
        #expect(try Data(contentsOf: url) == Data(contentsOf: referenceFixture))
    }

    @Test func roundTripKeepsEveryBitOfEachDtype() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("round-trip.safetensors")
        var random = RandomState(seed: 1)
        let tensors: [(name: String, tensor: Tensor)] = [
            ("float64", random.randn(3, 4)),
            ("float64.special", Tensor([.infinity, -.infinity, .leastNonzeroMagnitude, -0.0, .greatestFiniteMagnitude])),
            ("float32", random.randn(2, 3, 2, dtype: .float32)),
            ("int64", Tensor(shape: [5], indices: [Int.max, Int.min, 0, -7, 42])),
            ("bool", Tensor([false, true, true])),
            ("scalar", Tensor(-3.25)),
            ("ünïcode \"quoted\" /slash\\ tab\t", Tensor([1.0])),
        ]
        let metadata = ["epochs": "10", "note": "línea 1\nline \"2\"", "control": "\u{01}"]
        try ParameterFile.write(tensors, metadata: metadata, to: url)
        let (read, readMetadata) = try ParameterFile.read(from: url)
        #expect(readMetadata == metadata)
        #expect(read.count == tensors.count)
        for (name, tensor) in tensors {
            let loaded = try #require(read[name], "\(name)")
            #expect(identical(loaded, tensor), "\(name)")
        }
    }

    @Test func outputIsDeterministicAndAligned() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (first, second) = (folder.appendingPathComponent("a"), folder.appendingPathComponent("b"))
        let tensors: [(name: String, tensor: Tensor)] = [("b", Tensor([1.0, 2.0])), ("a", Tensor([3.0], dtype: .float32))]
        try ParameterFile.write(tensors, metadata: ["z": "1", "a": "2", "m": "3"], to: first)
        try ParameterFile.write(tensors.reversed(), metadata: ["m": "3", "a": "2", "z": "1"], to: second)
        let bytes = try Data(contentsOf: first)
        #expect(bytes == (try Data(contentsOf: second)))
        let headerLength = Int(bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * $1.offset) })
        #expect(headerLength % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + headerLength)], as: UTF8.self)
        #expect(header == #"{"__metadata__":{"a":"2","m":"3","z":"1"},"b":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"a":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}"#
            + String(repeating: " ", count: headerLength - 151))
        #expect(bytes.count == 8 + headerLength + 20)
    }

    @Test func writingReplacesAFileAndLeavesNoTemporaryOne() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("model.safetensors")
        try ParameterFile.write([("x", Tensor([1.0, 2.0, 3.0]))], to: url)
        try ParameterFile.write([("y", Tensor([4.0]))], to: url)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["model.safetensors"])
        let (tensors, metadata) = try ParameterFile.read(from: url)
        #expect(Array(tensors.keys) == ["y"])
        #expect(metadata.isEmpty)
    }

    @Test func aRepeatedNameIsAnErrorAndWritesNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("twice.safetensors")
        let error = try #require(throws: ParameterFileError.self) {
            try ParameterFile.write([("x", Tensor([1.0])), ("x", Tensor([2.0]))], to: url)
        }
        #expect(error.problem == .duplicateName("x"))
        #expect(error.description == "\(url.path): error: two tensors are named \"x\"; every tensor of a file needs its own name")
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func aMissingFolderOrFileIsAnError() throws {
        let url = URL(fileURLWithPath: "/no/such/folder/model.safetensors")
        let writing = try #require(throws: ParameterFileError.self) { try ParameterFile.write([("x", Tensor([1.0]))], to: url) }
        #expect(writing.problem == .cannotWrite(reason: "No such file or directory"))
        #expect(writing.description.hasPrefix("/no/such/folder/model.safetensors: error: cannot write the file"))
        let reading = try #require(throws: ParameterFileError.self) { try ParameterFile.read(from: url) }
        #expect(reading.problem == .cannotRead(reason: "No such file or directory"))
    }
}
