import TensorCore

/// Keeps the parameters of the epoch with the best validation score, to put back after training
/// — Keras's `EarlyStopping(restore_best_weights=True)`, or a PyTorch loop that saves a
/// checkpoint whenever the validation loss improves.
///
/// ```swift
/// var best = BestWeights(goal: .minimize)                 // a validation loss: lower is better
/// for epoch in 1...30 {
///     trainOneEpoch(model, optimizer)
///     best.offer(epoch: epoch, score: validationLoss(model), model: model)
///     if best.epochsSinceImprovement >= 5 { break }       // early stopping, patience 5
/// }
/// best.restore(model)                                     // the weights of best.bestEpoch
/// ```
///
/// An epoch counts as better when its score beats the best so far by more than
/// `minimumImprovement`:
///
/// ```
/// minimize: score < bestScore − minimumImprovement
/// maximize: score > bestScore + minimumImprovement
/// ```
///
/// so a tie keeps the earlier epoch (as Keras does). A NaN score is never better: a run whose
/// loss has blown up cannot become the one restored. The first score that is not NaN is always kept.
public struct BestWeights: Sendable {
    /// Whether a lower score (a loss) or a higher one (an accuracy) is better.
    public enum Goal: Sendable, Equatable {
        case minimize, maximize
    }

    /// Whether lower or higher scores are better.
    public let goal: Goal
    /// How much better than the best so far a score must be to count as an improvement (Keras's
    /// `min_delta`).
    public let minimumImprovement: Double
    /// The epoch whose parameters are kept; nil until a score that is not NaN is offered.
    public private(set) var bestEpoch: Int?
    /// The score of ``bestEpoch``.
    public private(set) var bestScore: Double?
    /// The parameters at the end of ``bestEpoch``.
    public private(set) var bestSnapshot: ModuleSnapshot?
    /// The last epoch offered.
    public private(set) var lastEpoch: Int?

    /// A tracker with nothing kept yet.
    ///
    /// - Parameters:
    ///   - goal: `.minimize` for a loss (Keras's `mode="min"`), `.maximize` for an accuracy.
    ///   - minimumImprovement: `≥ 0`; 0 (the default) counts any strict improvement.
    public init(goal: Goal = .minimize, minimumImprovement: Double = 0,
                file: StaticString = #filePath, line: UInt = #line) {
        guard minimumImprovement >= 0, minimumImprovement.isFinite else {
            tensorFailure("BestWeights: minimumImprovement must be a number ≥ 0, not \(minimumImprovement)",
                          file: file, line: line)
        }
        self.goal = goal
        self.minimumImprovement = minimumImprovement
    }

    /// How many epochs have passed since the best one: 0 right after an improvement. Stop when it
    /// reaches your patience (Keras's `patience`).
    public var epochsSinceImprovement: Int {
        guard let lastEpoch else { return 0 }
        return lastEpoch - (bestEpoch ?? lastEpoch)
    }

    /// Whether `score` beats the best so far by more than ``minimumImprovement``.
    public func isImprovement(_ score: Double) -> Bool {
        guard !score.isNaN else { return false }
        guard let bestScore else { return true }
        switch goal {
        case .minimize: return score < bestScore - minimumImprovement
        case .maximize: return score > bestScore + minimumImprovement
        }
    }

    /// Offers the model as it is at the end of `epoch`, with its validation score; keeps a
    /// snapshot of its parameters when the score is an improvement.
    ///
    /// - Parameters:
    ///   - epoch: the epoch's number, larger than the last one offered.
    ///   - score: the validation loss (or accuracy, for `.maximize`) after this epoch.
    ///   - model: the model being trained.
    /// - Returns: whether this epoch became the best.
    /// - Precondition: epochs are offered in increasing order.
    @discardableResult
    public mutating func offer(epoch: Int, score: Double, model: some Module,
                               file: StaticString = #filePath, line: UInt = #line) -> Bool {
        if let lastEpoch, epoch <= lastEpoch {
            tensorFailure("BestWeights.offer: epoch \(epoch) comes after epoch \(lastEpoch); offer each epoch once, in order",
                          file: file, line: line)
        }
        lastEpoch = epoch
        guard isImprovement(score) else { return false }
        bestEpoch = epoch
        bestScore = score
        bestSnapshot = model.snapshot()
        return true
    }

    /// Puts the best epoch's parameters back into `model` (see ``Module/restore(_:file:line:)``):
    /// the same parameter objects get the kept values, so an optimizer built on them still works.
    ///
    /// - Precondition: some epoch was offered with a score that is not NaN, and `model` has the
    ///   architecture of the model offered.
    public func restore(_ model: some Module, file: StaticString = #filePath, line: UInt = #line) {
        guard let bestSnapshot else {
            let reason = lastEpoch == nil ? "no epoch was offered" : "every score offered was NaN"
            tensorFailure("BestWeights.restore: there are no weights to restore: \(reason)", file: file, line: line)
        }
        model.restore(bestSnapshot, file: file, line: line)
    }
}
