/// The elements of a tensor, in one of the four element types.
///
/// The arrays are Swift arrays, so copying a `Storage` shares the elements until one copy writes
/// (copy-on-write). Several tensors may view the same storage with different shapes and strides.
enum Storage: Sendable {
    case float32([Float])
    case float64([Double])
    case int64([Int])
    case bool([Bool])

    var dtype: DType {
        switch self {
        case .float32: .float32
        case .float64: .float64
        case .int64: .int64
        case .bool: .bool
        }
    }

    var count: Int {
        switch self {
        case .float32(let values): values.count
        case .float64(let values): values.count
        case .int64(let values): values.count
        case .bool(let values): values.count
        }
    }

    /// Storage of `dtype` holding `values` converted (see ``TensorElement/init(converting:)``).
    init(doubles values: [Double], dtype: DType) {
        switch dtype {
        case .float64: self = .float64(values)
        case .float32: self = .float32(values.map { Float($0) })
        case .int64: self = .int64(values.map { Int(converting: $0) })
        case .bool: self = .bool(values.map { $0 != 0 })
        }
    }

    /// Every element as a `Double`.
    var doubles: [Double] {
        switch self {
        case .float64(let values): values
        case .float32(let values): values.map(Double.init)
        case .int64(let values): values.map(Double.init)
        case .bool(let values): values.map { $0 ? 1 : 0 }
        }
    }

    /// The elements converted to `dtype` (no copy when it already is).
    func converted(to dtype: DType) -> Storage {
        if dtype == self.dtype { return self }
        if case .float32(let values) = self, dtype == .float64 { return .float64(values.map(Double.init)) }
        return Storage(doubles: doubles, dtype: dtype)
    }

    /// Applies a generic visitor to the elements, whatever their type. Private: the visitors'
    /// loops are specialised for each element type only when called from this file (see
    /// Broadcasting.swift).
    private func visit<Visitor: StorageVisitor>(_ visitor: Visitor) -> Visitor.Result {
        switch self {
        case .float32(let values): visitor.visit(values)
        case .float64(let values): visitor.visit(values)
        case .int64(let values): visitor.visit(values)
        case .bool(let values): visitor.visit(values)
        }
    }

    /// The elements at `indices`, in that order.
    func gathering(_ indices: [Int]) -> Storage {
        visit(Gather(indices: indices))
    }

    /// `count` zeros, with element `i` of this storage added at position `positions[i]`
    /// (repeated positions add up): the inverse of ``gathering(_:)``, for gradients.
    func scatterAdding(at positions: [Int], count: Int) -> Storage {
        switch self {
        case .float32(let values): .float32(Self.scatterAdd(values, positions, count))
        case .float64(let values): .float64(Self.scatterAdd(values, positions, count))
        case .int64, .bool: .float64(Self.scatterAdd(doubles, positions, count))
        }
    }

    /// `count` zeros, with element `i` of this storage (a row-major tensor of `shape`) added at
    /// the position a view of `shape`, `strides` and `offset` gives it: the inverse of a view,
    /// for gradients (repeated positions add up, in row-major order).
    func scatterAdding(into count: Int, shape: [Int], strides: [Int], offset: Int) -> Storage {
        switch self {
        case .float32(let values): .float32(Self.scatterAdd(values, into: count, shape: shape, strides: strides, offset: offset))
        case .float64(let values): .float64(Self.scatterAdd(values, into: count, shape: shape, strides: strides, offset: offset))
        case .int64, .bool: .float64(Self.scatterAdd(doubles, into: count, shape: shape, strides: strides, offset: offset))
        }
    }

