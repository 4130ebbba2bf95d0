/// Dropout in training mode, for NN's `Dropout` layer, in one pass forward and one backward.
///
/// Written with tensor operations it is `Tensor.where(random.rand(shape:) .>= p, x * (1/(1 − p)), 0)`:
/// four passes over the input forward (the draws, the comparison, the scaling, the choice), each
/// making a new tensor, and two backward. Here the draws are turned into the mask a block at a
/// time and the mask and the scaling are applied together; the numbers drawn, and every result
/// and gradient, are those of the composition to the last bit.
extension Tensor {
    /// Each element zeroed where a uniform draw from `random` is below `probability`, and the
    /// others multiplied by `1 / (1 − probability)`; draws `count` numbers, as
    /// `random.rand(shape:)` does. Not part of the lessons' API (NN imports it with
    /// `@_spi(Layers)`).
    @_spi(Layers)
    public func droppingOut(probability: Double, random: inout RandomState) -> Tensor {
        let kept = Self.keptPositions(count: count, probability: probability, random: &random)
        let scale = 1 / (1 - probability)
        return differentiableUnary({ x in
            Tensor(shape: x.shape, storage: Self.keeping(kept, of: x.storage, scaledBy: scale))
        }) { gradient, _ in
            // The gradient of x·s where kept and of the constant 0 elsewhere: g·s where kept, 0 elsewhere.
            Tensor(shape: gradient.shape, storage: Self.keeping(kept, of: gradient.storage, scaledBy: scale))
        }
    }

    /// `u >= probability` for the next `count` uniform draws `u` (float64, as `rand` makes them).
    private static func keptPositions(count: Int, probability: Double, random: inout RandomState) -> [Bool] {
        let block = 4096
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: block) { draws in
            [Bool](unsafeUninitializedCapacity: count) { kept, initialized in
                var start = 0
                while start < count {
                    let length = Swift.min(block, count - start)
                    random.fill(UnsafeMutableBufferPointer(rebasing: draws[..<length]))
                    for i in 0..<length { kept[start + i] = draws[i] >= probability }
                    start += length
                }
                initialized = count
            }
        }
    }

    /// `kept[i] ? values[i] · scale : 0`, with the scale rounded to the element type first, as
    /// multiplying a tensor by a number does. Integer and boolean elements become float64.
    private static func keeping(_ kept: [Bool], of values: Storage, scaledBy scale: Double) -> Storage {
        switch values {
        case .float32(let x): .float32(keeping(kept, of: x, scaledBy: Float(scale)))
        case .float64(let x): .float64(keeping(kept, of: x, scaledBy: scale))
        case .int64, .bool: .float64(keeping(kept, of: values.doubles, scaledBy: scale))
        }
    }

    private static func keeping<Element: TensorScalar>(_ kept: [Bool], of values: [Element], scaledBy scale: Element) -> [Element] {
        kept.withUnsafeBufferPointer { kept in
            values.writingNewArray { x, y, count in
                // Both sides computed and one chosen: a select, not a branch the CPU would
                // mispredict at every tenth element.
                for i in 0..<count {
                    let scaled = x[i] * scale
                    y[i] = kept[i] ? scaled : 0
                }
            }
        }
    }
}
