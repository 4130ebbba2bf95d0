import Foundation
import Testing
import NN
import TensorCore

/// The pretrained all-MiniLM-L6-v2 and the references made for it by
/// `Fixtures/bert/make_references.py` (NumPy in float64, Hugging Face's `tokenizers`).
///
/// The model is found as a lesson finds it, through `PretrainedModel.folder(named:)`: `make model`
/// puts it in `Models/`. When it is missing the tests that need it fail with the error that says
/// how to get it; they are never skipped.
enum PretrainedFixtures {
    static let modelName = "all-MiniLM-L6-v2"

    /// The model in float32 and float64, loaded once for every test that needs it.
    nonisolated(unsafe) static let float32 = Result { try SentenceTransformer.load(named: modelName, dtype: .float32) }
    nonisolated(unsafe) static let float64 = Result { try SentenceTransformer.load(named: modelName, dtype: .float64) }

    /// The model, or a recorded failure that carries the error's description (how to get the model).
    static func model(_ dtype: DType = .float32, sourceLocation: SourceLocation = #_sourceLocation) -> SentenceTransformer? {
        switch dtype == .float64 ? float64 : float32 {
        case .success(let model):
            return model
        case .failure(let error):
            Issue.record("\(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    static let references: ModelReferences = decode("model.json")
    static let tokens: TokenReferences = decode("tokens.json")

    private static func decode<Value: Decodable>(_ name: String) -> Value {
        decodeFixture(Value.self, "bert/\(name)")
    }
}

/// `tokens.json`.
struct TokenReferences: Decodable {
    struct Case: Decodable {
        var name: String
        var text: String
        var ids: [Int]
        var tokens: [String]
    }
    var cases: [Case]
}

/// `model.json`.
struct ModelReferences: Decodable {
    struct Sentence: Decodable {
        var text: String
        var ids: [Int]
        var tokens: [String]
        var embedding: [Double]
        var last_hidden_first_token_first8: [Double]
        var last_hidden_last_token_first8: [Double]
        var hidden_states_first_token_first8: [[Double]]
        var attention: [Attention]?
    }
    struct Attention: Decodable {
        var layer: Int
        var head: Int
        var weights: [[Double]]
    }
    struct ParameterCounts: Decodable {
        var embeddings: Int
        var encoder_layers: [Int]
        var pooler: Int
        var total: Int
    }
    struct PaddedBatch: Decodable {
        var sentences: [Int]
        var input_ids: [[Int]]
        var attention_mask: [[Int]]
        var embeddings: [[Double]]
    }
    var sentences: [Sentence]
    var cosine_similarity: [[Double]]
    var parameter_counts: ParameterCounts
    var padded_batch: PaddedBatch
}

/// The largest absolute difference between a tensor and reference numbers (row-major).
func largestDifference(_ actual: Tensor, _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) -> Double {
    #expect(actual.count == expected.count, "\(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
    return zip(actual.scalars, expected).map { abs($0 - $1) }.max() ?? 0
}
