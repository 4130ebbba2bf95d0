@_spi(Layers) import TensorCore

/// A long short-term memory layer (Hochreiter & Schmidhuber 1997, with the forget gate of Gers
/// et al. 2000), as PyTorch's `torch.nn.LSTM` computes it (single layer, one direction,
/// `batch_first=True`; the equations of its documentation, docs.pytorch.org/docs/stable/generated/torch.nn.LSTM.html):
///
/// ```
/// i_t = σ(x_t·W_ii + b_ii + h_{t−1}·W_hi + b_hi)          input gate
/// f_t = σ(x_t·W_if + b_if + h_{t−1}·W_hf + b_hf)          forget gate
/// g_t = tanh(x_t·W_ig + b_ig + h_{t−1}·W_hg + b_hg)       candidate cell
/// o_t = σ(x_t·W_io + b_io + h_{t−1}·W_ho + b_ho)          output gate
/// c_t = f_t ⊙ c_{t−1} + i_t ⊙ g_t
/// h_t = o_t ⊙ tanh(c_t)
/// ```
///
/// The cell state `c` is updated by addition, not by a matrix product, so a gradient can travel
/// back along it over many steps without shrinking as it does in an ``RNN`` (while `f ≈ 1`).
///
/// Each step is one `h_{t−1}·W_hh` product and one fused pass over the gates, forward and backward
/// (TensorCore's `Tensor.recurrence`, as PyTorch's fused LSTM cell): written as tensor operations
/// the step was about a dozen autodiff operations, most of an LSTM's time in the lessons.
///
/// The four gates sit side by side in PyTorch's order i, f, g, o: ``inputWeight`` is
/// `(inputSize, 4·hidden)` = `[W_ii W_if W_ig W_io]`, PyTorch's `weight_ih_l0` transposed; see
/// ``RecurrentLayer`` for all four parameters. An LSTM(32 → 64) has 4·64·(32 + 64) + 2·4·64 =
/// 25,088 parameters, as PyTorch's.
///
/// - Shapes: input `(batch, time, inputSize)` or `(time, inputSize)` → outputs
///   `(batch, time, hidden)` or `(time, hidden)`; last states `(batch, hidden)` or `(hidden,)`.
public final class LSTM: RecurrentLayer {
    /// `[W_ii W_if W_ig W_io]`, `(inputSize, 4·hidden)`: PyTorch's `weight_ih_l0` transposed.
    public let inputWeight: Parameter
    /// `[W_hi W_hf W_hg W_ho]`, `(hidden, 4·hidden)`: PyTorch's `weight_hh_l0` transposed.
    public let hiddenWeight: Parameter
    /// `[b_ii b_if b_ig b_io]`, `(4·hidden,)`: PyTorch's `bias_ih_l0`.
    public let inputBias: Parameter
    /// `[b_hi b_hf b_hg b_ho]`, `(4·hidden,)`: PyTorch's `bias_hh_l0`.
    public let hiddenBias: Parameter
    public static let gateCount = 4

    /// A layer with PyTorch's initialisation: every weight and bias uniform in `±1/√hiddenSize`.
    ///
    /// - Precondition: `inputSize` and `hiddenSize` are at least 1.
    public convenience init(inputSize: Int, hiddenSize: Int, random: inout RandomState,
                            file: StaticString = #filePath, line: UInt = #line) {
        self.init(RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, gates: Self.gateCount, layer: "LSTM",
                                   random: &random, file: file, line: line))
    }

    /// A layer with PyTorch's initialisation, drawing from the global generator (`Random.seed`).
    public convenience init(inputSize: Int, hiddenSize: Int, file: StaticString = #filePath, line: UInt = #line) {
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, random: &Random.global, file: file, line: line)
    }

    /// A layer with the given weights, in the layout above (PyTorch's `weight_ih_l0.T`,
    /// `weight_hh_l0.T`, `bias_ih_l0`, `bias_hh_l0`).
    ///
    /// - Precondition: `inputWeight (inputs, 4h)`, `hiddenWeight (h, 4h)`, biases `(4h,)`.
    public convenience init(inputWeight: Tensor, hiddenWeight: Tensor, inputBias: Tensor, hiddenBias: Tensor,
                            file: StaticString = #filePath, line: UInt = #line) {
        self.init(RecurrentWeights(input: inputWeight, hidden: hiddenWeight, inputBias: inputBias, hiddenBias: hiddenBias,
                                   gates: Self.gateCount, layer: "LSTM", file: file, line: line))
    }

    private init(_ weights: RecurrentWeights) {
        inputWeight = Parameter(weights.input)
        hiddenWeight = Parameter(weights.hidden)
        inputBias = Parameter(weights.inputBias)
        hiddenBias = Parameter(weights.hiddenBias)
    }

    /// The hidden state at every step, `(batch, time, hidden)` or `(time, hidden)`, from zero states.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        run(input).outputs
    }

    /// Runs the layer along `input` (PyTorch's `output, (h_n, c_n) = lstm(input, (h_0, c_0))`).
    ///
    /// - Parameters:
    ///   - input: `(batch, time, inputSize)` or `(time, inputSize)`.
    ///   - initialHidden: `h_0`, `(batch, hidden)` or `(hidden,)`; zeros when nil.
    ///   - initialCell: `c_0`, of the same shape; zeros when nil.
    ///   - lengths: for a padded batch, each sequence's number of real steps (from 1 to `time`):
    ///     the last states are each sequence's at its own last step and the outputs after it are
    ///     zero, as with `pack_padded_sequence` and `pad_packed_sequence`. The padding must be
    ///     finite numbers: padded steps are computed, then masked out.
    /// - Returns: the outputs `(batch, time, hidden)` and the last hidden and cell states
    ///   `(batch, hidden)`; without the batch axis for unbatched input.
    public func run(_ input: Tensor, initialHidden: Tensor? = nil, initialCell: Tensor? = nil, lengths: [Int]? = nil,
                    file: StaticString = #filePath, line: UInt = #line) -> LSTMOutput {
        let result = unroll(input, cell: .lstm, initialStates: [("hidden", initialHidden), ("cell", initialCell)],
                            lengths: lengths, file: file, line: line)
        return LSTMOutput(outputs: result.outputs, lastHidden: result.lastStates[0], lastCell: result.lastStates[1])
    }
}
