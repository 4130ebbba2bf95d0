// Elementwise arithmetic with NumPy broadcasting.
//
// `a + b` works when the shapes broadcast (see NumPy's rules): a `(3, 4)` matrix plus a `(4,)`
// row adds the row to every row. Operators cannot take the caller's line, so a mismatch here is
// reported in the running cell.
//
// Element types combine like this: two floats must be the same float type (mixing `float32` and
// `float64` is an error, so precision never changes silently); an `int64` or `bool` operand
// takes the other operand's float type; two integer or boolean operands give `int64`, except
// `/`, which gives `float64` like NumPy's true division. Plain `Double` numbers take the
// tensor's float type (`float64` for an integer tensor).

/// Two operands brought to one element type, and their broadcast shape.
struct AlignedOperands {
    /// The operands as views of one dtype: the tensors themselves, or converted copies of the
    /// one whose dtype had to change.
    let lhs: Tensor
    let rhs: Tensor
    let shape: [Int]

    /// Applies NumPy's broadcasting and the type rules above, stopping
    /// with a message naming `operation` and both shapes when they do not fit.
    init(_ lhs: Tensor, _ rhs: Tensor, operation: String, integerResultAllowed: Bool = true,
         file: StaticString?, line: UInt?) {
        guard let shape = Broadcasting.shape(lhs.shape, rhs.shape) else {
            tensorFailure(
                "shapes \(describe(shape: lhs.shape)) and \(describe(shape: rhs.shape)) cannot be broadcast together for '\(operation)'",
                file: file, line: line)
        }
        let common: DType
        switch (lhs.dtype.isFloatingPoint, rhs.dtype.isFloatingPoint) {
        case (true, true):
            guard lhs.dtype == rhs.dtype else {
                tensorFailure(
                    "'\(operation)' mixes dtypes \(lhs.dtype) and \(rhs.dtype); convert one with .cast(to:) first",
                    file: file, line: line)
            }
            common = lhs.dtype
        case (true, false): common = lhs.dtype
        case (false, true): common = rhs.dtype
        case (false, false): common = integerResultAllowed ? .int64 : .float64
        }
        self.lhs = lhs.converted(to: common)
        self.rhs = rhs.converted(to: common)
        self.shape = shape
    }
}

extension Tensor {
    /// This view when it already has `dtype`, else a contiguous copy converted to it.
    fileprivate func converted(to dtype: DType) -> Tensor {
        dtype == self.dtype ? self : Tensor(shape: shape, storage: storage.converted(to: dtype))
    }
}

extension Tensor {
    static func elementwise(_ lhs: Tensor, _ rhs: Tensor, _ operation: BinaryOperation,
                            file: StaticString? = nil, line: UInt? = nil) -> Tensor {
        differentiable([lhs, rhs], compute: { elementValues($0[0], $0[1], operation, file: file, line: line) }) { step in
            let (g, x, y) = (step.gradient, step.inputs[0], step.inputs[1])
            // Each operand's gradient is summed back over the axes broadcasting stretched it along.
            switch operation {
            case .add:
                return [step.gradient(for: 0) { g.summed(toShape: x.shape) },
                        step.gradient(for: 1) { g.summed(toShape: y.shape) }]
            case .subtract:
                return [step.gradient(for: 0) { g.summed(toShape: x.shape) },
                        step.gradient(for: 1) { (g * -1.0).summed(toShape: y.shape) }]
            case .multiply:
                return [step.gradient(for: 0) { (g * y).summed(toShape: x.shape) },
                        step.gradient(for: 1) { (g * x).summed(toShape: y.shape) }]
            case .divide:
                // d(x/y)/dy = −x/y² = −(x/y)/y
                return [step.gradient(for: 0) { (g / y).summed(toShape: x.shape) },
                        step.gradient(for: 1) { (g * step.result / y * -1.0).summed(toShape: y.shape) }]
            }
        }
    }

