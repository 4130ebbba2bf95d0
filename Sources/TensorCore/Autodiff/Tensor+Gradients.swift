/// Reverse-mode automatic differentiation, in the manner of PyTorch's autograd.
///
/// Mark the tensors to differentiate with respect to — a model's parameters — with
/// ``Tensor/requiringGradient()``. Every operation on them records how to send a gradient back;
/// ``Tensor/backward(file:line:)`` on a one-element result (a loss) walks that record backwards
/// and adds `∂loss/∂p` into each marked tensor's ``Tensor/gradient``:
///
/// ```swift
/// let w = Tensor([[0.5], [-0.25]]).requiringGradient()
/// let loss = crossEntropy(x.matmul(w), labels)
/// loss.backward()
/// print(w.gradient!)              // ∂loss/∂w, shape (2, 1)
/// ```
///
/// Gradients accumulate over backward passes until ``Tensor/zeroGradient()``. Tensors that do not
/// depend on a marked tensor record nothing, so code without gradients pays nothing for them.
extension Tensor {
    /// The same values, as a tensor whose gradient is wanted: a leaf of the computations that
    /// use it. Copies of it share its gradient.
    public func requiringGradient(file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard dtype.isFloatingPoint else {
            tensorFailure("requiringGradient: only float32 and float64 tensors have gradients, not \(dtype); convert with .cast(to: .float64) first",
                          file: file, line: line)
        }
        var leaf = detached
        leaf.gradientNode = GradientNode(leafOfShape: shape)
        return leaf
    }

    /// Whether gradients flow back through this tensor: it was made with
    /// ``requiringGradient()``, or computed from one that was.
    public var requiresGradient: Bool { gradientNode != nil }

    /// The same values, cut off from the record: no gradient flows back through the result
    /// (PyTorch's `x.detach()`).
    public func detachedFromGradients() -> Tensor { detached }

    /// The gradient accumulated into this tensor by backward passes: set for a tensor made with
    /// ``requiringGradient()`` once a backward pass reached it, nil otherwise.
    public var gradient: Tensor? { gradientNode?.isLeaf == true ? gradientNode?.gradient : nil }

    /// Forgets the accumulated gradient (PyTorch's `zero_grad`), so the next backward pass starts afresh.
    public func zeroGradient() {
        gradientNode?.gradient = nil
    }

    /// Replaces the accumulated gradient of a tensor made with ``requiringGradient()`` — to
    /// clip or rescale it before an optimizer's step. Does nothing for other tensors.
    ///
    /// - Precondition: `gradient` (when not nil) has this tensor's shape.
    public func setGradient(_ gradient: Tensor?, file: StaticString = #filePath, line: UInt = #line) {
        guard let node = gradientNode, node.isLeaf else { return }
        if let gradient, gradient.shape != shape {
            tensorFailure("setGradient: a gradient of shape \(describe(shape: gradient.shape)) for a tensor of shape \(describe(shape: shape))",
                          file: file, line: line)
        }
        node.gradient = gradient?.detached
    }

    /// New values for a tensor that requires a gradient, keeping its place as the same leaf: its
    /// copies and its accumulated gradient stay attached. What an optimizer's step uses.
    ///
    /// - Precondition: `values` has this tensor's shape and dtype.
    public func replacingValues(with values: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard values.shape == shape, values.dtype == dtype else {
            tensorFailure("replacingValues: new values of shape \(describe(shape: values.shape)) (\(values.dtype)) for a tensor of shape \(describe(shape: shape)) (\(dtype))",
                          file: file, line: line)
        }
        var replaced = values.detached
        if gradientNode?.isLeaf == true { replaced.gradientNode = gradientNode }
        return replaced
    }

    /// Computes the gradient of this one-element tensor (a loss) with respect to every tensor it
    /// was computed from that requires a gradient, and adds it into their ``gradient``.
    public func backward(file: StaticString = #filePath, line: UInt = #line) {
        guard count == 1 else {
            tensorFailure("backward: needs a tensor with one element (a loss), but this one has shape \(describe(shape: shape)); reduce it first, for example with .sumAll() or .meanAll()",
                          file: file, line: line)
        }
        backward(seed: Tensor.ones(shape, dtype: dtype), file: file, line: line)
    }

    /// Computes gradients starting from `seed`, the gradient of some quantity with respect to
    /// this tensor (a vector–Jacobian product); `seed` has this tensor's shape.
    public func backward(seed: Tensor, file: StaticString = #filePath, line: UInt = #line) {
        guard let root = gradientNode else {
            tensorFailure("backward: this tensor does not depend on any tensor that requires a gradient; mark the parameters with .requiringGradient() (or unfreeze them)",
                          file: file, line: line)
        }
        guard seed.shape == shape else {
            tensorFailure("backward: the seed has shape \(describe(shape: seed.shape)) but the tensor has \(describe(shape: shape))",
                          file: file, line: line)
        }
        GradientRecording.$isOn.withValue(false) {
            let order = root.topologicalOrder()
            root.pending = seed.detached
            for node in order.reversed() {
                guard let gradient = node.pending else { continue }
                node.pending = nil
                if node.isLeaf {
                    node.gradient = node.gradient.map { $0 + gradient } ?? gradient
                    continue
                }
                let inputGradients = node.backward!(gradient)
                for (input, inputGradient) in zip(node.inputs, inputGradients) {
                    guard let input, let inputGradient else { continue }
                    assert(inputGradient.shape == input.shape, "a backward step returned a gradient of the wrong shape")
                    input.pending = input.pending.map { $0 + inputGradient } ?? inputGradient
                }
            }
        }
    }

    /// Runs `body` without recording anything for gradients (PyTorch's `torch.no_grad()`): for
    /// evaluating a model, or updating its parameters.
    public static func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
        try GradientRecording.$isOn.withValue(false, operation: body)
    }

    /// The sum of every element as a 0-d tensor, which gradients flow through (``sum()`` gives a
    /// plain number).
    public func sumAll() -> Tensor {
        flattened().sum(axis: 0)
    }

    /// The mean of every element as a 0-d tensor, which gradients flow through (``mean()`` gives
    /// a plain number).
    public func meanAll() -> Tensor {
        flattened().mean(axis: 0)
    }

    /// The tensor summed over the axes that broadcasting added or stretched, back to `target`
    /// (the shape it was broadcast from): the gradient of a broadcast.
    func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        var result = self
        while result.rank > target.count {
            result = result.sum(axis: 0)
        }
        for axis in target.indices where target[axis] == 1 && result.shape[axis] != 1 {
            result = result.sum(axis: axis, keepDims: true)
        }
        return result
    }

    /// A tensor of `shape` holding zeros except where the elements picked by `view` (a
    /// function that makes a view, applied to a tensor of `shape`) get `self` added: the
    /// gradient of any selection — a slice, a split — is the gradient of its result scattered
    /// back to where the elements came from (repeated picks add up).
    ///
    /// A view only rearranges shape, strides and offset, so `view` is applied to a stand-in
    /// without elements, and the gradient is added through the strides it gives: one pass over
    /// the result and one over the gradient, however small the view.
    func scattered(into shape: [Int], pickedBy view: (Tensor) -> Tensor) -> Tensor {
        let total = shape.reduce(1, *)
        let picked = view(Tensor(shape: shape, strides: Tensor.rowMajorStrides(shape), offset: 0, buffer: .bool([])))
        let values = storage.scatterAdding(into: total, shape: picked.shape, strides: picked.strides, offset: picked.offset)
        return Tensor(shape: shape, storage: values)
    }
}
