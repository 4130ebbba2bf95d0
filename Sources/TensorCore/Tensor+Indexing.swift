/// One entry of a tensor subscript: a single position (`Int`, which drops the axis) or a range
/// of positions (`1..<3`, `2...`, `..<4`, `stride(from: 0, to: 8, by: 2)`, which keep it).
///
/// Negative positions count from the end, as in NumPy: `x[-1]` is the last row and `x[(-2)...]`
/// the last two. Unlike NumPy, a position or range bound past the end is an error, not clipped.
public protocol TensorSubscript {
    /// What this entry selects along an axis of `length` elements, or nil if it reaches outside.
    func selection(along length: Int) -> AxisSelection?
}

/// What a ``TensorSubscript`` selects along one axis.
public enum AxisSelection: Equatable, Sendable {
    /// One position; the axis disappears from the result.
    case position(Int)
    /// `count` positions starting at `start`, `step` apart; the axis stays.
    case positions(start: Int, count: Int, step: Int)
}

/// Resolves a possibly negative position (`-1` is the last) within `0..<length`, allowing
/// `length` itself when `allowEnd` is set (for exclusive upper bounds).
private func resolvedPosition(_ position: Int, length: Int, allowEnd: Bool = false) -> Int? {
    let resolved = position < 0 ? position + length : position
    let upper = allowEnd ? length : length - 1
    return (0...Swift.max(upper, 0)).contains(resolved) && (allowEnd || length > 0) ? resolved : nil
}

private func rangeSelection(lower: Int, upperExclusive: Int?, upperInclusive: Int? = nil,
                            length: Int) -> AxisSelection? {
    guard let start = resolvedPosition(lower, length: length, allowEnd: true) else { return nil }
    let end: Int
    if let upperExclusive {
        guard let resolved = resolvedPosition(upperExclusive, length: length, allowEnd: true) else { return nil }
        end = resolved
    } else if let upperInclusive {
        guard let resolved = resolvedPosition(upperInclusive, length: length) else { return nil }
        end = resolved + 1
    } else {
        end = length
    }
    return .positions(start: start, count: Swift.max(0, end - start), step: 1)
}

extension Int: TensorSubscript {
    public func selection(along length: Int) -> AxisSelection? {
        resolvedPosition(self, length: length).map(AxisSelection.position)
    }
}

extension Range: TensorSubscript where Bound == Int {
    public func selection(along length: Int) -> AxisSelection? {
        rangeSelection(lower: lowerBound, upperExclusive: upperBound, length: length)
    }
}

extension ClosedRange: TensorSubscript where Bound == Int {
    public func selection(along length: Int) -> AxisSelection? {
        rangeSelection(lower: lowerBound, upperExclusive: nil, upperInclusive: upperBound, length: length)
    }
}

extension PartialRangeFrom: TensorSubscript where Bound == Int {
    public func selection(along length: Int) -> AxisSelection? {
        rangeSelection(lower: lowerBound, upperExclusive: nil, length: length)
    }
}

extension PartialRangeUpTo: TensorSubscript where Bound == Int {
    public func selection(along length: Int) -> AxisSelection? {
        rangeSelection(lower: 0, upperExclusive: upperBound, length: length)
    }
}

extension PartialRangeThrough: TensorSubscript where Bound == Int {
    public func selection(along length: Int) -> AxisSelection? {
        rangeSelection(lower: 0, upperExclusive: nil, upperInclusive: upperBound, length: length)
    }
}

/// The selection of explicit, evenly spaced positions (a stride), or nil if one is outside.
private func strideSelection(_ positions: [Int], length: Int) -> AxisSelection? {
    guard positions.allSatisfy({ (0..<length).contains($0) }) else { return nil }
    guard positions.count > 1 else {
        return .positions(start: positions.first ?? 0, count: positions.count, step: 1)
    }
    return .positions(start: positions[0], count: positions.count, step: positions[1] - positions[0])
}

/// `stride(from: 0, to: n, by: 2)` selects every other position (NumPy's `x[0:n:2]`).
extension StrideTo: TensorSubscript where Element == Int {
    public func selection(along length: Int) -> AxisSelection? {
        strideSelection(Array(self), length: length)
    }
}

/// `stride(from: 0, through: n - 1, by: 2)` selects every other position.
extension StrideThrough: TensorSubscript where Element == Int {
    public func selection(along length: Int) -> AxisSelection? {
        strideSelection(Array(self), length: length)
    }
}

extension Tensor {
    /// Elements selected axis by axis, as a view that copies nothing: `x[0]` is the first row,
    /// `x[1, 2]` one element (a 0-d tensor), `x[0..<2]` the first two rows, `x[..., 1..<3]`
    /// columns 1 and 2 of every row. Axes left out at the end are kept whole, so `x[0]` of a
    /// `(3, 4)` matrix has shape `(4,)`.
    ///
    /// `...` (Swift's unbounded range) keeps one whole axis, like NumPy's `:`.
    public subscript(_ entries: any TensorSubscript..., file file: StaticString = #filePath,
                     line line: UInt = #line) -> Tensor {
        selecting(entries.map(Optional.some), file: file, line: line)
    }