    private static func elementValues(_ lhs: Tensor, _ rhs: Tensor, _ operation: BinaryOperation,
                                      file: StaticString?, line: UInt?) -> Tensor {
        let operands = AlignedOperands(lhs, rhs, operation: operation.rawValue,
                                       integerResultAllowed: operation != .divide, file: file, line: line)
        let values = Broadcasting.arithmetic(operation, operands.lhs, operands.rhs, shape: operands.shape)
        return Tensor(shape: operands.shape, storage: values)
    }

    /// A 0-d tensor of `value` in this tensor's float type (`float64` for integer tensors), for
    /// mixing tensors with plain numbers.
    func scalarLike(_ value: Double) -> Tensor {
        Tensor(shape: [], scalars: [value], dtype: dtype.isFloatingPoint ? dtype : .float64)
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

    public static prefix func - (operand: Tensor) -> Tensor {
        operand.dtype.isFloatingPoint ? operand * -1.0 : elementwise(operand, Tensor(shape: [], indices: [-1]), .multiply)
    }
}

// MARK: - Unary math

/// Elementwise functions: the loops, written once for both float types and specialised for each
/// in this file (see Broadcasting.swift for why loops stay beside their non-generic entry point).
private enum MapElements {
    enum Function {
        case exp, log, sqrt, abs, tanh, sin, cos, relu, sigmoid, erf, gelu
        /// GELU's derivative, for its backward step only.
        case geluDerivative
        case pow(Double)
        case clip(lower: Double, upper: Double)
    }

    /// `function` of every element; integer and boolean elements are first converted to float64,
    /// as NumPy does for `np.exp` of an integer array.
    static func apply(_ function: Function, to storage: Storage) -> Storage {
        switch storage {
        case .float32(let values): .float32(apply(function, values))
        case .float64(let values): .float64(apply(function, values))
        case .int64, .bool: .float64(apply(function, storage.doubles))
        }
    }

    private static func apply<Element: TensorScalar>(_ function: Function, _ values: [Element]) -> [Element] {
        // Transcendental functions are worth splitting across cores sooner than cheap ones.
        let costly = 1 << 15, cheap = 1 << 18
        switch function {
        case .exp: return VectorMath.map(.exp, values)
        case .sin: return VectorMath.map(.sin, values)
        case .cos: return VectorMath.map(.cos, values)
        case .geluDerivative: return VectorMath.map(.geluDerivative, values)
        case .log: return map(values, minimumPerWorker: costly) { x, y, n in for i in 0..<n { y[i] = Element.logarithm(x[i]) } }
        case .sqrt: return map(values, minimumPerWorker: cheap) { x, y, n in for i in 0..<n { y[i] = x[i].squareRoot() } }
        case .abs: return map(values, minimumPerWorker: cheap) { x, y, n in for i in 0..<n { y[i] = Swift.abs(x[i]) } }
        case .tanh: return map(values, minimumPerWorker: costly) { x, y, n in for i in 0..<n { y[i] = Element.hyperbolicTangent(x[i]) } }
        case .relu: return map(values, minimumPerWorker: cheap) { x, y, n in for i in 0..<n { y[i] = Swift.max(x[i], 0) } }
        case .sigmoid: return map(values, minimumPerWorker: costly) { x, y, n in for i in 0..<n { y[i] = sigmoid(x[i]) } }
        case .erf: return map(values, minimumPerWorker: costly) { x, y, n in for i in 0..<n { y[i] = Element.errorFunction(x[i]) } }
        case .gelu: return map(values, minimumPerWorker: costly) { x, y, n in for i in 0..<n { y[i] = gelu(x[i]) } }
        case .pow(let exponent):
            let power = Element(exponent)
            return map(values, minimumPerWorker: costly) { x, y, n in for i in 0..<n { y[i] = Element.power(x[i], power) } }
        case .clip(let lower, let upper):
            let (low, high) = (Element(lower), Element(upper))
            return map(values, minimumPerWorker: cheap) { x, y, n in
                for i in 0..<n { y[i] = Swift.min(Swift.max(x[i], low), high) }
            }
        }
    }

