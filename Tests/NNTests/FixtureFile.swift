import Foundation
import TensorCore

/// The folder of the NN tests' fixtures, `Tests/NNTests/Fixtures`.
let fixturesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// The JSON fixture at `Fixtures/<path>`, decoded. A broken fixture is a broken test suite: it
/// stops at once, naming the file and the script beside it that writes it again.
func decodeFixture<Value: Decodable>(_ type: Value.Type, _ path: String) -> Value {
    let url = fixturesFolder.appendingPathComponent(path)
    do {
        return try JSONDecoder().decode(Value.self, from: Data(contentsOf: url))
    } catch {
        fatalError("cannot read Fixtures/\(path): \(error); make_references.py beside it writes it again")
    }
}

/// A tensor as the reference scripts write it: its shape and its values in row-major order.
struct StoredTensor: Decodable {
    let shape: [Int]
    let data: [Double]
    var tensor: Tensor { Tensor(shape: shape, scalars: data) }
}
