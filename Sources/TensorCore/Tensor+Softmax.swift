/// Softmax, its logarithm, and attention's softmax with the scaling and masks fused in.
///
/// Softmax over the last axis — each row of attention scores — is computed row by row in one
/// pass, and so is its gradient. ``Tensor/maskedSoftmax(temperature:mask:causal:file:line:)``
/// folds attention's division by √d and its masks into that pass: written as separate operations
/// they are three more passes over the (…, t, s) scores, each making a new tensor, forward and
/// backward. The fused rows compute the same operations in the same order, so the numbers are
/// those of the composition to the last bit.
extension Tensor {
    /// Softmax along `axis` (the last by default): every slice along the axis becomes positive
    /// and sums to 1.
    ///
    /// ```
    /// softmax(x)ᵢ = exp(xᵢ − max x) / Σⱼ exp(xⱼ − max x)
    /// ```
    /// Subtracting the maximum changes nothing mathematically and keeps `exp` from overflowing.
    /// - Shapes: unchanged.
    public func softmax(axis: Int = -1, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = normalizedAxis(axis, operation: "softmax(axis:)", file: file, line: line)
        if resolved == rank - 1 {
            return softmaxRows(SoftmaxRows(shape: shape, temperature: 1, mask: nil, causal: false))
        }
        let layout = AxisLayout(shape: shape, axis: resolved)
        return Tensor.differentiable([self], compute: { x in
            Tensor(shape: x[0].shape, storage: SoftmaxAlongAxis(layout: layout).apply(x[0].storage))
        }) { step in
            // ∂/∂x of softmax: y · (g − Σ g·y)
            let (g, y) = (step.gradient, step.result)
            return [step.gradient(for: 0) { y * (g - (g * y).sum(axis: resolved, keepDims: true)) }]
        }
    }

    /// Attention's softmax over the last axis, with the scores first divided by `temperature`
    /// and the hidden positions left out (given weight 0):
    ///
    /// ```
    /// zᵢⱼ = xᵢⱼ / temperature, or −∞ where mask is true, or (causal) where j > i
    /// softmax(z) along the last axis
    /// ```
    /// For attention, `temperature` is √d_head: `q.matmul(k.transposed(-2, -1)).maskedSoftmax(
    /// temperature: Double(d).squareRoot(), mask: padding, causal: true)`. The result, and the
    /// gradient, are to the last bit those of
    /// `(x / temperature).maskedFill(mask, with: -.infinity).softmax(axis: -1)` (with the causal
    /// mask filled in the same way), made in one pass instead of four.
    ///
    /// A row whose every position is hidden has no softmax: it comes out NaN, as the composition
    /// does (and PyTorch); its gradient is 0 at the hidden positions.
    ///
    /// - Parameters:
    ///   - temperature: the positive number the scores are divided by (1 leaves them as they are).
    ///   - mask: `bool`, true at the positions to hide; its shape broadcasts to this tensor's (a
    ///     key padding mask `(b, 1, 1, s)` for scores `(b, h, t, s)`).
    ///   - causal: hide, in each row `i` of the last two axes, the columns `j > i` (the future).
    /// - Shapes: `(…, t, s)` → `(…, t, s)`; at least 2-d when `causal`.
    public func maskedSoftmax(temperature: Double = 1, mask: Tensor? = nil, causal: Bool = false,
                              file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard temperature > 0, temperature.isFinite else {
            tensorFailure("maskedSoftmax: the temperature must be a finite number > 0, not \(temperature)", file: file, line: line)
        }
        guard rank >= (causal ? 2 : 1) else {
            tensorFailure("maskedSoftmax: needs scores of at least \(causal ? "2 axes with causal" : "1 axis"), got shape \(describe(shape: shape))",
                          file: file, line: line)
        }
        if let mask {
            mask.requireBool(operation: "maskedSoftmax", file: file, line: line)
            guard Broadcasting.shape(mask.shape, shape) == shape else {
                tensorFailure("maskedSoftmax: a mask of shape \(describe(shape: mask.shape)) cannot be broadcast to the scores' shape \(describe(shape: shape))",
                              file: file, line: line)
            }
        }
        return softmaxRows(SoftmaxRows(shape: shape, temperature: temperature, mask: mask, causal: causal))
    }

