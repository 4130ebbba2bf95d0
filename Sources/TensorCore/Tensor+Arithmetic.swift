/// Elementwise arithmetic with NumPy broadcasting.
///
/// `a + b` works when the shapes broadcast (see NumPy's rules): a `(3, 4)` matrix plus a `(4,)`
/// row adds the row to every row. Both operands must have the same dtype. Operators cannot take
/// the caller's line, so a mismatch here is reported in the running cell.
enum BinaryOperation: String {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"

    func combine<Element: TensorScalar>(_ a: [Element], _ aShape: [Int], _ b: [Element], _ bShape: [Int],
                                         outShape: [Int]) -> [Element] {
        switch self {
        case .add: Broadcasting.combine(a, aShape, b, bShape, outShape: outShape, +)
        case .subtract: Broadcasting.combine(a, aShape, b, bShape, outShape: outShape, -)
        case .multiply: Broadcasting.combine(a, aShape, b, bShape, outShape: outShape, *)
        case .divide: Broadcasting.combine(a, aShape, b, bShape, outShape: outShape, /)
        }
    }
}

extension Tensor {
    static func elementwise(_ lhs: Tensor, _ rhs: Tensor, _ operation: BinaryOperation,
                            file: StaticString? = nil, line: UInt? = nil) -> Tensor {
        guard let outShape = Broadcasting.shape(lhs.shape, rhs.shape) else {
            tensorFailure(
                "shapes \(describe(shape: lhs.shape)) and \(describe(shape: rhs.shape)) cannot be broadcast together for '\(operation.rawValue)'",
                file: file, line: line)
        }
        switch (lhs.storage, rhs.storage) {
        case (.float32(let a), .float32(let b)):
            return Tensor(shape: outShape, storage: .float32(operation.combine(a, lhs.shape, b, rhs.shape, outShape: outShape)))
        case (.float64(let a), .float64(let b)):
            return Tensor(shape: outShape, storage: .float64(operation.combine(a, lhs.shape, b, rhs.shape, outShape: outShape)))
        default:
            tensorFailure(
                "'\(operation.rawValue)' mixes dtypes \(lhs.dtype) and \(rhs.dtype); convert one with .cast(to:) first",
                file: file, line: line)
        }
    }

    /// A 0-d tensor of `value` in this tensor's dtype, for mixing tensors with plain numbers.
    func scalarLike(_ value: Double) -> Tensor {
        Tensor(shape: [], scalars: [value], dtype: dtype)
    }

    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { elementwise(lhs, rhs, .add) }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { elementwise(lhs, rhs, .subtract) }
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { elementwise(lhs, rhs, .multiply) }
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { elementwise(lhs, rhs, .divide) }

    public static func + (lhs: Tensor, rhs: Double) -> Tensor { elementwise(lhs, lhs.scalarLike(rhs), .add) }
    public static func - (lhs: Tensor, rhs: Double) -> Tensor { elementwise(lhs, lhs.scalarLike(rhs), .subtract) }
    public static func * (lhs: Tensor, rhs: Double) -> Tensor { elementwise(lhs, lhs.scalarLike(rhs), .multiply) }
    public static func / (lhs: Tensor, rhs: Double) -> Tensor { elementwise(lhs, lhs.scalarLike(rhs), .divide) }

    public static func + (lhs: Double, rhs: Tensor) -> Tensor { elementwise(rhs.scalarLike(lhs), rhs, .add) }
    public static func - (lhs: Double, rhs: Tensor) -> Tensor { elementwise(rhs.scalarLike(lhs), rhs, .subtract) }
    public static func * (lhs: Double, rhs: Tensor) -> Tensor { elementwise(rhs.scalarLike(lhs), rhs, .multiply) }
    public static func / (lhs: Double, rhs: Tensor) -> Tensor { elementwise(rhs.scalarLike(lhs), rhs, .divide) }

    public static prefix func - (operand: Tensor) -> Tensor { operand * -1.0 }
}

// MARK: - Unary math

private struct MapElements: ElementTransform {
    enum Function { case exp, log, sqrt }
    let function: Function

    func apply<Element: TensorScalar>(_ values: [Element]) -> [Element] {
        switch function {
        case .exp: values.map(Element.exponential)
        case .log: values.map(Element.logarithm)
        case .sqrt: values.map(Element.squareRoot)
        }
    }
}

extension Tensor {
    /// Elementwise eˣ.
    public func exp() -> Tensor { Tensor(shape: shape, storage: storage.map(MapElements(function: .exp))) }

    /// Elementwise natural logarithm.
    public func log() -> Tensor { Tensor(shape: shape, storage: storage.map(MapElements(function: .log))) }

    /// Elementwise square root.
    public func sqrt() -> Tensor { Tensor(shape: shape, storage: storage.map(MapElements(function: .sqrt))) }
}

/// Elementwise eˣ.
public func exp(_ x: Tensor) -> Tensor { x.exp() }

/// Elementwise natural logarithm.
public func log(_ x: Tensor) -> Tensor { x.log() }

/// Elementwise square root.
public func sqrt(_ x: Tensor) -> Tensor { x.sqrt() }
