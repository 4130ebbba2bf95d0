@_spi(Layers) import TensorCore

/// What the recurrent layers share: checking the input, projecting every step at once, and
/// running the cell through time with TensorCore's fused recurrence.
///
/// Backpropagation through time needs nothing of its own here: the recurrence is one operation of
/// the autodiff graph, whose backward pass walks the steps back from the last to the first.
extension RecurrentLayer {
    /// Runs `cell` along the sequence and returns the outputs and the last states.
    ///
    /// ```
    /// P = x·W_ih + b_ih                                  every step at once: (b·t, in) × (in, G·h)
    /// for t = 1 … T:
    ///     s_new = cell(P_t + h_{t−1}·W_hh + b_hh, s_{t−1})   one (b, h) × (h, G·h) product per step
    ///     s_t = m_t ⊙ s_new + (1 − m_t) ⊙ s_{t−1}        m_t = 1 while t ≤ length, else 0
    ///     output_t = m_t ⊙ h_new
    /// ```
    ///
    /// The masks make a sequence's state stop at its last real step and its outputs zero after
    /// it, as PyTorch's `pack_padded_sequence` and `pad_packed_sequence` do; the gradient of a
    /// padded step's input is exactly zero and the last state's gradient flows back to the step
    /// where the sequence really ended. The loop, the cell's equations and their gradients are
    /// `Tensor.recurrence` (TensorCore's `Tensor+Recurrence.swift`): one pass per step over the
    /// gates instead of a dozen tensor operations and their autodiff nodes.
    ///
    /// - Parameters:
    ///   - input: `(batch, time, inputSize)` or `(time, inputSize)`.
    ///   - cell: the layer's cell.
    ///   - initialStates: each state's name (for messages) and value, `(batch, hidden)` or
    ///     `(hidden,)` as the input is batched or not; nil is zeros. The hidden state comes first.
    ///   - lengths: each sequence's number of real steps, from 1 to `time`; nil when all are full.
    /// - Returns: outputs `(batch, time, hidden)` or `(time, hidden)`, and the last states.
    func unroll(_ input: Tensor, cell: RecurrentCell, initialStates: [(name: String, value: Tensor?)], lengths: [Int]?,
                file: StaticString, line: UInt) -> (outputs: Tensor, lastStates: [Tensor]) {
        let name = Self.layerName
        let batched = input.rank == 3
        guard input.rank == 2 || batched, input.shape.last == inputSize else {
            tensorFailure("\(name): expects input of shape (time, \(inputSize)) or (batch, time, \(inputSize)), got \(input.shapeDescription)",
                          file: file, line: line)
        }
        let sequences = batched ? input : input.unsqueezed(axis: 0)
        let (batch, time) = (sequences.shape[0], sequences.shape[1])
        guard batch > 0, time > 0 else {
            tensorFailure("\(name): needs at least one sequence of at least one step, got input of shape \(input.shapeDescription)",
                          file: file, line: line)
        }
        if let lengths {
            checkLengths(lengths, batch: batch, time: time, file: file, line: line)
        }
        let dtype = inputWeight.value.dtype
        let stateShape = batched ? [batch, hiddenSize] : [hiddenSize]
        let states = initialStates.map { state -> Tensor in
            guard let value = state.value else { return Tensor.zeros([batch, hiddenSize], dtype: dtype) }
            guard value.shape == stateShape else {
                tensorFailure("\(name): for input of shape \(input.shapeDescription) the initial \(state.name) state must have shape \(Tensor.shapeDescription(stateShape)), got \(value.shapeDescription)",
                              file: file, line: line)
            }
            guard value.dtype == dtype || !value.dtype.isFloatingPoint else {
                tensorFailure("\(name): the initial \(state.name) state is \(value.dtype) but the layer's weights are \(dtype); convert one with .cast(to:) first",
                              file: file, line: line)
            }
            let typed = value.cast(to: dtype)
            return batched ? typed : typed.unsqueezed(axis: 0)
        }

        let width = Self.gateCount * hiddenSize
        let projected = (sequences.reshaped([batch * time, inputSize]).matmul(inputWeight.value) + inputBias.value)
            .reshaped([batch, time, width])
        let result = Tensor.recurrence(cell, projected: projected, hiddenWeight: hiddenWeight.value, hiddenBias: hiddenBias.value,
                                       initialStates: states, lengths: lengths, file: file, line: line)
        return batched ? result : (result.outputs.squeezed(axis: 0), result.lastStates.map { $0.squeezed(axis: 0) })
    }

    private func checkLengths(_ lengths: [Int], batch: Int, time: Int, file: StaticString, line: UInt) {
        guard lengths.count == batch else {
            tensorFailure("\(Self.layerName): \(lengths.count) lengths for a batch of \(batch) sequences; give one length per sequence",
                          file: file, line: line)
        }
        if let bad = lengths.firstIndex(where: { !(1...time).contains($0) }) {
            tensorFailure("\(Self.layerName): lengths[\(bad)] is \(lengths[bad]), but a length must be from 1 to \(time) (the input's time steps)",
                          file: file, line: line)
        }
    }
}
