import Foundation
import TensorCore

/// What happened in each epoch of a training run: the losses, the validation accuracy, and
/// optionally the time taken and the learning rate — Keras's `History.history`, kept as a value.
/// Printed, a table with the best epoch marked; drawn, `trainingCurves(history)` in a lesson.
///
/// ```swift
/// var history = TrainingHistory()
/// for epoch in 1...20 {
///     let trainingLoss = trainOneEpoch(model, optimizer)
///     let (loss, accuracy) = evaluate(model, validation)
///     history.record(epoch: epoch, trainingLoss: trainingLoss, validationLoss: loss, validationAccuracy: accuracy)
/// }
/// print(history)
/// // epoch  train loss  val loss  val acc
/// //     1      0.6931    0.6802   0.5625
/// //   …
/// //     7      0.2011    0.3120   0.8750  *
/// // …
/// // * best epoch: 7 (lowest validation loss, 0.3120)
/// ```
public struct TrainingHistory: Sendable, Equatable, CustomStringConvertible {
    /// The numbers of one epoch.
    public struct Epoch: Sendable, Equatable {
        /// The epoch's number, as the training loop counts (usually from 1).
        public var epoch: Int
        /// The mean loss over the epoch's training batches.
        public var trainingLoss: Double
        /// The loss on the validation set after the epoch.
        public var validationLoss: Double
        /// The share of validation examples predicted correctly, from 0 to 1; nil when not measured.
        public var validationAccuracy: Double?
        /// How long the epoch took, in seconds; nil when not measured.
        public var seconds: Double?
        /// The learning rate used in the epoch (its last value, with a schedule); nil when not given.
        public var learningRate: Double?

        public init(epoch: Int, trainingLoss: Double, validationLoss: Double, validationAccuracy: Double? = nil,
                    seconds: Double? = nil, learningRate: Double? = nil) {
            self.epoch = epoch
            self.trainingLoss = trainingLoss
            self.validationLoss = validationLoss
            self.validationAccuracy = validationAccuracy
            self.seconds = seconds
            self.learningRate = learningRate
        }
    }

    /// The epochs recorded, in order.
    public private(set) var epochs: [Epoch] = []

    /// An empty history.
    public init() {}

    /// Adds an epoch's numbers.
    ///
    /// - Precondition: `epoch` is larger than the last epoch recorded.
    public mutating func record(epoch: Int, trainingLoss: Double, validationLoss: Double,
                                validationAccuracy: Double? = nil, seconds: Double? = nil, learningRate: Double? = nil,
                                file: StaticString = #filePath, line: UInt = #line) {
        if let last = epochs.last?.epoch, epoch <= last {
            tensorFailure("TrainingHistory.record: epoch \(epoch) comes after epoch \(last); record each epoch once, in order",
                          file: file, line: line)
        }
        epochs.append(Epoch(epoch: epoch, trainingLoss: trainingLoss, validationLoss: validationLoss,
                            validationAccuracy: validationAccuracy, seconds: seconds, learningRate: learningRate))
    }

    /// The epoch numbers, in order.
    public var epochNumbers: [Int] { epochs.map(\.epoch) }
    /// The training loss of each epoch.
    public var trainingLosses: [Double] { epochs.map(\.trainingLoss) }
    /// The validation loss of each epoch.
    public var validationLosses: [Double] { epochs.map(\.validationLoss) }
    /// The validation accuracy of each epoch, nil where it was not measured.
    public var validationAccuracies: [Double?] { epochs.map(\.validationAccuracy) }

    /// The epoch with the lowest validation loss — the one ``BestWeights`` with `.minimize` keeps
    /// when offered the same losses; the first of equals; NaN losses never count. Nil when empty.
    public var bestEpoch: Int? {
        epochs.filter { !$0.validationLoss.isNaN }.min { $0.validationLoss < $1.validationLoss }?.epoch
    }

    /// The epoch with the highest validation accuracy (the first of equals), or nil when none was measured.
    public var mostAccurateEpoch: Int? {
        epochs.filter { $0.validationAccuracy.map { !$0.isNaN } ?? false }
            .max { $0.validationAccuracy! < $1.validationAccuracy! }?.epoch
    }

    /// The numbers of epoch `number`, or nil when it was not recorded.
    public subscript(epoch number: Int) -> Epoch? {
        epochs.first { $0.epoch == number }
    }

    // MARK: The table

    /// A table with a row per epoch, the best epoch marked with `*`; columns for time and
    /// learning rate appear when some epoch has them.
    public var description: String {
        guard !epochs.isEmpty else { return "TrainingHistory: no epochs recorded" }
        let best = bestEpoch
        let showAccuracy = epochs.contains { $0.validationAccuracy != nil }
        let showSeconds = epochs.contains { $0.seconds != nil }
        let showRate = epochs.contains { $0.learningRate != nil }
        var header = [("epoch", 5), ("train loss", 10), ("val loss", 8)]
        if showAccuracy { header.append(("val acc", 7)) }
        if showSeconds { header.append(("time", 7)) }
        if showRate { header.append(("lr", 9)) }
        var lines = [header.map { Self.padded($0.0, $0.1) }.joined(separator: "  ")]
        for epoch in epochs {
            var cells = [String(epoch.epoch), Self.decimal(epoch.trainingLoss), Self.decimal(epoch.validationLoss)]
            if showAccuracy { cells.append(epoch.validationAccuracy.map(Self.decimal) ?? "–") }
            if showSeconds { cells.append(epoch.seconds.map { String(format: "%.1f s", $0) } ?? "–") }
            if showRate { cells.append(epoch.learningRate.map { String(format: "%.3g", $0) } ?? "–") }
            var row = zip(cells, header).map { Self.padded($0, $1.1) }.joined(separator: "  ")
            if epoch.epoch == best { row += "  *" }
            lines.append(row)
        }
        if let best, let loss = self[epoch: best]?.validationLoss {
            lines.append("* best epoch: \(best) (lowest validation loss, \(Self.decimal(loss)))")
        }
        return lines.joined(separator: "\n")
    }

    /// A number with four decimals, as Keras prints losses.
    private static func decimal(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4f", value) : "\(value)"
    }

    /// `text` right-aligned in `width` characters.
    private static func padded(_ text: String, _ width: Int) -> String {
        String(repeating: " ", count: Swift.max(0, width - text.count)) + text
    }
}