    /// `x[..., 1..<3]`: the first axis whole, then the entries that follow.
    public subscript(_ whole: UnboundedRange, _ entries: any TensorSubscript...,
                     file file: StaticString = #filePath, line line: UInt = #line) -> Tensor {
        selecting([nil] + entries.map(Optional.some), file: file, line: line)
    }

    /// `x[..., ..., 0]`: the first two axes whole, then the entries that follow.
    public subscript(_ whole: UnboundedRange, _ whole2: UnboundedRange, _ entries: any TensorSubscript...,
                     file file: StaticString = #filePath, line line: UInt = #line) -> Tensor {
        selecting([nil, nil] + entries.map(Optional.some), file: file, line: line)
    }

    /// The view for a list of subscript entries, where nil keeps an axis whole.
    private func selecting(_ entries: [(any TensorSubscript)?], file: StaticString, line: UInt) -> Tensor {
        differentiableUnary({ x in x.view(selecting: entries, file: file, line: line) }) { gradient, input in
            gradient.scattered(into: input.shape) { positions in positions.view(selecting: entries, file: file, line: line) }
        }
    }

    /// The view itself; see ``selecting(_:file:line:)``.
    private func view(selecting entries: [(any TensorSubscript)?], file: StaticString, line: UInt) -> Tensor {
        guard entries.count <= rank else {
            tensorFailure(
                "subscript: \(entries.count) indices given for a tensor of shape \(describe(shape: shape)), which has \(rank) axes",
                file: file, line: line)
        }
        var newShape: [Int] = [], newStrides: [Int] = []
        var newOffset = offset
        for axis in 0..<rank {
            guard axis < entries.count, let entry = entries[axis] else {
                newShape.append(shape[axis])
                newStrides.append(strides[axis])
                continue
            }
            switch entry.selection(along: shape[axis]) {
            case .position(let position):
                newOffset += position * strides[axis]
            case .positions(let start, let count, let step):
                if count > 0 { newOffset += start * strides[axis] }
                newShape.append(count)
                newStrides.append(strides[axis] * step)
            case nil:
                tensorFailure(
                    "subscript: \(entry) is out of range for axis \(axis) of a tensor of shape \(describe(shape: shape)) (length \(shape[axis]))",
                    file: file, line: line)
            }
        }
        return Tensor(shape: newShape, strides: newStrides, offset: newOffset, buffer: buffer)
    }
}

extension Tensor {
    /// Picks slices along `axis` by integer position, like an embedding lookup
    /// (`E[ids]` in NumPy and PyTorch, `np.take(x, indices, axis)`). Indices may have any shape;
    /// negative ones count from the end.
    ///
    /// - Shapes: `x (…, n, …)`, `indices (i₀, i₁, …)` → `(…, i₀, i₁, …, …)`. For an embedding
    ///   table `(vocabulary, d)` and token ids `(t,)`: `(t, d)`.
    public func gather(_ indices: Tensor, axis: Int = 0, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let resolved = normalizedAxis(axis, operation: "gather", file: file, line: line)
        guard indices.dtype == .int64 else {
            tensorFailure(
                "gather: indices must be int64 but are \(indices.dtype); make them with Tensor(indices:) or .cast(to: .int64)",
                file: file, line: line)
        }
        let length = shape[resolved]
        let wanted = indices.indices
        var positionsAlongAxis: [Int] = []
        positionsAlongAxis.reserveCapacity(wanted.count)
        for index in wanted {
            guard let position = resolvedPosition(index, length: length) else {
                tensorFailure(
                    "gather: index \(index) is out of range for axis \(axis) of a tensor of shape \(describe(shape: shape)) (length \(length))",
                    file: file, line: line)
            }
            positionsAlongAxis.append(position)
        }
        let outer = shape[..<resolved].reduce(1, *)
        let inner = shape[(resolved + 1)...].reduce(1, *)
        var positions: [Int] = []
        positions.reserveCapacity(outer * wanted.count * inner)
        for block in 0..<outer {
            for position in positionsAlongAxis {
                let start = (block * length + position) * inner
                positions.append(contentsOf: start..<(start + inner))
            }
        }
        let newShape = Array(shape[..<resolved]) + indices.shape + Array(shape[(resolved + 1)...])
        return differentiableUnary({ x in Tensor(shape: newShape, storage: x.storage.gathering(positions)) }) { gradient, input in
            // Rows picked more than once (a token that appears twice) add up their gradients.
            Tensor(shape: input.shape, storage: gradient.storage.scatterAdding(at: positions, count: input.count))
        }
    }

    /// Picks slices along `axis` by position; see ``gather(_:axis:file:line:)-(Tensor,_,_,_)``.
    public func gather(_ indices: [Int], axis: Int = 0, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        gather(Tensor(indices: indices), axis: axis, file: file, line: line)
    }

