/// A recurrent layer's whole pass through time as one operation with its own backward pass:
/// NN's `RNN`, `LSTM` and `GRU` run on it.
///
/// Written with tensor operations, an LSTM's step is about a dozen operations (the sum of the
/// gate inputs, a split in four, three sigmoids, two tanh, the products and sums of the cell
/// update), and a padded batch adds about seven mask products and sums; each is a node of the
/// autodiff graph and a new small tensor, forward and backward, at every step. For the small
/// layers of the lessons (a batch of 64, 64 hidden units) that bookkeeping, not the arithmetic,
/// was most of the time. Here each step is one matrix product `h_{t−1}·W_hh` (by BLAS) and one
/// pass over the gates that computes the cell's equations and keeps what the backward pass needs;
/// the backward pass walks the steps back (backpropagation through time written out), with one
/// pass per step for the gates' gradients and one product for `∂L/∂h_{t−1}`, and `∂L/∂W_hh` as
/// one product over all the steps at the end. That is what cuDNN does, and what PyTorch's fused
/// LSTM cell (`_thnn_fused_lstm_cell`) does for one step.
///
/// The cells' equations are those of NN's layers (PyTorch's), with each sum and product in the
/// same order as the tensor composition the layers used before, so the values are the
/// composition's to the last bits (the gradients add the same terms, in a different order):
///
/// ```
/// tanh:  h_t = tanh(p_t + h_{t−1}·W_hh + b_hh)
/// lstm:  [i f g o] = p_t + h_{t−1}·W_hh + b_hh           (gate pre-activations, PyTorch's order)
///        c_t = σ(f) ⊙ c_{t−1} + σ(i) ⊙ tanh(g)
///        h_t = σ(o) ⊙ tanh(c_t)
/// gru:   [a_r a_z a_n] = h_{t−1}·W_hh + b_hh
///        r = σ(p_r + a_r),  z = σ(p_z + a_z),  n = tanh(p_n + r ⊙ a_n)
///        h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
/// ```
///
/// and their gradients, from `ĥ = ∂L/∂h_t` (from the output and from the next step) and, for the
/// LSTM, `ĉ = ∂L/∂c_t` (from the next step):
///
/// ```
/// tanh:  ∂L/∂pre = ĥ ⊙ (1 − h_t²)
/// lstm:  ĉ' = ĉ + ĥ ⊙ o ⊙ (1 − tanh²c_t)                         (o, i, f, g after σ and tanh)
///        ∂L/∂pre = [ĉ'⊙g⊙i(1−i),  ĉ'⊙c_{t−1}⊙f(1−f),  ĉ'⊙i⊙(1−g²),  ĥ⊙tanh c_t⊙o(1−o)]
///        ∂L/∂c_{t−1} = ĉ' ⊙ f
/// gru:   n̂ = ĥ ⊙ (1 − z) ⊙ (1 − n²)
///        ∂L/∂p = [n̂⊙a_n⊙r(1−r),  ĥ⊙(h_{t−1} − n)⊙z(1−z),  n̂]     ∂L/∂a = the same, with r⊙n̂ last
///        ∂L/∂h_{t−1} gets ĥ ⊙ z besides the product below
/// all:   ∂L/∂h_{t−1} += ∂L/∂a · W_hhᵀ        ∂L/∂W_hh = Σ_t h_{t−1}ᵀ · ∂L/∂a_t       ∂L/∂b_hh = Σ ∂L/∂a_t
/// ```
///
/// where `a` is `h_{t−1}·W_hh + b_hh` and `pre = p + a` for the tanh and LSTM cells.
///
/// With `lengths`, a sequence whose last step has passed keeps its states and gives zero
/// outputs: its rows skip the cell (forward) and pass their states' gradients straight back
/// (backward), and its inputs get zero gradient, as the mask products `m ⊙ new + (1 − m) ⊙ old`
/// did, and as PyTorch's packed sequences do.
///
/// Not part of the lessons' API: NN imports it with `@_spi(Layers)`.
@_spi(Layers)
public enum RecurrentCell: Sendable {
    /// An Elman RNN's `tanh` cell: one gate, one state.
    case tanh
    /// An LSTM cell: gates i, f, g, o; states h and c.
    case lstm
    /// A GRU cell: gates r, z, n; one state.
    case gru

