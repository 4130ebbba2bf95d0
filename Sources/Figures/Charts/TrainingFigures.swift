import Foundation

// Figures of a classifier's training, from plain numbers: the curves of a run, the confusion
// matrix, and embeddings coloured by class. In lessons, LessonKit draws them straight from a
// `TrainingHistory`, a `ClassificationReport` and tensors.

/// Training curves: the training and validation losses on the left axis, the validation accuracy
/// on the right one, and a dashed line at the best epoch (Keras's `history.history` plotted with
/// matplotlib's `twinx()`).
///
/// Where the validation loss turns up while the training loss keeps falling, the model has started
/// to learn its training examples by heart (overfitting); the best epoch is usually just before.
///
/// - Parameters:
///   - epochs: the epoch numbers, one per value.
///   - trainingLoss: the mean training loss of each epoch.
///   - validationLoss: the validation loss of each epoch, if measured.
///   - validationAccuracy: the validation accuracy of each epoch (from 0 to 1), nil where not measured.
///   - bestEpoch: the epoch to mark, such as the one whose weights were kept.
/// - Precondition: every series given has one value per epoch.
public func trainingCurves(epochs: [Int], trainingLoss: [Double], validationLoss: [Double]? = nil,
                           validationAccuracy: [Double?]? = nil, bestEpoch: Int? = nil,
                           title: String? = "Training curves",
                           file: StaticString = #filePath, line: UInt = #line) -> LinePlot {
    let site = CallSite(file: file, line: line)
    let series: [(String, Int?)] = [("training losses", trainingLoss.count), ("validation losses", validationLoss?.count),
                                   ("validation accuracies", validationAccuracy?.count)]
    for case let (name, count?) in series {
        site.require(count == epochs.count, "training curves need one value per epoch; got \(epochs.count) epochs and \(count) \(name)")
    }
    let accuracy = validationAccuracy.map { values in
        zip(epochs, values).compactMap { epoch, value in value.map { (Double(epoch), $0) } }
    } ?? []
    let x = epochs.map(Double.init)
    var plot = LinePlot(title: title, xLabel: "epoch", yLabel: "loss",
                        rightYLabel: accuracy.isEmpty ? nil : "validation accuracy", file: file, line: line)
    let marker: Marker = epochs.count <= 30 ? .circle : .none
    plot.add(trainingLoss, x: x, label: "training loss", marker: marker, file: file, line: line)
    if let validationLoss {
        plot.add(validationLoss, x: x, label: "validation loss", marker: marker, file: file, line: line)
    }
    if !accuracy.isEmpty {
        plot.add(accuracy.map(\.1), x: accuracy.map(\.0), label: "validation accuracy", marker: marker,
                 style: .dashed, axis: .right, file: file, line: line)
    }
    if let bestEpoch {
        plot.addVerticalLine(at: Double(bestEpoch), label: "best: epoch \(bestEpoch)", file: file, line: line)
    }
    return plot
}

/// A confusion matrix as a heatmap with the count written in each cell: true classes on the
/// rows, predicted classes on the columns, so the diagonal holds the correct predictions
/// (scikit-learn's `ConfusionMatrixDisplay`).
///
/// ```
/// cell[i, j] = the number of examples of class i predicted as class j
/// normalized: cell[i, j] / Σⱼ cell[i, j]      the share of class i predicted as j (the diagonal is recall)
/// ```
///
/// - Shapes: `counts (C, C)`.
/// - Parameters:
///   - counts: the confusion matrix, whole numbers ≥ 0.
///   - classNames: the names of the `C` classes (their numbers by default).
///   - normalizeRows: show each row's shares (two decimals) instead of counts; an empty row stays 0.
/// - Precondition: `counts` is square, and `classNames` (when given) has one name per class.
public func confusionMatrixHeatmap(_ counts: any PlottableMatrix, classNames: [String]? = nil,
                                   normalizeRows: Bool = false, title: String? = "Confusion matrix",
                                   file: StaticString = #filePath, line: UInt = #line) -> Heatmap {
    let site = CallSite(file: file, line: line)
    let rows = site.rows(counts, "a confusion matrix")
    site.require(!rows.isEmpty && rows.allSatisfy { $0.count == rows.count },
                 "a confusion matrix is square, one row and one column per class; got \(rows.count) rows of \(rows.first?.count ?? 0)")
    site.require(rows.joined().allSatisfy { $0 >= 0 && $0 == $0.rounded() },
                 "a confusion matrix holds counts: whole numbers ≥ 0")
    let names = classNames ?? rows.indices.map(String.init)
    site.require(names.count == rows.count, "a confusion matrix of \(rows.count) classes needs \(rows.count) class names, got \(names.count)")
    let values = normalizeRows ? rows.map { row in
        let total = row.reduce(0, +)
        return row.map { total == 0 ? 0 : $0 / total }
    } : rows
    return Heatmap(values: values, rows: names, columns: names, title: title, colorMap: .viridis, vmin: 0,
                   vmax: normalizeRows ? 1 : nil, annotate: true, decimals: normalizeRows ? 2 : 0,
                   xLabel: "predicted class", yLabel: "true class",
                   colorBarLabel: normalizeRows ? "share of the true class" : "examples", site: site)
}

/// Points coloured by class: one group (colour, marker and legend entry) per class, such as
/// sentence embeddings reduced to two dimensions by PCA, with their labels.
///
/// - Shapes: `points (n, 2)`, `classes (n,)`.
/// - Parameters:
///   - points: x in the first column, y in the second.
///   - classes: each point's class, from 0 to `C − 1`.
///   - classNames: the names of the `C` classes for the legend (`class 0`, `class 1`… by default).
///     Every class gets its group, in class order, even one with no points, so a class keeps its
///     colour from one figure to the next.
/// - Precondition: one class per point, each in `0..<C` (`C = classNames.count` when given).
public func scatter(_ points: any PlottableMatrix, classes: [Int], classNames: [String]? = nil, title: String? = nil,
                    xLabel: String? = nil, yLabel: String? = nil,
                    file: StaticString = #filePath, line: UInt = #line) -> ScatterPlot {
    let site = CallSite(file: file, line: line)
    let rows = site.rows(points, "the points of a scatter plot")
    site.require(rows.allSatisfy { $0.count == 2 }, """
        a scatter plot's points need two columns (x and y); got \(rows.first?.count ?? 0). \
        Reduce the data to two dimensions first, for example with PCA.
        """)
    site.require(classes.count == rows.count, "a scatter plot by class needs one class per point; got \(classes.count) classes for \(rows.count) points")
    let classCount = classNames?.count ?? ((classes.max() ?? -1) + 1)
    if let bad = classes.first(where: { $0 < 0 || $0 >= classCount }) {
        site.fail("class \(bad) is not one of the \(classCount) classes (0 to \(classCount - 1)); give one name per class")
    }
    var plot = ScatterPlot(title: title, xLabel: xLabel, yLabel: yLabel, file: file, line: line)
    for label in 0..<classCount {
        let members = rows.indices.filter { classes[$0] == label }
        plot.add(x: members.map { rows[$0][0] }, y: members.map { rows[$0][1] },
                 label: classNames?[label] ?? "class \(label)", file: file, line: line)
    }
    return plot
}
