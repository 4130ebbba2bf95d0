@_spi(Layers) import TensorCore

/// Normalises each position over its last axis to mean 0 and variance 1, then scales and
/// shifts it (PyTorch's `nn.LayerNorm`):
///
/// ```
/// y = (x − mean(x)) / √(var(x) + ε) · γ + β
/// ```
/// - Shapes: `(…, features) → (…, features)`.
public final class LayerNorm: Layer {
    /// γ, ones at the start.
    public let scale: Parameter
    /// β, zeros at the start.
    public let shift: Parameter
    public let epsilon: Double

    public init(_ features: Int, epsilon: Double = 1e-5) {
        scale = Parameter(Tensor.ones([features]))
        shift = Parameter(Tensor.zeros([features]))
        self.epsilon = epsilon
    }

    /// A layer with the given γ and β, each `(features,)`: a pretrained model's.
    public init(scale: Tensor, shift: Tensor, epsilon: Double = 1e-5, file: StaticString = #filePath, line: UInt = #line) {
        guard scale.rank == 1, scale.shape == shift.shape else {
            tensorFailure("LayerNorm: the scale and shift must be vectors of one length, got \(scale.shapeDescription) and \(shift.shapeDescription)",
                          file: file, line: line)
        }
        self.scale = Parameter(scale)
        self.shift = Parameter(shift)
        self.epsilon = epsilon
    }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("scale", scale), ("shift", shift)]
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        layerNorm(input, scale: scale.value, shift: shift.value, epsilon: epsilon)
    }
}

/// Layer normalisation over the last axis, `(x − mean) / √(var + ε) · scale + shift`; see ``LayerNorm``.
public func layerNorm(_ x: Tensor, scale: Tensor? = nil, shift: Tensor? = nil, epsilon: Double = 1e-5,
                      file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    let features = x.shape.last ?? 0
    for (name, tensor) in [("scale", scale), ("shift", shift)] {
        if let tensor, tensor.shape != [features] {
            tensorFailure("layerNorm: the \(name) must have shape (\(features),) for input of shape \(x.shapeDescription), got \(tensor.shapeDescription)",
                          file: file, line: line)
        }
    }
    // The definition, below, is computed in one pass per row by TensorCore when the tensors
    // are floats of one type (the same values; see `layerNormalized`).
    if x.dtype.isFloatingPoint, x.rank >= 1, [scale, shift].allSatisfy({ $0 == nil || $0!.dtype == x.dtype }) {
        return x.layerNormalized(scale: scale, shift: shift, epsilon: epsilon)
    }
    let centred = x - x.mean(axis: -1, keepDims: true)
    let variance = (centred * centred).mean(axis: -1, keepDims: true)
    var normalised = centred / (variance + epsilon).sqrt()
    if let scale { normalised = normalised * scale }
    if let shift { normalised = normalised + shift }
    return normalised
}

/// During training, zeroes each element with probability `p` and scales the rest by `1/(1 − p)`
/// so that the expected value is unchanged; in evaluation, passes its input through (PyTorch's
/// `nn.Dropout`). Its own seeded generator makes every run the same.
public final class Dropout: Layer, TrainingModeDependent {
    public let probability: Double
    public var isTraining = true
    private var random: RandomState

    public init(_ probability: Double, seed: UInt32 = 0, file: StaticString = #filePath, line: UInt = #line) {
        guard probability >= 0, probability < 1 else {
            tensorFailure("Dropout: the probability must be in [0, 1), got \(probability)", file: file, line: line)
        }
        self.probability = probability
        self.random = RandomState(seed: seed)
    }

    /// Restarts the generator from `seed`.
    public func reseed(_ seed: UInt32) {
        random = RandomState(seed: seed)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining, probability > 0 else { return input }
        // `Tensor.where(random.rand(shape: input.shape) .>= probability, input * (1 / (1 - probability)), 0)`,
        // the same draws and numbers, in one pass.
        return input.droppingOut(probability: probability, random: &random)
    }
}
