/// One step of the record that reverse-mode differentiation walks back through.
///
/// A tensor that needs a gradient carries a node. A *leaf* node belongs to a tensor made with
/// ``Tensor/requiringGradient()`` (a parameter, say) and keeps the gradient accumulated into it.
/// Any other node was made by an operation on at least one such tensor: it knows the nodes of
/// its inputs and how to turn the gradient of its result into gradients for them.
///
/// Tensors that need no gradient carry no node, so operations on them record nothing.
/// Nodes are not meant to be shared between threads while a backward pass runs.
final class GradientNode: @unchecked Sendable {
    /// The nodes of the operation's inputs, nil for inputs that need no gradient.
    let inputs: [GradientNode?]
    /// Gradients for the inputs from the gradient of the result (nil for a leaf).
    let backward: ((Tensor) -> [Tensor?])?
    /// The shape of the tensor this node belongs to.
    let shape: [Int]
    /// A leaf's gradient, summed over every backward pass since it was last zeroed.
    var gradient: Tensor?
    /// The gradient gathered so far during a backward pass (interior nodes).
    var pending: Tensor?

    /// A leaf.
    init(leafOfShape shape: [Int]) {
        self.inputs = []
        self.backward = nil
        self.shape = shape
    }

    /// The node of an operation's result.
    init(inputs: [GradientNode?], shape: [Int], backward: @escaping (Tensor) -> [Tensor?]) {
        self.inputs = inputs
        self.backward = backward
        self.shape = shape
    }

    var isLeaf: Bool { backward == nil }

    /// Every node this one depends on, itself last: each node comes after all the nodes that
    /// feed it, so walking the list backwards visits a node only once all its uses are done.
    func topologicalOrder() -> [GradientNode] {
        var order: [GradientNode] = []
        var visited: Set<ObjectIdentifier> = [ObjectIdentifier(self)]
        // An explicit stack: graphs of long training loops must not exhaust the call stack.
        var stack: [(node: GradientNode, nextInput: Int)] = [(self, 0)]
        while !stack.isEmpty {
            let (node, nextInput) = stack[stack.count - 1]
            if nextInput < node.inputs.count {
                stack[stack.count - 1].nextInput += 1
                if let input = node.inputs[nextInput], visited.insert(ObjectIdentifier(input)).inserted {
                    stack.append((input, 0))
                }
            } else {
                order.append(node)
                stack.removeLast()
            }
        }
        return order
    }
}

/// Whether operations record what gradients need: on, except inside
/// ``Tensor/withoutGradients(_:)`` and while a backward pass runs.
enum GradientRecording {
    @TaskLocal static var isOn = true
}

extension Tensor {
    /// The result of an operation on `inputs`, with a node that knows how to send its gradient
    /// back to them, when one of them needs a gradient and recording is on.
    ///
    /// `compute` receives the inputs without their nodes, so the operations it is made of
    /// record nothing. `backward` receives the gradient of the result and returns one gradient
    /// (of the input's shape) per input; it computes only those that ``Backward/needs`` asks for.
    static func differentiable(_ inputs: [Tensor], compute: ([Tensor]) -> Tensor,
                               backward: @escaping (Backward) -> [Tensor?]) -> Tensor {
        guard inputs.contains(where: { $0.gradientNode != nil }), GradientRecording.isOn else {
            return compute(inputs)
        }
        let plainInputs = inputs.map(\.detached)
        var result = compute(plainInputs)
        let plainResult = result
        let needs = inputs.map { $0.gradientNode != nil }
        result.gradientNode = GradientNode(inputs: inputs.map(\.gradientNode), shape: result.shape) { gradient in
            backward(Backward(gradient: gradient, inputs: plainInputs, result: plainResult, needs: needs))
        }
        return result
    }

    /// The results of an operation with several results (a recurrent layer's outputs and last
    /// states), each with a node, when one of the inputs needs a gradient and recording is on.
    ///
    /// The operation itself has one node, which sees its results as one vector of all their
    /// elements, one after the other; each result's node puts its gradient in its place there
    /// (zeros elsewhere), and the gradients the results got add up in that vector. `backward`
    /// receives it cut back into one gradient per result (zeros for a result the loss does not
    /// use) and returns one gradient per input, as for ``differentiable(_:compute:backward:)``.
    static func differentiable(_ inputs: [Tensor], computeResults: ([Tensor]) -> [Tensor],
                               backward: @escaping (_ resultGradients: [Tensor], _ step: Backward) -> [Tensor?]) -> [Tensor] {
        guard inputs.contains(where: { $0.gradientNode != nil }), GradientRecording.isOn else {
            return computeResults(inputs)
        }
        let plainInputs = inputs.map(\.detached)
        let results = computeResults(plainInputs)
        let shapes = results.map(\.shape)
        let starts = results.reduce(into: [0]) { starts, result in starts.append(starts.last! + result.count) }
        let total = starts.last!
        let needs = inputs.map { $0.gradientNode != nil }
        let operation = GradientNode(inputs: inputs.map(\.gradientNode), shape: [total]) { gradient in
            let resultGradients = shapes.indices.map { index in
                gradient[starts[index]..<starts[index + 1]].reshaped(shapes[index])
            }
            // `result` is not used by multi-result backward steps: the first result stands in.
            return backward(resultGradients, Backward(gradient: gradient, inputs: plainInputs, result: results[0], needs: needs))
        }
        return results.indices.map { index in
            var result = results[index]
            let range = starts[index]..<starts[index + 1]
            result.gradientNode = GradientNode(inputs: [operation], shape: result.shape) { gradient in
                [gradient.reshaped([range.count]).scattered(into: [total]) { $0[range] }]
            }
            return result
        }
    }

    /// The result of an operation on this tensor alone, whose input gradient is
    /// `inputGradient(gradient of the result, the input)`.
    func differentiableUnary(_ compute: (Tensor) -> Tensor,
                             inputGradient: @escaping (_ gradient: Tensor, _ input: Tensor) -> Tensor) -> Tensor {
        Tensor.differentiable([self], compute: { compute($0[0]) }) { step in
            [step.gradient(for: 0) { inputGradient(step.gradient, step.inputs[0]) }]
        }
    }

    /// What an operation's backward step works from.
    struct Backward {
        /// The gradient of the operation's result.
        let gradient: Tensor
        /// The operation's inputs (without nodes).
        let inputs: [Tensor]
        /// The operation's result (without its node).
        let result: Tensor
        /// Which inputs need a gradient.
        let needs: [Bool]

        /// `make()` for an input that needs a gradient, nil for one that does not.
        func gradient(for input: Int, _ make: () -> Tensor) -> Tensor? {
            needs[input] ? make() : nil
        }
    }

    /// The tensor without its gradient node.
    var detached: Tensor {
        var copy = self
        copy.gradientNode = nil
        return copy
    }
}
