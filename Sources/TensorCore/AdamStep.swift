import Foundation
internal import CTensorKernels

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
            let (newP, newM, newV) = update(p, g, m, v) { cuaderno_adam_step_f64($0, $1, $2, $3, $4, $5, $6, $7, $8) }
            return (Tensor(shape: shape, storage: .float64(newP)), Tensor(shape: shape, storage: .float64(newM)),
                    Tensor(shape: shape, storage: .float64(newV)))
        case (.float32(let p), .float32(let g), .float32(let m), .float32(let v)):
            let (newP, newM, newV) = update(p, g, m, v) { cuaderno_adam_step_f32($0, $1, $2, $3, $4, $5, $6, $7, $8) }
            return (Tensor(shape: shape, storage: .float32(newP)), Tensor(shape: shape, storage: .float32(newM)),
                    Tensor(shape: shape, storage: .float32(newV)))
        default:
            preconditionFailure("AdamStep needs a parameter, its gradient and its moments of one float type")
        }
    }

    /// The constants as the tensor formulas round them: each Double becomes a number of the
    /// tensor's type when it meets a tensor (the float32 kernel rounds them so).
    private var constants: cuaderno_adam_constants {
        cuaderno_adam_constants(
            beta1: beta1, keep1: 1 - beta1, beta2: beta2, keep2: 1 - beta2,
            first_correction: 1 - Foundation.pow(beta1, Double(stepCount)),
            second_correction_root: (1 - Foundation.pow(beta2, Double(stepCount))).squareRoot(),
            epsilon: epsilon, rate: learningRate, penalty: weightDecay, decay_factor: 1 - learningRate * weightDecay,
            penalized: weightDecay != 0 && decay == .coupled ? 1 : 0, shrunk: weightDecay != 0 && decay == .decoupled ? 1 : 0)
    }

    /// The loop is CTensorKernels' `cuaderno_adam_step_*`, which uses AVX's vector square root
    /// and division: three divisions and a square root per element are most of the step, and
    /// Swift code here is compiled for every x86-64 (and its square root keeps a scalar call for
    /// errno), so it cannot vectorise them.
    private func update<Element>(_ p: [Element], _ g: [Element], _ m: [Element], _ v: [Element],
                                 _ kernel: (UnsafePointer<cuaderno_adam_constants>, UnsafePointer<Element>, UnsafePointer<Element>,
                                            UnsafePointer<Element>, UnsafePointer<Element>, UnsafeMutablePointer<Element>,
                                            UnsafeMutablePointer<Element>, UnsafeMutablePointer<Element>, Int) -> Void)
        -> ([Element], [Element], [Element]) {
        let count = p.count
        var constants = constants
        var newM = [Element](), newV = [Element]()
        let newP = [Element](unsafeUninitializedCapacity: count) { newP, initialized in
            newM = [Element](unsafeUninitializedCapacity: count) { newM, initializedM in
                newV = [Element](unsafeUninitializedCapacity: count) { newV, initializedV in
                    if count > 0 {
                        p.withUnsafeBufferPointer { p in
                            g.withUnsafeBufferPointer { g in
                                m.withUnsafeBufferPointer { m in
                                    v.withUnsafeBufferPointer { v in
                                        kernel(&constants, p.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!,
                                               newP.baseAddress!, newM.baseAddress!, newV.baseAddress!, count)
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