    /// The softmax of every row, forward and backward, by `rows`.
    private func softmaxRows(_ rows: SoftmaxRows) -> Tensor {
        Tensor.differentiable([self], compute: { x in
            Tensor(shape: x[0].shape, storage: rows.forward(x[0].storage))
        }) { step in
            [step.gradient(for: 0) {
                Tensor(shape: step.result.shape, storage: rows.backward(gradient: step.gradient.storage, result: step.result.storage))
            }]
        }
    }

    /// The logarithm of the softmax along `axis`, computed directly as
    /// `x − max − log Σ exp(x − max)` so that no probability underflows to log(0).
    /// - Shapes: unchanged.
    public func logSoftmax(axis: Int = -1, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = normalizedAxis(axis, operation: "logSoftmax(axis:)", file: file, line: line)
        return Tensor.differentiable([self], compute: { x in
            let shifted = x[0] - x[0].max(axis: resolved, keepDims: true)
            return shifted - shifted.exp().sum(axis: resolved, keepDims: true).log()
        }) { step in
            // ∂/∂x of log softmax: g − softmax(x) · Σ g
            [step.gradient(for: 0) {
                step.gradient - step.result.exp() * step.gradient.sum(axis: resolved, keepDims: true)
            }]
        }
    }
}

/// Softmax over the last axis, row by row, with an optional temperature and masks.
private struct SoftmaxRows {
    let length: Int
    let rows: Int
    let temperature: Double
    /// The mask's elements, where each row's start in them, and its step along a row.
    let mask: (values: [Bool], rowStarts: [Int], step: Int)?
    /// With a causal mask, the number of rows of each matrix: row `r` is row `r % matrixRows` of
    /// its matrix, and hides the columns after that.
    let matrixRows: Int?

    init(shape: [Int], temperature: Double, mask: Tensor?, causal: Bool) {
        length = shape.last ?? 1
        rows = shape.dropLast().reduce(1, *)
        self.temperature = temperature
        matrixRows = causal ? shape[shape.count - 2] : nil
        guard let mask, case .bool(let values) = mask.buffer else {
            self.mask = nil
            return
        }
        // Where each row of the mask, seen with the scores' shape, starts: the outer axes
        // weighted by their strides (0 along the axes the mask is broadcast along).
        let strides = Broadcasting.strides(of: mask, broadcastTo: shape)
        var rowStarts = [Int](repeating: mask.offset, count: rows)
        var period = rows
        for axis in 0..<(shape.count - 1) {
            period /= Swift.max(shape[axis], 1)
            guard strides[axis] != 0 else { continue }
            for row in 0..<rows { rowStarts[row] += (row / period) % shape[axis] * strides[axis] }
        }
        self.mask = (values, rowStarts, strides.last ?? 0)
    }

    func forward(_ storage: Storage) -> Storage {
        switch storage {
        case .float32(let values): .float32(forward(values))
        case .float64(let values): .float64(forward(values))
        case .int64, .bool: .float64(forward(storage.doubles))
        }
    }

    func backward(gradient: Storage, result: Storage) -> Storage {
        switch (gradient, result) {
        case (.float32(let g), .float32(let y)): .float32(backward(g, y))
        case (.float64(let g), .float64(let y)): .float64(backward(g, y))
        default: preconditionFailure("a softmax's gradient has its result's float type")
        }
    }

    /// Rows are shared among the cores when there are enough of them.
    private var rowsPerWorker: Int { Swift.max(1, (1 << 15) / Swift.max(length, 1)) }

