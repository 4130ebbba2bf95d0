import TensorCore

/// Splits a data set at random into a training part and a test part, the same way every time for
/// the same seed (scikit-learn's `train_test_split` without stratification).
///
/// The rows are shuffled by NumPy's `RandomState(seed).permutation(N)`; the first
/// `⌈testFraction · N⌉` shuffled rows are the test part and the rest the training part — exactly
/// what scikit-learn picks for an integer `random_state`:
///
/// ```python
/// x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, random_state=0)
/// ```
///
/// ```swift
/// let (xTrain, xTest, yTrain, yTest) = trainTestSplit(images, labels, testFraction: 0.25, seed: 0)
/// ```
///
/// - Shapes: `features (N, …)`, `labels (N, …)` → `(N − n, …)`, `(n, …)`, `(N − n, …)`, `(n, …)`
///   with `n = ⌈testFraction · N⌉`.
/// - Parameters:
///   - features: one example per row.
///   - labels: one label (or target) per row, in the order of `features`.
///   - testFraction: the share of examples held out, strictly between 0 and 1.
///   - seed: the seed of the shuffle.
/// - Precondition: both have the same number of rows, and both parts get at least one row.
public func trainTestSplit(
    _ features: Tensor, _ labels: Tensor, testFraction: Double, seed: UInt32,
    file: StaticString = #filePath, line: UInt = #line
) -> (trainFeatures: Tensor, testFeatures: Tensor, trainLabels: Tensor, testLabels: Tensor) {
    var random = RandomState(seed: seed)
    return trainTestSplit(features, labels, testFraction: testFraction, random: &random, file: file, line: line)
}

/// Splits a data set at random into a training part and a test part, shuffling with `random`
/// (which moves on); see ``trainTestSplit(_:_:testFraction:seed:file:line:)``.
public func trainTestSplit(
    _ features: Tensor, _ labels: Tensor, testFraction: Double, random: inout RandomState,
    file: StaticString = #filePath, line: UInt = #line
) -> (trainFeatures: Tensor, testFeatures: Tensor, trainLabels: Tensor, testLabels: Tensor) {
    guard features.rank >= 1, labels.rank >= 1 else {
        tensorFailure("trainTestSplit: features and labels need one row per example; a 0-d tensor has none",
                      file: file, line: line)
    }
    let count = features.shape[0]
    guard labels.shape[0] == count else {
        tensorFailure(
            "trainTestSplit: features of shape \(features.shapeDescription) have \(count) rows but labels of shape \(labels.shapeDescription) have \(labels.shape[0]); they need one label per example",
            file: file, line: line)
    }
    guard testFraction > 0, testFraction < 1 else {
        tensorFailure("trainTestSplit: testFraction must be between 0 and 1 (say 0.25), not \(testFraction)",
                      file: file, line: line)
    }
    // scikit-learn rounds the test part up (`ceil(test_size * n_samples)`).
    let testCount = Int((testFraction * Double(count)).rounded(.up))
    guard testCount < count else {
        tensorFailure(
            "trainTestSplit: \(count) examples with testFraction \(testFraction) leave none for training",
            file: file, line: line)
    }
    let order = random.permutation(count)
    let testRows = Array(order[..<testCount])
    let trainRows = Array(order[testCount...])
    return (features.rows(trainRows), features.rows(testRows), labels.rows(trainRows), labels.rows(testRows))
}
