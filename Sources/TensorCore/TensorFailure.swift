/// Where a learner's mistake is reported before the program stops.
///
/// Every check in the tensor core that a learner's code can fail (a shape mismatch, a bad axis…)
/// ends in ``tensorFailure(_:file:line:)``. By default it stops the program with `fatalError`;
/// the lesson runtime installs a handler that first reports the message with the Markdown file and
/// line of the call, because `precondition` messages are stripped from optimised builds and a
/// trap inside the library would otherwise name the library's own source file.
public enum TensorFailure {
    /// Called with the message and the call's location (nil when the call site is unknown, as in
    /// operators, which cannot take `#filePath` default arguments). It must not return normally
    /// if it wants to replace the default `fatalError`.
    nonisolated(unsafe) public static var handler: (@Sendable (_ message: String, _ file: String?, _ line: Int?) -> Void)?
}

/// Stops the program because of a mistake in the calling code, naming where the call was made.
public func tensorFailure(_ message: String, file: StaticString? = nil, line: UInt? = nil) -> Never {
    let fileName = file.map { "\($0)" }
    TensorFailure.handler?(message, fileName, line.map { Int($0) })
    if let fileName, let line {
        fatalError("\(fileName):\(line): \(message)")
    }
    fatalError(message)
}

/// Formats a shape the way NumPy prints it: `(3, 4)`, `(5,)`, `()`.
func describe(shape: [Int]) -> String {
    if shape.count == 1 { return "(\(shape[0]),)" }
    return "(" + shape.map(String.init).joined(separator: ", ") + ")"
}

extension Tensor {
    /// The shape as NumPy prints it, `(7, 16)` or `(5,)`, as every message of the tensor core does.
    public var shapeDescription: String { describe(shape: shape) }

    /// `shape` written as NumPy prints shapes.
    public static func shapeDescription(_ shape: [Int]) -> String { describe(shape: shape) }
}
