import Foundation

/// The element types a ``Tensor`` can hold: `Float` (float32), `Double` (float64), `Int`
/// (int64, for indices) and `Bool` (for masks).
///
/// Tensors carry their element type at run time, like NumPy arrays; this protocol lets the
/// kernels that only move elements around (views, gathers, concatenation) be written once.
public protocol TensorElement: Sendable, Equatable {
    /// The run-time tag of this element type.
    static var dtype: DType { get }
    /// The element as a `Double` (`true` is 1, `false` is 0).
    var doubleValue: Double { get }
    /// The element nearest to `value` (for `Bool`, `value != 0`; for `Int`, `value` truncated).
    init(converting value: Double)
}

/// The floating-point element types, `Float` and `Double`: the ones arithmetic, math functions,
/// matrix products and linear algebra work in.
public protocol TensorScalar: TensorElement, BinaryFloatingPoint, LosslessStringConvertible
where Self.RawSignificand: FixedWidthInteger {
    /// The machine epsilon of this type (NumPy's `np.finfo(dtype).eps`).
    static var machineEpsilon: Self { get }
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    static func squareRoot(_ x: Self) -> Self
    static func power(_ base: Self, _ exponent: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
    static func sine(_ x: Self) -> Self
    static func cosine(_ x: Self) -> Self
    static func errorFunction(_ x: Self) -> Self
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    public var doubleValue: Double { Double(self) }
    public init(converting value: Double) { self.init(value) }
    public static var machineEpsilon: Float { .ulpOfOne }
    public static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    public static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
    public static func squareRoot(_ x: Float) -> Float { x.squareRoot() }
    public static func power(_ base: Float, _ exponent: Float) -> Float { Foundation.pow(base, exponent) }
    public static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanh(x) }
    public static func sine(_ x: Float) -> Float { Foundation.sin(x) }
    public static func cosine(_ x: Float) -> Float { Foundation.cos(x) }
    public static func errorFunction(_ x: Float) -> Float { Foundation.erf(x) }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    public var doubleValue: Double { self }
    public init(converting value: Double) { self = value }
    public static var machineEpsilon: Double { .ulpOfOne }
    public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    public static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
    public static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
    public static func power(_ base: Double, _ exponent: Double) -> Double { Foundation.pow(base, exponent) }
    public static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
    public static func sine(_ x: Double) -> Double { Foundation.sin(x) }
    public static func cosine(_ x: Double) -> Double { Foundation.cos(x) }
    public static func errorFunction(_ x: Double) -> Double { Foundation.erf(x) }
}

extension Int: TensorElement {
    public static var dtype: DType { .int64 }
    public var doubleValue: Double { Double(self) }
    /// Truncates toward zero like NumPy's `astype(np.int64)`. NaN and infinities become 0, and
    /// numbers beyond the range of `Int` saturate at `Int.min` / `Int.max` (NumPy leaves those
    /// undefined; a conversion must never crash a lesson).
    public init(converting value: Double) {
        guard value.isFinite else {
            self = 0
            return
        }
        self = Int(exactly: value.rounded(.towardZero)) ?? (value < 0 ? .min : .max)
    }
}

extension Bool: TensorElement {
    public static var dtype: DType { .bool }
    public var doubleValue: Double { self ? 1 : 0 }
    public init(converting value: Double) { self = value != 0 }
}

/// The element type of a tensor, known at run time.
public enum DType: String, Sendable, CustomStringConvertible {
    /// 32-bit floating point (`Float`), NumPy's `float32`.
    case float32
    /// 64-bit floating point (`Double`), NumPy's `float64`: the default.
    case float64
    /// 64-bit integers (`Int`), used for indices: `argmax`, `gather`.
    case int64
    /// Booleans, used for masks: comparisons, `where`, `maskedFill`.
    case bool

    /// Whether this is `float32` or `float64`.
    public var isFloatingPoint: Bool { self == .float32 || self == .float64 }

    public var description: String { rawValue }
}
