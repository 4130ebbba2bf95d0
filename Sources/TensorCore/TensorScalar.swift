import Foundation

/// The element types a ``Tensor`` can hold: `Float` (float32) and `Double` (float64).
///
/// Tensors carry their element type at run time, like NumPy arrays; this protocol lets the
/// kernels be written once and specialised for both types.
public protocol TensorScalar: BinaryFloatingPoint, Sendable where Self.RawSignificand: FixedWidthInteger {
    /// The run-time tag of this element type.
    static var dtype: DType { get }
    /// The machine epsilon of this type (NumPy's `np.finfo(dtype).eps`).
    static var machineEpsilon: Self { get }
    static func exponential(_ x: Self) -> Self
    static func logarithm(_ x: Self) -> Self
    static func squareRoot(_ x: Self) -> Self
    static func power(_ base: Self, _ exponent: Self) -> Self
    static func hyperbolicTangent(_ x: Self) -> Self
    static func sine(_ x: Self) -> Self
    static func cosine(_ x: Self) -> Self
}

extension Float: TensorScalar {
    public static var dtype: DType { .float32 }
    public static var machineEpsilon: Float { .ulpOfOne }
    public static func exponential(_ x: Float) -> Float { Foundation.exp(x) }
    public static func logarithm(_ x: Float) -> Float { Foundation.log(x) }
    public static func squareRoot(_ x: Float) -> Float { x.squareRoot() }
    public static func power(_ base: Float, _ exponent: Float) -> Float { Foundation.pow(base, exponent) }
    public static func hyperbolicTangent(_ x: Float) -> Float { Foundation.tanh(x) }
    public static func sine(_ x: Float) -> Float { Foundation.sin(x) }
    public static func cosine(_ x: Float) -> Float { Foundation.cos(x) }
}

extension Double: TensorScalar {
    public static var dtype: DType { .float64 }
    public static var machineEpsilon: Double { .ulpOfOne }
    public static func exponential(_ x: Double) -> Double { Foundation.exp(x) }
    public static func logarithm(_ x: Double) -> Double { Foundation.log(x) }
    public static func squareRoot(_ x: Double) -> Double { x.squareRoot() }
    public static func power(_ base: Double, _ exponent: Double) -> Double { Foundation.pow(base, exponent) }
    public static func hyperbolicTangent(_ x: Double) -> Double { Foundation.tanh(x) }
    public static func sine(_ x: Double) -> Double { Foundation.sin(x) }
    public static func cosine(_ x: Double) -> Double { Foundation.cos(x) }
}

/// The element type of a tensor, known at run time.
public enum DType: String, Sendable, CustomStringConvertible {
    case float32
    case float64

    public var description: String { rawValue }
}
