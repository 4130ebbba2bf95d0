/// The cross-entropy of class scores against the true classes, averaged over the examples
/// (PyTorch's `F.cross_entropy`):
///
/// ```
/// loss = −(1/N) Σᵢ log softmax(logitsᵢ)[labelᵢ]
/// ```
///
/// Computed from the log-softmax, so no probability underflows to log(0); its gradient with
/// respect to the scores is `(softmax(logits) − onehot(labels)) / N`.
///
/// - Parameters:
///   - logits: unnormalised scores, `(N, C)` (or `(…, C)`, every leading position an example).
///   - labels: the true class of each example, `int64` of shape `(N,)` (or `(…)`), each in `0..<C`.
/// - Returns: a 0-d tensor.
public func crossEntropy(_ logits: Tensor, _ labels: Tensor,
                         file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    guard logits.rank >= 1, logits.dtype.isFloatingPoint else {
        tensorFailure("crossEntropy: the scores must be a float tensor of shape (N, C), got \(logits.dtype) of shape \(describe(shape: logits.shape))",
                      file: file, line: line)
    }
    guard labels.dtype == .int64, labels.shape == Array(logits.shape.dropLast()) else {
        tensorFailure("crossEntropy: labels must be int64 of shape \(describe(shape: Array(logits.shape.dropLast()))) for scores of shape \(describe(shape: logits.shape)), got \(labels.dtype) of shape \(describe(shape: labels.shape))",
                      file: file, line: line)
    }
    let classes = logits.shape[logits.rank - 1]
    let examples = labels.count
    let targets = labels.indices
    if let bad = targets.first(where: { $0 < 0 || $0 >= classes }) {
        tensorFailure("crossEntropy: label \(bad) is not a class of scores with \(classes) classes (0..<\(classes))",
                      file: file, line: line)
    }
    guard examples > 0 else {
        tensorFailure("crossEntropy: there are no examples", file: file, line: line)
    }
    // Position of each example's true class among the flattened scores.
    let picked = targets.enumerated().map { example, label in example * classes + label }
    return Tensor.differentiable([logits], compute: { inputs in
        let logProbabilities = inputs[0].reshaped([examples, classes]).logSoftmax(axis: -1).scalars
        let total = picked.reduce(0.0) { $0 - logProbabilities[$1] }
        return Tensor(shape: [], scalars: [total / Double(examples)], dtype: logits.dtype)
    }) { step in
        [step.gradient(for: 0) {
            var probabilities = step.inputs[0].reshaped([examples, classes]).softmax(axis: -1).scalars
            for position in picked { probabilities[position] -= 1 }
            let scale = step.gradient.item() / Double(examples)
            return Tensor(shape: logits.shape, scalars: probabilities.map { $0 * scale }, dtype: logits.dtype)
        }]
    }
}

/// The mean of the squared differences between a prediction and its target (PyTorch's
/// `F.mse_loss`), as a 0-d tensor.
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor,
                             file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    guard prediction.shape == target.shape else {
        tensorFailure("meanSquaredError: the prediction has shape \(describe(shape: prediction.shape)) but the target has \(describe(shape: target.shape))",
                      file: file, line: line)
    }
    let difference = prediction - target
    return (difference * difference).meanAll()
}
