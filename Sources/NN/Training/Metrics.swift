import TensorCore

/// The share of examples whose predicted class is the true one, from 0 to 1.
///
/// ```
/// accuracy = #{i : predicted_i = label_i} / N
/// ```
///
/// - Shapes: `predictions` either `(N,)` int64 class indices, or `(N, C)` float scores (logits or
///   probabilities), whose largest entry in each row is the prediction; `labels (N,)` int64.
/// - Precondition: `N > 0`, and labels are not negative.
///
/// At the top level of a lesson, `let accuracy = accuracy(…)` does not compile ("circular
/// reference"): Swift cannot name a variable after the function that computes it in the same
/// top-level statement. Name the result otherwise (`let testAccuracy = …`) or write `NN.accuracy(…)`.
public func accuracy(predictions: Tensor, labels: Tensor,
                     file: StaticString = #filePath, line: UInt = #line) -> Double {
    let inputs = ClassificationInputs(predictions: predictions, labels: labels, classCount: nil,
                                      operation: "accuracy", file: file, line: line)
    guard !inputs.actual.isEmpty else {
        tensorFailure("accuracy: there are no examples; the accuracy of none is undefined", file: file, line: line)
    }
    let correct = zip(inputs.predicted, inputs.actual).filter { $0 == $1 }.count
    return Double(correct) / Double(inputs.actual.count)
}

/// How often each true class was predicted as each class: entry `[t, p]` counts the examples of
/// true class `t` predicted as `p` (scikit-learn's `confusion_matrix`). The diagonal holds the
/// correct predictions; row `t` sums to the number of examples of class `t`.
///
/// - Shapes: `predictions (N,)` int64 or `(N, C)` float scores, `labels (N,)` int64 → int64
///   `(classCount, classCount)`.
/// - Parameters:
///   - classCount: the number of classes; by default `C` for scores, else one more than the
///     largest class seen. Give it when a class may be missing from both labels and predictions.
/// - Precondition: every label and prediction is in `0..<classCount`.
///
/// At the top level of a lesson, name the result otherwise than `confusionMatrix` (or write
/// `NN.confusionMatrix(…)`), as for ``accuracy(predictions:labels:file:line:)``.
public func confusionMatrix(predictions: Tensor, labels: Tensor, classCount: Int? = nil,
                            file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    let inputs = ClassificationInputs(predictions: predictions, labels: labels, classCount: classCount,
                                      operation: "confusionMatrix", file: file, line: line)
    let counts = inputs.confusionCounts()
    return Tensor(shape: [inputs.classCount, inputs.classCount], indices: counts.flatMap { $0 })
}

/// Predicted and true classes, checked: the common input of the classification metrics.
struct ClassificationInputs {
    let predicted: [Int]
    let actual: [Int]
    let classCount: Int

    init(predictions: Tensor, labels: Tensor, classCount: Int?, operation: String,
         file: StaticString, line: UInt) {
        guard labels.dtype == .int64, labels.rank == 1 else {
            tensorFailure(
                "\(operation): labels must be int64 class indices of shape (N,), but are \(labels.dtype) of shape \(labels.shapeDescription)\(labels.dtype == .int64 ? "" : "; convert them with .cast(to: .int64)")",
                file: file, line: line)
        }
        let predicted: [Int]
        var scoreClasses: Int?
        if predictions.dtype == .int64, predictions.rank == 1 {
            predicted = predictions.indices
        } else if predictions.dtype.isFloatingPoint, predictions.rank == 2 {
            guard predictions.shape[1] > 0 || predictions.shape[0] == 0 else {
                tensorFailure("\(operation): scores of shape \(predictions.shapeDescription) have no classes to pick from",
                              file: file, line: line)
            }
            predicted = predictions.shape[0] == 0 ? [] : predictions.argmax(axis: 1, file: file, line: line).indices
            scoreClasses = predictions.shape[1]
        } else {
            tensorFailure(
                "\(operation): predictions must be int64 class indices (N,) or float scores (N, C), but are \(predictions.dtype) of shape \(predictions.shapeDescription)",
                file: file, line: line)
        }
        guard predicted.count == labels.shape[0] else {
            tensorFailure(
                "\(operation): \(predicted.count) predictions but \(labels.shape[0]) labels; they need one per example",
                file: file, line: line)
        }
        if let classCount, classCount < 1 {
            tensorFailure("\(operation): classCount must be at least 1, not \(classCount)", file: file, line: line)
        }
        let actual = labels.indices
        let count = classCount ?? scoreClasses ?? ((actual + predicted).max().map { $0 + 1 } ?? 0)
        Self.checkClasses(actual, named: "label", classCount: count, operation: operation, file: file, line: line)
        Self.checkClasses(predicted, named: "prediction", classCount: count, operation: operation, file: file, line: line)
        self.predicted = predicted
        self.actual = actual
        self.classCount = count
    }

    /// Stops with a message naming the first class outside `0..<classCount`.
    private static func checkClasses(_ classes: [Int], named kind: String, classCount: Int, operation: String,
                                     file: StaticString, line: UInt) {
        guard let position = classes.firstIndex(where: { !(0..<classCount).contains($0) }) else { return }
        let value = classes[position]
        let reason = value < 0 ? "classes are numbered from 0" : "there are only \(classCount) classes (0..<\(classCount))"
        tensorFailure("\(operation): \(kind) \(position) is class \(value), but \(reason)", file: file, line: line)
    }

    /// `counts[t][p]`: the number of examples of true class `t` predicted as `p`.
    func confusionCounts() -> [[Int]] {
        var counts = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
        for (truth, guess) in zip(actual, predicted) {
            counts[truth][guess] += 1
        }
        return counts
    }
}