    /// Each row: scaled, masked, shifted by its maximum; then the whole part through the SIMD
    /// `exp` in one call; then each row divided by its sum. (Each element's `exp` does not
    /// depend on how the calls are split.)
    ///
    /// A hidden position's `exp(−∞)` is exactly 0, so it is given 0 directly: the SIMD `exp`
    /// takes a slow path for every vector holding a −∞, and padded batches are full of them.
    /// Only a row with nothing visible keeps its −∞ all the way (its maximum is −∞, and the
    /// NaN that `−∞ − (−∞)` makes is the composition's result).
    private func forward<Element: TensorScalar>(_ values: [Element]) -> [Element] {
        let (length, divisor) = (length, Element(temperature))
        return values.writingNewArray { input, output, _ in
            let (source, target) = (UncheckedSendable(input), UncheckedSendable(output))
            ParallelLoop.forEachPart(count: rows, minimumPerWorker: rowsPerWorker) { part in
                withUnsafeTemporaryAllocation(of: Bool.self, capacity: part.count) { zeroed in
                    for (number, row) in part.enumerated() {
                        let x = source.value + row * length, y = target.value + row * length
                        if temperature == 1 {
                            y.update(from: x, count: length)
                        } else {
                            for i in 0..<length { y[i] = x[i] / divisor }
                        }
                        hide(row: row, in: y, value: -.infinity)
                        var largest = -Element.infinity
                        for i in 0..<length where y[i] > largest { largest = y[i] }
                        for i in 0..<length { y[i] = y[i] - largest }
                        zeroed[number] = largest != -.infinity
                        if zeroed[number] { hide(row: row, in: y, value: 0) }
                    }
                    let block = target.value + part.lowerBound * length
                    VectorMath.apply(.exp, block, block, count: part.count * length)
                    for (number, row) in part.enumerated() {
                        let y = target.value + row * length
                        if zeroed[number] { hide(row: row, in: y, value: 0) }
                        var total: Element = 0
                        for i in 0..<length { total += y[i] }
                        for i in 0..<length { y[i] /= total }
                    }
                }
            }
        }
    }

    /// ∂/∂x of softmax, `y · (g − Σ g·y)`, then 0 at the hidden positions (the gradient of
    /// filling them), then divided by the temperature.
    private func backward<Element: TensorScalar>(_ gradient: [Element], _ result: [Element]) -> [Element] {
        let (length, divisor) = (length, Element(temperature))
        return result.withUnsafeBufferPointer { result in
            gradient.writingNewArray { g, dx, _ in
                let (g, y, dx) = (UncheckedSendable(g), UncheckedSendable(result.baseAddress!), UncheckedSendable(dx))
                ParallelLoop.forEachPart(count: rows, minimumPerWorker: rowsPerWorker) { part in
                    for row in part {
                        let (g, y, dx) = (g.value + row * length, y.value + row * length, dx.value + row * length)
                        var weighted: Element = 0
                        for i in 0..<length { weighted += g[i] * y[i] }
                        for i in 0..<length { dx[i] = y[i] * (g[i] - weighted) }
                        hide(row: row, in: dx, value: 0)
                        if temperature != 1 {
                            for i in 0..<length { dx[i] = dx[i] / divisor }
                        }
                    }
                }
            }
        }
    }

    /// Sets the hidden positions of `row` to `value`.
    @inline(__always)
    private func hide<Element: TensorScalar>(row: Int, in y: UnsafeMutablePointer<Element>, value: Element) {
        if let mask {
            mask.values.withUnsafeBufferPointer { values in
                let (start, step) = (values.baseAddress! + mask.rowStarts[row], mask.step)
                for i in 0..<length where start[i &* step] { y[i] = value }
            }
        }
        if let matrixRows {
            let diagonal = row % matrixRows
            if diagonal + 1 < length {
                for i in (diagonal + 1)..<length { y[i] = value }
            }
        }
    }
}

/// Softmax along an axis other than the last: each `(outer, inner)` line is walked with stride
/// `inner`.
private struct SoftmaxAlongAxis {
    let layout: AxisLayout

    func apply(_ storage: Storage) -> Storage {
        switch storage {
        case .float32(let values): .float32(apply(values))
        case .float64(let values): .float64(apply(values))
        case .int64, .bool: .float64(apply(storage.doubles))
        }
    }

    private func apply<Element: TensorScalar>(_ values: [Element]) -> [Element] {
        values.writingNewArray { x, y, _ in
            for o in 0..<layout.outer {
                for i in 0..<layout.inner {
                    let base = o * layout.length * layout.inner + i
                    var largest = -Element.infinity
                    for position in 0..<layout.length where x[base + position * layout.inner] > largest {
                        largest = x[base + position * layout.inner]
                    }
                    var total: Element = 0
                    for position in 0..<layout.length {
                        let index = base + position * layout.inner
                        y[index] = Element.exponential(x[index] - largest)
                        total += y[index]
                    }
                    for position in 0..<layout.length {
                        y[base + position * layout.inner] /= total
                    }
                }
            }
        }
    }
}
