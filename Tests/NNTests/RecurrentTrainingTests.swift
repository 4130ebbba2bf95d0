import Testing
import NN
import TensorCore

/// An LSTM and a linear head learn a task that needs memory, from padded batches.
@Suite struct RecurrentTrainingTests {
    /// Sequences of ±1 with odd lengths from 3 to 9, padded to 9 steps with +1 (which would tip
    /// many sums if the padding were read), labelled 1 when the real steps sum above 0.
    static func signSums(count: Int, random: inout RandomState) -> (x: Tensor, lengths: [Int], labels: Tensor) {
        let lengths = random.randint(1, 5, count: count).map { 2 * $0 + 1 }
        var values: [Double] = [], labels: [Int] = []
        for length in lengths {
            let signs = random.randint(0, 2, count: length).map { Double(2 * $0 - 1) }
            values += signs + Array(repeating: 1, count: 9 - length)
            labels.append(signs.reduce(0, +) > 0 ? 1 : 0)
        }
        return (Tensor(shape: [count, 9, 1], scalars: values), lengths, Tensor(indices: labels))
    }

    @Test func anLSTMLearnsTheSignOfASum() {
        var random = RandomState(seed: 0)
        let lstm = LSTM(inputSize: 1, hiddenSize: 16, random: &random)
        let head = Linear(16, 2, random: &random)
        let optimizer = Adam(parameters: lstm.trainableParameters + head.trainableParameters, learningRate: 0.01)
        func logits(_ x: Tensor, _ lengths: [Int]) -> Tensor {
            head(lstm.run(x, lengths: lengths).lastHidden)
        }
        for _ in 0..<300 {
            let batch = Self.signSums(count: 64, random: &random)
            trainingStep(optimizer) { crossEntropy(logits(batch.x, batch.lengths), batch.labels) }
        }
        let test = Self.signSums(count: 500, random: &random)
        let predictions = Tensor.withoutGradients { logits(test.x, test.lengths) }
        let testAccuracy = accuracy(predictions: predictions, labels: test.labels)
        #expect(testAccuracy >= 0.95, "test accuracy \(testAccuracy)")
    }
}
