/// An n-dimensional array of `Float` or `Double`, stored contiguously in row-major order.
///
/// `Tensor` has value semantics: assigning a tensor and changing the copy never changes the
/// original (the elements are shared until one side writes, through Swift arrays' copy-on-write).
/// The element type is chosen at run time, as in NumPy: `float64` unless `dtype: .float32` is asked
/// for, and operations keep it.
///
/// ```swift
/// let x = Tensor([[1.0, 0.5], [0.2, 1.0]])       // shape (2, 2), float64
/// let y = x.matmul(x.T).softmax(axis: -1)
/// ```
public struct Tensor: Sendable {
    /// The elements, in one of the supported element types.
    enum Storage: Sendable {
        case float32([Float])
        case float64([Double])
    }

    /// The length of each axis; `[]` for a scalar (0-d) tensor.
    public let shape: [Int]
    var storage: Storage

    init(shape: [Int], storage: Storage) {
        self.shape = shape
        self.storage = storage
    }

    /// Makes a tensor of the given shape from its elements in row-major order.
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Double], dtype: DType = .float64,
                file: StaticString = #filePath, line: UInt = #line) {
        if let bad = shape.first(where: { $0 < 0 }) {
            tensorFailure("Tensor(shape:scalars:): axis length \(bad) is negative", file: file, line: line)
        }
        let expected = shape.reduce(1, *)
        guard expected == scalars.count else {
            tensorFailure(
                "Tensor(shape:scalars:): shape \(describe(shape: shape)) holds \(expected) elements but \(scalars.count) were given",
                file: file, line: line)
        }
        self.shape = shape
        switch dtype {
        case .float64: storage = .float64(scalars)
        case .float32: storage = .float32(scalars.map { Float($0) })
        }
    }

    /// Makes a 0-d tensor holding one number.
    public init(_ scalar: Double, dtype: DType = .float64) {
        self.init(shape: [], scalars: [scalar], dtype: dtype)
    }

    /// Makes a vector (shape `(n,)`).
    public init(_ vector: [Double], dtype: DType = .float64) {
        self.init(shape: [vector.count], scalars: vector, dtype: dtype)
    }

    /// Makes a matrix (shape `(rows, columns)`) from its rows.
    ///
    /// - Precondition: every row has the same length.
    public init(_ rows: [[Double]], dtype: DType = .float64,
                file: StaticString = #filePath, line: UInt = #line) {
        let columns = rows.first?.count ?? 0
        if let (index, row) = rows.enumerated().first(where: { $0.element.count != columns }) {
            tensorFailure(
                "Tensor(_:): row \(index) has \(row.count) elements but row 0 has \(columns); every row needs the same length",
                file: file, line: line)
        }
        self.init(shape: [rows.count, columns], scalars: rows.flatMap { $0 }, dtype: dtype)
    }

    /// Makes a 3-d tensor (shape `(blocks, rows, columns)`).
    ///
    /// - Precondition: every block has the same shape.
    public init(_ blocks: [[[Double]]], dtype: DType = .float64,
                file: StaticString = #filePath, line: UInt = #line) {
        let inner = blocks.map { Tensor($0, dtype: dtype, file: file, line: line) }
        let blockShape = inner.first?.shape ?? [0, 0]
        if let index = inner.firstIndex(where: { $0.shape != blockShape }) {
            tensorFailure(
                "Tensor(_:): block \(index) has shape \(describe(shape: inner[index].shape)) but block 0 has \(describe(shape: blockShape))",
                file: file, line: line)
        }
        self.init(shape: [blocks.count] + blockShape,
                  scalars: inner.flatMap { $0.scalars }, dtype: dtype)
    }

    /// The element type.
    public var dtype: DType {
        switch storage {
        case .float32: .float32
        case .float64: .float64
        }
    }

    /// The number of axes (0 for a scalar, 1 for a vector, 2 for a matrix…).
    public var rank: Int { shape.count }

    /// The total number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The elements in row-major order, as `Double`.
    public var scalars: [Double] {
        switch storage {
        case .float32(let values): values.map(Double.init)
        case .float64(let values): values
        }
    }

    /// The single element of a tensor that holds exactly one.
    public func item(file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard count == 1 else {
            tensorFailure("item(): a tensor of shape \(describe(shape: shape)) holds \(count) elements, not one",
                          file: file, line: line)
        }
        return scalars[0]
    }

    /// Returns a copy with elements converted to `dtype`.
    public func cast(to dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        return Tensor(shape: shape, scalars: scalars, dtype: dtype)
    }

    /// Normalises a possibly negative axis (`-1` is the last) and stops with a clear message
    /// when it is out of range.
    func normalizedAxis(_ axis: Int, operation: String, file: StaticString?, line: UInt?) -> Int {
        let resolved = axis < 0 ? axis + rank : axis
        guard resolved >= 0, resolved < rank else {
            tensorFailure(
                "\(operation): axis \(axis) is out of range for a tensor of shape \(describe(shape: shape)) (valid: \(-rank)..<\(rank))",
                file: file, line: line)
        }
        return resolved
    }
}

extension Tensor.Storage {
    /// Applies a function that is generic over the element type and returns storage of the same type.
    func map(_ transform: some ElementTransform) -> Tensor.Storage {
        switch self {
        case .float32(let values): .float32(transform.apply(values))
        case .float64(let values): .float64(transform.apply(values))
        }
    }
}

/// A transformation of a whole element array, written once for both element types.
protocol ElementTransform {
    func apply<Element: TensorScalar>(_ values: [Element]) -> [Element]
}
