import Foundation
import Testing
import NN
import TensorCore

/// The GGUF reader on the real SmolLM2-135M-Instruct file, against `Fixtures/gguf/references.json`,
/// which `Fixtures/gguf/make_references.py` wrote with the `gguf` Python package (llama.cpp's own
/// reader) and its NumPy dequantisation.
///
/// The model is found as a lesson finds it: `make model` puts it in `Models/`. When it is missing
/// the tests that need it fail with the error that says how to get it; they are never skipped.
@Suite struct GGUFModelTests {
    static let modelName = "SmolLM2-135M-Instruct"
    static let fileName = "SmolLM2-135M-Instruct.Q4_1.gguf"

    /// The file, opened once for every test, and how long opening took.
    static let opened = Result { () throws -> (file: GGUFFile, seconds: Double) in
        let start = DispatchTime.now().uptimeNanoseconds
        let file = try GGUFFile.open(model: modelName, file: fileName)
        return (file, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    static func file(sourceLocation: SourceLocation = #_sourceLocation) -> GGUFFile? {
        switch opened {
        case .success(let opened): return opened.file
        case .failure(let error):
            Issue.record("\(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static let references = decodeFixture(GGUFReferences.self, "gguf/references.json")

    @Test func theLayoutIsTheReferences() throws {
        guard let file = Self.file() else { return }
        let references = Self.references
        #expect(file.version == UInt32(references.version))
        #expect(file.alignment == references.alignment)
        #expect(file.dataOffset == references.data_offset)
        #expect(file.tensors.count == references.tensors.count)
        for (info, expected) in zip(file.tensors, references.tensors) {
            #expect(info.name == expected.name)
            #expect(info.dimensions == expected.dimensions, "\(info.name)")
            #expect(info.type.description == expected.type, "\(info.name)")
            #expect(info.offset == expected.offset, "\(info.name)")
        }
        var counts: [String: Int] = [:]
        for info in file.tensors { counts[info.type.description, default: 0] += 1 }
        #expect(counts == references.tensor_type_counts)
        #expect(counts == ["Q4_1": 210, "F32": 61, "Q8_0": 1])
        #expect(file.info(named: "output.weight") == nil)  // the output projection is the token embedding
    }

    @Test func everyMetadataKeyIsTheReferences() throws {
        guard let file = Self.file() else { return }
        #expect(file.metadataKeys == Self.references.metadata.map(\.key))
        for expected in Self.references.metadata {
            guard let value = file.metadata[expected.key] else {
                Issue.record("no \(expected.key)")
                continue
            }
            #expect(value.type.description == expected.type, "\(expected.key)")
            if let elementType = expected.element_type {
                guard case .array(let type, let values) = value else {
                    Issue.record("\(expected.key) is not an array")
                    continue
                }
                #expect(type.description == elementType, "\(expected.key)")
                #expect(values.count == expected.count, "\(expected.key)")
                let first = values.prefix(3).compactMap { ReferenceValue($0) }
                let last = values.suffix(3).compactMap { ReferenceValue($0) }
                #expect(first == expected.first, "\(expected.key)")
                #expect(last == expected.last, "\(expected.key)")
            } else {
                let read = ReferenceValue(value)
                #expect(read != nil && read == expected.value, "\(expected.key)")
            }
        }
    }

    /// The facts issue 21 states about the model, read through the public accessors.
    @Test func theModelIsTheOneTheIssueDescribes() throws {
        guard let file = Self.file() else { return }
        let metadata = file.metadata
        #expect(metadata["general.architecture"]?.string == "llama")
        #expect(metadata["llama.block_count"]?.integer == 30)
        #expect(metadata["llama.embedding_length"]?.integer == 576)
        #expect(metadata["llama.feed_forward_length"]?.integer == 1536)
        #expect(metadata["llama.attention.head_count"]?.integer == 9)
        #expect(metadata["llama.attention.head_count_kv"]?.integer == 3)
        #expect(metadata["llama.rope.freq_base"]?.number == 100_000)
        #expect(metadata["llama.attention.layer_norm_rms_epsilon"]?.number == Double(Float(1e-5)))
        #expect(metadata["tokenizer.ggml.tokens"]?.strings?.count == 49_152)
        #expect(metadata["tokenizer.ggml.merges"]?.strings?.count == 48_900)
        #expect(metadata["tokenizer.ggml.add_bos_token"]?.bool == false)
        #expect(metadata["tokenizer.ggml.pre"]?.string == "smollm")
        #expect(metadata["tokenizer.ggml.model"]?.string == "gpt2")
        #expect(metadata["tokenizer.chat_template"]?.string?.contains("<|im_start|>") == true)
        #expect(file.info(named: "token_embd.weight")?.type == .q8_0)
        #expect(file.info(named: "token_embd.weight")?.shape == [49_152, 576])
    }

    @Test func dequantisedTensorsAreTheReferences() throws {
        guard let file = Self.file() else { return }
        for expected in Self.references.slices {
            let start = DispatchTime.now().uptimeNanoseconds
            let tensor = try file.tensor(named: expected.name)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print("GGUF: \(expected.name) (\(expected.type), \(expected.shape)) dequantised in \(String(format: "%.3f", seconds)) s")
            #expect(file.info(named: expected.name)?.type.description == expected.type)
            #expect(tensor.shape == expected.shape && tensor.dtype == .float32, "\(expected.name)")
            let values = tensor.scalars
            // The same float32 arithmetic as the reference: equal, not close.
            #expect(Array(values.prefix(8)) == expected.first8, "\(expected.name)")
            #expect(Array(values.suffix(8)) == expected.last8, "\(expected.name)")
            if let row = expected.row, let rowFirst8 = expected.row_first8 {
                let columns = expected.shape[1]
                #expect(Array(values[(row * columns)..<(row * columns + 8)]) == rowFirst8, "\(expected.name)")
            }
            // The reference sums are correctly rounded (math.fsum); these add in another order.
            expectClose(values.reduce(0, +), expected.sum, Closeness(rtol: 1e-9, atol: 1e-9))
            expectClose(values.reduce(0) { $0 + $1 * $1 }, expected.sum_of_squares, Closeness(rtol: 1e-9, atol: 1e-9))
        }
    }

    /// Issue 21 asks for loading in 1 s or less; opening maps the file and reads only its first 1.8 MB.
    @Test func openingTakesWellUnderASecond() throws {
        guard case .success(let opened) = Self.opened else {
            _ = Self.file()
            return
        }
        print("GGUF: \(Self.fileName) opened (header, 33 metadata keys, 272 tensor infos) in \(String(format: "%.3f", opened.seconds)) s")
        #expect(opened.seconds < 1, "opening took \(opened.seconds) s")
    }
}

/// `references.json`.
struct GGUFReferences: Decodable {
    struct Metadata: Decodable {
        var key: String
        var type: String
        var value: ReferenceValue?
        var element_type: String?
        var count: Int?
        var first: [ReferenceValue]?
        var last: [ReferenceValue]?
    }
    struct TensorInfo: Decodable {
        var name: String
        var dimensions: [Int]
        var type: String
        var offset: Int
    }
    struct Slice: Decodable {
        var name: String
        var type: String
        var shape: [Int]
        var first8: [Double]
        var last8: [Double]
        var sum: Double
        var sum_of_squares: Double
        var row: Int?
        var row_first8: [Double]?
    }
    var version: Int
    var alignment: Int
    var data_offset: Int
    var metadata: [Metadata]
    var tensor_type_counts: [String: Int]
    var tensors: [TensorInfo]
    var slices: [Slice]
}

/// A metadata value as JSON holds it: a string, a whole number, a float or a bool.
enum ReferenceValue: Decodable, Equatable {
    case string(String), integer(Int), number(Double), bool(Bool)

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let integer = try? container.decode(Int.self) {
            self = .integer(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else {
            self = .string(try container.decode(String.self))
        }
    }

    /// Numbers are equal by value: JSON writes the float 100000.0 and the integer 100000 alike to
    /// a decoder, and the value's type is compared apart (`type`).
    static func == (left: ReferenceValue, right: ReferenceValue) -> Bool {
        switch (left, right) {
        case (.string(let a), .string(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        default: left.numeric != nil && left.numeric == right.numeric
        }
    }

    private var numeric: Double? {
        switch self {
        case .integer(let integer): Double(integer)
        case .number(let number): number
        default: nil
        }
    }

    /// The reference form of a value read by Cuaderno (nil for arrays, which are compared apart).
    init?(_ value: GGUFValue) {
        switch value {
        case .bool(let bool): self = .bool(bool)
        case .string(let string): self = .string(string)
        case .float32(let float): self = .number(Double(float))
        case .float64(let double): self = .number(double)
        default:
            guard let integer = value.integer else { return nil }
            self = .integer(integer)
        }
    }
}
