import Testing
import NN
import TensorCore

@Suite struct MiniBatchTests {
    @Test func shuffledBatchesCoverEveryIndexOnce() {
        let batches = MiniBatches(count: 10, batchSize: 3, seed: 3)
        #expect(batches.map(\.count) == [3, 3, 3, 1])
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<10))
        // np.random.RandomState(3).permutation(10), cut into threes.
        #expect(Array(batches) == [[5, 4, 1], [2, 9, 6], [7, 0, 3], [8]])
    }

    @Test func theSameSeedGivesTheSameBatches() {
        let first = MiniBatches(count: 100, batchSize: 16, seed: 7)
        let again = MiniBatches(count: 100, batchSize: 16, seed: 7)
        let other = MiniBatches(count: 100, batchSize: 16, seed: 8)
        #expect(Array(first) == Array(again))
        #expect(Array(first) != Array(other))
        #expect(first.order != Array(0..<100))
    }

    @Test func oneGeneratorGivesEachEpochItsOwnOrderReproducibly() {
        var random = RandomState(seed: 7)
        let epoch1 = MiniBatches(count: 10, batchSize: 4, random: &random)
        let epoch2 = MiniBatches(count: 10, batchSize: 4, random: &random)
        #expect(epoch1.order == [8, 5, 0, 2, 1, 9, 7, 3, 6, 4])  // np.random.RandomState(7).permutation(10)
        #expect(epoch1.order != epoch2.order)
        #expect(epoch2.order.sorted() == Array(0..<10))

        var replay = RandomState(seed: 7)
        _ = MiniBatches(count: 10, batchSize: 4, random: &replay)
        #expect(MiniBatches(count: 10, batchSize: 4, random: &replay).order == epoch2.order)
    }

    @Test func droppingTheLastBatchKeepsOnlyFullOnes() {
        let batches = MiniBatches(count: 10, batchSize: 3, seed: 3, dropLast: true)
        #expect(batches.map(\.count) == [3, 3, 3])
        #expect(Set(batches.flatMap { $0 }).count == 9)
        #expect(!batches.flatMap { $0 }.contains(8))
        // An exact division drops nothing.
        #expect(MiniBatches(count: 9, batchSize: 3, seed: 0, dropLast: true).count == 3)
    }

    @Test func unshuffledBatchesKeepTheOrder() {
        #expect(Array(MiniBatches(count: 7, batchSize: 3)) == [[0, 1, 2], [3, 4, 5], [6]])
        #expect(MiniBatches(count: 0, batchSize: 3).isEmpty)
        #expect(Array(MiniBatches(count: 2, batchSize: 5)) == [[0, 1]])
    }

    @Test func rowsTakeABatchOfFeaturesAndLabels() {
        let features = Tensor([[0.0, 1.0], [10.0, 11.0], [20.0, 21.0], [30.0, 31.0]])
        let labels = Tensor(indices: [7, 8, 9, 6])
        #expect(features.rows([2, 0]).shape == [2, 2])
        #expect(features.rows([2, 0]).scalars == [20, 21, 0, 1])
        #expect(labels.rows([2, 0]).indices == [9, 7])
        #expect(labels.rows([2, 0]).dtype == .int64)
    }

    @Test func aBadBatchSizeStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = MiniBatches(count: 10, batchSize: 0)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("MiniBatchTests.swift"))
        #expect(message.contains("MiniBatches: batchSize must be at least 1, not 0"))
    }
}
