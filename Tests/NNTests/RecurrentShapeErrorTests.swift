import Testing
import NN
import TensorCore

/// Inputs a recurrent layer cannot read stop the program with a message that names the layer, the
/// shapes and the caller's file. (An exit test's body runs in a child process and cannot capture
/// anything, so each is written out.)
@Suite struct RecurrentShapeErrorTests {
    func expectMessage(_ result: ExitTest.Result, contains text: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains(text), "\(message)", sourceLocation: sourceLocation)
        #expect(message.contains("RecurrentShapeErrorTests.swift"), "\(message)", sourceLocation: sourceLocation)
    }

    @Test func inputOfTheWrongWidth() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LSTM(inputSize: 3, hiddenSize: 2).run(Tensor.zeros([4, 7, 5]))
        }
        expectMessage(result, contains: "LSTM: expects input of shape (time, 3) or (batch, time, 3), got (4, 7, 5)")
    }

    @Test func aLengthForEachSequence() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = GRU(inputSize: 3, hiddenSize: 2).run(Tensor.zeros([4, 7, 3]), lengths: [7, 2, 3])
        }
        expectMessage(result, contains: "GRU: 3 lengths for a batch of 4 sequences; give one length per sequence")
    }

    @Test func aLengthOfZero() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = RNN(inputSize: 3, hiddenSize: 2).run(Tensor.zeros([2, 7, 3]), lengths: [7, 0])
        }
        expectMessage(result, contains: "RNN: lengths[1] is 0, but a length must be from 1 to 7 (the input's time steps)")
    }

    @Test func aLengthPastTheInput() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LSTM(inputSize: 3, hiddenSize: 2).run(Tensor.zeros([2, 7, 3]), lengths: [8, 2])
        }
        expectMessage(result, contains: "LSTM: lengths[0] is 8, but a length must be from 1 to 7 (the input's time steps)")
    }

    @Test func anInitialStateOfTheWrongShape() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = LSTM(inputSize: 3, hiddenSize: 2).run(Tensor.zeros([7, 3]), initialCell: Tensor.zeros([1, 2]))
        }
        expectMessage(result, contains: "LSTM: for input of shape (7, 3) the initial cell state must have shape (2,), got (1, 2)")
    }

    @Test func givenWeightsThatDoNotFit() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            // PyTorch's layout (4·hidden, inputs) where Cuaderno's (inputs, 4·hidden) is expected.
            _ = LSTM(inputWeight: Tensor.zeros([8, 3]), hiddenWeight: Tensor.zeros([2, 8]),
                     inputBias: Tensor.zeros([8]), hiddenBias: Tensor.zeros([8]))
        }
        expectMessage(result, contains: "LSTM: a hidden weight of shape (2, 8) needs an input weight of shape (inputs, 8), PyTorch's weight_ih_l0 transposed; got (8, 3)")
    }
}
