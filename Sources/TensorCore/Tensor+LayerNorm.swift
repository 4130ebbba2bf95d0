/// Layer normalisation over the last axis, for NN's `layerNorm` and `LayerNorm`, in one pass
/// per row forward and one backward.
///
/// NN defines it with tensor operations, `(x − mean) / √(var + ε) · scale + shift`: eleven
/// operations forward, each a pass over the input making a new tensor, and about twenty
/// backward. Here each row is normalised in one go, with the same operations in the same order
/// (a sum then a division for each mean), so the values are the composition's to the last bit.
/// The gradient is the closed form below instead of the composition's twenty steps, so it can
/// differ from the composition's in the last bits (it is checked against it, and by finite
/// differences):
///
/// ```
/// x̂ = (x − mean) / d,  d = √(var + ε),  y = x̂ · γ + β,  ĝ = ∂L/∂y · γ
/// ∂L/∂x = (ĝ − mean(ĝ) − x̂ · mean(ĝ · x̂)) / d         (means along the row)
/// ∂L/∂γ = Σ_rows ∂L/∂y · x̂,    ∂L/∂β = Σ_rows ∂L/∂y
/// ```
extension Tensor {
    /// Normalises every row (the last axis) to mean 0 and variance 1, then multiplies by
    /// `scale` and adds `shift` (each of the row's length) when given. Not part of the lessons'
    /// API (NN imports it with `@_spi(Layers)`).
    ///
    /// - Precondition: a float tensor of rank ≥ 1; `scale` and `shift` of its dtype and shape
    ///   `(features,)`. NN checks these and keeps the composition for anything else.
    @_spi(Layers)
    public func layerNormalized(scale: Tensor?, shift: Tensor?, epsilon: Double) -> Tensor {
        let features = shape[rank - 1]
        let rows = LayerNormRows(features: features, rows: features == 0 ? 0 : count / features, epsilon: epsilon)
        let parameters = [scale, shift].compactMap { $0 }
        // The forward pass keeps x̂ and each row's d for the backward pass.
        var saved: (normalized: Storage, deviations: Storage)?
        return Tensor.differentiable([self] + parameters, compute: { inputs in
            let forward = rows.forward(inputs[0].storage, scale: scale.map { _ in inputs[1].storage },
                                       shift: shift.map { _ in inputs[scale == nil ? 1 : 2].storage })
            saved = (forward.normalized, forward.deviations)
            return Tensor(shape: inputs[0].shape, storage: forward.output)
        }) { step in
            let (normalized, deviations) = saved!
            let gradient = step.gradient.storage
            let shape = step.inputs[0].shape
            var gradients: [Tensor?] = [step.gradient(for: 0) {
                Tensor(shape: shape, storage: rows.inputGradient(gradient, normalized: normalized, deviations: deviations,
                                                                 scale: scale.map { _ in step.inputs[1].storage }))
            }]
            if scale != nil {
                gradients.append(step.gradient(for: 1) {
                    Tensor(shape: [features], storage: rows.columnSums(gradient, times: normalized))
                })
            }
            if shift != nil {
                gradients.append(step.gradient(for: gradients.count) {
                    Tensor(shape: [features], storage: rows.columnSums(gradient, times: nil))
                })
            }
            return gradients
        }
    }
}

/// The rows of a layer normalisation: `rows` rows of `features` elements.
private struct LayerNormRows {
    let features: Int
    let rows: Int
    let epsilon: Double

    /// The output, x̂, and each row's d.
    func forward(_ x: Storage, scale: Storage?, shift: Storage?) -> (output: Storage, normalized: Storage, deviations: Storage) {
        switch x {
        case .float64(let values):
            let result = forward(values, scale: scale.map { Self.values($0, as: Double.self) }, shift: shift.map { Self.values($0, as: Double.self) })
            return (.float64(result.output), .float64(result.normalized), .float64(result.deviations))
        case .float32(let values):
            let result = forward(values, scale: scale.map { Self.values($0, as: Float.self) }, shift: shift.map { Self.values($0, as: Float.self) })
            return (.float32(result.output), .float32(result.normalized), .float32(result.deviations))
        default:
            preconditionFailure("layerNormalized needs a float tensor")
        }
    }

    func inputGradient(_ gradient: Storage, normalized: Storage, deviations: Storage, scale: Storage?) -> Storage {
        switch (gradient, normalized, deviations) {
        case (.float64(let g), .float64(let n), .float64(let d)):
            .float64(inputGradient(g, normalized: n, deviations: d, scale: scale.map { Self.values($0, as: Double.self) }))
        case (.float32(let g), .float32(let n), .float32(let d)):
            .float32(inputGradient(g, normalized: n, deviations: d, scale: scale.map { Self.values($0, as: Float.self) }))
        default:
            preconditionFailure("a layer norm's gradient has its input's float type")
        }
    }

