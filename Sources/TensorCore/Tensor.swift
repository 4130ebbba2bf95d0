/// An n-dimensional array of numbers, with NumPy's element types and rules.
///
/// **Design.** The element type is chosen at run time, as in NumPy and MLX, so learners write
/// `Tensor`, never `Tensor<Double>`: `float64` unless `dtype: .float32` is asked for, `int64` for
/// indices (``argmax(axis:keepDims:file:line:)``, ``gather(_:axis:file:line:)``) and `bool` for
/// masks (`x .> 0`). Operations keep the dtype of their inputs.
///
/// **Value semantics.** Assigning a tensor and changing the copy never changes the original.
/// Elements live in a shared copy-on-write buffer, and a tensor is a *view* of it: a shape, the
/// step (stride) of each axis through the buffer, and where it starts. Transposes, `permuted`,
/// slices like `x[0]` or `x[..., 1..<3]`, `squeezed` and `unsqueezed` only make a new view and copy
/// nothing; a matrix product hands a transposed view straight to BLAS.
///
/// ```swift
/// let x = Tensor([[1.0, 0.5], [0.2, 1.0]])       // shape (2, 2), float64
/// let y = x.matmul(x.T).softmax(axis: -1)
/// ```
public struct Tensor: Sendable {
    /// The length of each axis; `[]` for a scalar (0-d) tensor.
    public let shape: [Int]
    /// How far apart, in elements of `buffer`, neighbours along each axis are.
    let strides: [Int]
    /// Where element `[0, 0, …]` is in `buffer`.
    let offset: Int
    /// The elements this tensor views (possibly more than it shows).
    let buffer: Storage
    /// The record gradients flow back through: set for tensors that need a gradient (see
    /// ``requiringGradient()``), nil for every other tensor.
    var gradientNode: GradientNode?

    /// A view of `buffer`.
    init(shape: [Int], strides: [Int], offset: Int, buffer: Storage) {
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.buffer = buffer
    }

    /// A contiguous row-major tensor owning `storage`.
    init(shape: [Int], storage: Storage) {
        self.init(shape: shape, strides: Tensor.rowMajorStrides(shape), offset: 0, buffer: storage)
    }

    /// Makes a tensor of the given shape from its elements in row-major order.
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(shape: [Int], scalars: [Double], dtype: DType = .float64,
                file: StaticString = #filePath, line: UInt = #line) {
        Tensor.checkShape(shape, operation: "Tensor(shape:scalars:)", file: file, line: line)
        let expected = shape.reduce(1, *)
        guard expected == scalars.count else {
            tensorFailure(
                "Tensor(shape:scalars:): shape \(describe(shape: shape)) holds \(expected) elements but \(scalars.count) were given",
                file: file, line: line)
        }
        self.init(shape: shape, storage: Storage(doubles: scalars, dtype: dtype))
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
        self.init(shape: [blocks.count] + blockShape, scalars: inner.flatMap { $0.scalars }, dtype: dtype)
    }

    /// Makes an `int64` vector of indices, for ``gather(_:axis:file:line:)`` (token ids, say).
    public init(indices: [Int]) {
        self.init(shape: [indices.count], storage: .int64(indices))
    }

    /// Makes an `int64` tensor of the given shape from its elements in row-major order.
    public init(shape: [Int], indices: [Int], file: StaticString = #filePath, line: UInt = #line) {
        Tensor.checkShape(shape, operation: "Tensor(shape:indices:)", file: file, line: line)
        guard shape.reduce(1, *) == indices.count else {
            tensorFailure(
                "Tensor(shape:indices:): shape \(describe(shape: shape)) holds \(shape.reduce(1, *)) elements but \(indices.count) were given",
                file: file, line: line)
        }
        self.init(shape: shape, storage: .int64(indices))
    }

    /// Makes a `bool` vector, a mask.
    public init(_ mask: [Bool]) {
        self.init(shape: [mask.count], storage: .bool(mask))
    }

    /// The element type.
    public var dtype: DType { buffer.dtype }

    /// The number of axes (0 for a scalar, 1 for a vector, 2 for a matrix…).
    public var rank: Int { shape.count }

    /// The total number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// The elements in row-major order, as `Double` (`true` is 1).
    public var scalars: [Double] { storage.doubles }

    /// The elements in row-major order, as `Int` (floats truncated toward zero).
    public var indices: [Int] {
        if case .int64(let values) = storage { return values }
        return storage.doubles.map { Int(converting: $0) }
    }

    /// The single element of a tensor that holds exactly one.
    public func item(file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard count == 1 else {
            tensorFailure("item(): a tensor of shape \(describe(shape: shape)) holds \(count) elements, not one",
                          file: file, line: line)
        }
        return scalars[0]
    }

    /// Returns a copy with elements converted to `dtype` (NumPy's `astype`): floats to `int64`
    /// truncate toward zero, and anything non-zero is `true` as `bool`.
    public func cast(to dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        let original = self.dtype
        return differentiableUnary({ x in Tensor(shape: x.shape, storage: x.storage.converted(to: dtype)) }) { gradient, _ in
            gradient.cast(to: original)
        }
    }

    /// Normalises a possibly negative axis (`-1` is the last) and stops with a clear message
    /// when it is out of range. `extraAxes` allows one past the end, for inserting an axis.
    func normalizedAxis(_ axis: Int, operation: String, file: StaticString?, line: UInt?,
                        extraAxes: Int = 0) -> Int {
        let axes = rank + extraAxes
        let resolved = axis < 0 ? axis + axes : axis
        guard resolved >= 0, resolved < axes else {
            tensorFailure(
                "\(operation): axis \(axis) is out of range for a tensor of shape \(describe(shape: shape)) (valid: \(-axes)..<\(axes))",
                file: file, line: line)
        }
        return resolved
    }

    /// Stops with a message when an axis length is negative.
    static func checkShape(_ shape: [Int], operation: String, file: StaticString?, line: UInt?) {
        if let bad = shape.first(where: { $0 < 0 }) {
            tensorFailure("\(operation): axis length \(bad) is negative in shape \(describe(shape: shape))", file: file, line: line)
        }
    }
}
