import LessonProtocol
import TensorCore

// The expectations a `check` cell makes about an exercise. Each one reports whether it held and
// carries on, so one failed expectation never hides the others; the check earns its points only
// when every expectation in it holds. Messages show both sides (tensors summarised).

/// Expects `condition` to be true.
///
/// - Parameter message: what should have held, shown when it does not ("every row sums to 1").
public func expect(_ condition: Bool, _ message: @autoclosure () -> String = "the condition is false",
                   file: StaticString = #filePath, line: UInt = #line) {
    report(condition ? nil : message(), file: file, line: line)
}

/// Expects two values to be equal (`==`).
public func expectEqual<Value: Equatable>(_ actual: Value, _ expected: Value,
                                          file: StaticString = #filePath, line: UInt = #line) {
    report(actual == expected ? nil : "expected \(expected), got \(actual)", file: file, line: line)
}

/// Expects two tensors to have the same shape, dtype and exactly the same values (for masks,
/// indices and other exact results; use ``expectClose(_:_:rtol:atol:file:line:)`` for computed numbers).
public func expectEqual(_ actual: Tensor, _ expected: Tensor, file: StaticString = #filePath, line: UInt = #line) {
    if actual.shape == expected.shape && actual.dtype != expected.dtype {
        report("expected dtype \(expected.dtype), got dtype \(actual.dtype)", file: file, line: line)
        return
    }
    report(Closeness(rtol: 0, atol: 0).mismatch(actual, expected), file: file, line: line)
}

/// Expects a number to be close to another: `|actual − expected| ≤ atol + rtol · |expected|`.
public func expectClose(_ actual: Double, _ expected: Double, rtol: Double = 1e-5, atol: Double = 1e-8,
                        file: StaticString = #filePath, line: UInt = #line) {
    report(Closeness(rtol: rtol, atol: atol).mismatch(actual, expected), file: file, line: line)
}

/// Expects a tensor to have the shape of `expected` and values close to it, element by element.
public func expectClose(_ actual: Tensor, _ expected: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8,
                        file: StaticString = #filePath, line: UInt = #line) {
    report(Closeness(rtol: rtol, atol: atol).mismatch(actual, expected), file: file, line: line)
}

/// Expects a tensor to have the given shape.
public func expectShape(_ tensor: Tensor, _ shape: [Int], file: StaticString = #filePath, line: UInt = #line) {
    let failure = tensor.shape == shape
        ? nil : "expected shape \(Tensor.shapeDescription(shape)), got shape \(tensor.shapeDescription)"
    report(failure, file: file, line: line)
}

/// Stands where the learner's code goes in an exercise: it stops the check that reached it with
/// "not done yet", and the other checks still run.
///
/// `todo()` never returns, so it fits in a function that must return a value:
/// ```swift
/// func causalMask(_ n: Int) -> Tensor {
///     todo()
/// }
/// ```
public func todo(_ note: String = "", file: StaticString = #filePath, line: UInt = #line) -> Never {
    let detail = note.isEmpty ? "" : " (\(note))"
    LessonRuntime.reportFailure("not done yet: replace todo()\(detail) with your code", file: "\(file)", line: Int(line))
}

private func report(_ failure: String?, file: StaticString, line: UInt) {
    LessonRuntime.recordExpectation(passed: failure == nil, message: failure ?? "", file: "\(file)", line: Int(line))
}
