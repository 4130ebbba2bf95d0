/// Reductions along one axis (softmax, built on the same layout, is in Tensor+Softmax.swift).
///
/// A tensor of shape `(a₀, …, a_axis, …, aₙ)` is seen as `outer × length × inner` blocks, where
/// `outer` is the product of the axes before `axis` and `inner` of those after. Reducing walks
/// each `(outer, inner)` pair along the axis.
struct AxisLayout {
    let outer: Int
    let length: Int
    let inner: Int

    init(shape: [Int], axis: Int) {
        outer = shape[..<axis].reduce(1, *)
        length = shape[axis]
        inner = shape[(axis + 1)...].reduce(1, *)
    }
}

private enum Reduction {
    case sum, max, min

    /// The reduction of every line along the axis. The lines are walked side by side, one
    /// position at a time (for `inner > 1`), so that memory is read in order; each result still
    /// takes its elements in order along the axis, so sums round as a plain loop's would.
    func reduce<Element: TensorScalar>(_ values: [Element], layout: AxisLayout) -> [Element] {
        let (length, inner) = (layout.length, layout.inner)
        let start: Element = switch self {
        case .sum: 0
        case .max: -.infinity
        case .min: .infinity
        }
        var result = [Element](repeating: start, count: layout.outer * inner)
        values.withUnsafeBufferPointer { values in
            result.withUnsafeMutableBufferPointer { result in
                guard let input = values.baseAddress, let output = result.baseAddress else { return }
                if inner == 1 {
                    reduceRows(input, output, rows: layout.outer, length: length)
                    return
                }
                for o in 0..<layout.outer {
                    let block = input + o * length * inner, accumulators = output + o * inner
                    for position in 0..<length {
                        let line = block + position * inner
                        // A NaN wins a max or min, as in NumPy (Swift.max would skip it); once an
                        // accumulator is NaN, no comparison replaces it.
                        switch self {
                        case .sum:
                            for i in 0..<inner { accumulators[i] += line[i] }
                        case .max:
                            for i in 0..<inner where line[i].isNaN || line[i] > accumulators[i] { accumulators[i] = line[i] }
                        case .min:
                            for i in 0..<inner where line[i].isNaN || line[i] < accumulators[i] { accumulators[i] = line[i] }
                        }
                    }
                }
            }
        }
        return result
    }

    /// The reduction of each contiguous row into `output`, which holds the starting values.
    @inline(__always)
    private func reduceRows<Element: TensorScalar>(_ input: UnsafePointer<Element>, _ output: UnsafeMutablePointer<Element>,
                                                   rows: Int, length: Int) {
        for row in 0..<rows {
            let line = input + row * length
            var accumulator = output[row]
            switch self {
            case .sum:
                for i in 0..<length { accumulator += line[i] }
            case .max:
                for i in 0..<length where line[i].isNaN || line[i] > accumulator { accumulator = line[i] }
            case .min:
                for i in 0..<length where line[i].isNaN || line[i] < accumulator { accumulator = line[i] }
            }
            output[row] = accumulator
        }
    }
}

/// The position of the largest (or smallest) element along an axis; the first one on ties, and
/// the first NaN if there is one, as in NumPy.
private struct ArgumentExtremum {
    let largest: Bool
    let layout: AxisLayout

    func positions<Element: TensorScalar>(_ values: [Element]) -> [Int] {
        var result = [Int](repeating: 0, count: layout.outer * layout.inner)
        for o in 0..<layout.outer {
            for i in 0..<layout.inner {
                let base = o * layout.length * layout.inner + i
                var best = 0
                var bestValue = values[base]
                for position in 0..<layout.length {
                    let value = values[base + position * layout.inner]
                    if value.isNaN {
                        best = position
                        break
                    }
                    if largest ? value > bestValue : value < bestValue {
                        best = position
                        bestValue = value
                    }
                }
                result[o * layout.inner + i] = best
            }
        }
        return result
    }
}

extension Reduction {
    /// The same reduction over integers (booleans count as 0 and 1), staying in int64 as NumPy does.
    func reduce(_ values: [Int], layout: AxisLayout) -> [Int] {
        var result = [Int](repeating: 0, count: layout.outer * layout.inner)
        for o in 0..<layout.outer {
            for i in 0..<layout.inner {
                let base = o * layout.length * layout.inner + i
                let slice = (0..<layout.length).lazy.map { values[base + $0 * layout.inner] }
                result[o * layout.inner + i] = switch self {
                case .sum: slice.reduce(0, &+)
                case .max: slice.max() ?? Int.min
                case .min: slice.min() ?? Int.max
                }
            }
        }
        return result
    }
}

extension Tensor {
    private func reduced(_ reduction: Reduction, axis: Int, keepDims: Bool, operation: String,
                         file: StaticString, line: UInt) -> Tensor {
        let resolved = normalizedAxis(axis, operation: operation, file: file, line: line)
        let layout = AxisLayout(shape: shape, axis: resolved)
        var newShape = shape
        if keepDims {
            newShape[resolved] = 1
        } else {
            newShape.remove(at: resolved)
        }
        switch storage {
        case .int64(let values):
            return Tensor(shape: newShape, storage: .int64(reduction.reduce(values, layout: layout)))
        case .bool(let values):
            // NumPy counts with a sum (int64) but keeps a mask's max and min (any, all) boolean.
            let reducedValues = Tensor(shape: newShape, storage: .int64(reduction.reduce(values.map { $0 ? 1 : 0 }, layout: layout)))
            return reduction == .sum ? reducedValues : reducedValues.cast(to: .bool)
        case .float32(let values):
            return Tensor(shape: newShape, storage: .float32(reduction.reduce(values, layout: layout)))
        case .float64(let values):
            return Tensor(shape: newShape, storage: .float64(reduction.reduce(values, layout: layout)))
        }
    }

