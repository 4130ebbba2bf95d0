import TensorCore

/// A fully connected layer, `y = x·W + b` (PyTorch's `nn.Linear`, with the weight stored as
/// `(inputs, outputs)` so that the formula reads as the lessons write it).
///
/// - Shapes: `(…, inputs) → (…, outputs)`.
public final class Linear: Layer {
    /// `W`, of shape `(inputs, outputs)`.
    public let weight: Parameter
    /// `b`, of shape `(outputs,)`, or nil for a layer without bias.
    public let bias: Parameter?

    /// A layer with PyTorch's initialisation: weight and bias uniform in `±1/√inputs`.
    ///
    /// - Parameter dtype: `float64` (the default) or `float32` (to sit on a float32 model, such
    ///   as a pretrained BERT's head); the same draws either way.
    public init(_ inputs: Int, _ outputs: Int, bias: Bool = true, dtype: DType = .float64, random: inout RandomState) {
        let bound = 1 / Double(inputs).squareRoot()
        weight = Parameter((random.rand(inputs, outputs) * (2 * bound) - bound).cast(to: dtype))
        self.bias = bias ? Parameter((random.rand(outputs) * (2 * bound) - bound).cast(to: dtype)) : nil
    }

    /// A layer with PyTorch's initialisation, drawing from the global generator (`Random.seed`).
    public convenience init(_ inputs: Int, _ outputs: Int, bias: Bool = true, dtype: DType = .float64) {
        self.init(inputs, outputs, bias: bias, dtype: dtype, random: &Random.global)
    }

    /// A layer with the given weight `(inputs, outputs)` and bias `(outputs,)`.
    public init(weight: Tensor, bias: Tensor? = nil, file: StaticString = #filePath, line: UInt = #line) {
        guard weight.rank == 2 else {
            tensorFailure("Linear: the weight must be a matrix (inputs, outputs), got shape \(weight.shapeDescription)", file: file, line: line)
        }
        if let bias, bias.shape != [weight.shape[1]] {
            tensorFailure("Linear: a weight of shape \(weight.shapeDescription) needs a bias of shape (\(weight.shape[1]),), got \(bias.shapeDescription)",
                          file: file, line: line)
        }
        self.weight = Parameter(weight)
        self.bias = bias.map { Parameter($0) }
    }

    public var inputs: Int { weight.shape[0] }
    public var outputs: Int { weight.shape[1] }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        let product = input.matmul(weight.value)
        guard let bias else { return product }
        return product + bias.value
    }
}

/// `max(x, 0)`, element by element, as a layer.
public final class ReLU: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.relu() }
}

/// The hyperbolic tangent, element by element, as a layer.
public final class Tanh: Layer {
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.tanh() }
}

/// Layers applied one after another (PyTorch's `nn.Sequential`); they are named `0`, `1`, … in
/// parameter names (`0.weight`).
public final class Sequential: Layer {
    public let layers: [any Layer]

    public init(_ layers: [any Layer]) {
        self.layers = layers
    }

    public convenience init(_ layers: any Layer...) {
        self.init(layers)
    }

    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { (String($0.offset), $0.element as any Module) }
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { $1($0) }
    }
}
