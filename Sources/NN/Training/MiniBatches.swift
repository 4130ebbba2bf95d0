import TensorCore

/// The mini-batches of one epoch: the example indices `0..<count`, in a shuffled (or the given)
/// order, cut into batches of `batchSize`.
///
/// Shuffled, the order is NumPy's `RandomState(seed).permutation(count)`, draw for draw, so the
/// batches are exactly what this Python gives:
///
/// ```python
/// order = np.random.RandomState(seed).permutation(count)
/// batches = [order[i:i + batch_size] for i in range(0, count, batch_size)]
/// ```
///
/// Every index appears in exactly one batch. The last batch is shorter when `batchSize` does not
/// divide `count`; `dropLast: true` leaves it out, so that every batch has the same size (those
/// few examples then sit out this epoch, and another shuffle gives them their turn).
///
/// ```swift
/// var random = RandomState(seed: 0)
/// for epoch in 0..<10 {
///     for batch in MiniBatches(count: images.shape[0], batchSize: 32, random: &random) {
///         let x = images.rows(batch)      // (32, 64)
///         let y = labels.rows(batch)      // (32,)
///         …
///     }
/// }
/// ```
///
/// Drawing from one generator for every epoch gives each epoch its own order, and the whole run
/// is still the same for the same seed.
public struct MiniBatches: RandomAccessCollection, Sendable {
    /// The order in which the examples are visited: every index of `0..<count` once.
    public let order: [Int]
    /// The number of examples in a full batch.
    public let batchSize: Int
    /// Whether a last, shorter batch is left out.
    public let dropsLast: Bool

    /// The batches of `0..<count` in order, unshuffled (for evaluation, where order does not matter).
    ///
    /// - Precondition: `count >= 0` and `batchSize > 0`.
    public init(count: Int, batchSize: Int, dropLast: Bool = false,
                file: StaticString = #filePath, line: UInt = #line) {
        Self.check(count: count, batchSize: batchSize, file: file, line: line)
        self.init(order: Array(0..<count), batchSize: batchSize, dropLast: dropLast)
    }

    /// The batches of `0..<count` shuffled by `random`, which moves on, so the next epoch's
    /// batches differ.
    ///
    /// - Precondition: `count >= 0` and `batchSize > 0`.
    public init(count: Int, batchSize: Int, random: inout RandomState, dropLast: Bool = false,
                file: StaticString = #filePath, line: UInt = #line) {
        Self.check(count: count, batchSize: batchSize, file: file, line: line)
        self.init(order: random.permutation(count), batchSize: batchSize, dropLast: dropLast)
    }

    /// The batches of `0..<count` shuffled by a generator seeded with `seed`: the same batches
    /// every time for the same seed (pass `seed: base + epoch` for a new order each epoch).
    ///
    /// - Precondition: `count >= 0` and `batchSize > 0`.
    public init(count: Int, batchSize: Int, seed: UInt32, dropLast: Bool = false,
                file: StaticString = #filePath, line: UInt = #line) {
        var random = RandomState(seed: seed)
        self.init(count: count, batchSize: batchSize, random: &random, dropLast: dropLast, file: file, line: line)
    }

    private init(order: [Int], batchSize: Int, dropLast: Bool) {
        self.order = order
        self.batchSize = batchSize
        self.dropsLast = dropLast
    }

    private static func check(count: Int, batchSize: Int, file: StaticString, line: UInt) {
        guard count >= 0 else {
            tensorFailure("MiniBatches: count \(count) is negative; it is the number of examples", file: file, line: line)
        }
        guard batchSize > 0 else {
            tensorFailure("MiniBatches: batchSize must be at least 1, not \(batchSize)", file: file, line: line)
        }
    }

    /// The position of the first batch, 0.
    public var startIndex: Int { 0 }

    /// The number of batches: `⌈count / batchSize⌉`, or `⌊count / batchSize⌋` when the last is dropped.
    public var endIndex: Int {
        dropsLast ? order.count / batchSize : (order.count + batchSize - 1) / batchSize
    }

    /// The example indices of batch `position`.
    public subscript(position: Int) -> [Int] {
        let start = position * batchSize
        return Array(order[start..<Swift.min(start + batchSize, order.count)])
    }
}

extension Tensor {
    /// The rows at `indices`, in that order: a mini-batch of a data set whose first axis counts
    /// examples (NumPy's `x[indices]`). Works for features `(N, …)` and labels `(N,)` alike.
    ///
    /// - Shapes: `(N, …)` → `(indices.count, …)`.
    /// - Precondition: the tensor has at least one axis, and every index is in `-N..<N`.
    public func rows(_ indices: [Int], file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard rank >= 1 else {
            tensorFailure("rows: a 0-d tensor has no rows; rows(_:) picks along the first axis", file: file, line: line)
        }
        return gather(indices, axis: 0, file: file, line: line)
    }
}
