import Testing
@testable import NN
import TensorCore

@Suite struct TrainingHistoryTests {
    private var history: TrainingHistory {
        var history = TrainingHistory()
        history.record(epoch: 1, trainingLoss: 0.69315, validationLoss: 0.6802, validationAccuracy: 0.5625)
        history.record(epoch: 2, trainingLoss: 0.41, validationLoss: 0.39, validationAccuracy: 0.8125)
        history.record(epoch: 3, trainingLoss: 0.2, validationLoss: 0.45, validationAccuracy: 0.875)
        return history
    }

    @Test func printsATableWithTheBestEpochMarked() {
        #expect(history.description == """
            epoch  train loss  val loss  val acc
                1      0.6932    0.6802   0.5625
                2      0.4100    0.3900   0.8125  *
                3      0.2000    0.4500   0.8750
            * best epoch: 2 (lowest validation loss, 0.3900)
            """)
    }

    @Test func timeAndLearningRateGetColumnsWhenGiven() {
        var history = TrainingHistory()
        history.record(epoch: 1, trainingLoss: 1, validationLoss: 0.5, seconds: 1.25, learningRate: 1e-3)
        history.record(epoch: 2, trainingLoss: 0.5, validationLoss: 0.25, seconds: 0.94, learningRate: 3e-4)
        #expect(history.description == """
            epoch  train loss  val loss     time         lr
                1      1.0000    0.5000    1.2 s      0.001
                2      0.5000    0.2500    0.9 s     0.0003  *
            * best epoch: 2 (lowest validation loss, 0.2500)
            """)
    }

    @Test func bestEpochsSkipNaNAndKeepTheFirstOfEquals() {
        var history = TrainingHistory()
        history.record(epoch: 1, trainingLoss: 1, validationLoss: .nan, validationAccuracy: 0.9)
        history.record(epoch: 2, trainingLoss: 1, validationLoss: 0.5, validationAccuracy: 0.7)
        history.record(epoch: 3, trainingLoss: 1, validationLoss: 0.5, validationAccuracy: 0.9)
        #expect(history.bestEpoch == 2)
        #expect(history.mostAccurateEpoch == 1)
        #expect(TrainingHistory().bestEpoch == nil)
        #expect(TrainingHistory().description == "TrainingHistory: no epochs recorded")
    }

    @Test func agreesWithBestWeightsOnTheSameLosses() {
        var random = RandomState(seed: 4)
        let losses = random.rand(12).scalars
        var history = TrainingHistory()
        var best = BestWeights()
        let model = Linear(2, 2, random: &random)
        for (index, loss) in losses.enumerated() {
            history.record(epoch: index + 1, trainingLoss: loss, validationLoss: loss)
            best.offer(epoch: index + 1, score: loss, model: model)
        }
        #expect(history.bestEpoch == best.bestEpoch)
    }

    @Test func columnsReadBackAsArrays() {
        #expect(history.epochNumbers == [1, 2, 3])
        #expect(history.trainingLosses == [0.69315, 0.41, 0.2])
        #expect(history.validationLosses == [0.6802, 0.39, 0.45])
        #expect(history.validationAccuracies == [0.5625, 0.8125, 0.875])
        #expect(history[epoch: 2]?.validationAccuracy == 0.8125)
        #expect(history[epoch: 9] == nil)
    }

    @Test func anEpochOutOfOrderStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var history = TrainingHistory()
            history.record(epoch: 2, trainingLoss: 1, validationLoss: 1)
            history.record(epoch: 1, trainingLoss: 1, validationLoss: 1)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("TrainingHistoryTests.swift"))
        #expect(message.contains("TrainingHistory.record: epoch 1 comes after epoch 2"))
    }
}
