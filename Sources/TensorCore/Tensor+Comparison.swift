/// Comparisons that give masks, and choosing elements by mask.
///
/// Swift's `<` must answer one `Bool`, so elementwise comparisons use the dotted operators Swift
/// already uses for SIMD vectors: `x .> 0`, `a .== b`, `scores .< limit`. Each gives a `bool`
/// tensor of the broadcast shape (NumPy's `x > 0`).
extension Tensor {
    static func compared(_ lhs: Tensor, _ rhs: Tensor, _ comparison: Comparison) -> Tensor {
        let operands = AlignedOperands(lhs, rhs, operation: comparison.rawValue, file: nil, line: nil)
        let mask = Broadcasting.comparison(comparison, operands.lhs, operands.rhs, shape: operands.shape)
        return Tensor(shape: operands.shape, storage: .bool(mask))
    }

    public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor { compared(lhs, rhs, .less) }
    public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor { compared(lhs, rhs, .lessOrEqual) }
    public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor { compared(lhs, rhs, .greater) }
    public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor { compared(lhs, rhs, .greaterOrEqual) }
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { compared(lhs, rhs, .equal) }
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { compared(lhs, rhs, .notEqual) }

    public static func .< (lhs: Tensor, rhs: Double) -> Tensor { compared(lhs, lhs.scalarLike(rhs), .less) }
    public static func .<= (lhs: Tensor, rhs: Double) -> Tensor { compared(lhs, lhs.scalarLike(rhs), .lessOrEqual) }
    public static func .> (lhs: Tensor, rhs: Double) -> Tensor { compared(lhs, lhs.scalarLike(rhs), .greater) }
    public static func .>= (lhs: Tensor, rhs: Double) -> Tensor { compared(lhs, lhs.scalarLike(rhs), .greaterOrEqual) }
    public static func .== (lhs: Tensor, rhs: Double) -> Tensor { compared(lhs, lhs.scalarLike(rhs), .equal) }
    public static func .!= (lhs: Tensor, rhs: Double) -> Tensor { compared(lhs, lhs.scalarLike(rhs), .notEqual) }

    /// Elementwise logical and of two masks.
    public static func .& (lhs: Tensor, rhs: Tensor) -> Tensor { logical(lhs, rhs, .and) }
    /// Elementwise logical or of two masks.
    public static func .| (lhs: Tensor, rhs: Tensor) -> Tensor { logical(lhs, rhs, .or) }
    /// Elementwise logical not of a mask.
    public static prefix func .! (operand: Tensor) -> Tensor {
        Tensor(shape: operand.shape, storage: .bool(operand.boolMask(operation: ".!", file: nil, line: nil).map { !$0 }))
    }

    private static func logical(_ lhs: Tensor, _ rhs: Tensor, _ operation: LogicalOperation) -> Tensor {
        let name = ".\(operation.rawValue)"
        guard let shape = Broadcasting.shape(lhs.shape, rhs.shape) else {
            tensorFailure(
                "shapes \(describe(shape: lhs.shape)) and \(describe(shape: rhs.shape)) cannot be broadcast together for '\(name)'")
        }
        lhs.requireBool(operation: name, file: nil, line: nil)
        rhs.requireBool(operation: name, file: nil, line: nil)
        return Tensor(shape: shape, storage: .bool(Broadcasting.logical(operation, lhs, rhs, shape: shape)))
    }

    /// The elements of a `bool` tensor, stopping with a message naming `operation` otherwise.
    func boolMask(operation: String, file: StaticString?, line: UInt?) -> [Bool] {
        requireBool(operation: operation, file: file, line: line)
        guard case .bool(let values) = storage else { preconditionFailure("a bool tensor holds bools") }
        return values
    }

    /// Stops with a message naming `operation` unless this is a `bool` tensor.
    func requireBool(operation: String, file: StaticString?, line: UInt?) {
        guard dtype == .bool else {
            tensorFailure(
                "\(operation): needs a bool mask but got a \(dtype) tensor; make one with a comparison such as x .> 0",
                file: file, line: line)
        }
    }

    /// Elements of `a` where `condition` is true and of `b` elsewhere (NumPy's `np.where`,
    /// PyTorch's `torch.where`). The three shapes broadcast together.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Tensor,
                               file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let values = AlignedOperands(a, b, operation: "where", file: file, line: line)
        guard let shape = Broadcasting.shape(condition.shape, values.shape) else {
            tensorFailure(
                "where: the condition's shape \(describe(shape: condition.shape)) cannot be broadcast with the values' \(describe(shape: values.shape))",
                file: file, line: line)
        }
        condition.requireBool(operation: "where", file: file, line: line)
        // The values do not depend on the inputs' gradient records, so the operands aligned
        // above serve as they are.
        return differentiable([a, b], compute: { _ in
            Tensor(shape: shape, storage: Broadcasting.select(condition, values.lhs, values.rhs, shape: shape))
        }) { step in
            let (g, chosen) = (step.gradient, condition.broadcast(to: shape))
            let zero = g.scalarLike(0)
            return [step.gradient(for: 0) { Tensor.where(chosen, g, zero).summed(toShape: step.inputs[0].shape) },
                    step.gradient(for: 1) { Tensor.where(chosen, zero, g).summed(toShape: step.inputs[1].shape) }]
        }
    }

    /// Elements of `a` where `condition` is true and `b` elsewhere.
    public static func `where`(_ condition: Tensor, _ a: Tensor, _ b: Double,
                               file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        `where`(condition, a, a.scalarLike(b), file: file, line: line)
    }

    /// `value` where `mask` is true, this tensor's element elsewhere (PyTorch's
    /// `x.masked_fill(mask, value)`): `scores.maskedFill(future, with: -.infinity)` hides the
    /// future from attention. The mask broadcasts to this tensor's shape.
    public func maskedFill(_ mask: Tensor, with value: Double,
                           file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard let shape = Broadcasting.shape(mask.shape, self.shape), shape == self.shape else {
            tensorFailure(
                "maskedFill: a mask of shape \(describe(shape: mask.shape)) cannot be broadcast to the tensor's shape \(describe(shape: self.shape))",
                file: file, line: line)
        }
        return Tensor.where(mask, scalarLike(value), self, file: file, line: line)
    }

    /// The tensor repeated along broadcast axes to `target` (NumPy's `np.broadcast_to`), as a
    /// view: repeated axes have stride 0.
    public func broadcast(to target: [Int], file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard target.count >= rank, Broadcasting.shape(shape, target) == target else {
            tensorFailure(
                "broadcast(to:): a tensor of shape \(describe(shape: shape)) cannot be broadcast to \(describe(shape: target))",
                file: file, line: line)
        }
        let padding = target.count - rank
        return differentiableUnary({ x in
            let newStrides = target.indices.map { axis -> Int in
                axis < padding || x.shape[axis - padding] == 1 && target[axis] != 1 ? 0 : x.strides[axis - padding]
            }
            return Tensor(shape: target, strides: newStrides, offset: x.offset, buffer: x.buffer)
        }) { gradient, input in gradient.summed(toShape: input.shape) }
    }
}
