import Foundation
import Testing
import NN
import TensorCore

/// `x·weight + bias`, with two parameters.
private final class TinyLinear: Module {
    let weight: Parameter
    let bias: Parameter

    init(weight: Tensor, bias: Tensor) {
        self.weight = Parameter(weight)
        self.bias = Parameter(bias)
    }

    var ownParameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("bias", bias)] }
}

/// A frozen scale of its own and a child layer: parameters `scale`, `layer.weight`, `layer.bias`.
private final class TinyModel: Module {
    let scale: Parameter
    let layer: TinyLinear

    init(seed: UInt32) {
        var random = RandomState(seed: seed)
        scale = Parameter(random.randn(1), frozen: true)
        layer = TinyLinear(weight: random.randn(2, 3), bias: random.randn(3))
    }

    var ownParameters: [(name: String, parameter: Parameter)] { [("scale", scale)] }
    var children: [(name: String, module: any Module)] { [("layer", layer)] }

    var values: [Tensor] { parameters.map(\.parameter.value) }
}

/// Whether two lists of tensors hold the same shapes, dtypes and values.
private func same(_ a: [Tensor], _ b: [Tensor]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { $0.shape == $1.shape && $0.dtype == $1.dtype && $0.scalars == $1.scalars }
}

@Suite struct ModuleSavingTests {
    @Test func saveThenLoadRestoresEveryParameter() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("tiny.safetensors").path
        let trained = TinyModel(seed: 1)
        try trained.save(to: path, metadata: ["epochs": "3"])

        let (tensors, metadata) = try ParameterFile.read(from: URL(fileURLWithPath: path))
        #expect(Set(tensors.keys) == ["scale", "layer.weight", "layer.bias"])
        #expect(metadata == ["epochs": "3"])

        let fresh = TinyModel(seed: 2)
        #expect(!same(fresh.values, trained.values))
        try fresh.load(from: path)
        #expect(same(fresh.values, trained.values))
        #expect(fresh.scale.isFrozen && !fresh.layer.weight.isFrozen)
        #expect(fresh.layer.weight.value.requiresGradient)
    }

    /// Writes `tensors` and expects loading them into a fresh model to fail with `expected`,
    /// changing nothing.
    private func expectLoadFails(_ tensors: [(name: String, tensor: Tensor)],
                                 with expected: ParameterFileError.Problem, message: String) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("other.safetensors").path
        try ParameterFile.write(tensors, to: URL(fileURLWithPath: path))
        let model = TinyModel(seed: 2)
        let before = model.values
        let error = try #require(throws: ParameterFileError.self) { try model.load(from: path) }
        #expect(error.problem == expected)
        #expect(error.description == "\(path): error: \(message)")
        #expect(same(model.values, before), "a failed load changes nothing")
    }

    /// The saved tensors of a model, each changed by `change`.
    private func savedTensors(_ change: ([(name: String, tensor: Tensor)]) -> [(name: String, tensor: Tensor)])
        -> [(name: String, tensor: Tensor)] {
        change(TinyModel(seed: 1).parameters.map { ($0.name, $0.parameter.value) })
    }

    @Test func aMissingParameterIsNamed() throws {
        try expectLoadFails(savedTensors { $0.filter { $0.name != "layer.bias" } },
                            with: .missingParameter("layer.bias"),
                            message: "the file has no tensor named \"layer.bias\", which the model needs; was the file saved from a different model?")
    }

    @Test func anUnexpectedTensorIsNamed() throws {
        try expectLoadFails(savedTensors { $0 + [("layer.extra", Tensor([1.0]))] },
                            with: .unexpectedParameter("layer.extra"),
                            message: "the file has a tensor \"layer.extra\" that the model has no parameter for; was the file saved from a different model, or has the model changed since?")
    }

    @Test func aShapeMismatchIsNamed() throws {
        try expectLoadFails(savedTensors { $0.map { $0.name == "layer.weight" ? ($0.name, Tensor.zeros([3, 2])) : $0 } },
                            with: .shapeMismatch(name: "layer.weight", expected: [2, 3], found: [3, 2]),
                            message: "\"layer.weight\" has shape (3, 2) in the file but (2, 3) in the model; build the model with the sizes it was saved with")
    }

    @Test func aDtypeMismatchIsNamed() throws {
        try expectLoadFails(savedTensors { $0.map { $0.name == "layer.bias" ? ($0.name, $0.tensor.cast(to: .float32)) : $0 } },
                            with: .dtypeMismatch(name: "layer.bias", expected: .float64, found: .float32),
                            message: "\"layer.bias\" is float32 in the file but float64 in the model; make the model's parameters float32, or save the file again as float64")
    }

    @Test func aMalformedFileLoadsNothing() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("cut.safetensors").path
        let good = TinyModel(seed: 1)
        try good.save(to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 1).write(to: URL(fileURLWithPath: path))
        let model = TinyModel(seed: 2)
        let before = model.values
        #expect(throws: ParameterFileError.self) { try model.load(from: path) }
        #expect(same(model.values, before))
    }
}
