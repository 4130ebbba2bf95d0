import Testing
import NN
import TensorCore

/// Expects `actual` to hold `expected` (a flat list, in row-major order) within `closeness`,
/// with the shared ``Closeness`` rule and its message.
func expectClose(_ actual: Tensor?, _ expected: [Double], _ closeness: Closeness = Closeness(rtol: 1e-12, atol: 1e-12),
                 sourceLocation: SourceLocation = #_sourceLocation) {
    guard let actual else {
        Issue.record("expected \(expected), got nil", sourceLocation: sourceLocation)
        return
    }
    let mismatch = closeness.mismatch(actual.flattened(), Tensor(expected, dtype: actual.dtype))
    #expect(mismatch == nil, "\(mismatch ?? "")", sourceLocation: sourceLocation)
}

/// Expects two numbers to be close by the shared ``Closeness`` rule.
func expectClose(_ actual: Double, _ expected: Double, _ closeness: Closeness = Closeness(rtol: 1e-12, atol: 1e-12),
                 sourceLocation: SourceLocation = #_sourceLocation) {
    let mismatch = closeness.mismatch(actual, expected)
    #expect(mismatch == nil, "\(mismatch ?? "")", sourceLocation: sourceLocation)
}

/// One training step: backward from `loss` (computed from the parameters' current values), the
/// optimizer's step, then zeroed gradients.
func trainingStep(_ optimizer: any Optimizer, loss: () -> Tensor) {
    loss().backward()
    optimizer.step()
    optimizer.zeroGradients()
}
