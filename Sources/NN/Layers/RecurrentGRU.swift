@_spi(Layers) import TensorCore

/// A gated recurrent unit layer (Cho et al. 2014), as PyTorch's `torch.nn.GRU` computes it
/// (single layer, one direction, `batch_first=True`; the equations of its documentation,
/// docs.pytorch.org/docs/stable/generated/torch.nn.GRU.html):
///
/// ```
/// r_t = σ(x_t·W_ir + b_ir + h_{t−1}·W_hr + b_hr)                  reset gate
/// z_t = σ(x_t·W_iz + b_iz + h_{t−1}·W_hz + b_hz)                  update gate
/// n_t = tanh(x_t·W_in + b_in + r_t ⊙ (h_{t−1}·W_hn + b_hn))       new gate
/// h_t = (1 − z_t) ⊙ n_t + z_t ⊙ h_{t−1}
/// ```
///
/// The reset gate multiplies `h·W_hn + b_hn`, bias included, as PyTorch (and cuDNN) do; Cho et
/// al. apply it to `h` before the product, which gives a different layer. That is why the two
/// biases cannot be merged into one.
///
/// The three gates sit side by side in PyTorch's order r, z, n: ``inputWeight`` is
/// `(inputSize, 3·hidden)` = `[W_ir W_iz W_in]`, PyTorch's `weight_ih_l0` transposed; see
/// ``RecurrentLayer`` for all four parameters. A GRU(32 → 64) has 3·64·(32 + 64) + 2·3·64 =
/// 18,816 parameters, as PyTorch's.
///
/// - Shapes: input `(batch, time, inputSize)` or `(time, inputSize)` → outputs
///   `(batch, time, hidden)` or `(time, hidden)`; last state `(batch, hidden)` or `(hidden,)`.
public final class GRU: RecurrentLayer {
    /// `[W_ir W_iz W_in]`, `(inputSize, 3·hidden)`: PyTorch's `weight_ih_l0` transposed.
    public let inputWeight: Parameter
    /// `[W_hr W_hz W_hn]`, `(hidden, 3·hidden)`: PyTorch's `weight_hh_l0` transposed.
    public let hiddenWeight: Parameter
    /// `[b_ir b_iz b_in]`, `(3·hidden,)`: PyTorch's `bias_ih_l0`.
    public let inputBias: Parameter
    /// `[b_hr b_hz b_hn]`, `(3·hidden,)`: PyTorch's `bias_hh_l0`.
    public let hiddenBias: Parameter
    public static let gateCount = 3

    /// A layer with PyTorch's initialisation: every weight and bias uniform in `±1/√hiddenSize`.
    ///
    /// - Precondition: `inputSize` and `hiddenSize` are at least 1.
    public convenience init(inputSize: Int, hiddenSize: Int, random: inout RandomState,
                            file: StaticString = #filePath, line: UInt = #line) {
        self.init(RecurrentWeights(inputSize: inputSize, hiddenSize: hiddenSize, gates: Self.gateCount, layer: "GRU",
                                   random: &random, file: file, line: line))
    }

    /// A layer with PyTorch's initialisation, drawing from the global generator (`Random.seed`).
    public convenience init(inputSize: Int, hiddenSize: Int, file: StaticString = #filePath, line: UInt = #line) {
        self.init(inputSize: inputSize, hiddenSize: hiddenSize, random: &Random.global, file: file, line: line)
    }

    /// A layer with the given weights, in the layout above (PyTorch's `weight_ih_l0.T`,
    /// `weight_hh_l0.T`, `bias_ih_l0`, `bias_hh_l0`).
    ///
    /// - Precondition: `inputWeight (inputs, 3h)`, `hiddenWeight (h, 3h)`, biases `(3h,)`.
    public convenience init(inputWeight: Tensor, hiddenWeight: Tensor, inputBias: Tensor, hiddenBias: Tensor,
                            file: StaticString = #filePath, line: UInt = #line) {
        self.init(RecurrentWeights(input: inputWeight, hidden: hiddenWeight, inputBias: inputBias, hiddenBias: hiddenBias,
                                   gates: Self.gateCount, layer: "GRU", file: file, line: line))
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

    /// Runs the layer along `input` (PyTorch's `output, h_n = gru(input, h_0)`).
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
        let result = unroll(input, cell: .gru, initialStates: [("hidden", initialHidden)], lengths: lengths,
                            file: file, line: line)
        return RecurrentOutput(outputs: result.outputs, lastHidden: result.lastStates[0])
    }
}
