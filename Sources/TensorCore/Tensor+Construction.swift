extension Tensor {
    /// A tensor of zeros.
    ///
    /// - Shapes: `shape`.
    public static func zeros(_ shape: [Int], dtype: DType = .float64,
                             file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        full(shape, value: 0, dtype: dtype, file: file, line: line)
    }

    /// A tensor of ones.
    ///
    /// - Shapes: `shape`.
    public static func ones(_ shape: [Int], dtype: DType = .float64,
                            file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        full(shape, value: 1, dtype: dtype, file: file, line: line)
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

extension Tensor {
    /// Evenly spaced values `start, start + step, …` below `stop` (NumPy's `np.arange`).
    ///
    /// - Shapes: `(⌈(stop − start) / step⌉,)`.
    /// - Precondition: `step` is not zero.
    public static func arange(_ start: Double, _ stop: Double, step: Double = 1, dtype: DType = .float64,
                              file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
            tensorFailure("arange: the step must be a finite non-zero number and the bounds finite", file: file, line: line)
        }
        let count = Swift.max(0, Int(((stop - start) / step).rounded(.up)))
        return Tensor(shape: [count], scalars: (0..<count).map { start + Double($0) * step }, dtype: dtype)
    }

    /// Evenly spaced values `0, 1, …, stop − 1` (NumPy's `np.arange(stop)`).
    public static func arange(_ stop: Int, dtype: DType = .float64) -> Tensor {
        arange(0, Double(stop), dtype: dtype)
    }

    /// `count` evenly spaced values from `start` to `stop`, both included (NumPy's `np.linspace`).
    ///
    /// Computed as NumPy does — `start + i · step` with the last value set to `stop` exactly — so
    /// the values agree to the last bit.
    /// - Shapes: `(count,)`.
    public static func linspace(_ start: Double, _ stop: Double, count: Int, dtype: DType = .float64,
                                file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard count >= 0 else { tensorFailure("linspace: count \(count) is negative", file: file, line: line) }
        guard count > 1 else { return Tensor(shape: [count], scalars: count == 1 ? [start] : [], dtype: dtype) }
        let step = (stop - start) / Double(count - 1)
        var values = (0..<count).map { Double($0) * step + start }
        values[count - 1] = stop
        return Tensor(shape: [count], scalars: values, dtype: dtype)
    }

    /// The lower triangle: elements above the `k`-th diagonal set to zero (NumPy's `np.tril`),
    /// applied to the last two axes.
    ///
    /// - Shapes: unchanged; at least 2-d.
    public func tril(_ k: Int = 0, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        differentiableUnary({ x in
            x.keepingTriangle(operation: "tril", file: file, line: line) { row, column in column - row <= k }
        }) { gradient, _ in gradient.tril(k) }
    }

    /// The upper triangle: elements below the `k`-th diagonal set to zero (NumPy's `np.triu`),
    /// applied to the last two axes.
    ///
    /// - Shapes: unchanged; at least 2-d.
    public func triu(_ k: Int = 0, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        differentiableUnary({ x in
            x.keepingTriangle(operation: "triu", file: file, line: line) { row, column in column - row >= k }
        }) { gradient, _ in gradient.triu(k) }
    }

    private func keepingTriangle(operation: String, file: StaticString, line: UInt,
                                 keep: (Int, Int) -> Bool) -> Tensor {
        guard rank >= 2 else {
            tensorFailure("\(operation): needs a matrix (or a stack of them) but got shape \(describe(shape: shape))",
                          file: file, line: line)
        }
        let (rows, columns) = (shape[rank - 2], shape[rank - 1])
        let keptPattern = (0..<(rows * columns)).map { keep($0 / columns, $0 % columns) }
        var values = scalars
        for index in values.indices where !keptPattern[index % (rows * columns)] {
            values[index] = 0
        }
        return Tensor(shape: shape, scalars: values, dtype: dtype)
    }

    /// The additive causal mask for `n` positions: 0 where position `i` may look at position `j`
    /// (`j ≤ i`), −∞ where it would look into the future (`j > i`).
    ///
    /// Added to attention scores before the softmax, the −∞ entries become weights of exactly 0
    /// (PyTorch's `nn.Transformer.generate_square_subsequent_mask`).
    /// - Shapes: `(n, n)`.
    public static func causalMask(_ n: Int, dtype: DType = .float64,
                                  file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard n >= 0 else { tensorFailure("causalMask: size \(n) is negative", file: file, line: line) }
        var values = [Double](repeating: -.infinity, count: n * n)
        values.withUnsafeMutableBufferPointer { values in
            // Row i: zeros up to and including the diagonal.
            for row in 0..<n {
                (values.baseAddress! + row * n).update(repeating: 0, count: row + 1)
            }
        }
        return Tensor(shape: [n, n], storage: Storage.float64(values).converted(to: dtype))
    }
}
