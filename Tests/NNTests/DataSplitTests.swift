import Testing
@testable import NN
import TensorCore

@Suite struct DataSplitTests {
    @Test(arguments: TrainingReferences.shared.splits.indices)
    func matchesTheNumPyReference(index: Int) {
        let reference = TrainingReferences.shared.splits[index]
        let split = trainValidationTestSplit(count: reference.count, validationFraction: reference.validation_fraction,
                                             testFraction: reference.test_fraction, seed: reference.seed)
        #expect(split.test == reference.test)
        #expect(split.validation == reference.validation)
        #expect(split.train == reference.train)
    }

    @Test func thePartsCoverEveryRowOnce() {
        let split = trainValidationTestSplit(count: 50, validationFraction: 0.1, testFraction: 0.2, seed: 9)
        #expect((split.test.count, split.validation.count, split.train.count) == (10, 5, 35))
        #expect((split.train + split.validation + split.test).sorted() == Array(0..<50))
    }

    @Test func theTestPartIsTrainTestSplitsAndTheRestIsItsTrainingPart() {
        let features = Tensor.arange(23).reshaped(23, 1)
        let labels = Tensor(indices: Array(0..<23))
        let (train, _, _, test) = trainTestSplit(features, labels, testFraction: 0.25, seed: 42)
        let split = trainValidationTestSplit(count: 23, validationFraction: 0.15, testFraction: 0.25, seed: 42)
        #expect(test.indices == split.test)
        #expect(train.indices == split.validation + split.train)
    }

    @Test func partsTakeRowsOfTensorsAndElementsOfArrays() {
        let split = DataSplit(train: [3, 0], validation: [2], test: [1])
        let features = Tensor([[0.0, 0.5], [1.0, 1.5], [2.0, 2.5], [3.0, 3.5]])
        let (train, validation, test) = split.parts(of: features)
        #expect(train.shape == [2, 2] && train.scalars == [3, 3.5, 0, 0.5])
        #expect(validation.scalars == [2, 2.5])
        #expect(test.scalars == [1, 1.5])
        let texts = ["zero", "one", "two", "three"]
        let words = split.parts(of: texts)
        #expect(words.train == ["three", "zero"] && words.validation == ["two"] && words.test == ["one"])
        #expect(texts.elements(at: [1, 1, 0]) == ["one", "one", "zero"])
    }

    @Test func noValidationPartIsAllowed() {
        let split = trainValidationTestSplit(count: 7, validationFraction: 0, testFraction: 0.3, seed: 3)
        #expect(split.validation.isEmpty)
        #expect(split.test.count == 3 && split.train.count == 4)
    }

    @Test func theSameSeedGivesTheSameSplit() {
        var random = RandomState(seed: 5)
        let fromState = trainValidationTestSplit(count: 30, validationFraction: 0.2, testFraction: 0.2, random: &random)
        #expect(fromState == trainValidationTestSplit(count: 30, validationFraction: 0.2, testFraction: 0.2, seed: 5))
    }

    @Test func partsThatLeaveNoTrainingRowsStopWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = trainValidationTestSplit(count: 4, validationFraction: 0.5, testFraction: 0.5, seed: 0)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("DataSplitTests.swift"))
        #expect(message.contains("4 examples with 2 for the test and 2 for validation leave none for training"))
    }

    @Test func anIndexOutsideAnArrayStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = ["a", "b"].elements(at: [0, 2])
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("elements(at:): index 2 is out of range for an array of 2 elements"))
    }
}
