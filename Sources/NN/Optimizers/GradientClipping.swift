import TensorCore

/// Scales the gradients of `parameters` down together when their overall size exceeds `maxNorm`,
/// and returns that size as it was before (PyTorch's `torch.nn.utils.clip_grad_norm_`).
///
/// The size is the Euclidean norm of all the gradients taken as one long vector, and every
/// gradient is multiplied by the same factor:
///
/// ```
/// ‖g‖ = √( Σ over parameters Σ over elements gᵢ² )
/// g ← g · maxNorm / (‖g‖ + 10⁻⁶)      for every gradient, when ‖g‖ > maxNorm
/// ```
///
/// Scaling all gradients by one factor keeps the step's direction and only shortens it, so one
/// bad batch cannot throw the weights far (exploding gradients in recurrent and deep networks:
/// Pascanu et al., 2013). Call it between `loss.backward()` and `optimizer.step()`; the norm it
/// returns is worth logging, since spikes show instability.
///
/// The `10⁻⁶` is PyTorch's: it leaves the clipped norm a hair below `maxNorm`. PyTorch applies
/// the factor whenever it is below 1, which also shrinks gradients already within 10⁻⁶ of the
/// limit; here gradients at or below `maxNorm` are never touched, so clipping twice changes
/// nothing. A NaN gradient makes the returned norm NaN and leaves the gradients as they are; an
/// infinite one makes it infinite — check `norm.isFinite` before stepping.
///
/// Parameters without a gradient (frozen, or not used by the loss) take no part; a parameter
/// listed twice counts once.
///
/// - Parameters:
///   - parameters: usually `model.trainableParameters`.
///   - maxNorm: the largest overall norm allowed, `≥ 0`.
/// - Returns: `‖g‖` before clipping (0 when no parameter has a gradient).
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Double,
                             file: StaticString = #filePath, line: UInt = #line) -> Double {
    OptimizerSettings.checkNonNegative(maxNorm, "maxNorm", of: "clipGradientNorm", file: file, line: line)
    let gradients = OptimizerSettings.distinct(parameters).compactMap { parameter in
        parameter.gradient.map { (parameter: parameter, gradient: $0) }
    }
    let sumOfSquares = gradients.reduce(0.0) { total, entry in total + (entry.gradient * entry.gradient).sum() }
    let totalNorm = sumOfSquares.squareRoot()
    if totalNorm > maxNorm {
        let coefficient = maxNorm / (totalNorm + 1e-6)
        for (parameter, gradient) in gradients {
            parameter.setGradient(gradient * coefficient)
        }
    }
    return totalNorm
}
