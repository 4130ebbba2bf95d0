import TensorCore

// Pooling turns a sequence of token vectors into one vector per sequence, for a classifier's head
// or a sentence embedding. Both functions take the padding mask in the convention of
// `MultiHeadAttention.attend(keyPaddingMask:)` and PyTorch's `key_padding_mask`: a bool tensor,
// true at padding.

/// The mean of each sequence's token vectors over its real positions only (PyTorch:
/// `(h * keep).sum(1) / keep.sum(1)` with `keep = ~padding_mask.unsqueeze(-1)`):
///
/// ```
/// keep[b, t]   = 0 where paddingMask[b, t] is true, 1 elsewhere
/// pooled[b, :] = Σₜ keep[b, t] · hidden[b, t, :] / Σₜ keep[b, t]
/// ∂pooled[b, i] / ∂hidden[b, t, i] = keep[b, t] / Σₜ keep[b, t]     (0 at padding)
/// ```
///
/// Padded positions are replaced by 0 before summing (not multiplied by 0), so whatever a padded
/// position holds — even NaN or infinity — neither the mean nor the gradient sees it. A plain
/// `hidden.mean(axis: 1)` would average the padding in, and a short sentence in a batch of long
/// ones would be diluted towards the padding vectors.
///
/// - Shapes: `hidden (b, t, d)` and `paddingMask (b, t)` → `(b, d)`; unbatched,
///   `hidden (t, d)` and `paddingMask (t,)` → `(d,)`.
/// - Parameters:
///   - hidden: float token vectors, such as an encoder's output.
///   - paddingMask: `bool`, true at padding. From an attention mask (1 real, 0 padding), pass
///     `attentionMask .== 0`.
/// - Precondition: the shapes match as above, `paddingMask` is `bool`, and every sequence has at
///   least one real position (an all-padding row has no mean; it stops with a message rather than
///   giving NaN).
public func maskedMeanPooling(_ hidden: Tensor, paddingMask: Tensor,
                              file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    checkPoolingInputs(hidden, paddingMask, operation: "maskedMeanPooling", file: file, line: line)
    let realCounts = realPositionCounts(paddingMask)
    if let empty = realCounts.firstIndex(of: 0) {
        let which = hidden.rank == 3 ? "row \(empty) of the batch is" : "the sequence is"
        tensorFailure(
            "maskedMeanPooling: \(which) all padding (paddingMask is true at all \(paddingMask.shape.last!) positions), so it has no real token to average; drop empty sequences, or keep at least one real token such as [CLS]",
            file: file, line: line)
    }
    let padding = paddingMask.unsqueezed(axis: -1)                           // (…, t, 1)
    let total = hidden.maskedFill(padding, with: 0).sum(axis: -2)            // (…, d)
    let counts = Tensor(shape: Array(paddingMask.shape.dropLast()) + [1],
                        scalars: realCounts.map(Double.init), dtype: hidden.dtype)  // (…, 1)
    return total / counts
}

/// The vector at each sequence's first position: the `[CLS]` token that BERT-style classifiers
/// read (PyTorch: `hidden[:, 0]`).
///
/// ```
/// pooled[b, :] = hidden[b, 0, :]
/// ```
///
/// The gradient flows to position 0 only. This pooling relies on every sequence starting with a
/// real token — right padding, as ``WordPieceTokenizer`` pads; give
/// `paddingMask` to have that checked.
///
/// - Shapes: `hidden (b, t, d)` → `(b, d)`; unbatched, `hidden (t, d)` → `(d,)`.
/// - Parameters:
///   - hidden: float token vectors.
///   - paddingMask: optional `bool` `(b, t)` or `(t,)`, true at padding.
/// - Precondition: `hidden` has two or three axes and at least one position; when `paddingMask`
///   is given, its shape matches and no sequence starts with padding (left padding).
public func firstTokenPooling(_ hidden: Tensor, paddingMask: Tensor? = nil,
                              file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    if let paddingMask {
        checkPoolingInputs(hidden, paddingMask, operation: "firstTokenPooling", file: file, line: line)
        let length = paddingMask.shape.last!
        let flags = paddingMask.scalars
        if let row = (0..<(flags.count / length)).first(where: { flags[$0 * length] != 0 }) {
            let which = hidden.rank == 3 ? "row \(row) of the batch starts" : "the sequence starts"
            tensorFailure(
                "firstTokenPooling: \(which) with padding, so its first vector is not a real token; pad on the right, or use maskedMeanPooling",
                file: file, line: line)
        }
    } else {
        checkPoolingHidden(hidden, operation: "firstTokenPooling", file: file, line: line)
    }
    return hidden.rank == 3 ? hidden[..., 0] : hidden[0]
}

// MARK: Checks

/// Stops unless `hidden` is float `(t, d)` or `(b, t, d)` with at least one position.
private func checkPoolingHidden(_ hidden: Tensor, operation: String, file: StaticString, line: UInt) {
    guard hidden.rank == 2 || hidden.rank == 3 else {
        tensorFailure(
            "\(operation): needs token vectors of shape (batch, tokens, width) or (tokens, width), got \(hidden.shapeDescription)",
            file: file, line: line)
    }
    guard hidden.dtype.isFloatingPoint else {
        tensorFailure("\(operation): needs float token vectors, got \(hidden.dtype); convert with .cast(to: .float64)",
                      file: file, line: line)
    }
    guard hidden.shape[hidden.rank - 2] > 0 else {
        tensorFailure("\(operation): the sequences of shape \(hidden.shapeDescription) have no positions", file: file, line: line)
    }
}

/// Stops unless `paddingMask` is a bool mask with `hidden`'s shape minus its last axis.
private func checkPoolingInputs(_ hidden: Tensor, _ paddingMask: Tensor, operation: String,
                                file: StaticString, line: UInt) {
    checkPoolingHidden(hidden, operation: operation, file: file, line: line)
    let expected = Array(hidden.shape.dropLast())
    guard paddingMask.shape == expected else {
        tensorFailure(
            "\(operation): token vectors of shape \(hidden.shapeDescription) need a padding mask of shape \(Tensor.shapeDescription(expected)), got \(paddingMask.shapeDescription)",
            file: file, line: line)
    }
    guard paddingMask.dtype == .bool else {
        tensorFailure(
            "\(operation): the padding mask must be bool (true at padding), got \(paddingMask.dtype); from an attention mask of 1s and 0s, pass attentionMask .== 0",
            file: file, line: line)
    }
}

/// The number of real (not padding) positions of each sequence: one count for `(t,)`, `b` for `(b, t)`.
private func realPositionCounts(_ paddingMask: Tensor) -> [Int] {
    let length = paddingMask.shape.last!
    let flags = paddingMask.scalars
    return stride(from: 0, to: flags.count, by: length).map { start in
        flags[start..<(start + length)].filter { $0 == 0 }.count
    }
}
