import Figures
import NN
import TensorCore

// The figures of a training run, drawn from what NN hands back. Each one is a chart the cell
// shows with `show(…)`; the drawing itself lives in Figures (`Charts/TrainingFigures.swift`),
// which takes plain numbers, and these functions only unpack NN's values into them.

/// The training curves of `history`: training and validation loss on the left axis, validation
/// accuracy (when measured) on the right, and a dashed line at the best epoch — the one with the
/// lowest validation loss, unless `bestEpoch` names another (say, ``BestWeights/bestEpoch``).
///
/// ```swift
/// show(trainingCurves(history))
/// ```
public func trainingCurves(_ history: TrainingHistory, bestEpoch: Int? = nil, title: String? = "Training curves",
                           file: StaticString = #filePath, line: UInt = #line) -> LinePlot {
    let accuracies = history.validationAccuracies
    return trainingCurves(epochs: history.epochNumbers, trainingLoss: history.trainingLosses,
                          validationLoss: history.validationLosses,
                          validationAccuracy: accuracies.contains { $0 != nil } ? accuracies : nil,
                          bestEpoch: bestEpoch ?? history.bestEpoch, title: title, file: file, line: line)
}

/// The confusion matrix of `report` as a heatmap with the counts in the cells, true classes on
/// the rows and predicted ones on the columns, labelled with the report's class names.
///
/// ```swift
/// show(confusionMatrixHeatmap(ClassificationReport(predictions: logits, labels: yTest, classNames: ["neg", "pos"])))
/// ```
///
/// - Parameter normalizeRows: show each true class's shares instead of counts (the diagonal is
///   then each class's recall).
public func confusionMatrixHeatmap(_ report: ClassificationReport, normalizeRows: Bool = false,
                                   title: String? = "Confusion matrix",
                                   file: StaticString = #filePath, line: UInt = #line) -> Heatmap {
    confusionMatrixHeatmap(report.confusionMatrix, classNames: report.classes.map(\.name), normalizeRows: normalizeRows,
                           title: title, file: file, line: line)
}

/// Two-dimensional points coloured by class, one legend entry per class: embeddings after
/// ``NN/PCA``, with their labels.
///
/// ```swift
/// let pca = PCA(fitting: embeddings, componentCount: 2)
/// show(scatter(pca.transform(embeddings), classes: labels, classNames: ["negative", "positive"]))
/// ```
///
/// - Shapes: `points (n, 2)`, `classes (n,)` int64.
/// - Precondition: `classes` holds integers from 0 to `C − 1`, one per point.
public func scatter(_ points: Tensor, classes: Tensor, classNames: [String]? = nil, title: String? = nil,
                    xLabel: String? = nil, yLabel: String? = nil,
                    file: StaticString = #filePath, line: UInt = #line) -> ScatterPlot {
    guard classes.rank == 1, classes.dtype == .int64 else {
        tensorFailure("scatter: classes must be int64 class numbers of shape (n,), got \(classes.dtype) \(classes.shapeDescription)",
                      file: file, line: line)
    }
    return scatter(points, classes: classes.indices, classNames: classNames, title: title, xLabel: xLabel,
                   yLabel: yLabel, file: file, line: line)
}
