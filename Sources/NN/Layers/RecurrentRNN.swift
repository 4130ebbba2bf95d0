@_spi(Layers) import TensorCore

/// An Elman recurrent layer with tanh (Elman 1990), as PyTorch's `torch.nn.RNN` computes it
/// (`nonlinearity='tanh'`, single layer, one direction, `batch_first=True`; the equation of its
/// documentation, docs.pytorch.org/docs/stable/generated/torch.nn.RNN.html):
///
/// ```
/// h_t = tanh(x_t·W_ih + b_ih + h_{t−1}·W_hh + b_hh)
/// ```
///
/// The gradient reaching `h_{t−k}` from `h_t` is multiplied by `W_hhᵀ` and by `tanh′ ≤ 1` once
/// per step back, so over long sequences it shrinks (or grows) geometrically: the vanishing
/// gradient that ``LSTM`` and ``GRU`` were designed against (Bengio et al. 1994).
///
/// ``inputWeight`` is `(inputSize, hidden)`, PyTorch's `weight_ih_l0` transposed; see
/// ``RecurrentLayer`` for all four parameters. An RNN(32 → 64) has 64·(32 + 64) + 2·64 = 6,272
/// parameters, as PyTorch's.
///
/// - Shapes: input `(batch, time, inputSize)` or `(time, inputSize)` → outputs
///   `(batch, time, hidden)` or `(time, hidden)`; last state `(batch, hidden)` or `(hidden,)`.
public final class RNN: RecurrentLayer {
    /// `W_ih`, `(inputSize, hidden)`: PyTorch's `weight_ih_l0` transposed.
    public let inputWeight: Parameter
    /// `W_hh`, `(hidden, hidden)`: PyTorch's `weight_hh_l0` transposed.
    public let hiddenWeight: Parameter
    /// `b_ih`, `(hidden,)`: PyTorch's `bias_ih_l0`.
    public let inputBias: Parameter
    /// `b_hh`, `(hidden,)`: PyTorch's `bias_hh_l0`.
    public let hiddenBias: Parameter
    public static let gateCount = 1

    /// A layer with PyTorch's initialisation: every weight and bias uniform in `±1/√hiddenSize`.
    ///
    /// - Precondition: `inputSize` and `hiddenSize` are at least 1.
    public convenience init(inputSize: Int, hiddenSize: Int, random: inout RandomState,
                            file: StaticString = #filePath, line: UInt = #line) {
        self.init(RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, gates: Self.gateCount, layer: "RNN",
                                   random: &random, file: file, line: line))
    }

    /// A layer with PyTorch's initialisation, drawing from the global generator (`Random.seed`).
    public convenience init(inputSize: Int, hiddenSize: Int, file: StaticString = #filePath, line: UInt = #line) {
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, random: &Random.global, file: file, line: line)
    }

    /// A layer with the given weights, in the layout above (PyTorch's `weight_ih_l0.T`,
    /// `weight_hh_l0.T`, `bias_ih_l0`, `bias_hh_l0`).
    ///
    /// - Precondition: `inputWeight (inputs, h)`, `hiddenWeight (h, h)`, biases `(h,)`.
    public convenience init(inputWeight: Tensor, hiddenWeight: Tensor, inputBias: Tensor, hiddenBias: Tensor,
                            file: StaticString = #filePath, line: UInt = #line) {
        self.init(RecurrentWeights(input: inputWeight, hidden: hiddenWeight, inputBias: inputBias, hiddenBias: hiddenBias,
                                   gates: Self.gateCount, layer: "RNN", file: file, line: line))
    }

    private init(_ weights: RecurrentWeights) {
        inputWeight = Parameter(weights.input)
        hiddenWeight = Parameter(weights.hidden)
        inputBias = Parameter(weights.inputBias)
        hiddenBias = Parameter(weights.hiddenBias)
    }

    /// The hidden state at every step, `(batch, time, hidden)` or `(time, hidden)`, from a zero state.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        run(input).outputs
    }

    /// Runs the layer along `input` (PyTorch's `output, h_n = rnn(input, h_0)`).
    ///
    /// - Parameters:
    ///   - input: `(batch, time, inputSize)` or `(time, inputSize)`.
    ///   - initialHidden: `h_0`, `(batch, hidden)` or `(hidden,)`; zeros when nil.
    ///   - lengths: for a padded batch, each sequence's number of real steps (from 1 to `time`):
    ///     the last state is each sequence's at its own last step and the outputs after it are
    ///     zero, as with `pack_padded_sequence` and `pad_packed_sequence`. The padding must be
    ///     finite numbers: padded steps are computed, then masked out.
    /// - Returns: the outputs `(batch, time, hidden)` and the last state `(batch, hidden)`;
    ///   without the batch axis for unbatched input.
    public func run(_ input: Tensor, initialHidden: Tensor? = nil, lengths: [Int]? = nil,
                    file: StaticString = #filePath, line: UInt = #line) -> RecurrentOutput {
        let result = unroll(input, cell: .tanh, initialStates: [("hidden", initialHidden)], lengths: lengths,
                            file: file, line: line)
        return RecurrentOutput(outputs: result.outputs, lastHidden: result.lastStates[0])
    }
}
