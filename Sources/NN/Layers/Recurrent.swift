import TensorCore

/// What a recurrent layer returns: the hidden state at every step and the last one.
public struct RecurrentOutput {
    /// `h_t` for every step, `(batch, time, hidden)` or `(time, hidden)` (PyTorch's `output`).
    /// With `lengths`, the steps past a sequence's length are zero (`pad_packed_sequence`).
    public let outputs: Tensor
    /// The state after each sequence's last real step, `(batch, hidden)` or `(hidden,)`
    /// (PyTorch's `h_n` without its layer axis).
    public let lastHidden: Tensor
}

/// What an ``LSTM`` returns: the hidden state at every step, and the last hidden and cell states.
public struct LSTMOutput {
    /// `h_t` for every step, `(batch, time, hidden)` or `(time, hidden)`; zero past a sequence's length.
    public let outputs: Tensor
    /// `h` after each sequence's last real step, `(batch, hidden)` or `(hidden,)` (PyTorch's `h_n`).
    public let lastHidden: Tensor
    /// `c` after each sequence's last real step, `(batch, hidden)` or `(hidden,)` (PyTorch's `c_n`).
    public let lastCell: Tensor
}

/// A layer that reads a sequence one step at a time, carrying a hidden state: ``RNN``, ``LSTM``
/// and ``GRU`` (single layer, one direction, PyTorch's `batch_first=True`).
///
/// Each stacks its `G` gates side by side (`G` is 1, 4 or 3), in PyTorch's order, in two weights
/// stored as ``Linear`` stores its weight, `(inputs, outputs)`, the transpose of PyTorch's:
///
/// ```
/// inputWeight   (inputSize, G·hidden)    PyTorch's weight_ih_l0ᵀ
/// hiddenWeight  (hidden, G·hidden)       PyTorch's weight_hh_l0ᵀ
/// inputBias     (G·hidden,)              PyTorch's bias_ih_l0
/// hiddenBias    (G·hidden,)              PyTorch's bias_hh_l0
/// ```
///
/// The parameters are named as PyTorch names them (`weight_ih_l0`, …), so that a state dict's
/// entries can be matched by name (transposing the two weights).
public protocol RecurrentLayer: Layer {
    /// `W_ih`, all gates side by side: `(inputSize, G·hidden)`.
    var inputWeight: Parameter { get }
    /// `W_hh`, all gates side by side: `(hidden, G·hidden)`.
    var hiddenWeight: Parameter { get }
    /// `b_ih`: `(G·hidden,)`.
    var inputBias: Parameter { get }
    /// `b_hh`: `(G·hidden,)`.
    var hiddenBias: Parameter { get }
    /// `G`, the number of gates stacked in each weight: 1 (RNN), 4 (LSTM) or 3 (GRU).
    static var gateCount: Int { get }
}

extension RecurrentLayer {
    /// The number of features of each step of the input.
    public var inputSize: Int { inputWeight.shape[0] }
    /// The number of features of the hidden state.
    public var hiddenSize: Int { hiddenWeight.shape[0] }

    public var ownParameters: [(name: String, parameter: Parameter)] {
        [("weight_ih_l0", inputWeight), ("weight_hh_l0", hiddenWeight), ("bias_ih_l0", inputBias), ("bias_hh_l0", hiddenBias)]
    }

    /// The name in messages: `LSTM`.
    static var layerName: String { String(describing: Self.self) }
}

/// The four tensors of a recurrent layer, drawn as PyTorch draws them or checked when given.
struct RecurrentWeights {
    let input: Tensor, hidden: Tensor, inputBias: Tensor, hiddenBias: Tensor

    /// PyTorch's initialisation (`RNNBase.reset_parameters`): every weight and bias uniform in
    /// `±1/√hidden`. As `±1/√inputs` does in ``Linear``, this keeps the spread of `h·W_hh`
    /// independent of the hidden width (the input weight is scaled by the hidden width too).
    init(inputSize: Int, hiddenSize: Int, gates: Int, layer: String, random: inout RandomState,
         file: StaticString, line: UInt) {
        guard inputSize > 0, hiddenSize > 0 else {
            tensorFailure("\(layer): inputSize and hiddenSize must be at least 1, got \(inputSize) and \(hiddenSize)",
                          file: file, line: line)
        }
        let bound = 1 / Double(hiddenSize).squareRoot()
        func uniform(_ shape: Int...) -> Tensor { random.rand(shape: shape) * (2 * bound) - bound }
        input = uniform(inputSize, gates * hiddenSize)
        hidden = uniform(hiddenSize, gates * hiddenSize)
        inputBias = uniform(gates * hiddenSize)
        hiddenBias = uniform(gates * hiddenSize)
    }

    /// Given tensors, checked against each other: `input (inputs, G·h)`, `hidden (h, G·h)`, biases `(G·h,)`.
    init(input: Tensor, hidden: Tensor, inputBias: Tensor, hiddenBias: Tensor, gates: Int, layer: String,
         file: StaticString, line: UInt) {
        let hiddenSize = hidden.shape.first ?? 0
        let width = gates * hiddenSize
        let order = gates == 1 ? "" : " (\(gates) gates side by side)"
        guard hidden.shape == [hiddenSize, width], hiddenSize > 0 else {
            tensorFailure("\(layer): the hidden weight must be (hidden, \(gates)·hidden)\(order), PyTorch's weight_hh_l0 transposed; got \(hidden.shapeDescription)",
                          file: file, line: line)
        }
        guard input.rank == 2, input.shape[1] == width, input.shape[0] > 0 else {
            tensorFailure("\(layer): a hidden weight of shape \(hidden.shapeDescription) needs an input weight of shape (inputs, \(width)), PyTorch's weight_ih_l0 transposed; got \(input.shapeDescription)",
                          file: file, line: line)
        }
        for (name, bias) in [("input", inputBias), ("hidden", hiddenBias)] where bias.shape != [width] {
            tensorFailure("\(layer): the \(name) bias must have shape (\(width),), got \(bias.shapeDescription)", file: file, line: line)
        }
        (self.input, self.hidden, self.inputBias, self.hiddenBias) = (input, hidden, inputBias, hiddenBias)
    }
}
