import Foundation
import NN
import Testing
import TensorCore

/// `TransformerDecoderLayer` against PyTorch's `nn.TransformerDecoderLayer` in float64
/// (`Fixtures/decoder/make_references.py`): outputs and gradients, post-LN and pre-LN, with the
/// target's causal mask and a memory padding mask.
@Suite struct DecoderLayerTests {
    @Test(arguments: DecoderFixtures.references.cases.map(\.name))
    func theBlockComputesWhatPyTorchsComputes(name: String) throws {
        let reference = try #require(DecoderFixtures.references.cases.first { $0.name == name })
        var random = RandomState(seed: 0)
        let layer = TransformerDecoderLayer(modelDimension: 8, headCount: 2, feedForwardDimension: 16, dropout: 0,
                                            normFirst: reference.norm_first, random: &random)
        let ours = Dictionary(uniqueKeysWithValues: layer.parameters.map { ($0.name, $0.parameter) })
        for (theirName, ourName, part) in DecoderFixtures.names {
            let parameter = try #require(ours[ourName], "no parameter \(ourName)")
            parameter.value = DecoderFixtures.ours(reference.parameters[theirName]!.tensor, part: part)
        }

        let target = reference.target.tensor.requiringGradient()
        let memory = reference.memory.tensor.requiringGradient()
        let memoryPadding = Tensor(reference.memory_padding).reshaped(2, 7)
        let output = layer.decode(target, memory: memory, memoryPaddingMask: memoryPadding).output
        expectClose(output, reference.output.tensor, "output")

        (output * reference.loss_weights.tensor).sumAll().backward()
        expectClose(target.gradient!, reference.target_gradient.tensor, "the target's gradient")
        expectClose(memory.gradient!, reference.memory_gradient.tensor, "the memory's gradient")
        for (theirName, ourName, part) in DecoderFixtures.names {
            let expected = DecoderFixtures.ours(reference.gradients[theirName]!.tensor, part: part)
            expectClose(ours[ourName]!.gradient!, expected, "the gradient of \(ourName)")
        }
    }

    @Test func theCausalMaskHidesTheFuture() {
        var random = RandomState(seed: 3)
        let layer = TransformerDecoderLayer(modelDimension: 8, headCount: 2, feedForwardDimension: 16, dropout: 0,
                                            random: &random)
        let target = random.randn(6, 8), memory = random.randn(4, 8)
        let decoded = layer.decode(target, memory: memory)
        // Changing the last target position changes no earlier output.
        var changed = target.scalars
        for k in 40..<48 { changed[k] += 1 }
        let again = layer(Tensor(shape: [6, 8], scalars: changed), memory: memory)
        #expect(Self.maximumDifference(decoded.output[0..<5], again[0..<5]) == 0)
        #expect(Self.maximumDifference(decoded.output[5], again[5]) > 1e-3)
        #expect(decoded.selfWeights.shape == [2, 6, 6] && decoded.crossWeights.shape == [2, 6, 4])
        #expect(decoded.selfWeights[0, 0, 1...].scalars.allSatisfy { $0 == 0 })
    }

    @Test func itHasPyTorchsParameterCount() {
        var random = RandomState(seed: 0)
        let layer = TransformerDecoderLayer(modelDimension: 512, headCount: 8, feedForwardDimension: 2048, random: &random)
        // sum(p.numel() for p in nn.TransformerDecoderLayer(512, 8).parameters())
        #expect(layer.parameterCounts.total == 4_204_032)
    }

    static func maximumDifference(_ a: Tensor, _ b: Tensor) -> Double {
        zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
    }

    private func expectClose(_ actual: Tensor, _ expected: Tensor, _ label: String,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.shape == expected.shape, "\(label): shape", sourceLocation: sourceLocation)
        let worst = zip(actual.scalars, expected.scalars).map { abs($0 - $1) / (1e-12 + abs($1)) }.max() ?? 0
        let absolute = Self.maximumDifference(actual, expected)
        #expect(absolute <= 1e-12 || worst <= 1e-10, "\(label): differs by \(absolute)", sourceLocation: sourceLocation)
    }
}

enum DecoderFixtures {
    /// Which part of a PyTorch tensor a Cuaderno parameter holds.
    enum Part { case whole, transposed, rows(Range<Int>, transposed: Bool) }

    /// PyTorch's name, Cuaderno's, and how to get one from the other (d = 8).
    static let names: [(String, String, Part)] = {
        var names: [(String, String, Part)] = []
        for (theirs, ours) in [("self_attn", "selfAttention"), ("multihead_attn", "crossAttention")] {
            for (index, projection) in ["query", "key", "value"].enumerated() {
                let rows = (8 * index)..<(8 * index + 8)
                names.append(("\(theirs).in_proj_weight", "\(ours).\(projection).weight", .rows(rows, transposed: true)))
                names.append(("\(theirs).in_proj_bias", "\(ours).\(projection).bias", .rows(rows, transposed: false)))
            }
            names.append(("\(theirs).out_proj.weight", "\(ours).output.weight", .transposed))
            names.append(("\(theirs).out_proj.bias", "\(ours).output.bias", .whole))
        }
        names += [("linear1.weight", "feedForward.0.weight", .transposed), ("linear1.bias", "feedForward.0.bias", .whole),
                  ("linear2.weight", "feedForward.3.weight", .transposed), ("linear2.bias", "feedForward.3.bias", .whole)]
        for (index, ours) in ["firstNorm", "secondNorm", "thirdNorm"].enumerated() {
            names += [("norm\(index + 1).weight", "\(ours).scale", .whole), ("norm\(index + 1).bias", "\(ours).shift", .whole)]
        }
        return names
    }()

    static func ours(_ tensor: Tensor, part: Part) -> Tensor {
        switch part {
        case .whole: tensor
        case .transposed: tensor.transposed(0, 1).contiguous()
        case .rows(let rows, let transposed): transposed ? tensor[rows].transposed(0, 1).contiguous() : tensor[rows].contiguous()
        }
    }

    static let references = decodeFixture(References.self, "decoder/references.json")

    struct References: Decodable {
        let torch: String
        let cases: [Case]
    }

    /// One case of the fixture; the names are the JSON's (see `make_references.py`).
    struct Case: Decodable {
        let name: String
        let norm_first: Bool
        let parameters: [String: StoredTensor]
        let gradients: [String: StoredTensor]
        let target: StoredTensor
        let memory: StoredTensor
        let memory_padding: [Bool]
        let output: StoredTensor
        let loss_weights: StoredTensor
        let target_gradient: StoredTensor
        let memory_gradient: StoredTensor
    }
}
