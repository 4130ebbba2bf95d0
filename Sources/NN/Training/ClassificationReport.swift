import Foundation
import TensorCore

/// Precision, recall and F1 of each class of a classifier, with its accuracy and the averages
/// over classes; printed, a table like scikit-learn's `classification_report`.
///
/// For class `c`, with `TP` its examples predicted as `c`, `FP` other examples predicted as `c`
/// and `FN` its examples predicted as something else:
///
/// ```
/// precision = TP / (TP + FP)      of the examples predicted as c, the share that are c
/// recall    = TP / (TP + FN)      of the examples of class c, the share found
/// F1        = 2 · precision · recall / (precision + recall)
/// support   = TP + FN             the number of examples of class c
/// ```
///
/// A ratio whose denominator is 0 is defined as 0: the precision of a class never predicted, the
/// recall of a class with no examples, and F1 when precision and recall are both 0
/// (scikit-learn's `zero_division=0`). The *macro* average weighs every class alike; the
/// *weighted* average weighs each class by its support, so rare classes count less.
///
/// ```swift
/// let report = ClassificationReport(predictions: logits, labels: yTest)
/// print(report)
/// //               precision    recall  f1-score   support
/// //
/// //            0       1.00      0.50      0.67         4
/// // …
/// //     accuracy                           0.62         8
/// //    macro avg       0.60      0.50      0.48         8
/// // weighted avg       0.85      0.62      0.64         8
/// ```
public struct ClassificationReport: CustomStringConvertible, Sendable {
    /// The scores of one class, or an average of them.
    public struct Scores: Sendable, Equatable {
        /// The class's name (its number unless names were given), or `macro avg` / `weighted avg`.
        public var name: String
        /// `TP / (TP + FP)`, or 0 when the class was never predicted.
        public var precision: Double
        /// `TP / (TP + FN)`, or 0 when the class has no examples.
        public var recall: Double
        /// The harmonic mean of precision and recall, or 0 when both are 0.
        public var f1: Double
        /// The number of examples of the class (for an average, of all classes).
        public var support: Int
    }

    /// One entry per class, in class order.
    public let classes: [Scores]
    /// The share of examples predicted correctly.
    public let accuracy: Double
    /// The unweighted mean over classes of precision, recall and F1.
    public let macroAverage: Scores
    /// The mean over classes of precision, recall and F1, weighted by support.
    public let weightedAverage: Scores
    /// The confusion matrix the scores come from: int64 `(C, C)`, rows true classes, columns
    /// predicted ones (see ``confusionMatrix(predictions:labels:classCount:file:line:)``).
    public let confusionMatrix: Tensor

    /// The report for predictions against true labels.
    ///
    /// - Shapes: `predictions (N,)` int64 class indices or `(N, C)` float scores, `labels (N,)` int64.
    /// - Parameters:
    ///   - classCount: the number of classes; by default `classNames.count` when names are
    ///     given, else as for ``confusionMatrix(predictions:labels:classCount:file:line:)``.
    ///     Every class `0..<classCount` gets a row, even one with no examples and no predictions.
    ///   - classNames: a name for each class, shown in place of its number.
    /// - Precondition: `N > 0`; every class is in `0..<classCount`; `classNames`, if given, has
    ///   one name per class.
    public init(predictions: Tensor, labels: Tensor, classCount: Int? = nil, classNames: [String]? = nil,
                file: StaticString = #filePath, line: UInt = #line) {
        let inputs = ClassificationInputs(predictions: predictions, labels: labels,
                                          classCount: classCount ?? classNames?.count,
                                          operation: "ClassificationReport", file: file, line: line)
        guard !inputs.actual.isEmpty else {
            tensorFailure("ClassificationReport: there are no examples to score", file: file, line: line)
        }
        if let classNames, classNames.count != inputs.classCount {
            tensorFailure(
                "ClassificationReport: \(classNames.count) class names for \(inputs.classCount) classes; give one name per class",
                file: file, line: line)
        }
        let counts = inputs.confusionCounts()
        let names = classNames ?? (0..<inputs.classCount).map(String.init)
        let classes = (0..<inputs.classCount).map { Self.scores(of: $0, named: names[$0], counts: counts) }
        let total = inputs.actual.count

        self.classes = classes
        self.accuracy = Double((0..<inputs.classCount).map { counts[$0][$0] }.reduce(0, +)) / Double(total)
        self.macroAverage = Self.average(classes, name: "macro avg", total: total) { _ in 1 / Double(classes.count) }
        self.weightedAverage = Self.average(classes, name: "weighted avg", total: total) {
            Double($0.support) / Double(total)
        }
        self.confusionMatrix = Tensor(shape: [inputs.classCount, inputs.classCount], indices: counts.flatMap { $0 })
    }

    /// `numerator / denominator`, or 0 when the denominator is 0 (see the type's documentation).
    private static func ratio(_ numerator: Double, _ denominator: Double) -> Double {
        denominator == 0 ? 0 : numerator / denominator
    }

    private static func scores(of label: Int, named name: String, counts: [[Int]]) -> Scores {
        let truePositives = Double(counts[label][label])
        let predictedAsLabel = Double(counts.map { $0[label] }.reduce(0, +))
        let support = counts[label].reduce(0, +)
        let precision = ratio(truePositives, predictedAsLabel)
        let recall = ratio(truePositives, Double(support))
        let f1 = ratio(2 * precision * recall, precision + recall)
        return Scores(name: name, precision: precision, recall: recall, f1: f1, support: support)
    }

    private static func average(_ classes: [Scores], name: String, total: Int,
                                weight: (Scores) -> Double) -> Scores {
        func mean(_ metric: KeyPath<Scores, Double>) -> Double {
            classes.map { $0[keyPath: metric] * weight($0) }.reduce(0, +)
        }
        return Scores(name: name, precision: mean(\.precision), recall: mean(\.recall), f1: mean(\.f1), support: total)
    }

    /// The table, laid out as scikit-learn's `classification_report` (two decimals).
    public var description: String { table() }

    /// The table, laid out as scikit-learn's `classification_report(…, digits:)`: a row per class,
    /// then accuracy and the two averages; numbers with `digits` decimals.
    public func table(digits: Int = 2) -> String {
        let width = (classes.map(\.name.count) + [weightedAverage.name.count]).max()!
        func cell(_ text: String, _ width: Int = 9) -> String {
            String(repeating: " ", count: Swift.max(0, width - text.count)) + text
        }
        func number(_ value: Double) -> String { cell(String(format: "%.\(digits)f", value)) }
        func line(_ name: String, _ cells: [String]) -> String {
            cell(name, width) + " " + cells.map { " " + $0 }.joined()
        }
        func row(_ scores: Scores) -> String {
            line(scores.name, [number(scores.precision), number(scores.recall), number(scores.f1),
                               cell(String(scores.support))])
        }
        var lines = [line("", ["precision", "recall", "f1-score", "support"].map { cell($0) }), ""]
        lines += classes.map(row)
        lines.append("")
        lines.append(line("accuracy", [cell(""), cell(""), number(accuracy), cell(String(macroAverage.support))]))
        lines.append(row(macroAverage))
        lines.append(row(weightedAverage))
        return lines.joined(separator: "\n")
    }
}