    /// `G`, the number of gates side by side in the projections and the hidden weight.
    public var gateCount: Int {
        switch self {
        case .tanh: 1
        case .lstm: 4
        case .gru: 3
        }
    }

    /// The number of states carried from step to step (h, and c for the LSTM).
    public var stateCount: Int { self == .lstm ? 2 : 1 }

    /// How many numbers per hidden unit each step keeps for the backward pass: the LSTM's four
    /// gates and tanh c_t; the GRU's r, z, n and a_n. (The tanh cell's h_t is its state.)
    fileprivate var savedWidth: Int {
        switch self {
        case .tanh: 0
        case .lstm: 5
        case .gru: 4
        }
    }
}

extension Tensor {
    /// Runs a recurrent cell along a batch of sequences and returns the hidden state at every
    /// step and the last states, recording one operation for the whole pass (see above).
    ///
    /// - Parameters:
    ///   - cell: which cell.
    ///   - projected: `x·W_ih + b_ih` for every step, `(batch, time, G·hidden)`.
    ///   - hiddenWeight: `W_hh`, `(hidden, G·hidden)`.
    ///   - hiddenBias: `b_hh`, `(G·hidden,)`.
    ///   - initialStates: `h_0` (and `c_0` for the LSTM), each `(batch, hidden)`.
    ///   - lengths: each sequence's number of real steps, from 1 to `time`; nil when all are full.
    /// - Returns: the outputs `(batch, time, hidden)`, zero past each sequence's length, and the
    ///   states after each sequence's last step, `(batch, hidden)` each.
    /// - Precondition: the shapes above, and one float dtype for all the tensors.
    @_spi(Layers)
    public static func recurrence(_ cell: RecurrentCell, projected: Tensor, hiddenWeight: Tensor, hiddenBias: Tensor,
                                  initialStates: [Tensor], lengths: [Int]?,
                                  file: StaticString = #filePath, line: UInt = #line) -> (outputs: Tensor, lastStates: [Tensor]) {
        let plan = Recurrence(cell: cell, projected: projected, hiddenWeight: hiddenWeight, hiddenBias: hiddenBias,
                              initialStates: initialStates, lengths: lengths, file: file, line: line)
        var tape: Recurrence.Tape?
        let results = Tensor.differentiable([projected, hiddenWeight, hiddenBias] + initialStates, computeResults: { inputs in
            let forward = plan.forward(inputs)
            tape = forward.tape
            return forward.results
        }) { resultGradients, step in
            plan.backward(resultGradients, step: step, tape: tape!)
        }
        return (results[0], Array(results.dropFirst()))
    }
}

/// One pass of a cell through time: its sizes, and the loops forward and backward.
private struct Recurrence {
    let cell: RecurrentCell
    let batch: Int, time: Int, hidden: Int
    /// The steps computed: up to the longest sequence's end (the outputs after it are zeros).
    let steps: Int
    let lengths: [Int]?
    var width: Int { cell.gateCount * hidden }

    /// What the forward pass keeps for the backward pass.
    enum Tape {
        case float32(Steps<Float>)
        case float64(Steps<Double>)
    }

    /// The states before and after every step, and each step's saved gate values.
    struct Steps<Element> {
        /// `h_0 … h_steps`, each `(batch, hidden)`.
        var hidden: [[Element]]
        /// `c_0 … c_steps` for the LSTM.
        var cells: [[Element]]
        /// Step t's saved numbers, `(batch, savedWidth, hidden)` (see ``RecurrentCell/savedWidth``).
        var saved: [[Element]]
    }

