import Foundation
import NN
import Testing
@_spi(Optimizers) import TensorCore

/// Adam and AdamW update each parameter in one pass (TensorCore's `AdamStep`). The pass must give
/// the numbers of the update written with tensor operations — what Adam and AdamW computed before
/// — to the last bit, in both float types, with and without weight decay, step after step.
@Suite struct AdamStepTests {
    /// The update written with tensors: Adam's L2 decay joins the gradient, AdamW's shrinks the weight.
    static func composedStep(value: Tensor, gradient: Tensor, firstMoment: Tensor, secondMoment: Tensor,
                             step: AdamStep) -> (value: Tensor, firstMoment: Tensor, secondMoment: Tensor) {
        let (lr, decay) = (step.learningRate, step.weightDecay)
        var (start, g) = (value, gradient)
        if decay != 0 {
            switch step.decay {
            case .coupled: g = gradient + decay * value
            case .decoupled: start = value * (1 - lr * decay)
            }
        }
        let m = step.beta1 * firstMoment + (1 - step.beta1) * g
        let v = step.beta2 * secondMoment + (1 - step.beta2) * (g * g)
        let firstCorrection = 1 - Foundation.pow(step.beta1, Double(step.stepCount))
        let secondCorrection = 1 - Foundation.pow(step.beta2, Double(step.stepCount))
        let denominator = v.sqrt() / secondCorrection.squareRoot() + step.epsilon
        return (start - lr * ((m / firstCorrection) / denominator), m, v)
    }

    @Test(arguments: [DType.float64, .float32])
    func oneStepEqualsTheTensorFormulasBitForBit(dtype: DType) {
        var random = RandomState(seed: 4)
        for decay in [AdamStep.Decay.coupled, .decoupled] {
            for weightDecay in [0.0, 0.01] {
                var fused = (value: random.randn(3, 7, dtype: dtype), firstMoment: Tensor.zeros([3, 7], dtype: dtype),
                             secondMoment: Tensor.zeros([3, 7], dtype: dtype))
                var composed = fused
                for stepCount in 1...4 {
                    let gradient = random.randn(3, 7, dtype: dtype) * 0.1
                    let step = AdamStep(learningRate: 1e-2, beta1: 0.9, beta2: 0.999, epsilon: 1e-8,
                                        weightDecay: weightDecay, decay: decay, stepCount: stepCount)
                    fused = step.apply(value: fused.value, gradient: gradient, firstMoment: fused.firstMoment,
                                       secondMoment: fused.secondMoment)
                    composed = Self.composedStep(value: composed.value, gradient: gradient, firstMoment: composed.firstMoment,
                                                 secondMoment: composed.secondMoment, step: step)
                    let label = "\(dtype), \(decay), λ = \(weightDecay), t = \(stepCount)"
                    #expect(fused.value.dtype == dtype)
                    #expect(fused.value.scalars == composed.value.scalars, "value, \(label)")
                    #expect(fused.firstMoment.scalars == composed.firstMoment.scalars, "m, \(label)")
                    #expect(fused.secondMoment.scalars == composed.secondMoment.scalars, "v, \(label)")
                }
            }
        }
    }

    /// A parameter that is a view (a transposed weight) is read in its own element order.
    @Test func aTransposedParameterIsUpdatedElementByElement() {
        var random = RandomState(seed: 6)
        let value = random.randn(4, 3).T
        let gradient = random.randn(3, 4)
        let zeros = Tensor.zeros([3, 4])
        let step = AdamStep(learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.1,
                            decay: .decoupled, stepCount: 1)
        let fused = step.apply(value: value, gradient: gradient, firstMoment: zeros, secondMoment: zeros)
        let composed = Self.composedStep(value: value, gradient: gradient, firstMoment: zeros, secondMoment: zeros, step: step)
        #expect(fused.value.shape == [3, 4])
        #expect(fused.value.scalars == composed.value.scalars)
    }
}
