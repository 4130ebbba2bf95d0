import Foundation
import TensorCore

/// A learning rate that changes with the epoch (PyTorch's `torch.optim.lr_scheduler`).
///
/// A schedule is a formula of the epoch, counted from 0; it keeps no state. Set the optimizer's
/// rate at the start of each epoch:
///
/// ```swift
/// let schedule = CosineAnnealingLR(initialLearningRate: 1e-3, annealingEpochs: 20)
/// for epoch in 0..<20 {
///     schedule.apply(to: optimizer, epoch: epoch)
///     // … the epoch's steps …
/// }
/// ```
public protocol LearningRateSchedule: Sendable {
    /// The learning rate for `epoch` (0, 1, 2, …).
    func learningRate(atEpoch epoch: Int) -> Double
}

extension LearningRateSchedule {
    /// Sets `optimizer.learningRate` to the rate for `epoch`, and returns it.
    ///
    /// - Precondition: `epoch ≥ 0`.
    @discardableResult
    public func apply(to optimizer: any Optimizer, epoch: Int, file: StaticString = #filePath, line: UInt = #line) -> Double {
        ScheduleSettings.checkEpoch(epoch, file: file, line: line)
        let rate = learningRate(atEpoch: epoch)
        optimizer.learningRate = rate
        return rate
    }
}

/// Step decay: the rate is multiplied by `γ` every `stepSize` epochs (PyTorch's `StepLR`).
///
/// ```
/// η(epoch) = η₀ · γ^⌊epoch / stepSize⌋
/// ```
public struct StepLR: LearningRateSchedule {
    /// `η₀`, the rate of the first `stepSize` epochs.
    public let initialLearningRate: Double
    /// How many epochs each rate lasts.
    public let stepSize: Int
    /// `γ`, the factor applied at each step down.
    public let gamma: Double

    /// - Parameters:
    ///   - initialLearningRate: `η₀ ≥ 0`.
    ///   - stepSize: epochs per rate, at least 1.
    ///   - gamma: `γ ≥ 0`.
    public init(initialLearningRate: Double, stepSize: Int, gamma: Double = 0.1,
                file: StaticString = #filePath, line: UInt = #line) {
        OptimizerSettings.checkNonNegative(initialLearningRate, "initialLearningRate", of: "StepLR", file: file, line: line)
        OptimizerSettings.checkNonNegative(gamma, "gamma", of: "StepLR", file: file, line: line)
        guard stepSize >= 1 else {
            tensorFailure("StepLR: stepSize must be at least 1 epoch, not \(stepSize)", file: file, line: line)
        }
        self.initialLearningRate = initialLearningRate
        self.stepSize = stepSize
        self.gamma = gamma
    }

    public func learningRate(atEpoch epoch: Int) -> Double {
        ScheduleSettings.checkEpoch(epoch, file: nil, line: nil)
        return initialLearningRate * Foundation.pow(gamma, Double(epoch / stepSize))
    }
}

/// Exponential decay: the rate is multiplied by `γ` every epoch (PyTorch's `ExponentialLR`).
///
/// ```
/// η(epoch) = η₀ · γ^epoch
/// ```
public struct ExponentialLR: LearningRateSchedule {
    /// `η₀`, the rate of epoch 0.
    public let initialLearningRate: Double
    /// `γ`, the factor applied each epoch.
    public let gamma: Double

    /// - Parameters:
    ///   - initialLearningRate: `η₀ ≥ 0`.
    ///   - gamma: `γ ≥ 0`, usually a little below 1.
    public init(initialLearningRate: Double, gamma: Double, file: StaticString = #filePath, line: UInt = #line) {
        OptimizerSettings.checkNonNegative(initialLearningRate, "initialLearningRate", of: "ExponentialLR", file: file, line: line)
        OptimizerSettings.checkNonNegative(gamma, "gamma", of: "ExponentialLR", file: file, line: line)
        self.initialLearningRate = initialLearningRate
        self.gamma = gamma
    }

    public func learningRate(atEpoch epoch: Int) -> Double {
        ScheduleSettings.checkEpoch(epoch, file: nil, line: nil)
        return initialLearningRate * Foundation.pow(gamma, Double(epoch))
    }
}

/// Cosine annealing: the rate falls from `η₀` to `η_min` along half a cosine over `T` epochs,
/// then stays at `η_min` (Loshchilov & Hutter, 2017, without restarts).
///
/// ```
/// η(epoch) = η_min + ½·(η₀ − η_min)·(1 + cos(π·t / T)),   t = min(epoch, T)
/// ```
///
/// The fall is slow at first, fastest halfway, and slow again near the end. PyTorch's
/// `CosineAnnealingLR` is the same up to `T`, but past it follows the cosine back up; holding
/// `η_min` is what a run of exactly `T` epochs, or one that continues fine-tuning, wants.
public struct CosineAnnealingLR: LearningRateSchedule {
    /// `η₀`, the rate of epoch 0.
    public let initialLearningRate: Double
    /// `T`, the epoch at which the rate reaches `η_min`.
    public let annealingEpochs: Int
    /// `η_min`, the rate from epoch `T` on.
    public let minimumLearningRate: Double

    /// - Parameters:
    ///   - initialLearningRate: `η₀ ≥ 0`.
    ///   - annealingEpochs: `T`, at least 1.
    ///   - minimumLearningRate: `η_min ≥ 0`.
    public init(initialLearningRate: Double, annealingEpochs: Int, minimumLearningRate: Double = 0,
                file: StaticString = #filePath, line: UInt = #line) {
        let name = "CosineAnnealingLR"
        OptimizerSettings.checkNonNegative(initialLearningRate, "initialLearningRate", of: name, file: file, line: line)
        OptimizerSettings.checkNonNegative(minimumLearningRate, "minimumLearningRate", of: name, file: file, line: line)
        guard annealingEpochs >= 1 else {
            tensorFailure("\(name): annealingEpochs must be at least 1, not \(annealingEpochs)", file: file, line: line)
        }
        self.initialLearningRate = initialLearningRate
        self.annealingEpochs = annealingEpochs
        self.minimumLearningRate = minimumLearningRate
    }

    public func learningRate(atEpoch epoch: Int) -> Double {
        ScheduleSettings.checkEpoch(epoch, file: nil, line: nil)
        let progress = Double(min(epoch, annealingEpochs)) / Double(annealingEpochs)
        let cosine = Foundation.cos(Double.pi * progress)
        return minimumLearningRate + 0.5 * (initialLearningRate - minimumLearningRate) * (1 + cosine)
    }
}

/// The checks the schedules share.
enum ScheduleSettings {
    /// Stops unless `epoch ≥ 0`.
    static func checkEpoch(_ epoch: Int, file: StaticString?, line: UInt?) {
        guard epoch >= 0 else {
            tensorFailure("learning-rate schedule: epochs count from 0, so epoch \(epoch) has no rate", file: file, line: line)
        }
    }
}
