/// The one definition of "close enough" used by lesson checks, the grader and the tests.
///
/// ```
/// |actual − expected| ≤ atol + rtol · |expected|      (element by element, as numpy.isclose)
/// ```
///
/// Shapes are compared first: a tensor of the wrong shape is never "close". NaN is close only to
/// NaN in the same place, and an infinity only to the same infinity. The absolute part `atol`
/// keeps values near zero comparable, where any relative tolerance shrinks to nothing.
public struct Closeness: Sendable, Equatable {
    /// The tolerance relative to the expected value.
    public var rtol: Double
    /// The tolerance in absolute terms.
    public var atol: Double

    /// NumPy's defaults for `allclose`: `rtol = 1e-5`, `atol = 1e-8`.
    public init(rtol: Double = 1e-5, atol: Double = 1e-8) {
        self.rtol = rtol
        self.atol = atol
    }

    /// Whether two numbers are close.
    public func isClose(_ actual: Double, _ expected: Double) -> Bool {
        if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
        if actual.isInfinite || expected.isInfinite { return actual == expected }
        return abs(actual - expected) <= atol + rtol * abs(expected)
    }

    /// Why `actual` is not close to `expected`, or nil when it is.
    public func mismatch(_ actual: Double, _ expected: Double) -> String? {
        guard !isClose(actual, expected) else { return nil }
        return "expected \(Self.text(expected)), got \(Self.text(actual)) (difference \(Self.text(abs(actual - expected))); rtol \(rtol), atol \(atol))"
    }

    /// Why `actual` is not close to `expected` (shape first, then the worst element), or nil.
    public func mismatch(_ actual: Tensor, _ expected: Tensor) -> String? {
        guard actual.shape == expected.shape else {
            return "expected shape \(describe(shape: expected.shape)), got shape \(describe(shape: actual.shape))"
        }
        let actualValues = actual.scalars, expectedValues = expected.scalars
        var failures = 0
        var worst: (index: Int, excess: Double)?
        for index in actualValues.indices where !isClose(actualValues[index], expectedValues[index]) {
            failures += 1
            let gap = abs(actualValues[index] - expectedValues[index]) - (atol + rtol * abs(expectedValues[index]))
            // A NaN or infinite mismatch is the worst there is.
            let excess = gap.isNaN ? .infinity : gap
            if worst == nil || excess > worst!.excess { worst = (index, excess) }
        }
        guard let worst else { return nil }
        let position = Self.position(of: worst.index, in: actual.shape)
        return """
            \(failures) of \(actualValues.count) values differ (rtol \(rtol), atol \(atol)); the worst is at \
            \(position): expected \(Self.text(expectedValues[worst.index])), got \(Self.text(actualValues[worst.index]))
            expected:
            \(expected)
            got:
            \(actual)
            """
    }

    /// A number as messages show it: like Swift's own description, but NaN without a sign
    /// (the sign of a NaN means nothing, and "-nan" reads as a different value).
    static func text(_ value: Double) -> String {
        value.isNaN ? "nan" : "\(value)"
    }

    /// `[i, j, …]` for a flat row-major index.
    static func position(of flatIndex: Int, in shape: [Int]) -> String {
        var remaining = flatIndex
        var coordinates = Array(repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            coordinates[axis] = remaining % shape[axis]
            remaining /= shape[axis]
        }
        return "[" + coordinates.map(String.init).joined(separator: ", ") + "]"
    }
}
