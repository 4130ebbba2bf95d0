extension Tensor {
    /// A tensor of zeros.
    ///
    /// - Shapes: `shape`.
    public static func zeros(_ shape: [Int], dtype: DType = .float64,
                             file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        full(shape, value: 0, dtype: dtype, file: file, line: line)
    }

    /// A tensor with every element equal to `value`.
    ///
    /// - Shapes: `shape`.
    public static func full(_ shape: [Int], value: Double, dtype: DType = .float64,
                            file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        if let bad = shape.first(where: { $0 < 0 }) {
            tensorFailure("full: axis length \(bad) is negative", file: file, line: line)
        }
        return Tensor(shape: shape, scalars: Array(repeating: value, count: shape.reduce(1, *)), dtype: dtype)
    }

    /// The `n`×`n` identity matrix: ones on the diagonal, zeros elsewhere.
    ///
    /// - Shapes: `(n, n)`.
    public static func eye(_ n: Int, dtype: DType = .float64,
                           file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard n >= 0 else { tensorFailure("eye: size \(n) is negative", file: file, line: line) }
        var scalars = [Double](repeating: 0, count: n * n)
        for i in 0..<n { scalars[i * n + i] = 1 }
        return Tensor(shape: [n, n], scalars: scalars, dtype: dtype)
    }
}
