import Foundation

/// One parameter's update by Adam or AdamW (NN's optimizers), in one pass over its elements.
///
/// Written with tensor operations, the update is about fifteen passes over the parameter, each
/// making a new tensor of its size: for an embedding table of 8,872 × 32 that is most of a small
/// transformer's training step. Here every element goes through the same operations in the same
/// order (each constant rounded to the element type first, as mixing a tensor with a number
/// does), so the results are those of the tensor formulas to the last bit:
///
/// ```
/// g ← g + λ·p                  (Adam's L2 decay)    or    p ← p·(1 − ηλ)    (AdamW's decoupled decay)
/// m ← β₁·m + (1 − β₁)·g
/// v ← β₂·v + (1 − β₂)·(g·g)
/// p ← p − η · ((m / (1 − β₁ᵗ)) / (√v / √(1 − β₂ᵗ) + ε))
/// ```
///
/// Not part of the lessons' API: NN imports it with `@_spi(Optimizers)`.
@_spi(Optimizers)
public struct AdamStep: Sendable {
    /// How the weight decay `λ` enters.
    public enum Decay: Sendable {
        /// Added to the gradient, `g + λ·p` (Adam, an L2 penalty).
        case coupled
        /// Applied to the weight on its own, `p·(1 − ηλ)` (AdamW).
        case decoupled
    }

    public let learningRate: Double
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Double
    public let weightDecay: Double
    public let decay: Decay
    /// `t`, the parameter's step number, from 1.
    public let stepCount: Int

    public init(learningRate: Double, beta1: Double, beta2: Double, epsilon: Double, weightDecay: Double,
                decay: Decay, stepCount: Int) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decay = decay
        self.stepCount = stepCount
    }

    /// The new value and moments of a parameter; all four tensors have its shape and float type.
    public func apply(value: Tensor, gradient: Tensor, firstMoment: Tensor,
                      secondMoment: Tensor) -> (value: Tensor, firstMoment: Tensor, secondMoment: Tensor) {
        let shape = value.shape
        switch (value.storage, gradient.storage, firstMoment.storage, secondMoment.storage) {
        case (.float64(let p), .float64(let g), .float64(let m), .float64(let v)):
            let (newP, newM, newV) = update(p, g, m, v)
            return (Tensor(shape: shape, storage: .float64(newP)), Tensor(shape: shape, storage: .float64(newM)),
                    Tensor(shape: shape, storage: .float64(newV)))
        case (.float32(let p), .float32(let g), .float32(let m), .float32(let v)):
            let (newP, newM, newV) = update(p, g, m, v)
            return (Tensor(shape: shape, storage: .float32(newP)), Tensor(shape: shape, storage: .float32(newM)),
                    Tensor(shape: shape, storage: .float32(newV)))
        default:
            preconditionFailure("AdamStep needs a parameter, its gradient and its moments of one float type")
        }
    }

    private func update<Element: TensorScalar>(_ p: [Element], _ g: [Element], _ m: [Element],
                                               _ v: [Element]) -> ([Element], [Element], [Element]) {
        // The constants as the tensor formulas round them: a Double combined with a tensor
        // becomes a number of the tensor's type.
        let decayFactor = Element(1 - learningRate * weightDecay), penalty = Element(weightDecay)
        let (beta1, keep1) = (Element(self.beta1), Element(1 - self.beta1))
        let (beta2, keep2) = (Element(self.beta2), Element(1 - self.beta2))
        let firstCorrection = Element(1 - Foundation.pow(self.beta1, Double(stepCount)))
        let secondCorrectionRoot = Element((1 - Foundation.pow(self.beta2, Double(stepCount))).squareRoot())
        let (epsilon, rate) = (Element(self.epsilon), Element(learningRate))
        let count = p.count
        var newM = [Element](), newV = [Element]()
        let newP = [Element](unsafeUninitializedCapacity: count) { newP, initialized in
            newM = [Element](unsafeUninitializedCapacity: count) { newM, initializedM in
                newV = [Element](unsafeUninitializedCapacity: count) { newV, initializedV in
                    p.withUnsafeBufferPointer { p in
                        g.withUnsafeBufferPointer { g in
                            m.withUnsafeBufferPointer { m in
                                v.withUnsafeBufferPointer { v in
                                    // One loop per kind of decay, none with a test per element.
                                    @inline(__always) func run(penalized: Bool, shrunk: Bool) {
                                        for i in 0..<count {
                                            let gradient = penalized ? g[i] + penalty * p[i] : g[i]
                                            let start = shrunk ? p[i] * decayFactor : p[i]
                                            let first = beta1 * m[i] + keep1 * gradient
                                            let second = beta2 * v[i] + keep2 * (gradient * gradient)
                                            let denominator = second.squareRoot() / secondCorrectionRoot + epsilon
                                            newM[i] = first
                                            newV[i] = second
                                            newP[i] = start - rate * ((first / firstCorrection) / denominator)
                                        }
                                    }
                                    switch (weightDecay != 0, decay) {
                                    case (true, .coupled): run(penalized: true, shrunk: false)
                                    case (true, .decoupled): run(penalized: false, shrunk: true)
                                    case (false, _): run(penalized: false, shrunk: false)
                                    }
                                }
                            }
                        }
                    }
                    initializedV = count
                }
                initializedM = count
            }
            initialized = count
        }
        return (newP, newM, newV)
    }
}
