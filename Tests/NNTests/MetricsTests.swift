import Testing
import NN
import TensorCore

/// Eight examples of three classes (a fourth, class 3, never occurs): class 2 is never predicted.
///
///     labels      0 0 0 1 2 2 1 0
///     predictions 0 1 0 1 1 1 1 1
///
/// Confusion (rows true, columns predicted): [[2, 2, 0], [0, 2, 0], [0, 2, 0]].
/// Class 0: precision 2/2, recall 2/4, F1 2/3, support 4. Class 1: precision 2/6, recall 2/2,
/// F1 1/2, support 2. Class 2: never predicted, so precision 0 (0/0 defined as 0), recall 0/2,
/// F1 0, support 2. Accuracy 4/8. The numbers agree with scikit-learn's classification_report.
private let labels = Tensor(indices: [0, 0, 0, 1, 2, 2, 1, 0])
private let predicted = Tensor(indices: [0, 1, 0, 1, 1, 1, 1, 1])

@Suite struct MetricsTests {
    @Test func accuracyOfClassIndices() {
        #expect(accuracy(predictions: predicted, labels: labels) == 0.5)
        #expect(accuracy(predictions: labels, labels: labels) == 1)
    }

    @Test func accuracyOfScoresTakesTheLargestOfEachRow() {
        let scores = Tensor([[2.0, 1.0, 0.0], [0.1, 0.3, 0.2], [-1.0, -3.0, -2.0], [0.5, 0.5, 0.1]])
        // argmax per row: 0, 1, 0, and 0 for the tie (the first, as NumPy).
        #expect(accuracy(predictions: scores, labels: Tensor(indices: [0, 1, 2, 0])) == 0.75)
        #expect(accuracy(predictions: scores.cast(to: .float32), labels: Tensor(indices: [0, 1, 2, 1])) == 0.5)
    }

    @Test func confusionMatrixCountsTrueClassesByRow() {
        let matrix = confusionMatrix(predictions: predicted, labels: labels)
        #expect(matrix.dtype == .int64)
        #expect(matrix.shape == [3, 3])
        #expect(matrix.indices == [2, 2, 0,
                                   0, 2, 0,
                                   0, 2, 0])
        let wider = confusionMatrix(predictions: predicted, labels: labels, classCount: 4)
        #expect(wider.shape == [4, 4])
        #expect(wider.indices == [2, 2, 0, 0,
                                  0, 2, 0, 0,
                                  0, 2, 0, 0,
                                  0, 0, 0, 0])
    }

    @Test func confusionMatrixOfScoresHasOneRowPerScoreColumn() {
        let scores = Tensor([[0.9, 0.1, 0.0, 0.0], [0.2, 0.8, 0.0, 0.0]])
        let matrix = confusionMatrix(predictions: scores, labels: Tensor(indices: [1, 1]))
        #expect(matrix.shape == [4, 4])
        #expect(matrix.indices == [0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func reportScoresEachClassWithZeroForAnEmptyDenominator() {
        let report = ClassificationReport(predictions: predicted, labels: labels, classCount: 4)
        let expected: [(precision: Double, recall: Double, f1: Double, support: Int)] = [
            (1, 0.5, 2.0 / 3, 4), (1.0 / 3, 1, 0.5, 2), (0, 0, 0, 2), (0, 0, 0, 0),
        ]
        #expect(report.classes.count == 4)
        for (scores, wanted) in zip(report.classes, expected) {
            #expect(abs(scores.precision - wanted.precision) < 1e-15, "\(scores.name)")
            #expect(abs(scores.recall - wanted.recall) < 1e-15, "\(scores.name)")
            #expect(abs(scores.f1 - wanted.f1) < 1e-15, "\(scores.name)")
            #expect(scores.support == wanted.support)
        }
        #expect(report.accuracy == 0.5)
        #expect(report.confusionMatrix.indices == confusionMatrix(predictions: predicted, labels: labels, classCount: 4).indices)
    }

    @Test func reportAveragesOverClassesAndBySupport() {
        let three = ClassificationReport(predictions: predicted, labels: labels)
        #expect(abs(three.macroAverage.precision - 4.0 / 9) < 1e-15)   // (1 + 1/3 + 0) / 3
        #expect(abs(three.macroAverage.recall - 0.5) < 1e-15)          // (1/2 + 1 + 0) / 3
        #expect(abs(three.macroAverage.f1 - 7.0 / 18) < 1e-15)         // (2/3 + 1/2 + 0) / 3
        #expect(abs(three.weightedAverage.precision - 7.0 / 12) < 1e-15)  // (4·1 + 2·1/3 + 2·0) / 8
        #expect(abs(three.weightedAverage.recall - 0.5) < 1e-15)
        #expect(abs(three.weightedAverage.f1 - 11.0 / 24) < 1e-15)     // (4·2/3 + 2·1/2) / 8
        #expect(three.macroAverage.support == 8)
        // A class with no examples and no predictions lowers the macro average only.
        let four = ClassificationReport(predictions: predicted, labels: labels, classCount: 4)
        #expect(abs(four.macroAverage.precision - 1.0 / 3) < 1e-15)
        #expect(abs(four.macroAverage.f1 - 7.0 / 24) < 1e-15)
        #expect(four.weightedAverage == three.weightedAverage)
    }

    @Test func reportPrintsLikeScikitLearn() {
        // classification_report([0,0,0,1,2,2,1,0], [0,1,0,1,1,1,1,1], labels=[0,1,2,3], zero_division=0)
        let expected = """
                          precision    recall  f1-score   support

                       0       1.00      0.50      0.67         4
                       1       0.33      1.00      0.50         2
                       2       0.00      0.00      0.00         2
                       3       0.00      0.00      0.00         0

                accuracy                           0.50         8
               macro avg       0.33      0.38      0.29         8
            weighted avg       0.58      0.50      0.46         8
            """
        #expect(ClassificationReport(predictions: predicted, labels: labels, classCount: 4).description == expected)
    }

    @Test func reportWithNamesAndMoreDigitsPrintsLikeScikitLearn() {
        // classification_report(…, labels=[0,1,2], target_names=['zero','one','two'], zero_division=0, digits=4)
        let expected = """
                          precision    recall  f1-score   support

                    zero     1.0000    0.5000    0.6667         4
                     one     0.3333    1.0000    0.5000         2
                     two     0.0000    0.0000    0.0000         2

                accuracy                         0.5000         8
               macro avg     0.4444    0.5000    0.3889         8
            weighted avg     0.5833    0.5000    0.4583         8
            """
        let report = ClassificationReport(predictions: predicted, labels: labels, classNames: ["zero", "one", "two"])
        #expect(report.table(digits: 4) == expected)
    }

    @Test func floatLabelsStopWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = accuracy(predictions: Tensor(indices: [0, 1]), labels: Tensor([0.0, 1.0]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("accuracy: labels must be int64 class indices of shape (N,), but are float64 of shape (2,); convert them with .cast(to: .int64)"))
    }

    @Test func aLabelPastClassCountStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = confusionMatrix(predictions: Tensor(indices: [0, 1]), labels: Tensor(indices: [0, 3]), classCount: 3)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("confusionMatrix: label 1 is class 3, but there are only 3 classes (0..<3)"))
    }
}
