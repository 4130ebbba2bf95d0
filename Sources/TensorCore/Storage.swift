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

    /// Applies a generic visitor to the elements, whatever their type.
    func visit<Visitor: StorageVisitor>(_ visitor: Visitor) -> Visitor.Result {
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

    /// The elements in `range`.
    func slice(_ range: Range<Int>) -> Storage {
        visit(Slice(range: range))
    }

    /// The elements of several storages of one dtype, one after the other.
    static func concatenating(_ parts: [Storage]) -> Storage {
        switch parts.first?.dtype ?? .float64 {
        case .float32: .float32(parts.flatMap { part -> [Float] in if case .float32(let v) = part { v } else { [] } })
        case .float64: .float64(parts.flatMap { part -> [Double] in if case .float64(let v) = part { v } else { [] } })
        case .int64: .int64(parts.flatMap { part -> [Int] in if case .int64(let v) = part { v } else { [] } })
        case .bool: .bool(parts.flatMap { part -> [Bool] in if case .bool(let v) = part { v } else { [] } })
        }
    }

    /// Applies a floating-point transformation; integer and boolean elements are first converted
    /// to float64, as NumPy does for `np.exp` of an integer array.
    func map(_ transform: some ElementTransform) -> Storage {
        switch self {
        case .float32(let values): .float32(transform.apply(values))
        case .float64(let values): .float64(transform.apply(values))
        case .int64, .bool: .float64(transform.apply(doubles))
        }
    }
}

/// A transformation of a whole floating-point element array, written once for both types.
protocol ElementTransform {
    func apply<Element: TensorScalar>(_ values: [Element]) -> [Element]
}

/// An operation over the elements of a storage that is generic over every element type.
protocol StorageVisitor {
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
                for (position, index) in indices.enumerated() {
                    (target.baseAddress! + position).initialize(to: source[index])
                }
                initialized = indices.count
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
