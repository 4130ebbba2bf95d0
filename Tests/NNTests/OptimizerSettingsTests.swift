import Testing
import NN
import TensorCore

/// Settings that make no sense stop the program with a message naming the setting. (An exit
/// test's body runs in a child process and cannot capture anything, so each is written out.)
@Suite struct OptimizerSettingsTests {
    func expectMessage(_ result: ExitTest.Result, contains text: String,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let message = String(decoding: result.standardErrorContent, as: UTF8.self)
        #expect(message.contains(text), "\(message)", sourceLocation: sourceLocation)
    }

    @Test func aNegativeLearningRateIsRefused() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = SGD(parameters: [], learningRate: -0.1)
        }
        expectMessage(result, contains: "SGD: learningRate must be a finite number ≥ 0, not -0.1")
    }

    @Test func nesterovNeedsMomentum() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = SGD(parameters: [], learningRate: 0.1, nesterov: true)
        }
        expectMessage(result, contains: "SGD: Nesterov momentum needs a momentum above 0")
    }

    @Test func betasMustBeBelowOne() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = AdamW(parameters: [], beta2: 1)
        }
        expectMessage(result, contains: "AdamW: beta2 must be in [0, 1), not 1.0")
    }

    @Test func epochsCountFromZero() async throws {
        let result = try await #require(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            StepLR(initialLearningRate: 0.1, stepSize: 2).apply(to: Adam(parameters: []), epoch: -1)
        }
        expectMessage(result, contains: "epochs count from 0, so epoch -1 has no rate")
    }
}
