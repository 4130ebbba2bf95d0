import Testing
@_spi(Layers) @testable import TensorCore

/// `Tensor.recurrence` runs a recurrent cell through time as one operation with its own backward
/// pass. It must give the numbers of the step-by-step tensor composition it replaces (the one NN's
/// layers used before), forward and backward, with and without padded sequences, in both float
/// types; its gradients must agree with finite differences; and wrong shapes must stop with a
/// message.
@Suite struct RecurrenceTests {
    static let cells: [RecurrentCell] = [.tanh, .lstm, .gru]

    /// A batch of 3 sequences of 5 steps, 4 hidden units: the inputs of the operation, in the
    /// order of `Tensor.recurrence`'s arguments (projected, W_hh, b_hh, h_0, and c_0 for the LSTM).
    static func inputs(_ cell: RecurrentCell, dtype: DType, seed: UInt32 = 5) -> [Tensor] {
        var random = RandomState(seed: seed)
        let (batch, time, hidden) = (3, 5, 4)
        let width = cell.gateCount * hidden
        func randn(_ shape: [Int], scale: Double = 1) -> Tensor {
            random.randn(shape: shape, dtype: dtype, file: #filePath, line: #line) * scale
        }
        return [randn([batch, time, width]), randn([hidden, width], scale: 0.5), randn([width], scale: 0.5)]
            + (0..<cell.stateCount).map { _ in randn([batch, hidden]) }
    }

    /// The unfused composition: every step's equations as tensor operations, and the mask
    /// products for padded sequences (at every step, even where they change nothing).
    static func composed(_ cell: RecurrentCell, _ inputs: [Tensor], lengths: [Int]?) -> [Tensor] {
        let (projected, weight, bias) = (inputs[0], inputs[1], inputs[2])
        let (batch, time) = (projected.shape[0], projected.shape[1])
        var states = Array(inputs[3...])
        var outputs: [Tensor] = []
        for t in 0..<time {
            let p = projected[..., t]
            let h = states[0]
            let new: [Tensor]
            switch cell {
            case .tanh:
                new = [(p + h.matmul(weight) + bias).tanh()]
            case .lstm:
                let gates = (p + h.matmul(weight) + bias).split(4, axis: 1)
                let (i, f, g, o) = (gates[0].sigmoid(), gates[1].sigmoid(), gates[2].tanh(), gates[3].sigmoid())
                let c = f * states[1] + i * g
                new = [o * c.tanh(), c]
            case .gru:
                let fromInput = p.split(3, axis: 1)
                let fromHidden = (h.matmul(weight) + bias).split(3, axis: 1)
                let r = (fromInput[0] + fromHidden[0]).sigmoid()
                let z = (fromInput[1] + fromHidden[1]).sigmoid()
                let n = (fromInput[2] + r * fromHidden[2]).tanh()
                new = [(1 - z) * n + z * h]
            }
            let running = (0..<batch).map { row in t < (lengths?[row] ?? time) ? 1.0 : 0.0 }
            let mask = Tensor(shape: [batch, 1], scalars: running, dtype: projected.dtype)
            outputs.append((mask * new[0]).unsqueezed(axis: 1))
            states = states.indices.map { mask * new[$0] + (1 - mask) * states[$0] }
        }
        return [Tensor.concat(outputs, axis: 1)] + states
    }

    static func fused(_ cell: RecurrentCell, _ inputs: [Tensor], lengths: [Int]?) -> [Tensor] {
        let result = Tensor.recurrence(cell, projected: inputs[0], hiddenWeight: inputs[1], hiddenBias: inputs[2],
                                       initialStates: Array(inputs[3...]), lengths: lengths)
        return [result.outputs] + result.lastStates
    }

    /// The results, and every input's gradient for a fixed random weighting of all the results.
    static func resultsAndGradients(_ inputs: [Tensor],
                                    _ function: ([Tensor]) -> [Tensor]) -> (results: [Tensor], gradients: [Tensor]) {
        var random = RandomState(seed: 11)
        let leaves = inputs.map { $0.requiringGradient() }
        let results = function(leaves)
        var loss = Tensor(0, dtype: inputs[0].dtype)
        for result in results {
            loss = loss + (result * random.randn(shape: result.shape, dtype: result.dtype, file: #filePath, line: #line)).sumAll()
        }
        loss.backward()
        return (results, leaves.map { $0.gradient! })
    }

    static func expectClose(_ actual: [Tensor], _ expected: [Tensor], _ closeness: Closeness, _ what: String,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (index, (a, e)) in zip(actual, expected).enumerated() {
            #expect(a.dtype == e.dtype, sourceLocation: sourceLocation)
            let mismatch = closeness.mismatch(a, e)
            #expect(mismatch == nil, "\(what) \(index): \(mismatch ?? "")", sourceLocation: sourceLocation)
        }
    }

    @Test(arguments: cells, [DType.float64, .float32])
    func matchesTheComposition(_ cell: RecurrentCell, dtype: DType) {
        // float64: the same operations in the same order forward; the gradients add the same
        // terms in another order. float32: the same within its rounding.
        let closeness = dtype == .float64 ? Closeness(rtol: 1e-12, atol: 1e-12) : Closeness(rtol: 1e-5, atol: 1e-5)
        for lengths in [nil, [5, 2, 4], [1, 3, 3]] as [[Int]?] {
            let inputs = Self.inputs(cell, dtype: dtype)
            let fused = Self.resultsAndGradients(inputs) { Self.fused(cell, $0, lengths: lengths) }
            let composed = Self.resultsAndGradients(inputs) { Self.composed(cell, $0, lengths: lengths) }
            Self.expectClose(fused.results, composed.results, closeness, "\(cell) \(dtype) lengths \(lengths ?? []) result")
            Self.expectClose(fused.gradients, composed.gradients, closeness, "\(cell) \(dtype) lengths \(lengths ?? []) gradient of input")
        }
    }

    @Test(arguments: cells)
    func gradientsMatchFiniteDifferences(_ cell: RecurrentCell) {
        let inputs = Self.inputs(cell, dtype: .float64, seed: 8)
        for lengths in [nil, [2, 5, 4]] as [[Int]?] {
            expectGradientsMatchFiniteDifferences(inputs) { leaves in
                Tensor.concat(Self.fused(cell, leaves, lengths: lengths).map { $0.flattened() })
            }
        }
    }

    /// After a sequence's last step its outputs are zero, its states stay, and its inputs get no gradient.
    @Test func finishedSequencesKeepTheirStates() throws {
        let inputs = Self.inputs(.lstm, dtype: .float64)
        let leaves = inputs.map { $0.requiringGradient() }
        let results = Self.fused(.lstm, leaves, lengths: [5, 2, 4])
        #expect(results[0][1, 2...].scalars.allSatisfy { $0 == 0 })
        #expect(results[1][1].scalars == results[0][1, 1].scalars)
        (results[0].sumAll() + results[1].sumAll() + results[2].sumAll()).backward()
        let gradient = try #require(leaves[0].gradient)
        #expect(gradient[1, 2...].scalars.allSatisfy { $0 == 0 })
        #expect(gradient[1, 0..<2].scalars.allSatisfy { $0 != 0 })
    }

    /// Without a tensor that needs a gradient, nothing is recorded.
    @Test func recordsNothingWithoutGradients() {
        let results = Self.fused(.gru, Self.inputs(.gru, dtype: .float64), lengths: nil)
        #expect(results.allSatisfy { !$0.requiresGradient })
        #expect(results.map(\.shape) == [[3, 5, 4], [3, 4]])
    }

    static func expectMessage(_ result: ExitTest.Result?, contains text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains(text), "\(message)", sourceLocation: sourceLocation)
    }

    @Test func aHiddenWeightOfTheWrongWidth() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.recurrence(.lstm, projected: Tensor.zeros([2, 3, 8]), hiddenWeight: Tensor.zeros([2, 6]),
                                  hiddenBias: Tensor.zeros([8]), initialStates: [Tensor.zeros([2, 2]), Tensor.zeros([2, 2])],
                                  lengths: nil)
        }
        Self.expectMessage(result, contains: "recurrence: a lstm cell needs a hidden weight (hidden, 4·hidden) and projected inputs (batch, time, 4·hidden), got (2, 6) and (2, 3, 8)")
    }