    private static func scatterAdd<Element: TensorScalar>(_ values: [Element], into count: Int, shape: [Int],
                                                          strides: [Int], offset: Int) -> [Element] {
        var result = [Element](repeating: 0, count: count)
        guard !values.isEmpty else { return result }
        result.withUnsafeMutableBufferPointer { result in
            values.withUnsafeBufferPointer { values in
                let (out, source) = (result.baseAddress!, values.baseAddress!)
                guard !shape.isEmpty else {
                    out[offset] += source[0]
                    return
                }
                // Run by run along the last axis, stepping the outer axes like an odometer.
                let lastAxis = shape.count - 1
                let (length, step) = (shape[lastAxis], strides[lastAxis])
                var index = Array(repeating: 0, count: shape.count)
                var position = offset
                var read = 0
                while read < values.count {
                    let run = out + position, input = source + read
                    for i in 0..<length { run[i &* step] += input[i] }
                    read += length
                    var axis = lastAxis - 1
                    while axis >= 0 {
                        index[axis] += 1
                        position += strides[axis]
                        if index[axis] < shape[axis] { break }
                        position -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return result
    }

    private static func scatterAdd<Element: TensorScalar>(_ values: [Element], _ positions: [Int], _ count: Int) -> [Element] {
        var result = [Element](repeating: 0, count: count)
        for (value, position) in zip(values, positions) {
            result[position] += value
        }
        return result
    }

    /// The elements in `range`.
    func slice(_ range: Range<Int>) -> Storage {
        visit(Slice(range: range))
    }

    /// The elements of several storages of one dtype, interleaved in runs: for each of `blocks`
    /// blocks, `runLengths[p]` elements from part `p` in turn. With one block, the parts are
    /// simply laid end to end.
    static func interleaving(_ parts: [Storage], runLengths: [Int], blocks: Int) -> Storage {
        (parts.first ?? .float64([])).visit(Interleave(parts: parts, runLengths: runLengths, blocks: blocks))
    }

    /// The elements of a strided view, in row-major order, copied run by run along the last axis.
    func strided(shape: [Int], strides: [Int], offset: Int) -> Storage {
        visit(StridedCopy(shape: shape, strides: strides, offset: offset))
    }
}

/// An operation over the elements of a storage that is generic over every element type.
private protocol StorageVisitor {
    associatedtype Result
    func visit<Element: StorageElement>(_ values: [Element]) -> Result
}

/// Element types that know how to wrap an array of themselves back into a ``Storage``.
protocol StorageElement: TensorElement {
    static func storage(_ values: [Self]) -> Storage
}

extension Float: StorageElement { static func storage(_ values: [Float]) -> Storage { .float32(values) } }
extension Double: StorageElement { static func storage(_ values: [Double]) -> Storage { .float64(values) } }
extension Int: StorageElement { static func storage(_ values: [Int]) -> Storage { .int64(values) } }
extension Bool: StorageElement { static func storage(_ values: [Bool]) -> Storage { .bool(values) } }

private struct Gather: StorageVisitor {
    let indices: [Int]

    func visit<Element: StorageElement>(_ values: [Element]) -> Storage {
        let result = values.withUnsafeBufferPointer { source in
            [Element](unsafeUninitializedCapacity: indices.count) { target, initialized in
                if let base = target.baseAddress { HugePages.advise(base, count: indices.count) }
                for (position, index) in indices.enumerated() {
                    (target.baseAddress! + position).initialize(to: source[index])
                }
                initialized = indices.count
            }
        }
        return Element.storage(result)
    }
}

private struct Interleave: StorageVisitor {
    let parts: [Storage]
    let runLengths: [Int]
    let blocks: Int

    func visit<Element: StorageElement>(_: [Element]) -> Storage {
        let arrays = parts.map { $0.elements(of: Element.self)! }
        let total = runLengths.reduce(0, +) * blocks
        let result = [Element](unsafeUninitializedCapacity: total) { target, initialized in
            initialized = total
            guard var out = target.baseAddress else { return }
            HugePages.advise(out, count: total)
            for block in 0..<blocks {
                for (array, run) in zip(arrays, runLengths) where run > 0 {
                    array.withUnsafeBufferPointer { source in
                        let start = source.baseAddress! + block * run
                        if run == 1 {
                            out.initialize(to: start.pointee)
                        } else {
                            out.initialize(from: start, count: run)
                        }
                    }
                    out += run
                }
            }
        }
        return Element.storage(result)
    }
}

private struct StridedCopy: StorageVisitor {
    let shape: [Int]
    let strides: [Int]
    let offset: Int

    func visit<Element: StorageElement>(_ values: [Element]) -> Storage {
        let total = shape.reduce(1, *)
        let result = values.withUnsafeBufferPointer { source in
            [Element](unsafeUninitializedCapacity: total) { target, initialized in
                initialized = total
                guard total > 0, let out = target.baseAddress, let base = source.baseAddress else { return }
                HugePages.advise(out, count: total)
                guard !shape.isEmpty else {
                    out.initialize(to: base[offset])
                    return
                }
                let lastAxis = shape.count - 1
                let (length, step) = (shape[lastAxis], strides[lastAxis])
                var index = Array(repeating: 0, count: shape.count)
                var position = offset
                var written = 0
                while written < total {
                    // One run along the last axis, then carry into the outer axes like an odometer.
                    let run = base + position
                    if step == 1 {
                        (out + written).initialize(from: run, count: length)
                    } else {
                        for i in 0..<length { (out + written + i).initialize(to: run[i * step]) }
                    }
                    written += length
                    var axis = lastAxis - 1
                    while axis >= 0 {
                        index[axis] += 1
                        position += strides[axis]
                        if index[axis] < shape[axis] { break }
                        position -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return Element.storage(result)
    }
}

private struct Slice: StorageVisitor {
    let range: Range<Int>

    func visit<Element: StorageElement>(_ values: [Element]) -> Storage {
        Element.storage(Array(values[range]))
    }
}