    init(cell: RecurrentCell, projected: Tensor, hiddenWeight: Tensor, hiddenBias: Tensor, initialStates: [Tensor],
         lengths: [Int]?, file: StaticString, line: UInt) {
        func fail(_ message: String) -> Never { tensorFailure("recurrence: \(message)", file: file, line: line) }
        guard projected.rank == 3, projected.dtype.isFloatingPoint else {
            fail("the projected inputs must be a float tensor (batch, time, G·hidden), got \(projected.dtype) of shape \(describe(shape: projected.shape))")
        }
        let (batch, time) = (projected.shape[0], projected.shape[1])
        let hidden = hiddenWeight.rank == 2 ? hiddenWeight.shape[0] : 0
        let width = cell.gateCount * hidden
        guard hidden > 0, hiddenWeight.shape == [hidden, width], projected.shape[2] == width else {
            fail("a \(cell) cell needs a hidden weight (hidden, \(cell.gateCount)·hidden) and projected inputs (batch, time, \(cell.gateCount)·hidden), got \(describe(shape: hiddenWeight.shape)) and \(describe(shape: projected.shape))")
        }
        guard hiddenBias.shape == [width] else {
            fail("the hidden bias must have shape (\(width),), got \(describe(shape: hiddenBias.shape))")
        }
        guard initialStates.count == cell.stateCount else {
            fail("a \(cell) cell carries \(cell.stateCount) state\(cell.stateCount == 1 ? "" : "s"), got \(initialStates.count) initial states")
        }
        if let bad = initialStates.first(where: { $0.shape != [batch, hidden] }) {
            fail("each initial state must have shape \(describe(shape: [batch, hidden])), got \(describe(shape: bad.shape))")
        }
        let dtype = projected.dtype
        if let bad = ([hiddenWeight, hiddenBias] + initialStates).first(where: { $0.dtype != dtype }) {
            fail("all the tensors must have the projected inputs' dtype \(dtype), got one of \(bad.dtype)")
        }
        if let lengths {
            guard lengths.count == batch, lengths.allSatisfy({ (1...Swift.max(time, 1)).contains($0) }) else {
                fail("needs one length from 1 to \(time) per sequence (\(batch)), got \(lengths)")
            }
        }
        self.cell = cell
        (self.batch, self.time, self.hidden) = (batch, time, hidden)
        self.lengths = lengths
        steps = lengths?.max() ?? time
    }

    /// Whether sequence `row` is still going at step `t` (from 0).
    @inline(__always)
    func isRunning(_ row: Int, at t: Int) -> Bool {
        guard let lengths else { return true }
        return t < lengths[row]
    }

    // MARK: Entry points

    /// The outputs and last states from the inputs `[projected, W_hh, b_hh, h_0, (c_0)]`.
    func forward(_ inputs: [Tensor]) -> (results: [Tensor], tape: Tape) {
        switch inputs[0].dtype {
        case .float32:
            let (results, steps) = forward(inputs, as: Float.self)
            return (results, .float32(steps))
        default:
            let (results, steps) = forward(inputs, as: Double.self)
            return (results, .float64(steps))
        }
    }

    /// The gradients of the inputs from those of the results.
    func backward(_ resultGradients: [Tensor], step: Tensor.Backward, tape: Tape) -> [Tensor?] {
        switch tape {
        case .float32(let steps): backward(resultGradients, step: step, tape: steps)
        case .float64(let steps): backward(resultGradients, step: step, tape: steps)
        }
    }

    // MARK: Forward

