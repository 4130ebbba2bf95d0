/// How a tensor's elements are laid out in its buffer, and turning a view into contiguous elements.
extension Tensor {
    /// The strides of a contiguous row-major tensor: the last axis steps by 1.
    static func rowMajorStrides(_ shape: [Int]) -> [Int] {
        var strides = Array(repeating: 0, count: shape.count)
        var step = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = step
            step *= Swift.max(shape[axis], 1)
        }
        return strides
    }

    /// Whether the elements are the buffer's, in row-major order, from `offset` on
    /// (axes of length 1 may have any stride).
    var isRowMajor: Bool {
        var step = 1
        for axis in stride(from: rank - 1, through: 0, by: -1) where shape[axis] != 1 {
            if strides[axis] != step { return false }
            step *= shape[axis]
        }
        return true
    }

    /// The elements in row-major order, in a buffer of exactly `count` elements (shared with this
    /// tensor's buffer when it is already laid out that way).
    var storage: Storage {
        if isRowMajor {
            if offset == 0 && buffer.count == count { return buffer }
            return buffer.slice(offset..<(offset + count))
        }
        return buffer.strided(shape: shape, strides: strides, offset: offset)
    }

    /// The same elements laid out contiguously in row-major order (no copy when they already are).
    public func contiguous() -> Tensor {
        if isRowMajor && offset == 0 && buffer.count == count { return self }
        return differentiableUnary({ x in Tensor(shape: x.shape, storage: x.storage) }) { gradient, _ in gradient }
    }

    /// Whether the last two axes can be handed to BLAS as a matrix without copying: either rows
    /// are contiguous (`trans = false`) or columns are (`trans = true`). Returns the leading
    /// dimension BLAS needs.
    func blasMatrixLayout() -> (transposed: Bool, leadingDimension: Int)? {
        let rows = shape[rank - 2], columns = shape[rank - 1]
        let rowStride = strides[rank - 2], columnStride = strides[rank - 1]
        if columnStride == 1 || columns == 1, rowStride >= Swift.max(columns, 1) {
            return (false, Swift.max(rowStride, columns, 1))
        }
        if rowStride == 1 || rows == 1, columnStride >= Swift.max(rows, 1) {
            return (true, Swift.max(columnStride, rows, 1))
        }
        return nil
    }
}