    @Test func aMissingCellState() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.recurrence(.lstm, projected: Tensor.zeros([2, 3, 8]), hiddenWeight: Tensor.zeros([2, 8]),
                                  hiddenBias: Tensor.zeros([8]), initialStates: [Tensor.zeros([2, 2])], lengths: nil)
        }
        Self.expectMessage(result, contains: "recurrence: a lstm cell carries 2 states, got 1 initial states")
    }

    @Test func aStateOfTheWrongShape() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.recurrence(.gru, projected: Tensor.zeros([2, 3, 6]), hiddenWeight: Tensor.zeros([2, 6]),
                                  hiddenBias: Tensor.zeros([6]), initialStates: [Tensor.zeros([3, 2])], lengths: nil)
        }
        Self.expectMessage(result, contains: "recurrence: each initial state must have shape (2, 2), got (3, 2)")
    }

    @Test func mixedFloatTypes() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.recurrence(.tanh, projected: Tensor.zeros([2, 3, 2]), hiddenWeight: Tensor.zeros([2, 2], dtype: .float32),
                                  hiddenBias: Tensor.zeros([2]), initialStates: [Tensor.zeros([2, 2])], lengths: nil)
        }
        Self.expectMessage(result, contains: "recurrence: all the tensors must have the projected inputs' dtype float64, got one of float32")
    }

    @Test func aLengthPastTheEnd() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = Tensor.recurrence(.tanh, projected: Tensor.zeros([2, 3, 2]), hiddenWeight: Tensor.zeros([2, 2]),
                                  hiddenBias: Tensor.zeros([2]), initialStates: [Tensor.zeros([2, 2])], lengths: [3, 4])
        }
        Self.expectMessage(result, contains: "recurrence: needs one length from 1 to 3 per sequence (2), got [3, 4]")
    }
}
