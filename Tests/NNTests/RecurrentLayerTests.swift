import Foundation
import Testing
import NN
import TensorCore

/// The recurrent layers' parameters, shapes and padded batches, checked against themselves and
/// PyTorch's counts. (Their values are checked against NumPy in ``RecurrentReferenceTests``.)
@Suite struct RecurrentLayerTests {
    var random = RandomState(seed: 5)

    @Test mutating func parametersAreNamedAndCountedAsPyTorchDoes() {
        // PyTorch: 4·64·(32 + 64) + 2·4·64 for the LSTM; 1 and 3 gates for the RNN and the GRU.
        let cases: [(any RecurrentLayer, gates: Int, total: Int)] = [
            (RNN(inputSize: 32, hiddenSize: 64, random: &random), 1, 6_272),
            (LSTM(inputSize: 32, hiddenSize: 64, random: &random), 4, 25_088),
            (GRU(inputSize: 32, hiddenSize: 64, random: &random), 3, 18_816),
        ]
        for (layer, gates, total) in cases {
            #expect(layer.parameters.map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
            #expect(layer.parameters.map(\.parameter.shape) == [[32, gates * 64], [64, gates * 64], [gates * 64], [gates * 64]])
            #expect(layer.parameterCounts == ParameterCounts(total: total, trainable: total))
            #expect(layer.inputSize == 32 && layer.hiddenSize == 64)
        }
        let model = Sequential(LSTM(inputSize: 3, hiddenSize: 4, random: &random), Linear(4, 2, random: &random))
        #expect(model.parameters.map(\.name).prefix(2) == ["0.weight_ih_l0", "0.weight_hh_l0"])
    }

    @Test mutating func initialisationIsUniformWithinOneOverRootHidden() {
        let lstm = LSTM(inputSize: 20, hiddenSize: 25, random: &random)
        for (name, parameter) in lstm.parameters {
            let values = parameter.value.scalars
            #expect(values.allSatisfy { abs($0) <= 0.2 }, "\(name) leaves ±1/√25")
            #expect(values.max()! > 0.18 && values.min()! < -0.18, "\(name) does not fill ±1/√25")
        }
        // The draws come from the generator given, not the global one.
        var first = RandomState(seed: 9), second = RandomState(seed: 9)
        #expect(GRU(inputSize: 3, hiddenSize: 2, random: &first).hiddenWeight.value.scalars
                == GRU(inputSize: 3, hiddenSize: 2, random: &second).hiddenWeight.value.scalars)
    }

    @Test mutating func shapesBatchedAndUnbatched() {
        let x = random.randn(2, 5, 3)
        let rnn = RNN(inputSize: 3, hiddenSize: 4, random: &random)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, random: &random)
        let gru = GRU(inputSize: 3, hiddenSize: 4, random: &random)
        let lstmResult = lstm.run(x)
        #expect(lstmResult.outputs.shape == [2, 5, 4] && lstmResult.lastHidden.shape == [2, 4] && lstmResult.lastCell.shape == [2, 4])
        #expect(rnn.run(x).outputs.shape == [2, 5, 4] && gru.run(x).lastHidden.shape == [2, 4])
        // Without lengths the last state is the last output, and the layer called as a function gives the outputs.
        #expect(lstmResult.outputs[..., 4].scalars == lstmResult.lastHidden.scalars)
        #expect(lstm(x).scalars == lstmResult.outputs.scalars)

        // An unbatched sequence gives what the same sequence gives as a batch of one.
        let sequence = x[1]
        for layer in [rnn, lstm, gru] as [any RecurrentLayer] {
            let alone = layer(sequence)
            #expect(alone.shape == [5, 4])
            expectClose(alone, layer(x)[1].scalars)
        }
        let unbatched = lstm.run(sequence, initialHidden: Tensor([0.1, 0.2, 0.3, 0.4]), initialCell: Tensor([1, 0, -1, 0.5]))
        #expect(unbatched.lastHidden.shape == [4] && unbatched.lastCell.shape == [4])
        let asBatch = lstm.run(x[1..<2], initialHidden: Tensor([[0.1, 0.2, 0.3, 0.4]]), initialCell: Tensor([[1, 0, -1, 0.5]]))
        expectClose(unbatched.lastCell, asBatch.lastCell.scalars)
    }

    /// A padded batch with lengths gives each sequence what it gives run alone, cut to its length
    /// (PyTorch's packed sequences), with zero outputs after its end.
    @Test mutating func paddedSequencesActAsIfRunAlone() {
        let lengths = [5, 2, 4, 1]
        let x = random.randn(4, 5, 3)
        let lstm = LSTM(inputSize: 3, hiddenSize: 4, random: &random)
        let gru = GRU(inputSize: 3, hiddenSize: 4, random: &random)
        let h0 = random.randn(4, 4), c0 = random.randn(4, 4)
        let padded = lstm.run(x, initialHidden: h0, initialCell: c0, lengths: lengths)
        let paddedGRU = gru.run(x, initialHidden: h0, lengths: lengths)
        for (row, length) in lengths.enumerated() {
            let alone = lstm.run(x[row, 0..<length], initialHidden: h0[row], initialCell: c0[row])
            expectClose(padded.lastHidden[row], alone.lastHidden.scalars)
            expectClose(padded.lastCell[row], alone.lastCell.scalars)
            expectClose(padded.outputs[row, 0..<length], alone.outputs.scalars)
            #expect(padded.outputs[row, length...].scalars.allSatisfy { $0 == 0 })
            expectClose(paddedGRU.lastHidden[row], gru.run(x[row, 0..<length], initialHidden: h0[row]).lastHidden.scalars)
        }
        // Lengths that are all full change nothing.
        let full = lstm.run(x, lengths: [5, 5, 5, 5])
        #expect(full.outputs.scalars == lstm.run(x).outputs.scalars)
        // When every sequence is shorter than the input, the steps after the longest are zeros.
        let short = lstm.run(x, lengths: [2, 3, 1, 3])
        #expect(short.outputs.shape == [4, 5, 4])
        #expect(short.outputs[..., 3...].scalars.allSatisfy { $0 == 0 })
    }

    @Test func givenWeightsAreUsedAsStored() {
        // Two steps by hand: h₁ = tanh(x₁·W_ih + b_ih + b_hh), h₂ = tanh(x₂·W_ih + b_ih + h₁·W_hh + b_hh).
        // W_hh is not symmetric, so a transposed use would show.
        let rnn = RNN(inputWeight: Tensor([[1, 0], [0, 2]]), hiddenWeight: Tensor([[1, 2], [0, 0]]),
                      inputBias: Tensor([0.5, 0]), hiddenBias: Tensor([0, -1]))
        let result = rnn.run(Tensor([[0.25, 0.75], [0, 0]]))
        let h1 = [Foundation.tanh(0.75), Foundation.tanh(0.5)]
        let h2 = [Foundation.tanh(h1[0] + 0.5), Foundation.tanh(2 * h1[0] - 1)]
        expectClose(result.outputs, h1 + h2)
        expectClose(result.lastHidden, h2)
        #expect(rnn.inputSize == 2 && rnn.hiddenSize == 2)
    }
}
