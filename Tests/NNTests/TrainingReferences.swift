import Foundation
import TensorCore

/// The references of `Fixtures/training/references.json`, made by `make_references.py` beside it
/// in NumPy (float64), checked there against scikit-learn when it is installed.
struct TrainingReferences: Decodable {
    struct Split: Decodable {
        var count: Int
        var validation_fraction: Double
        var test_fraction: Double
        var seed: UInt32
        var train: [Int]
        var validation: [Int]
        var test: [Int]
    }

    struct PCACase: Decodable {
        var name: String
        var component_count: Int
        var data: [[Double]]
        var new_data: [[Double]]
        var mean: [Double]
        var components: [[Double]]
        var singular_values: [Double]
        var explained_variance: [Double]
        var explained_variance_ratio: [Double]
        var transformed: [[Double]]
    }

    struct Pooling: Decodable {
        var hidden: [[[Double]]]
        var padding_mask: [[Bool]]
        var pooled: [[Double]]
    }

    var splits: [Split]
    var pca: [PCACase]
    var pooling: Pooling

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/training")

    /// The references, read once; a broken fixture stops the suite at once, naming the file.
    static let shared: TrainingReferences = {
        let url = folder.appendingPathComponent("references.json")
        do {
            return try JSONDecoder().decode(TrainingReferences.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error); run make_references.py beside it")
        }
    }()
}
