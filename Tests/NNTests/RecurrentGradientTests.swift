import Testing
@testable import NN
import TensorCore

/// Backpropagation through time in the recurrent layers: every parameter's and the input's
/// gradient against central finite differences (float64, tiny sizes), with and without padding,
/// and the input's gradient step by step, as a lesson on vanishing gradients reads it.
@Suite struct RecurrentGradientTests {
    var random = RandomState(seed: 17)

    /// The outputs and the last states in one tensor, so that the finite differences see them all.
    static func joined(_ tensors: Tensor...) -> Tensor {
        concat(tensors.map { $0.flattened() })
    }

    @Test mutating func rnnByFiniteDifferences() {
        let rnn = RNN(inputSize: 3, hiddenSize: 4, random: &random)
        let h0 = random.randn(2, 4)
        expectLayerGradientsMatchFiniteDifferences(rnn, input: random.randn(2, 4, 3)) { x in
            let result = rnn.run(x, initialHidden: h0, lengths: [4, 2])
            return Self.joined(result.outputs, result.lastHidden)
        }
        expectLayerGradientsMatchFiniteDifferences(rnn, input: random.randn(5, 3)) { rnn($0) }
    }

    @Test mutating func lstmByFiniteDifferences() {
        let lstm = LSTM(inputSize: 3, hiddenSize: 2, random: &random)
        let (h0, c0) = (random.randn(3, 2), random.randn(3, 2))
        expectLayerGradientsMatchFiniteDifferences(lstm, input: random.randn(3, 4, 3)) { x in
            let result = lstm.run(x, initialHidden: h0, initialCell: c0, lengths: [1, 4, 3])
            return Self.joined(result.outputs, result.lastHidden, result.lastCell)
        }
        expectLayerGradientsMatchFiniteDifferences(lstm, input: random.randn(2, 3, 3)) { x in
            let result = lstm.run(x)
            return Self.joined(result.outputs, result.lastCell)
        }
    }

    @Test mutating func gruByFiniteDifferences() {
        let gru = GRU(inputSize: 2, hiddenSize: 3, random: &random)
        let h0 = random.randn(2, 3)
        expectLayerGradientsMatchFiniteDifferences(gru, input: random.randn(2, 5, 2)) { x in
            let result = gru.run(x, initialHidden: h0, lengths: [3, 5])
            return Self.joined(result.outputs, result.lastHidden)
        }
        expectLayerGradientsMatchFiniteDifferences(gru, input: random.randn(4, 2)) { gru($0) }
    }

    /// With `W_ih = I` and `W_hh = ½·I`, `∂loss/∂x_t` is the gradient reaching step t's
    /// pre-activation, and each step back multiplies it by `½·tanh′ ≤ ½`: it vanishes geometrically.
    @Test mutating func theInputsGradientStepByStep() throws {
        let rnn = RNN(inputWeight: Tensor.eye(3), hiddenWeight: Tensor.eye(3) * 0.5,
                      inputBias: Tensor.zeros([3]), hiddenBias: Tensor.zeros([3]))
        let x = random.randn(1, 12, 3).requiringGradient()
        let last = rnn.run(x).lastHidden
        last.sumAll().backward()
        let gradient = try #require(x.gradient)
        #expect(gradient.shape == [1, 12, 3])
        let norms = (0..<12).map { gradient[0, $0].norm() }
        for t in 0..<11 {
            #expect(norms[t] <= 0.5 * norms[t + 1], "step \(t): \(norms[t]) against \(norms[t + 1]) a step later")
        }
        #expect(norms[0] < 1e-3 * norms[11])
        // At the last step: ∂(Σ h_T)/∂x_T = 1 − h_T², as tanh′ = 1 − tanh².
        expectClose(gradient[0, 11], (1 - last[0] * last[0]).scalars)
    }

    /// The steps past a sequence's length never reach the loss: their input's gradient is zero.
    @Test mutating func paddedStepsGetNoGradient() throws {
        let lstm = LSTM(inputSize: 2, hiddenSize: 3, random: &random)
        let x = random.randn(2, 5, 2).requiringGradient()
        let result = lstm.run(x, lengths: [5, 2])
        (result.outputs.sumAll() + result.lastHidden.sumAll() + result.lastCell.sumAll()).backward()
        let gradient = try #require(x.gradient)
        #expect(gradient[1, 2...].scalars.allSatisfy { $0 == 0 })
        #expect(gradient[1, 0..<2].scalars.allSatisfy { $0 != 0 })
        #expect(gradient[0].scalars.allSatisfy { $0 != 0 })
    }
}
