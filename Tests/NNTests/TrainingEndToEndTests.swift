import Foundation
import Testing
@testable import NN
import TensorCore

/// Real training on the digits (`Lessons/data/digits.csv`): an MLP, then LoRA adapting a frozen
/// network to classes it never saw.
@Suite(.serialized) struct TrainingEndToEndTests {
    /// The course's copy of the digits, pixels scaled to 0…1.
    static func digits() throws -> (images: Tensor, labels: Tensor) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (images, labels) = try Digits.load(from: root.appendingPathComponent("Lessons/data/digits.csv").path)
        return (images / Double(Digits.maximumPixel), labels)
    }

    /// The examples whose label is in `classes`, relabelled 0, 1, … in that order.
    static func subset(_ images: Tensor, _ labels: Tensor, classes: ClosedRange<Int>) -> (Tensor, Tensor) {
        let values = labels.indices
        let rows = values.indices.filter { classes.contains(values[$0]) }
        return (images.gather(rows), Tensor(indices: rows.map { values[$0] - classes.lowerBound }))
    }

    /// Trains `model` with Adam and mini-batches of 32; returns the last epoch's mean loss.
    @discardableResult
    static func train(_ model: any Layer, images: Tensor, labels: Tensor, epochs: Int, learningRate: Double,
                      seed: UInt32) -> Double {
        var random = RandomState(seed: seed)
        let optimizer = Adam(parameters: model.trainableParameters, learningRate: learningRate)
        var lastEpochLoss = 0.0
        for _ in 0..<epochs {
            var total = 0.0
            let batches = MiniBatches(count: images.shape[0], batchSize: 32, random: &random)
            for batch in batches {
                optimizer.zeroGradients()
                let loss = crossEntropy(model(images.gather(batch)), labels.gather(batch))
                loss.backward()
                optimizer.step()
                total += loss.item()
            }
            lastEpochLoss = total / Double(batches.count)
        }
        return lastEpochLoss
    }

    static func testAccuracy(_ model: any Layer, _ images: Tensor, _ labels: Tensor) -> Double {
        accuracy(predictions: Tensor.withoutGradients { model(images) }, labels: labels)
    }

    @Test func anMLPLearnsTheDigits() throws {
        let (images, labels) = try Self.digits()
        let split = trainTestSplit(images, labels, testFraction: 0.25, seed: 0)
        var random = RandomState(seed: 0)
        let model = Sequential(Linear(64, 128, random: &random), ReLU(), Linear(128, 10, random: &random))
        let loss = Self.train(model, images: split.trainFeatures, labels: split.trainLabels, epochs: 15,
                              learningRate: 1e-2, seed: 1)
        #expect(loss < 0.05)
        let accuracy = Self.testAccuracy(model, split.testFeatures, split.testLabels)
        #expect(accuracy >= 0.95, "test accuracy \(accuracy)")
    }

    @Test func loraAdaptsAFrozenNetworkToNewDigits() throws {
        let (images, labels) = try Self.digits()
        let split = trainTestSplit(images, labels, testFraction: 0.25, seed: 0)
        var random = RandomState(seed: 0)
        let (first, second, head) = (Linear(64, 256, random: &random), Linear(256, 256, random: &random),
                                     Linear(256, 5, random: &random))
        let base = Sequential(first, ReLU(), second, ReLU(), head)

        // Pre-train on the digits 0–4.
        let (oldTrain, oldTrainLabels) = Self.subset(split.trainFeatures, split.trainLabels, classes: 0...4)
        let (oldTest, oldTestLabels) = Self.subset(split.testFeatures, split.testLabels, classes: 0...4)
        Self.train(base, images: oldTrain, labels: oldTrainLabels, epochs: 10, learningRate: 1e-3, seed: 1)
        #expect(Self.testAccuracy(base, oldTest, oldTestLabels) >= 0.95)

        // The digits 5–9, which the base network never saw: without adapting, it is lost.
        let (newTrain, newTrainLabels) = Self.subset(split.trainFeatures, split.trainLabels, classes: 5...9)
        let (newTest, newTestLabels) = Self.subset(split.testFeatures, split.testLabels, classes: 5...9)
        #expect(Self.testAccuracy(base, newTest, newTestLabels) < 0.5)

        // Freeze everything and adapt every layer with a low-rank update; the head's five outputs
        // now mean 5…9.
        let frozenWeights = base.parameters.map { $0.parameter.value.scalars }
        let adapted = Sequential(LoRALinear(base: first, rank: 4, alpha: 8, random: &random), ReLU(),
                                 LoRALinear(base: second, rank: 2, alpha: 4, random: &random), ReLU(),
                                 LoRALinear(base: head, rank: 4, alpha: 8, random: &random))
        let counts = adapted.parameterCounts
        #expect(counts.trainableFraction <= 0.05, "\(counts)")
        Self.train(adapted, images: newTrain, labels: newTrainLabels, epochs: 20, learningRate: 1e-2, seed: 2)

        let accuracy = Self.testAccuracy(adapted, newTest, newTestLabels)
        #expect(accuracy >= 0.90, "LoRA test accuracy \(accuracy) with \(counts)")
        // Only the adapters moved.
        #expect(base.parameters.map { $0.parameter.value.scalars } == frozenWeights)
        // Merged into plain layers, the adapted network gives the same answers.
        let merged = Sequential(adapted.layers.map { ($0 as? LoRALinear)?.merged() ?? $0 })
        let (unmergedOutput, mergedOutput) = Tensor.withoutGradients { (adapted(newTest), merged(newTest)) }
        #expect(Closeness(rtol: 1e-9, atol: 1e-9).mismatch(mergedOutput, unmergedOutput) == nil)
    }
}