    private func forward<Element: TensorScalar & StorageElement>(_ inputs: [Tensor], as type: Element.Type)
        -> (results: [Tensor], tape: Steps<Element>) {
        let (batch, hidden, width) = (batch, hidden, width)
        let projected = inputs[0].storage.elements(of: Element.self)!
        let weight = inputs[1]
        let bias = inputs[2].storage.elements(of: Element.self)!
        var tape = Steps<Element>(hidden: [inputs[3].storage.elements(of: Element.self)!],
                                  cells: cell == .lstm ? [inputs[4].storage.elements(of: Element.self)!] : [],
                                  saved: [])
        var outputs = [Element](repeating: 0, count: batch * time * hidden)
        for t in 0..<steps {
            let product = Tensor(shape: [batch, hidden], storage: Element.storage(tape.hidden[t])).matmul(weight)
                .storage.elements(of: Element.self)!
            var newHidden = tape.hidden[t]
            var newCell = cell == .lstm ? tape.cells[t] : []
            var saved = [Element](repeating: 0, count: batch * cell.savedWidth * hidden)
            projected.withUnsafeBufferPointer { projected in
                product.withUnsafeBufferPointer { product in
                    bias.withUnsafeBufferPointer { bias in
                        newHidden.withUnsafeMutableBufferPointer { h in
                            newCell.withUnsafeMutableBufferPointer { c in
                                saved.withUnsafeMutableBufferPointer { saved in
                                    outputs.withUnsafeMutableBufferPointer { outputs in
                                        for row in 0..<batch where isRunning(row, at: t) {
                                            let step = row * time + t
                                            let gates = GateRow(p: projected.baseAddress! + step * width,
                                                                a: product.baseAddress! + row * width, bias: bias.baseAddress!)
                                            let (h, saved) = (h.baseAddress! + row * hidden,
                                                              saved.baseAddress.map { $0 + row * cell.savedWidth * hidden })
                                            switch cell {
                                            case .tanh: Self.tanhForward(gates, h: h, hidden: hidden)
                                            case .lstm: Self.lstmForward(gates, h: h, c: c.baseAddress! + row * hidden, saved: saved!, hidden: hidden)
                                            case .gru: Self.gruForward(gates, h: h, saved: saved!, hidden: hidden)
                                            }
                                            (outputs.baseAddress! + step * hidden).update(from: h, count: hidden)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            tape.hidden.append(newHidden)
            if cell == .lstm { tape.cells.append(newCell) }
            tape.saved.append(saved)
        }
        var results = [Tensor(shape: [batch, time, hidden], storage: Element.storage(outputs)),
                       Tensor(shape: [batch, hidden], storage: Element.storage(tape.hidden[steps]))]
        if cell == .lstm { results.append(Tensor(shape: [batch, hidden], storage: Element.storage(tape.cells[steps]))) }
        return (results, tape)
    }

    /// One row of a step's gate inputs: the projection `p`, the product `a = h_{t−1}·W_hh`
    /// (without its bias), and `b_hh`.
    private struct GateRow<Element> {
        let p: UnsafePointer<Element>, a: UnsafePointer<Element>, bias: UnsafePointer<Element>
    }

    /// `h ← tanh(p + a + b)`.
    @inline(__always)
    private static func tanhForward<Element: TensorScalar>(_ gates: GateRow<Element>, h: UnsafeMutablePointer<Element>,
                                                           hidden: Int) {
        let (p, a, b) = (gates.p, gates.a, gates.bias)
        for j in 0..<hidden { h[j] = Element.hyperbolicTangent(p[j] + a[j] + b[j]) }
    }

    /// `c ← σ(f)·c + σ(i)·tanh(g)`, `h ← σ(o)·tanh(c)`; keeps i, f, g, o (after σ, tanh) and tanh c.
    @inline(__always)
    private static func lstmForward<Element: TensorScalar>(_ gates: GateRow<Element>, h: UnsafeMutablePointer<Element>,
                                                           c: UnsafeMutablePointer<Element>,
                                                           saved: UnsafeMutablePointer<Element>, hidden: Int) {
        let (p, a, b, n) = (gates.p, gates.a, gates.bias, hidden)
        for j in 0..<n {
            let i = sigmoid(p[j] + a[j] + b[j])
            let f = sigmoid(p[n + j] + a[n + j] + b[n + j])
            let g = Element.hyperbolicTangent(p[2 * n + j] + a[2 * n + j] + b[2 * n + j])
            let o = sigmoid(p[3 * n + j] + a[3 * n + j] + b[3 * n + j])
            let cell = f * c[j] + i * g
            let squashed = Element.hyperbolicTangent(cell)
            c[j] = cell
            h[j] = o * squashed
            (saved[j], saved[n + j], saved[2 * n + j], saved[3 * n + j], saved[4 * n + j]) = (i, f, g, o, squashed)
        }
    }

    /// `h ← (1 − z)·n + z·h` with r, z, n from `p` and `a + b`; keeps r, z, n and `a_n + b_n`.
    @inline(__always)
    private static func gruForward<Element: TensorScalar>(_ gates: GateRow<Element>, h: UnsafeMutablePointer<Element>,
                                                          saved: UnsafeMutablePointer<Element>, hidden: Int) {
        let (p, a, b, n) = (gates.p, gates.a, gates.bias, hidden)
        for j in 0..<n {
            let fromHiddenN = a[2 * n + j] + b[2 * n + j]
            let r = sigmoid(p[j] + (a[j] + b[j]))
            let z = sigmoid(p[n + j] + (a[n + j] + b[n + j]))
            let candidate = Element.hyperbolicTangent(p[2 * n + j] + r * fromHiddenN)
            h[j] = (1 - z) * candidate + z * h[j]
            (saved[j], saved[n + j], saved[2 * n + j], saved[3 * n + j]) = (r, z, candidate, fromHiddenN)
        }
    }

    /// 1 / (1 + e⁻ˣ), as TensorCore's `sigmoid()` computes it: for negative x the equal form
    /// eˣ / (1 + eˣ), so that no exponential overflows.
    @inline(__always)
    private static func sigmoid<Element: TensorScalar>(_ x: Element) -> Element {
        if x >= 0 { return 1 / (1 + Element.exponential(-x)) }
        let e = Element.exponential(x)
        return e / (1 + e)
    }

    // MARK: Backward

    private func backward<Element: TensorScalar & StorageElement>(_ resultGradients: [Tensor], step: Tensor.Backward,
                                                                  tape: Steps<Element>) -> [Tensor?] {
        let (batch, hidden, width) = (batch, hidden, width)
        let weightTransposed = step.inputs[1].T
        let outputGradient = resultGradients[0].storage.elements(of: Element.self)!
        var hiddenGradient = resultGradients[1].storage.elements(of: Element.self)!
        var cellGradient = cell == .lstm ? resultGradients[2].storage.elements(of: Element.self)! : []
        // ∂L/∂p, (batch, time, G·hidden), and ∂L/∂a for every step, (steps·batch, G·hidden).
        var projectedGradient = [Element](repeating: 0, count: batch * time * width)
        var productGradients = [Element](repeating: 0, count: steps * batch * width)
        for t in (0..<steps).reversed() {
            // ∂L/∂h_{t−1} but for the product through W_hh: a finished row's whole gradient
            // (its state was kept), or the GRU's ĥ·z.
            var direct = [Element](repeating: 0, count: batch * hidden)
            let (previous, saved) = (tape.hidden[t], tape.saved[t])
            let (newHidden, previousCell) = (tape.hidden[t + 1], cell == .lstm ? tape.cells[t] : [])
            outputGradient.withUnsafeBufferPointer { outputGradient in
                hiddenGradient.withUnsafeBufferPointer { hiddenGradient in
                    cellGradient.withUnsafeMutableBufferPointer { cellGradient in
                        direct.withUnsafeMutableBufferPointer { direct in
                            projectedGradient.withUnsafeMutableBufferPointer { projectedGradient in
                                productGradients.withUnsafeMutableBufferPointer { productGradients in
                                    previous.withUnsafeBufferPointer { previous in
                                        newHidden.withUnsafeBufferPointer { newHidden in
                                            saved.withUnsafeBufferPointer { saved in
                                                previousCell.withUnsafeBufferPointer { previousCell in
                                                    for row in 0..<batch {
                                                        let state = row * hidden
                                                        guard isRunning(row, at: t) else {
                                                            (direct.baseAddress! + state).update(from: hiddenGradient.baseAddress! + state, count: hidden)
                                                            continue
                                                        }
                                                        let gradients = GradientRow(
                                                            h: hiddenGradient.baseAddress! + state,
                                                            output: outputGradient.baseAddress! + (row * time + t) * hidden,
                                                            p: projectedGradient.baseAddress! + (row * time + t) * width,
                                                            a: productGradients.baseAddress! + (t * batch + row) * width,
                                                            direct: direct.baseAddress! + state)
                                                        let savedRow = saved.baseAddress.map { $0 + row * cell.savedWidth * hidden }
                                                        switch cell {
                                                        case .tanh:
                                                            Self.tanhBackward(gradients, h: newHidden.baseAddress! + state, hidden: hidden)
                                                        case .lstm:
                                                            Self.lstmBackward(gradients, cellGradient: cellGradient.baseAddress! + state,
                                                                              previousCell: previousCell.baseAddress! + state,
                                                                              saved: savedRow!, hidden: hidden)
                                                        case .gru:
                                                            Self.gruBackward(gradients, previous: previous.baseAddress! + state,
                                                                             saved: savedRow!, hidden: hidden)
                                                        }
                                                    }
                                                }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // ∂L/∂h_{t−1} = ∂L/∂a_t · W_hhᵀ + the direct part.
            let stepGradient = Tensor(shape: [batch, width], storage: Element.storage(Array(productGradients[(t * batch * width)..<((t + 1) * batch * width)])))
            hiddenGradient = stepGradient.matmul(weightTransposed).storage.elements(of: Element.self)!
            for index in hiddenGradient.indices { hiddenGradient[index] += direct[index] }
        }

        let allProductGradients = Tensor(shape: [steps * batch, width], storage: Element.storage(productGradients))
        var gradients: [Tensor?] = [
            step.gradient(for: 0) { Tensor(shape: [batch, time, width], storage: Element.storage(projectedGradient)) },
            // ∂L/∂W_hh = Σ_t h_{t−1}ᵀ · ∂L/∂a_t: one product of all the steps' rows.
            step.gradient(for: 1) {
                let previousStates = Tensor(shape: [steps * batch, hidden], storage: Element.storage(Array(tape.hidden[0..<steps].joined())))
                return previousStates.T.matmul(allProductGradients)
            },
            step.gradient(for: 2) { allProductGradients.sum(axis: 0) },
            step.gradient(for: 3) { Tensor(shape: [batch, hidden], storage: Element.storage(hiddenGradient)) },
        ]
        if cell == .lstm {
            gradients.append(step.gradient(for: 4) { Tensor(shape: [batch, hidden], storage: Element.storage(cellGradient)) })
        }
        return gradients
    }

    /// One row's gradients at a step: read `ĥ` (from the next step) and the output's; write
    /// `∂L/∂p`, `∂L/∂a` and the direct part of `∂L/∂h_{t−1}`.
    private struct GradientRow<Element> {
        let h: UnsafePointer<Element>, output: UnsafePointer<Element>
        let p: UnsafeMutablePointer<Element>, a: UnsafeMutablePointer<Element>, direct: UnsafeMutablePointer<Element>
    }

    @inline(__always)
    private static func tanhBackward<Element: TensorScalar>(_ g: GradientRow<Element>, h: UnsafePointer<Element>, hidden: Int) {
        for j in 0..<hidden {
            let pre = (g.h[j] + g.output[j]) * (1 - h[j] * h[j])
            g.p[j] = pre
            g.a[j] = pre
        }
    }

    /// Also turns `cellGradient` from ∂L/∂c_t into ∂L/∂c_{t−1}.
    @inline(__always)
    private static func lstmBackward<Element: TensorScalar>(_ g: GradientRow<Element>, cellGradient: UnsafeMutablePointer<Element>,
                                                            previousCell: UnsafePointer<Element>,
                                                            saved: UnsafePointer<Element>, hidden n: Int) {
        for j in 0..<n {
            let (i, f, gate, o, squashed) = (saved[j], saved[n + j], saved[2 * n + j], saved[3 * n + j], saved[4 * n + j])
            let h = g.h[j] + g.output[j]
            let cell = cellGradient[j] + h * o * (1 - squashed * squashed)
            let pre = (cell * gate * (i * (1 - i)), cell * previousCell[j] * (f * (1 - f)),
                       cell * i * (1 - gate * gate), h * squashed * (o * (1 - o)))
            (g.p[j], g.p[n + j], g.p[2 * n + j], g.p[3 * n + j]) = pre
            (g.a[j], g.a[n + j], g.a[2 * n + j], g.a[3 * n + j]) = pre
            cellGradient[j] = cell * f
        }
    }

    @inline(__always)
    private static func gruBackward<Element: TensorScalar>(_ g: GradientRow<Element>, previous: UnsafePointer<Element>,
                                                           saved: UnsafePointer<Element>, hidden n: Int) {
        for j in 0..<n {
            let (r, z, candidate, fromHiddenN) = (saved[j], saved[n + j], saved[2 * n + j], saved[3 * n + j])
            let h = g.h[j] + g.output[j]
            let candidatePre = h * (1 - z) * (1 - candidate * candidate)
            let resetPre = candidatePre * fromHiddenN * (r * (1 - r))
            let updatePre = h * (previous[j] - candidate) * (z * (1 - z))
            (g.p[j], g.p[n + j], g.p[2 * n + j]) = (resetPre, updatePre, candidatePre)
            (g.a[j], g.a[n + j], g.a[2 * n + j]) = (resetPre, updatePre, candidatePre * r)
            g.direct[j] = h * z
        }
    }
}
