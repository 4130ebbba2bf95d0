import Testing
import NN
import TensorCore

@Suite struct LearningRateScheduleTests {
    @Test func stepDecayDropsEveryStepSizeEpochs() {
        // η = 0.1 · 0.5^⌊epoch / 3⌋
        let schedule = StepLR(initialLearningRate: 0.1, stepSize: 3, gamma: 0.5)
        let expected: [(epoch: Int, rate: Double)] = [
            (0, 0.1), (1, 0.1), (2, 0.1),  // ⌊0/3⌋ = ⌊2/3⌋ = 0
            (3, 0.05), (5, 0.05),          // ⌊3/3⌋ = ⌊5/3⌋ = 1
            (6, 0.025), (9, 0.0125),       // 0.1·0.5², 0.1·0.5³
        ]
        for (epoch, rate) in expected {
            expectClose(schedule.learningRate(atEpoch: epoch), rate)
        }
        // PyTorch's default γ = 0.1: 0.1·0.1 from epoch 30.
        expectClose(StepLR(initialLearningRate: 0.1, stepSize: 30).learningRate(atEpoch: 30), 0.01)
    }

    @Test func exponentialDecayMultipliesEveryEpoch() {
        // η = 0.1 · 0.9^epoch
        let schedule = ExponentialLR(initialLearningRate: 0.1, gamma: 0.9)
        expectClose(schedule.learningRate(atEpoch: 0), 0.1)
        expectClose(schedule.learningRate(atEpoch: 1), 0.09)
        expectClose(schedule.learningRate(atEpoch: 2), 0.081)
        expectClose(schedule.learningRate(atEpoch: 3), 0.0729)
        expectClose(schedule.learningRate(atEpoch: 10), 0.03486784401)  // 0.9¹⁰ = 0.3486784401
    }

    @Test func cosineAnnealingFallsToTheMinimumAndStays() {
        // η = 0.02 + ½·(0.1 − 0.02)·(1 + cos(π·t/4)) = 0.02 + 0.04·(1 + cos(π·t/4)), t = min(epoch, 4)
        let schedule = CosineAnnealingLR(initialLearningRate: 0.1, annealingEpochs: 4, minimumLearningRate: 0.02)
        expectClose(schedule.learningRate(atEpoch: 0), 0.1)                 // cos 0 = 1: 0.02 + 0.08
        expectClose(schedule.learningRate(atEpoch: 1), 0.0882842712474619)  // cos(π/4) = 0.70711: 0.02 + 0.04·1.70711
        expectClose(schedule.learningRate(atEpoch: 2), 0.06)                // cos(π/2) = 0: 0.02 + 0.04
        expectClose(schedule.learningRate(atEpoch: 3), 0.0317157287525381)  // cos(3π/4) = −0.70711: 0.02 + 0.04·0.29289
        expectClose(schedule.learningRate(atEpoch: 4), 0.02)                // cos π = −1: the minimum
        expectClose(schedule.learningRate(atEpoch: 5), 0.02)                // past T: held at the minimum
        expectClose(schedule.learningRate(atEpoch: 100), 0.02)
        // η_min defaults to 0: halfway, ½·0.1·(1 + cos(π/2)) = 0.05.
        let toZero = CosineAnnealingLR(initialLearningRate: 0.1, annealingEpochs: 10)
        expectClose(toZero.learningRate(atEpoch: 5), 0.05)
        expectClose(toZero.learningRate(atEpoch: 10), 0, Closeness(rtol: 0, atol: 1e-18))
    }

    @Test func applyingAScheduleSetsTheRateTheNextStepUses() {
        let p = Parameter(Tensor([1.0, -2.0]))
        let sgd = SGD(parameters: [p], learningRate: 1)
        let schedule = StepLR(initialLearningRate: 0.1, stepSize: 1, gamma: 0.5)
        // Epoch 1: η = 0.1·0.5 = 0.05;  g = 2p, so p ← p − 0.05·2p = 0.9·p = [0.9, −1.8]
        let rate = schedule.apply(to: sgd, epoch: 1)
        expectClose(rate, 0.05)
        expectClose(sgd.learningRate, 0.05)
        trainingStep(sgd) { (p.value * p.value).sumAll() }
        expectClose(p.value, [0.9, -1.8])

        // Any optimizer takes a schedule.
        let adamW = AdamW(parameters: [p])
        ExponentialLR(initialLearningRate: 0.01, gamma: 0.5).apply(to: adamW, epoch: 2)
        expectClose(adamW.learningRate, 0.0025)
    }
}