    /// Joins tensors end to end along an existing axis (NumPy's `np.concatenate`, PyTorch's
    /// `torch.cat`). All must have one dtype and the same shape except along `axis`.
    ///
    /// - Shapes: `(…, a, …)`, `(…, b, …)` → `(…, a + b, …)`.
    public static func concat(_ tensors: [Tensor], axis: Int = 0,
                              file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard let first = tensors.first else {
            tensorFailure("concat: needs at least one tensor", file: file, line: line)
        }
        let resolved = first.normalizedAxis(axis, operation: "concat", file: file, line: line)
        for (number, tensor) in tensors.enumerated() {
            guard tensor.dtype == first.dtype else {
                tensorFailure(
                    "concat: tensor \(number) is \(tensor.dtype) but tensor 0 is \(first.dtype); convert with .cast(to:) first",
                    file: file, line: line)
            }
            var expected = first.shape, actual = tensor.shape
            if actual.count == expected.count {
                expected[resolved] = 0
                actual[resolved] = 0
            }
            guard actual == expected else {
                tensorFailure(
                    "concat: tensor \(number) has shape \(describe(shape: tensor.shape)) but tensor 0 has \(describe(shape: first.shape)); they may differ only along axis \(axis)",
                    file: file, line: line)
            }
        }
        let lengths = tensors.map { $0.shape[resolved] }
        let outer = first.shape[..<resolved].reduce(1, *)
        let inner = first.shape[(resolved + 1)...].reduce(1, *)
        // Each block of the result is one run from every part in turn.
        var newShape = first.shape
        newShape[resolved] = lengths.reduce(0, +)
        return differentiable(tensors, compute: { parts in
            let storage = Storage.interleaving(parts.map { $0.storage }, runLengths: lengths.map { $0 * inner },
                                               blocks: outer)
            return Tensor(shape: newShape, storage: storage)
        }) { step in
            // Each part's gradient is its stretch of the result's gradient along the axis.
            var start = 0
            return lengths.indices.map { part in
                defer { start += lengths[part] }
                let (from, length) = (start, lengths[part])
                return step.gradient(for: part) { step.gradient.narrowed(axis: resolved, start: from, length: length) }
            }
        }
    }

    /// The elements `start..<start + length` along `axis`, as a view.
    func narrowed(axis: Int, start: Int, length: Int) -> Tensor {
        var newShape = shape
        newShape[axis] = length
        return Tensor(shape: newShape, strides: strides, offset: offset + start * strides[axis], buffer: buffer)
    }

    /// Joins tensors of one shape along a new axis (NumPy's `np.stack`, PyTorch's `torch.stack`).
    ///
    /// - Shapes: `n` tensors of `(a, b)` with `axis: 0` → `(n, a, b)`; with `axis: -1` → `(a, b, n)`.
    public static func stack(_ tensors: [Tensor], axis: Int = 0,
                             file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard let first = tensors.first else {
            tensorFailure("stack: needs at least one tensor", file: file, line: line)
        }
        if let number = tensors.firstIndex(where: { $0.shape != first.shape }) {
            tensorFailure(
                "stack: tensor \(number) has shape \(describe(shape: tensors[number].shape)) but tensor 0 has \(describe(shape: first.shape)); stacked tensors need one shape",
                file: file, line: line)
        }
        let resolved = first.normalizedAxis(axis, operation: "stack", file: file, line: line, extraAxes: 1)
        return concat(tensors.map { $0.unsqueezed(axis: resolved) }, axis: resolved, file: file, line: line)
    }

    /// Cuts the tensor into `parts` equal pieces along `axis` (NumPy's `np.split(x, parts, axis)`),
    /// as views. Splitting the last axis of `(t, d)` queries into 8 gives each head's `(t, d/8)`.
    ///
    /// - Precondition: the axis length is divisible by `parts`.
    public func split(_ parts: Int, axis: Int = 0, file: StaticString = #filePath, line: UInt = #line) -> [Tensor] {
        let resolved = normalizedAxis(axis, operation: "split", file: file, line: line)
        guard parts > 0, shape[resolved] % parts == 0 else {
            tensorFailure(
                "split: axis \(axis) of a tensor of shape \(describe(shape: shape)) has length \(shape[resolved]), which does not divide into \(parts) equal parts",
                file: file, line: line)
        }
        let size = shape[resolved] / parts
        return (0..<parts).map { part in
            differentiableUnary({ x in x.narrowed(axis: resolved, start: part * size, length: size) }) { gradient, input in
                gradient.scattered(into: input.shape) { $0.narrowed(axis: resolved, start: part * size, length: size) }
            }
        }
    }
}

/// Joins tensors along an existing axis; see ``Tensor/concat(_:axis:file:line:)``.
public func concat(_ tensors: [Tensor], axis: Int = 0, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    Tensor.concat(tensors, axis: axis, file: file, line: line)
}

/// Joins tensors along a new axis; see ``Tensor/stack(_:axis:file:line:)``.
public func stack(_ tensors: [Tensor], axis: Int = 0, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    Tensor.stack(tensors, axis: axis, file: file, line: line)
}
