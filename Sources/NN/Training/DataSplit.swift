import TensorCore

/// Which examples of a data set are for training, which for validation (choosing the epoch, the
/// learning rate, the model) and which for the final test, as lists of row indices.
///
/// ```swift
/// let split = trainValidationTestSplit(count: texts.count, validationFraction: 0.1, testFraction: 0.2, seed: 0)
/// let (xTrain, xValidation, xTest) = split.parts(of: features)    // a tensor: rows by index
/// let (textsTrain, _, _) = split.parts(of: texts)                 // a Swift array alike
/// ```
public struct DataSplit: Sendable, Equatable {
    /// The rows to train on.
    public let train: [Int]
    /// The rows to pick the epoch and the settings with.
    public let validation: [Int]
    /// The rows kept for the end, to report how well the chosen model does on unseen data.
    public let test: [Int]

    /// A split with the given rows (no check that they are disjoint).
    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// The rows of `tensor` in each part, in the order of the indices (NumPy's `x[split.train]`…).
    ///
    /// - Shapes: `(N, …)` → `(train.count, …)`, `(validation.count, …)`, `(test.count, …)`.
    /// - Precondition: `tensor` has at least one axis, and every index is in `0..<N`.
    public func parts(of tensor: Tensor, file: StaticString = #filePath, line: UInt = #line)
        -> (train: Tensor, validation: Tensor, test: Tensor) {
        (tensor.rows(train, file: file, line: line), tensor.rows(validation, file: file, line: line),
         tensor.rows(test, file: file, line: line))
    }

    /// The elements of `array` in each part, in the order of the indices.
    ///
    /// - Precondition: every index is in `0..<array.count`.
    public func parts<Element>(of array: [Element], file: StaticString = #filePath, line: UInt = #line)
        -> (train: [Element], validation: [Element], test: [Element]) {
        (array.elements(at: train, file: file, line: line), array.elements(at: validation, file: file, line: line),
         array.elements(at: test, file: file, line: line))
    }
}

/// Splits the row indices `0..<count` at random into training, validation and test parts, the same
/// way every time for the same seed.
///
/// The rows are shuffled by NumPy's `RandomState(seed).permutation(count)`; with
/// `nTest = ⌈testFraction · count⌉` and `nValidation = ⌈validationFraction · count⌉`, the first
/// `nTest` shuffled rows are the test part, the next `nValidation` the validation part and the
/// rest the training part. So the test part is exactly the one
/// ``trainTestSplit(_:_:testFraction:seed:file:line:)`` (and scikit-learn's `train_test_split`)
/// holds out with the same seed and fraction, and validation plus training are its training part,
/// in the same order. In NumPy:
///
/// ```python
/// order = np.random.RandomState(seed).permutation(count)
/// n_test, n_val = math.ceil(test_fraction * count), math.ceil(validation_fraction * count)
/// test, val, train = order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
/// ```
///
/// (Calling `train_test_split` twice, as is common in Python, shuffles twice and picks other rows.)
///
/// - Parameters:
///   - count: the number of examples `N`.
///   - validationFraction: the share held out for validation, in [0, 1); 0 leaves the part empty.
///   - testFraction: the share held out for the test, in (0, 1).
///   - seed: the seed of the shuffle.
/// - Precondition: the training part gets at least one row.
public func trainValidationTestSplit(count: Int, validationFraction: Double, testFraction: Double, seed: UInt32,
                                     file: StaticString = #filePath, line: UInt = #line) -> DataSplit {
    var random = RandomState(seed: seed)
    return trainValidationTestSplit(count: count, validationFraction: validationFraction, testFraction: testFraction,
                                    random: &random, file: file, line: line)
}

/// Splits `0..<count` into training, validation and test parts, shuffling with `random` (which
/// moves on); see ``trainValidationTestSplit(count:validationFraction:testFraction:seed:file:line:)``.
public func trainValidationTestSplit(count: Int, validationFraction: Double, testFraction: Double,
                                     random: inout RandomState,
                                     file: StaticString = #filePath, line: UInt = #line) -> DataSplit {
    guard count > 0 else {
        tensorFailure("trainValidationTestSplit: count must be a positive number of examples, not \(count)",
                      file: file, line: line)
    }
    guard testFraction > 0, testFraction < 1 else {
        tensorFailure("trainValidationTestSplit: testFraction must be between 0 and 1 (say 0.2), not \(testFraction)",
                      file: file, line: line)
    }
    guard validationFraction >= 0, validationFraction < 1 else {
        tensorFailure(
            "trainValidationTestSplit: validationFraction must be at least 0 and below 1 (say 0.1), not \(validationFraction)",
            file: file, line: line)
    }
    // Both held-out parts round up, as scikit-learn rounds its test part (`ceil(test_size * n)`).
    let testCount = Int((testFraction * Double(count)).rounded(.up))
    let validationCount = Int((validationFraction * Double(count)).rounded(.up))
    guard testCount + validationCount < count else {
        tensorFailure(
            "trainValidationTestSplit: \(count) examples with \(testCount) for the test and \(validationCount) for validation leave none for training",
            file: file, line: line)
    }
    let order = random.permutation(count)
    return DataSplit(train: Array(order[(testCount + validationCount)...]),
                     validation: Array(order[testCount..<(testCount + validationCount)]),
                     test: Array(order[..<testCount]))
}

extension Array {
    /// The elements at `indices`, in that order (NumPy's `x[indices]` for a list): the texts or
    /// labels of a part of a ``DataSplit`` or of a mini-batch.
    ///
    /// - Precondition: every index is in `0..<count`.
    public func elements(at indices: [Int], file: StaticString = #filePath, line: UInt = #line) -> [Element] {
        if let bad = indices.first(where: { !self.indices.contains($0) }) {
            tensorFailure("elements(at:): index \(bad) is out of range for an array of \(count) elements",
                          file: file, line: line)
        }
        return indices.map { self[$0] }
    }
}
