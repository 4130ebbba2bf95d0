/// Shape work: views that reorder, drop or add axes without copying, and reshaping.
extension Tensor {
    /// The axes in a new order: axis `i` of the result is axis `axes[i]` of this tensor
    /// (NumPy's `np.transpose(x, axes)`, PyTorch's `x.permute(*axes)`). No elements are copied.
    ///
    /// - Shapes: `(d₀, d₁, …) → (d_axes[0], d_axes[1], …)`.
    public func permuted(_ axes: [Int], file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = axes.map { normalizedAxis($0, operation: "permuted", file: file, line: line) }
        guard resolved.count == rank, Set(resolved).count == rank else {
            tensorFailure(
                "permuted: \(axes) is not an ordering of the \(rank) axes of a tensor of shape \(describe(shape: shape)); name each axis once",
                file: file, line: line)
        }
        var inverse = Array(repeating: 0, count: rank)
        for (position, axis) in resolved.enumerated() { inverse[axis] = position }
        return differentiableUnary({ x in
            Tensor(shape: resolved.map { x.shape[$0] }, strides: resolved.map { x.strides[$0] },
                   offset: x.offset, buffer: x.buffer)
        }) { gradient, _ in gradient.permuted(inverse) }
    }

    /// The axes in a new order; see ``permuted(_:file:line:)``.
    public func permuted(_ axes: Int..., file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        permuted(axes, file: file, line: line)
    }

    /// The tensor with two axes swapped (PyTorch's `x.transpose(a, b)`); for attention,
    /// `k.transposed(-2, -1)` turns each head's keys into columns. No elements are copied.
    public func transposed(_ first: Int, _ second: Int, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let a = normalizedAxis(first, operation: "transposed", file: file, line: line)
        let b = normalizedAxis(second, operation: "transposed", file: file, line: line)
        var axes = Array(0..<rank)
        axes.swapAt(a, b)
        return permuted(axes, file: file, line: line)
    }

    /// All axes reversed (NumPy's `x.transpose()`): a matrix's transpose, `T[i, j] = self[j, i]`.
    /// A vector is returned unchanged, as in NumPy. No elements are copied.
    public func transposed() -> Tensor {
        differentiableUnary({ x in
            Tensor(shape: x.shape.reversed(), strides: x.strides.reversed(), offset: x.offset, buffer: x.buffer)
        }) { gradient, _ in gradient.transposed() }
    }

    /// The transpose of a matrix (NumPy's `A.T`); all axes reversed for other ranks.
    public var T: Tensor { transposed() }

    /// The same elements with a new shape of the same size; one length may be `-1` to be inferred.
    /// A view when the elements are already in row-major order, a copy otherwise.
    ///
    /// - Shapes: `(…) → newShape`, with the same number of elements.
    public func reshaped(_ newShape: [Int], file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        var resolved = newShape
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        if unknown.count == 1, known > 0, count % known == 0 {
            resolved[unknown[0]] = count / known
        }
        guard unknown.count <= 1, resolved.allSatisfy({ $0 >= 0 }), resolved.reduce(1, *) == count else {
            tensorFailure(
                "reshaped: cannot reshape a tensor of shape \(describe(shape: shape)) (\(count) elements) into \(describe(shape: newShape))",
                file: file, line: line)
        }
        return differentiableUnary({ x in
            if x.isRowMajor {
                return Tensor(shape: resolved, strides: Tensor.rowMajorStrides(resolved), offset: x.offset, buffer: x.buffer)
            }
            return Tensor(shape: resolved, storage: x.storage)
        }) { gradient, input in gradient.reshaped(input.shape) }
    }

    /// The same elements with a new shape; see ``reshaped(_:file:line:)``.
    public func reshaped(_ newShape: Int..., file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        reshaped(newShape, file: file, line: line)
    }

    /// All elements in one axis, in row-major order (NumPy's `x.ravel()`).
    public func flattened() -> Tensor { reshaped([count]) }

    /// Removes an axis of length 1 (NumPy's `np.squeeze(x, axis)`). No elements are copied.
    ///
    /// - Shapes: `(…, 1, …) → (…, …)`.
    public func squeezed(axis: Int, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = normalizedAxis(axis, operation: "squeezed(axis:)", file: file, line: line)
        guard shape[resolved] == 1 else {
            tensorFailure(
                "squeezed(axis:): axis \(axis) of a tensor of shape \(describe(shape: shape)) has length \(shape[resolved]), not 1",
                file: file, line: line)
        }
        return differentiableUnary({ x in
            var newShape = x.shape, newStrides = x.strides
            newShape.remove(at: resolved)
            newStrides.remove(at: resolved)
            return Tensor(shape: newShape, strides: newStrides, offset: x.offset, buffer: x.buffer)
        }) { gradient, input in gradient.reshaped(input.shape) }
    }

    /// Removes every axis of length 1 (NumPy's `np.squeeze(x)`). No elements are copied.
    public func squeezed() -> Tensor {
        let kept = shape.indices.filter { shape[$0] != 1 }
        return differentiableUnary({ x in
            Tensor(shape: kept.map { x.shape[$0] }, strides: kept.map { x.strides[$0] }, offset: x.offset, buffer: x.buffer)
        }) { gradient, input in gradient.reshaped(input.shape) }
    }

    /// Inserts an axis of length 1 at `axis` (PyTorch's `x.unsqueeze(axis)`, NumPy's
    /// `np.expand_dims`); `-1` appends one at the end. No elements are copied.
    ///
    /// - Shapes: `(…) → (…, 1, …)`.
    public func unsqueezed(axis: Int, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = normalizedAxis(axis, operation: "unsqueezed(axis:)", file: file, line: line, extraAxes: 1)
        return differentiableUnary({ x in
            var newShape = x.shape, newStrides = x.strides
            let stride = resolved < x.rank ? x.strides[resolved] * x.shape[resolved] : 1
            newShape.insert(1, at: resolved)
            newStrides.insert(stride, at: resolved)
            return Tensor(shape: newShape, strides: newStrides, offset: x.offset, buffer: x.buffer)
        }) { gradient, input in gradient.reshaped(input.shape) }
    }
}