    /// The sum along `axis` (negative counts from the end); with `keepDims` the axis stays with length 1.
    ///
    /// - Shapes: `(…, n, …) → (…, …)`, or `(…, 1, …)` with `keepDims`.
    public func sum(axis: Int, keepDims: Bool = false,
                    file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = normalizedAxis(axis, operation: "sum(axis:)", file: file, line: line)
        return Tensor.differentiable([self], compute: { x in
            x[0].reduced(.sum, axis: resolved, keepDims: keepDims, operation: "sum(axis:)", file: file, line: line)
        }) { step in
            // Every element contributed once: the gradient is copied back along the summed axis.
            [step.gradient(for: 0) {
                let kept = keepDims ? step.gradient : step.gradient.unsqueezed(axis: resolved)
                return kept.broadcast(to: step.inputs[0].shape)
            }]
        }
    }

    /// The sum of every element.
    public func sum() -> Double { scalars.reduce(0, +) }

    /// The maximum along `axis`; with `keepDims` the axis stays with length 1.
    public func max(axis: Int, keepDims: Bool = false,
                    file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        reduced(.max, axis: axis, keepDims: keepDims, operation: "max(axis:)", file: file, line: line)
    }

    /// The minimum along `axis`; with `keepDims` the axis stays with length 1.
    public func min(axis: Int, keepDims: Bool = false,
                    file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        reduced(.min, axis: axis, keepDims: keepDims, operation: "min(axis:)", file: file, line: line)
    }

    /// The largest element (NaN if there is one, as in NumPy).
    public func max() -> Double { count == 0 ? -.infinity : flattened().max(axis: 0).item() }

    /// The smallest element (NaN if there is one, as in NumPy).
    public func min() -> Double { count == 0 ? .infinity : flattened().min(axis: 0).item() }

    /// The position of the largest element along `axis` as an `int64` tensor (NumPy's
    /// `np.argmax(x, axis)`); the first one on ties.
    ///
    /// - Shapes: `(…, n, …) → (…, …)`, or `(…, 1, …)` with `keepDims`.
    public func argmax(axis: Int, keepDims: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        argumentExtremum(largest: true, axis: axis, keepDims: keepDims, operation: "argmax(axis:)", file: file, line: line)
    }

    /// The position of the smallest element along `axis` as an `int64` tensor; the first one on ties.
    public func argmin(axis: Int, keepDims: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        argumentExtremum(largest: false, axis: axis, keepDims: keepDims, operation: "argmin(axis:)", file: file, line: line)
    }

    /// The row-major position of the largest element (NumPy's `np.argmax(x)`).
    public func argmax(file: StaticString = #filePath, line: UInt = #line) -> Int {
        flattened().argmax(axis: 0, file: file, line: line).indices[0]
    }

    /// The row-major position of the smallest element (NumPy's `np.argmin(x)`).
    public func argmin(file: StaticString = #filePath, line: UInt = #line) -> Int {
        flattened().argmin(axis: 0, file: file, line: line).indices[0]
    }

    private func argumentExtremum(largest: Bool, axis: Int, keepDims: Bool, operation: String,
                                  file: StaticString, line: UInt) -> Tensor {
        let resolved = normalizedAxis(axis, operation: operation, file: file, line: line)
        guard shape[resolved] > 0 else {
            tensorFailure("\(operation): axis \(axis) of a tensor of shape \(describe(shape: shape)) is empty",
                          file: file, line: line)
        }
        let finder = ArgumentExtremum(largest: largest, layout: AxisLayout(shape: shape, axis: resolved))
        let positions: [Int] = switch storage {
        case .float32(let values): finder.positions(values)
        default: finder.positions(storage.doubles)
        }
        var newShape = shape
        if keepDims { newShape[resolved] = 1 } else { newShape.remove(at: resolved) }
        return Tensor(shape: newShape, storage: .int64(positions))
    }

    /// The mean along `axis`; with `keepDims` the axis stays with length 1.
    public func mean(axis: Int, keepDims: Bool = false,
                     file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = normalizedAxis(axis, operation: "mean(axis:)", file: file, line: line)
        return sum(axis: resolved, keepDims: keepDims) / Double(shape[resolved])
    }

    /// The mean of every element.
    public func mean() -> Double { sum() / Double(count) }

    /// The variance along `axis`, `mean((x − mean(x))²)`, dividing by n like NumPy's default
    /// (`ddof=0`); with `keepDims` the axis stays with length 1.
    public func variance(axis: Int, keepDims: Bool = false,
                         file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = normalizedAxis(axis, operation: "variance(axis:)", file: file, line: line)
        let centred = self - mean(axis: resolved, keepDims: true)
        return (centred * centred).mean(axis: resolved, keepDims: keepDims)
    }

    /// The standard deviation along `axis` (the square root of ``variance(axis:keepDims:file:line:)``).
    public func std(axis: Int, keepDims: Bool = false,
                    file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        variance(axis: axis, keepDims: keepDims, file: file, line: line).sqrt()
    }
}