    /// `Σ_rows g · factor` (or `Σ_rows g`), one number per feature.
    func columnSums(_ gradient: Storage, times factor: Storage?) -> Storage {
        switch gradient {
        case .float64(let g): .float64(columnSums(g, times: factor.map { Self.values($0, as: Double.self) }))
        case .float32(let g): .float32(columnSums(g, times: factor.map { Self.values($0, as: Float.self) }))
        default: preconditionFailure("a layer norm's gradient is a float tensor")
        }
    }

    private static func values<Element: StorageElement>(_ storage: Storage, as type: Element.Type) -> [Element] {
        guard let values = storage.elements(of: type) else {
            preconditionFailure("a layer norm's scale and shift have its input's float type")
        }
        return values
    }

    private func forward<Element: TensorScalar>(_ x: [Element], scale: [Element]?, shift: [Element]?)
        -> (output: [Element], normalized: [Element], deviations: [Element]) {
        let (n, count) = (features, rows * features)
        let (length, epsilon) = (Element(Double(features)), Element(self.epsilon))
        var deviations = [Element](repeating: 0, count: rows)
        var normalized: [Element] = []
        // Every element of x̂ and of the output is written below: no need to zero them first.
        let output = [Element](unsafeUninitializedCapacity: count) { y, initializedOutput in
            normalized = [Element](unsafeUninitializedCapacity: count) { xHat, initializedNormalized in
                x.withUnsafeBufferPointer { x in
                    deviations.withUnsafeMutableBufferPointer { d in
                        for row in 0..<rows {
                            let (input, centred, out) = (x.baseAddress! + row * n, xHat.baseAddress! + row * n, y.baseAddress! + row * n)
                            // mean = Σx / n;  c = x − mean;  var = Σc² / n;  d = √(var + ε)
                            var sum: Element = 0
                            for i in 0..<n { sum += input[i] }
                            let mean = sum / length
                            var squares: Element = 0
                            for i in 0..<n {
                                centred[i] = input[i] - mean
                                squares += centred[i] * centred[i]
                            }
                            let deviation = (squares / length + epsilon).squareRoot()
                            d[row] = deviation
                            for i in 0..<n {
                                centred[i] = centred[i] / deviation
                                out[i] = centred[i]
                            }
                            if let scale { for i in 0..<n { out[i] = out[i] * scale[i] } }
                            if let shift { for i in 0..<n { out[i] = out[i] + shift[i] } }
                        }
                    }
                }
                initializedNormalized = count
            }
            initializedOutput = count
        }
        return (output, normalized, deviations)
    }

    private func inputGradient<Element: TensorScalar>(_ g: [Element], normalized: [Element], deviations: [Element],
                                                      scale: [Element]?) -> [Element] {
        let n = features
        let length = Element(Double(features))
        return normalized.withUnsafeBufferPointer { xHat in
            deviations.withUnsafeBufferPointer { d in
                g.writingNewArray { g, dx, _ in
                    for row in 0..<rows {
                        let (gy, xh, out) = (g + row * n, xHat.baseAddress! + row * n, dx + row * n)
                        // ĝ = g·γ into the output first; then its two means.
                        if let scale {
                            for i in 0..<n { out[i] = gy[i] * scale[i] }
                        } else {
                            out.update(from: gy, count: n)
                        }
                        var sum: Element = 0, weighted: Element = 0
                        for i in 0..<n {
                            sum += out[i]
                            weighted += out[i] * xh[i]
                        }
                        let (mean, weightedMean) = (sum / length, weighted / length)
                        for i in 0..<n { out[i] = (out[i] - mean - xh[i] * weightedMean) / d[row] }
                    }
                }
            }
        }
    }

    private func columnSums<Element: TensorScalar>(_ g: [Element], times factor: [Element]?) -> [Element] {
        var sums = [Element](repeating: 0, count: features)
        g.withUnsafeBufferPointer { g in
            sums.withUnsafeMutableBufferPointer { sums in
                for row in 0..<rows {
                    let line = g.baseAddress! + row * features
                    if let factor {
                        factor.withUnsafeBufferPointer { factor in
                            let weights = factor.baseAddress! + row * features
                            for i in 0..<features { sums[i] += line[i] * weights[i] }
                        }
                    } else {
                        for i in 0..<features { sums[i] += line[i] }
                    }
                }
            }
        }
        return sums
    }
}
