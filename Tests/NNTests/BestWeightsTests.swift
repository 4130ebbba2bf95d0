import Testing
@testable import NN
import TensorCore

/// A two-layer model whose parameters the tests can set to known values.
private func smallModel(seed: UInt32 = 0) -> Sequential {
    var random = RandomState(seed: seed)
    return Sequential(Linear(3, 4, random: &random), ReLU(), Linear(4, 2, random: &random))
}

/// Sets every parameter of `model` to `value` everywhere: the model "as it was after epoch `value`".
private func setEverything(_ model: some Module, to value: Double) {
    for (_, parameter) in model.parameters {
        parameter.update(to: Tensor.full(parameter.shape, value: value))
    }
}

/// One SGD step on a fixed regression batch.
private func step(_ model: Sequential, _ optimizer: SGD) {
    let inputs = Tensor([[1.0, -2.0, 0.5], [0.3, 0.1, -1.0]])
    let targets = Tensor([[1.0, 0.0], [0.0, 1.0]])
    optimizer.zeroGradients()
    let error = model(inputs) - targets
    (error * error).meanAll().backward()
    optimizer.step()
}

@Suite struct ModuleSnapshotTests {
    @Test func restoreBringsBackTheExactValues() {
        let model = smallModel()
        let optimizer = SGD(parameters: model.trainableParameters, learningRate: 0.1)
        let snapshot = model.snapshot()
        let before = model.parameters.map { $0.parameter.value.scalars }
        step(model, optimizer)
        #expect(model.parameters.map { $0.parameter.value.scalars } != before)
        // The snapshot did not move with the model.
        #expect(snapshot.values.map { $0.value.scalars } == before)
        model.restore(snapshot)
        #expect(model.parameters.map { $0.parameter.value.scalars } == before)
        #expect(snapshot.names == ["0.weight", "0.bias", "2.weight", "2.bias"])
        #expect(snapshot["2.bias"]?.shape == [2])
    }

    @Test func theOptimizerKeepsUpdatingTheRestoredModel() {
        let model = smallModel()
        let optimizer = SGD(parameters: model.trainableParameters, learningRate: 0.1)
        let held = model.parameters.map(\.parameter)
        let snapshot = model.snapshot()
        step(model, optimizer)
        model.restore(snapshot)
        // The same objects: what the optimizer holds is what the model uses.
        #expect(zip(held, model.parameters.map(\.parameter)).allSatisfy { $0 === $1 })
        #expect(zip(optimizer.parameters, model.trainableParameters).allSatisfy { $0 === $1 })
        let restored = model.parameters.map { $0.parameter.value.scalars }
        step(model, optimizer)
        #expect(model.parameters.map { $0.parameter.value.scalars } != restored)
    }

    @Test func frozenParametersAreRestoredAndStayFrozen() {
        let model = smallModel()
        model.freeze()
        let snapshot = model.snapshot()
        setEverything(model, to: 7)
        model.restore(snapshot)
        #expect(model.parameters.allSatisfy { $0.parameter.isFrozen })
        #expect(model.parameters.map { $0.parameter.value.scalars } == snapshot.values.map { $0.value.scalars })
    }

    @Test func aSnapshotOfAnotherArchitectureIsRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var random = RandomState(seed: 0)
            let other = Sequential(Linear(3, 5, random: &random), ReLU(), Linear(5, 2, random: &random))
            smallModel().restore(other.snapshot())
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("BestWeightsTests.swift"))
        #expect(message.contains("restore: parameter 0.weight is float64 (3, 4) here but float64 (3, 5) in the snapshot"))
    }

    @Test func aSnapshotWithOtherNamesIsRefused() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var random = RandomState(seed: 0)
            smallModel().restore(Linear(3, 4, random: &random).snapshot())
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("restore: this model has a parameter 0.weight that the snapshot lacks"))
    }
}

@Suite struct BestWeightsTests {
    /// Offers epochs 1… with `scores`, the model's parameters all equal to the epoch's number.
    private func run(_ scores: [Double], goal: BestWeights.Goal = .minimize, minimumImprovement: Double = 0)
        -> (BestWeights, Sequential) {
        let model = smallModel()
        var best = BestWeights(goal: goal, minimumImprovement: minimumImprovement)
        for (index, score) in scores.enumerated() {
            setEverything(model, to: Double(index + 1))
            best.offer(epoch: index + 1, score: score, model: model)
        }
        return (best, model)
    }

    @Test func keepsTheLowestLossAndRestoresItsValues() {
        let (best, model) = run([0.9, 0.7, 0.75, 0.6, 0.65, 0.62])
        #expect(best.bestEpoch == 4 && best.bestScore == 0.6)
        #expect(best.epochsSinceImprovement == 2)
        best.restore(model)
        #expect(model.parameters.allSatisfy { $0.parameter.value.scalars.allSatisfy { $0 == 4 } })
    }

    @Test func keepsTheHighestAccuracyWhenMaximizing() {
        let (best, model) = run([0.5, 0.8, 0.7, 0.8], goal: .maximize)
        // A tie keeps the earlier epoch.
        #expect(best.bestEpoch == 2)
        best.restore(model)
        #expect(model.parameters.allSatisfy { $0.parameter.value.scalars.allSatisfy { $0 == 2 } })
    }

    @Test func aNaNScoreIsNeverBest() {
        #expect(run([.nan, 0.9, .nan, 0.8, .nan]).0.bestEpoch == 4)
    }

    @Test func smallImprovementsCanBeIgnored() {
        let (best, _) = run([1.0, 0.95, 0.85], minimumImprovement: 0.1)
        // 0.95 is not 0.1 below 1.0; 0.85 is 0.15 below it.
        #expect(best.bestEpoch == 3)
    }

    @Test func offerSaysWhetherTheEpochBecameTheBest() {
        let model = smallModel()
        var best = BestWeights()
        let first = best.offer(epoch: 1, score: 2, model: model)
        let worse = best.offer(epoch: 2, score: 3, model: model)
        #expect(first && !worse)
        #expect(best.epochsSinceImprovement == 1)
        let better = best.offer(epoch: 3, score: 1, model: model)
        #expect(better && best.epochsSinceImprovement == 0)
    }

    @Test func restoringBeforeAnyEpochStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            BestWeights().restore(smallModel())
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("BestWeights.restore: there are no weights to restore: no epoch was offered"))
    }

    @Test func anEpochOfferedTwiceStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            var best = BestWeights()
            let model = smallModel()
            best.offer(epoch: 3, score: 1, model: model)
            best.offer(epoch: 3, score: 0.5, model: model)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("BestWeights.offer: epoch 3 comes after epoch 3"))
    }
}