    /// A new array filled part by part by `part(x, y, count)` (`y[i]` from `x[i]` for
    /// `i < count`), the parts split across cores for long arrays. `part` holds the loop and the
    /// function together, so that the function is not an indirect call per element.
    @inline(__always)
    private static func map<Element>(_ values: [Element], minimumPerWorker: Int,
                                     _ part: (UnsafePointer<Element>, UnsafeMutablePointer<Element>, Int) -> Void) -> [Element] {
        values.writingNewArray { input, output, count in
            let (source, target) = (UncheckedSendable(input), UncheckedSendable(output))
            ParallelLoop.forEachPart(count: count, minimumPerWorker: minimumPerWorker) { range in
                part(source.value + range.lowerBound, target.value + range.lowerBound, range.count)
            }
        }
    }

    /// 1 / (1 + e⁻ˣ), computed so that no exponential overflows: for negative x the equal form
    /// eˣ / (1 + eˣ) is used instead.
    static func sigmoid<Element: TensorScalar>(_ x: Element) -> Element {
        if x >= 0 { return 1 / (1 + Element.exponential(-x)) }
        let e = Element.exponential(x)
        return e / (1 + e)
    }

    /// x · Φ(x) = x/2 · (1 + erf(x/√2)), exactly as BERT's `gelu` (not the tanh approximation).
    static func gelu<Element: TensorScalar>(_ x: Element) -> Element {
        x * Element(0.5) * (1 + Element.errorFunction(x * Element(0.5.squareRoot())))
    }
}

extension Tensor {
    private func mapped(_ function: MapElements.Function) -> Tensor {
        Tensor.differentiable([self], compute: { x in
            Tensor(shape: x[0].shape, storage: MapElements.apply(function, to: x[0].storage))
        }) { step in
            [step.gradient(for: 0) {
                if case .relu = function { return step.gradient.passed(where: step.inputs[0]) }
                return step.gradient * Tensor.derivative(of: function, at: step.inputs[0], result: step.result)
            }]
        }
    }

    /// This gradient where `input` is positive and 0 elsewhere, in one pass: ReLU's backward step,
    /// the hottest in a training loop.
    private func passed(where input: Tensor) -> Tensor {
        switch (storage, input.storage.converted(to: dtype)) {
        case (.float64(let g), .float64(let x)): return Tensor(shape: shape, storage: .float64(Self.passed(g, where: x)))
        case (.float32(let g), .float32(let x)): return Tensor(shape: shape, storage: .float32(Self.passed(g, where: x)))
        default: return self * Tensor.where(input .> 0, input.scalarLike(1), input.scalarLike(0))
        }
    }

    private static func passed<Element: TensorScalar>(_ gradient: [Element], where input: [Element]) -> [Element] {
        [Element](unsafeUninitializedCapacity: gradient.count) { result, initialized in
            gradient.withUnsafeBufferPointer { gradient in
                input.withUnsafeBufferPointer { input in
                    // Keep or zero by a mask, not a branch: the signs are random, and a
                    // mispredicted branch per element costs more than the arithmetic.
                    for index in gradient.indices {
                        let keep: Element = input[index] > 0 ? 1 : 0
                        result[index] = gradient[index] * keep
                    }
                }
            }
            initialized = gradient.count
        }
    }

    /// The derivative of an elementwise function at `x`, where it took the values `y`.
    private static func derivative(of function: MapElements.Function, at x: Tensor, result y: Tensor) -> Tensor {
        switch function {
        case .exp: return y
        case .log: return 1.0 / x
        case .sqrt: return 0.5 / y
        case .abs: return Tensor.where(x .> 0, x.scalarLike(1), Tensor.where(x .< 0, x.scalarLike(-1), x.scalarLike(0)))
        case .tanh: return 1.0 - y * y
        case .sin: return x.cos()
        case .cos: return x.sin() * -1.0
        case .relu: return Tensor.where(x .> 0, x.scalarLike(1), x.scalarLike(0))  // (see passed(where:))
        case .sigmoid: return y * (1.0 - y)
        // erf′(x) = 2/√π · e^(−x²)
        case .erf: return (x * x * -1.0).exp() * (2 / Double.pi.squareRoot())
        // (x·Φ(x))′ = Φ(x) + x·φ(x), with Φ(x) = (1 + erf(x/√2))/2 and φ(x) = e^(−x²/2) / √(2π) the
        // standard normal density: one fused SIMD pass (VectorMath), not ten tensor operations.
        case .gelu: return Tensor(shape: x.shape, storage: MapElements.apply(.geluDerivative, to: x.storage))
        case .geluDerivative: preconditionFailure("GELU's derivative is not differentiated")
        case .pow(let exponent): return exponent * x.pow(exponent - 1)
        case .clip(let lower, let upper):
            return Tensor.where((x .>= lower) .& (x .<= upper), x.scalarLike(1), x.scalarLike(0))
        }
    }

