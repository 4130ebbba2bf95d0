import TensorCore

/// The loop the recurrent layers share: checking the input, projecting every step at once,
/// stepping through time with masks for padded sequences, and putting the outputs together.
///
/// Backpropagation through time needs nothing of its own: the loop builds one autodiff graph
/// through every step, and `backward()` walks it back from the last step to the first.
extension RecurrentLayer {
    /// Runs `step` along the sequence and returns the outputs and the last states.
    ///
    /// ```
    /// P = x·W_ih + b_ih                                  every step at once: (b·t, in) × (in, G·h)
    /// for t = 1 … T:
    ///     s_new = step(P_t, s_{t−1})                     one (b, h) × (h, G·h) matmul inside `step`
    ///     s_t = m_t ⊙ s_new + (1 − m_t) ⊙ s_{t−1}        m_t = 1 while t ≤ length, else 0
    ///     output_t = m_t ⊙ h_new
    /// ```
    ///
    /// The masks make a sequence's state stop at its last real step and its outputs zero after
    /// it, as PyTorch's `pack_padded_sequence` and `pad_packed_sequence` do. They are products,
    /// not branches, so the gradient of a padded step's input is exactly zero and the last
    /// state's gradient flows back to the step where the sequence really ended.
    ///
    /// - Parameters:
    ///   - input: `(batch, time, inputSize)` or `(time, inputSize)`.
    ///   - initialStates: each state's name (for messages) and value, `(batch, hidden)` or
    ///     `(hidden,)` as the input is batched or not; nil is zeros. The hidden state comes first.
    ///   - lengths: each sequence's number of real steps, from 1 to `time`; nil when all are full.
    ///   - step: the cell: from the step's projection `(batch, G·hidden)` and the states, the new states.
    /// - Returns: outputs `(batch, time, hidden)` or `(time, hidden)`, and the last states.
    func unroll(_ input: Tensor, initialStates: [(name: String, value: Tensor?)], lengths: [Int]?,
                file: StaticString, line: UInt,
                step: (_ projection: Tensor, _ states: [Tensor]) -> [Tensor]) -> (outputs: Tensor, lastStates: [Tensor]) {
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
        var states = initialStates.map { state -> Tensor in
            guard let value = state.value else { return Tensor.zeros([batch, hiddenSize], dtype: dtype) }
            guard value.shape == stateShape else {
                tensorFailure("\(name): for input of shape \(input.shapeDescription) the initial \(state.name) state must have shape \(Tensor.shapeDescription(stateShape)), got \(value.shapeDescription)",
                              file: file, line: line)
            }
            return batched ? value : value.unsqueezed(axis: 0)
        }

        let width = Self.gateCount * hiddenSize
        let projected = (sequences.reshaped([batch * time, inputSize]).matmul(inputWeight.value) + inputBias.value)
            .reshaped([batch, time, width])
        // No sequence changes after the longest one ends: the steps after it are only zeros.
        let steps = lengths?.max() ?? time
        var outputs: [Tensor] = []
        for (t, projection) in Self.timeSteps(of: projected, count: steps).enumerated() {
            let new = step(projection, states)
            guard let mask = lengths.flatMap({ Self.mask(lengths: $0, step: t, dtype: dtype) }) else {
                outputs.append(new[0])
                states = new
                continue
            }
            let keep = 1 - mask
            let maskedHidden = mask * new[0]
            outputs.append(maskedHidden)
            states = states.indices.map { index in (index == 0 ? maskedHidden : mask * new[index]) + keep * states[index] }
        }
        if steps < time {
            outputs.append(Tensor.zeros([batch, time - steps, hiddenSize], dtype: dtype))
        }
        let all = Tensor.concat(outputs.map { $0.rank == 2 ? $0.unsqueezed(axis: 1) : $0 }, axis: 1)
        return batched ? (all, states) : (all.squeezed(axis: 0), states.map { $0.squeezed(axis: 0) })
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

    /// `m_t` as a `(batch, 1)` column: 1 for the sequences that reach step `t` (from 0), 0 for
    /// the others; nil when all do, as the mask would change nothing.
    private static func mask(lengths: [Int], step t: Int, dtype: DType) -> Tensor? {
        guard lengths.contains(where: { $0 <= t }) else { return nil }
        return Tensor(shape: [lengths.count, 1], scalars: lengths.map { t < $0 ? 1 : 0 }, dtype: dtype)
    }

    /// The first `count` steps of `x (batch, time, k)`, each `(batch, k)`.
    ///
    /// Why halves: the backward step of a slice scatters its gradient into a tensor of the whole
    /// sliced tensor's shape. Slicing the `t` steps straight from `x` would add up `t` gradients
    /// of `x`'s full size in the backward pass, a cost growing as `t²`. Cutting `x` in half, each
    /// half in half again, and so on, costs one `x` per level of cuts: `log₂ t` of them.
    static func timeSteps(of x: Tensor, count: Int) -> [Tensor] {
        func steps(_ part: Tensor) -> [Tensor] {
            let length = part.shape[1]
            guard length > 1 else { return [part[..., 0]] }
            return steps(part[..., 0..<(length / 2)]) + steps(part[..., (length / 2)...])
        }
        return steps(count < x.shape[1] ? x[..., 0..<count] : x)
    }
}
