import Foundation
import Testing
import NN
import TensorCore

/// RNN, LSTM and GRU against `Fixtures/recurrent/references.json`: the equations of PyTorch's
/// documentation in float64 NumPy, with backpropagation through time written by hand and checked
/// there by finite differences (`make_references.py`). Padded batches are computed there one
/// sequence at a time, as packing defines them, not with masks.
///
/// Outputs, last states, the loss and every gradient agree within 1e-12 (rtol and atol). Largest
/// difference measured (2026-12-03): 8.9e-16, on ∂L/∂weight_ih_l0.
@Suite struct RecurrentReferenceTests {
    static let closeness = Closeness(rtol: 1e-12, atol: 1e-12)

    @Test(arguments: RecurrentFixtures.references.cases.map(\.name))
    func agreesWithTheReference(name: String) throws {
        let reference = try #require(RecurrentFixtures.references.cases.first { $0.name == name })
        let layer = reference.layer()
        #expect(layer.inputSize == reference.input_size && layer.hiddenSize == reference.hidden_size)

        let input = reference.input.tensor.requiringGradient()
        let initialHidden = reference.initial_hidden?.tensor.requiringGradient()
        let initialCell = reference.initial_cell?.tensor.requiringGradient()
        let (outputs, lastHidden, lastCell) = reference.run(layer, input, initialHidden, initialCell)
        let weights = reference.loss_weights
        var loss = (outputs * weights.outputs.tensor).sumAll() + (lastHidden * weights.last_hidden.tensor).sumAll()
        if let lastCell, let cellWeights = weights.last_cell {
            loss = loss + (lastCell * cellWeights.tensor).sumAll()
        }
        loss.backward()

        expect(outputs, reference.expected.outputs, "outputs")
        expect(lastHidden, reference.expected.last_hidden, "last hidden state")
        #expect((lastCell == nil) == (reference.expected.last_cell == nil))
        if let lastCell, let expected = reference.expected.last_cell { expect(lastCell, expected, "last cell state") }
        expectClose(loss.item(), reference.expected.loss, Self.closeness)

        expect(input.gradient, reference.gradients.input, "∂L/∂input")
        if let initialHidden { expect(initialHidden.gradient, try #require(reference.gradients.initial_hidden), "∂L/∂h₀") }
        if let initialCell { expect(initialCell.gradient, try #require(reference.gradients.initial_cell), "∂L/∂c₀") }
        let stored = ["inputWeight": layer.inputWeight, "hiddenWeight": layer.hiddenWeight,
                      "inputBias": layer.inputBias, "hiddenBias": layer.hiddenBias]
        for (key, expected) in reference.parameter_gradients_cuaderno {
            expect(stored[key]?.gradient, expected, "∂L/∂\(key)")
        }
        // The same gradients in PyTorch's layout, under PyTorch's names.
        for (name, parameter) in layer.parameters {
            let expected = try #require(reference.parameter_gradients_pytorch[name], "no reference for \(name)")
            let gradient = try #require(parameter.gradient, "\(name) got no gradient")
            expect(gradient.rank == 2 ? gradient.transposed() : gradient, expected, "∂L/∂\(name) (PyTorch's layout)")
        }
    }

    @Test func theFixtureStoresPyTorchsWeightsTransposed() {
        for reference in RecurrentFixtures.references.cases {
            let (pytorch, ours) = (reference.weights_pytorch, reference.weights_cuaderno)
            #expect(pytorch["weight_ih_l0"]?.tensor.transposed().scalars == ours["inputWeight"]?.tensor.scalars)
            #expect(pytorch["weight_hh_l0"]?.tensor.transposed().scalars == ours["hiddenWeight"]?.tensor.scalars)
            #expect(pytorch["bias_ih_l0"]?.data == ours["inputBias"]?.data)
            #expect(pytorch["bias_hh_l0"]?.data == ours["hiddenBias"]?.data)
        }
    }

    private func expect(_ actual: Tensor?, _ expected: StoredTensor, _ label: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        guard let actual else {
            Issue.record("\(label): nil", sourceLocation: sourceLocation)
            return
        }
        let mismatch = Self.closeness.mismatch(actual, expected.tensor)
        #expect(mismatch == nil, "\(label): \(mismatch ?? "")", sourceLocation: sourceLocation)
    }
}

/// `Fixtures/recurrent/references.json`, decoded once.
enum RecurrentFixtures {
    static let references = decodeFixture(References.self, "recurrent/references.json")

    struct References: Decodable {
        let cases: [Case]
    }

    /// One case of the fixture; the names are the JSON's (see `make_references.py`).
    struct Case: Decodable {
        struct LossWeights: Decodable { let outputs: StoredTensor, last_hidden: StoredTensor, last_cell: StoredTensor? }
        struct Expected: Decodable {
            let outputs: StoredTensor, last_hidden: StoredTensor, last_cell: StoredTensor?
            let loss: Double
        }
        struct Gradients: Decodable { let input: StoredTensor, initial_hidden: StoredTensor?, initial_cell: StoredTensor? }

        let name: String, cell: String, input_size: Int, hidden_size: Int, batched: Bool
        let weights_pytorch: [String: StoredTensor], weights_cuaderno: [String: StoredTensor]
        let input: StoredTensor
        let lengths: [Int]?
        let initial_hidden: StoredTensor?, initial_cell: StoredTensor?
        let loss_weights: LossWeights
        let expected: Expected
        let gradients: Gradients
        let parameter_gradients_pytorch: [String: StoredTensor], parameter_gradients_cuaderno: [String: StoredTensor]

        /// The layer with the case's weights, given in Cuaderno's layout.
        func layer() -> any RecurrentLayer {
            let tensors = ["inputWeight", "hiddenWeight", "inputBias", "hiddenBias"].map { weights_cuaderno[$0]!.tensor }
            switch cell {
            case "rnn": return RNN(inputWeight: tensors[0], hiddenWeight: tensors[1], inputBias: tensors[2], hiddenBias: tensors[3])
            case "lstm": return LSTM(inputWeight: tensors[0], hiddenWeight: tensors[1], inputBias: tensors[2], hiddenBias: tensors[3])
            case "gru": return GRU(inputWeight: tensors[0], hiddenWeight: tensors[1], inputBias: tensors[2], hiddenBias: tensors[3])
            default: fatalError("unknown cell \(cell)")
            }
        }

        /// Outputs, last hidden state and (LSTM) last cell state of `layer` on the case's input.
        func run(_ layer: any RecurrentLayer, _ input: Tensor, _ hidden: Tensor?, _ cell: Tensor?) -> (Tensor, Tensor, Tensor?) {
            switch layer {
            case let lstm as LSTM:
                let result = lstm.run(input, initialHidden: hidden, initialCell: cell, lengths: lengths)
                return (result.outputs, result.lastHidden, result.lastCell)
            case let rnn as RNN:
                let result = rnn.run(input, initialHidden: hidden, lengths: lengths)
                return (result.outputs, result.lastHidden, nil)
            case let gru as GRU:
                let result = gru.run(input, initialHidden: hidden, lengths: lengths)
                return (result.outputs, result.lastHidden, nil)
            default:
                fatalError("unknown layer \(layer)")
            }
        }
    }
}