    /// Elementwise eˣ.
    public func exp() -> Tensor { mapped(.exp) }

    /// Elementwise natural logarithm.
    public func log() -> Tensor { mapped(.log) }

    /// Elementwise square root.
    public func sqrt() -> Tensor { mapped(.sqrt) }

    /// Elementwise absolute value.
    public func abs() -> Tensor { mapped(.abs) }

    /// Elementwise hyperbolic tangent.
    public func tanh() -> Tensor { mapped(.tanh) }

    /// Elementwise sine (radians).
    public func sin() -> Tensor { mapped(.sin) }

    /// Elementwise cosine (radians).
    public func cos() -> Tensor { mapped(.cos) }

    /// Elementwise `max(x, 0)`.
    public func relu() -> Tensor { mapped(.relu) }

    /// Elementwise logistic function `1 / (1 + e⁻ˣ)`, computed without overflow for large |x|.
    public func sigmoid() -> Tensor { mapped(.sigmoid) }

    /// Elementwise error function, `erf(x) = 2/√π ∫₀ˣ e^(−t²) dt` (SciPy's `scipy.special.erf`).
    public func erf() -> Tensor { mapped(.erf) }

    /// Elementwise GELU, the Gaussian error linear unit (Hendrycks and Gimpel, 2016), in its exact
    /// form, as BERT's `hidden_act: "gelu"` and PyTorch's `nn.GELU()` compute it:
    ///
    /// ```
    /// gelu(x) = x · Φ(x) = x/2 · (1 + erf(x / √2))
    /// ```
    /// Φ is the standard normal distribution function: an input is kept in proportion to how
    /// likely a standard normal number is to be below it. Not the tanh approximation that GPT-2
    /// uses (`approximate="tanh"` in PyTorch), which differs by up to about 5·10⁻⁴.
    /// - Shapes: unchanged.
    public func gelu() -> Tensor { mapped(.gelu) }

    /// Elementwise `xᵉ` for a fixed exponent (`x ** e` in NumPy).
    public func pow(_ exponent: Double) -> Tensor { mapped(.pow(exponent)) }

    /// Each element limited to `lower...upper` (NumPy's `np.clip`).
    ///
    /// - Precondition: `lower <= upper`.
    public func clip(_ lower: Double, _ upper: Double, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard lower <= upper else {
            tensorFailure("clip: the lower bound \(lower) is above the upper bound \(upper)", file: file, line: line)
        }
        return mapped(.clip(lower: lower, upper: upper))
    }
}

/// Elementwise eˣ.
public func exp(_ x: Tensor) -> Tensor { x.exp() }

/// Elementwise natural logarithm.
public func log(_ x: Tensor) -> Tensor { x.log() }

/// Elementwise square root.
public func sqrt(_ x: Tensor) -> Tensor { x.sqrt() }

/// Elementwise absolute value.
public func abs(_ x: Tensor) -> Tensor { x.abs() }

/// Elementwise hyperbolic tangent.
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }

/// Elementwise sine.
public func sin(_ x: Tensor) -> Tensor { x.sin() }

/// Elementwise cosine.
public func cos(_ x: Tensor) -> Tensor { x.cos() }

/// Elementwise error function.
public func erf(_ x: Tensor) -> Tensor { x.erf() }

/// Elementwise GELU, `x · Φ(x)`; see ``Tensor/gelu()``.
public func gelu(_ x: Tensor) -> Tensor { x.gelu() }

/// Elementwise `xᵉ`.
public func pow(_ x: Tensor, _ exponent: Double) -> Tensor { x.pow(exponent) }
