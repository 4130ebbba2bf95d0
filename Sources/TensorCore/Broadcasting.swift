/// NumPy broadcasting, and the loops of every elementwise operation on two or three tensors:
/// arithmetic, comparisons, logical operators and `where`.
///
/// Two shapes are compatible when, aligned from the right, each pair of axis lengths is equal or
/// one of them is 1. The result takes the larger length of each pair. An operand is read where it
/// is, as a view (any strides, any offset): an axis it is broadcast along steps by 0, so a
/// broadcast or transposed operand is never copied first.
///
/// **Why the loops are written here, behind non-generic entry points.** The runtime's debug build
/// (the one lessons link) compiles each file on its own, and the optimiser specialises a generic
/// function only for callers in the same file. A generic loop called from another file runs
/// unspecialised: every element is copied, compared and added through protocol witnesses, many
/// times slower than the plain loop (lesson 8's training step took 150 ms instead of 45). So
/// every entry point below switches on the element type itself and calls a generic loop that is
/// private to this file. And the operation is written out inside the loop's own closure (see
/// `combine`): passed in as a function value, it would stay an indirect call per element
/// wherever the loop runs in a closure handed to another file (`ParallelLoop`). The same two
/// rules hold in every file with element loops.
enum Broadcasting {
    /// The broadcast shape, or nil when the shapes are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let paddedA = Array(repeating: 1, count: rank - a.count) + a
        let paddedB = Array(repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        result.reserveCapacity(rank)
        for (x, y) in zip(paddedA, paddedB) {
            if x == y || y == 1 {
                result.append(x)
            } else if x == 1 {
                result.append(y)
            } else {
                return nil
            }
        }
        return result
    }

    /// The strides through `view`'s buffer of the view seen with the shape `target` (which its
    /// shape broadcasts to): axes that are broadcast (length 1, or missing on the left) get
    /// stride 0, so they repeat the same elements.
    static func strides(of view: Tensor, broadcastTo target: [Int]) -> [Int] {
        let padding = target.count - view.rank
        return target.indices.map { axis in
            axis < padding || view.shape[axis - padding] == 1 ? 0 : view.strides[axis - padding]
        }
    }
}

// MARK: - Entry points

/// The four arithmetic operators (their gradients are in Tensor+Arithmetic.swift).
enum BinaryOperation: String {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
}

/// The elementwise comparisons (Tensor+Comparison.swift).
enum Comparison: String {
    case less = ".<", lessOrEqual = ".<=", greater = ".>", greaterOrEqual = ".>=", equal = ".==", notEqual = ".!="
}

/// The logical operators on masks.
enum LogicalOperation: String {
    case and = "&", or = "|"
}

extension Broadcasting {
    /// `a ∘ b` elementwise with the shape `shape` (both operands already of one dtype, which the
    /// result keeps). Integer arithmetic wraps on overflow, as NumPy's does.
    static func arithmetic(_ operation: BinaryOperation, _ a: Tensor, _ b: Tensor, shape: [Int]) -> Storage {
        let layout = RunLayout(shape: shape, operands: [a, b])
        switch (a.buffer, b.buffer) {
        case (.float64(let x), .float64(let y)): return .float64(arithmetic(operation, x, a.offset, y, b.offset, layout))
        case (.float32(let x), .float32(let y)): return .float32(arithmetic(operation, x, a.offset, y, b.offset, layout))
        case (.int64(let x), .int64(let y)): return .int64(integerArithmetic(operation, x, a.offset, y, b.offset, layout))
        default: preconditionFailure("arithmetic needs operands of one dtype")
        }
    }

    private static func arithmetic<Element: TensorScalar>(_ operation: BinaryOperation, _ a: [Element], _ aOffset: Int,
                                                          _ b: [Element], _ bOffset: Int, _ layout: RunLayout) -> [Element] {
        let steps = layout.steps
        return combine(a, aOffset, b, bOffset, layout) { x, y, z, count in
            switch operation {
            case .add: loop(x, y, z, count, steps, +)
            case .subtract: loop(x, y, z, count, steps, -)
            case .multiply: loop(x, y, z, count, steps, *)
            case .divide: loop(x, y, z, count, steps, /)
            }
        }
    }

    private static func integerArithmetic(_ operation: BinaryOperation, _ a: [Int], _ aOffset: Int,
                                          _ b: [Int], _ bOffset: Int, _ layout: RunLayout) -> [Int] {
        let steps = layout.steps
        return combine(a, aOffset, b, bOffset, layout) { x, y, z, count in
            switch operation {
            case .add: loop(x, y, z, count, steps, &+)
            case .subtract: loop(x, y, z, count, steps, &-)
            case .multiply: loop(x, y, z, count, steps, &*)
            case .divide: preconditionFailure("integer division is done in float64")
            }
        }
    }

    /// `a ∘ b` elementwise for a comparison, as a mask of the shape `shape`.
    static func comparison(_ comparison: Comparison, _ a: Tensor, _ b: Tensor, shape: [Int]) -> [Bool] {
        let layout = RunLayout(shape: shape, operands: [a, b])
        switch (a.buffer, b.buffer) {
        case (.float64(let x), .float64(let y)): return compare(comparison, x, a.offset, y, b.offset, layout)
        case (.float32(let x), .float32(let y)): return compare(comparison, x, a.offset, y, b.offset, layout)
        case (.int64(let x), .int64(let y)): return compare(comparison, x, a.offset, y, b.offset, layout)
        default: preconditionFailure("comparison needs operands of one dtype")
        }
    }

    private static func compare<Element: Comparable>(_ comparison: Comparison, _ a: [Element], _ aOffset: Int,
                                                     _ b: [Element], _ bOffset: Int, _ layout: RunLayout) -> [Bool] {
        let steps = layout.steps
        return combine(a, aOffset, b, bOffset, layout) { x, y, z, count in
            switch comparison {
            case .less: loop(x, y, z, count, steps, <)
            case .lessOrEqual: loop(x, y, z, count, steps, <=)
            case .greater: loop(x, y, z, count, steps, >)
            case .greaterOrEqual: loop(x, y, z, count, steps, >=)
            case .equal: loop(x, y, z, count, steps, ==)
            case .notEqual: loop(x, y, z, count, steps, !=)
            }
        }
    }

    /// `a ∘ b` elementwise for two `bool` masks.
    static func logical(_ operation: LogicalOperation, _ a: Tensor, _ b: Tensor, shape: [Int]) -> [Bool] {
        let layout = RunLayout(shape: shape, operands: [a, b])
        guard case .bool(let x) = a.buffer, case .bool(let y) = b.buffer else {
            preconditionFailure("logical operators need bool operands")
        }
        let steps = layout.steps
        return combine(x, a.offset, y, b.offset, layout) { x, y, z, count in
            switch operation {
            case .and: loop(x, y, z, count, steps) { $0 && $1 }
            case .or: loop(x, y, z, count, steps) { $0 || $1 }
            }
        }
    }

    /// Elements of `a` where the `bool` `condition` is true and of `b` elsewhere (`a` and `b` of
    /// one dtype, which the result keeps), all three broadcast to `shape`.
    static func select(_ condition: Tensor, _ a: Tensor, _ b: Tensor, shape: [Int]) -> Storage {
        let layout = RunLayout(shape: shape, operands: [condition, a, b])
        guard case .bool(let mask) = condition.buffer else { preconditionFailure("select needs a bool condition") }
        let offsets = (condition.offset, a.offset, b.offset)
        switch (a.buffer, b.buffer) {
        case (.float64(let x), .float64(let y)): return .float64(select(mask, x, y, offsets, layout))
        case (.float32(let x), .float32(let y)): return .float32(select(mask, x, y, offsets, layout))
        case (.int64(let x), .int64(let y)): return .int64(select(mask, x, y, offsets, layout))
        case (.bool(let x), .bool(let y)): return .bool(select(mask, x, y, offsets, layout))
        default: preconditionFailure("select needs values of one dtype")
        }
    }
}

// MARK: - The loops

/// A broadcast result seen as runs along its last axis, each operand reading its own elements
/// with its own strides. Axes of length 1 are dropped and neighbouring axes that every operand
/// steps through contiguously are merged, so that the runs are as long as they can be: two
/// tensors of one shape are a single run, a matrix plus a row is one run per row.
private struct RunLayout {
    /// The merged shape, never empty; its last axis is the run.
    let shape: [Int]
    /// Each operand's strides along the merged axes.
    let strides: [[Int]]
    let count: Int

    init(shape outShape: [Int], operands: [Tensor]) {
        let operandStrides = operands.map { Broadcasting.strides(of: $0, broadcastTo: outShape) }
        var shape: [Int] = []
        var strides = Array(repeating: [Int](), count: operands.count)
        for axis in outShape.indices where outShape[axis] != 1 {
            let length = outShape[axis]
            let mergesWithPrevious = !shape.isEmpty && operandStrides.indices.allSatisfy { k in
                strides[k][shape.count - 1] == operandStrides[k][axis] * length
            }
            if mergesWithPrevious {
                shape[shape.count - 1] *= length
                for k in strides.indices { strides[k][shape.count - 1] = operandStrides[k][axis] }
            } else {
                shape.append(length)
                for k in strides.indices { strides[k].append(operandStrides[k][axis]) }
            }
        }
        if shape.isEmpty {
            shape = [1]
            strides = strides.map { _ in [0] }
        }
        self.shape = shape
        self.strides = strides
        count = outShape.reduce(1, *)
    }

    var runLength: Int { shape[shape.count - 1] }
    var runCount: Int { count / Swift.max(runLength, 1) }

    /// Operand `k`'s step along a run.
    func step(_ k: Int) -> Int { strides[k][shape.count - 1] }

    /// The first two operands' steps along a run.
    var steps: (Int, Int) { (step(0), step(1)) }

    /// Calls `body(output, offsets, length)` for consecutive pieces of the result that together
    /// cover it once, in parallel when it is long: `output` is where the piece starts in the
    /// result and `offsets` where each operand's elements for it start (plus `base`). A piece is a
    /// run, or part of the only run.
    @inline(__always)
    func forEachPiece(base: (Int, Int, Int), _ body: (_ output: Int, _ offsets: (Int, Int, Int), _ length: Int) -> Void) {
        // Split across cores only when each part gets at least this many elements: these loops
        // are bound by memory speed, and a short one is over before another thread wakes.
        let minimumPerWorker = 1 << 18
        let length = runLength
        if shape.count == 1 {
            let steps = (step(0), strides.count > 1 ? step(1) : 0, strides.count > 2 ? step(2) : 0)
            ParallelLoop.forEachPart(count: length, minimumPerWorker: minimumPerWorker) { part in
                let start = part.lowerBound
                body(start, (base.0 + start * steps.0, base.1 + start * steps.1, base.2 + start * steps.2), part.count)
            }
            return
        }
        ParallelLoop.forEachPart(count: runCount, minimumPerWorker: Swift.max(1, minimumPerWorker / Swift.max(length, 1))) { runs in
            walk(runs: runs, base: base, runLength: length, body)
        }
    }

    /// The runs `runs` in order, keeping each operand's offset in step like an odometer over the
    /// outer axes. Its digits live in one scratch buffer, so stepping it touches no array
    /// bookkeeping (copy-on-write checks) once per run.
    @inline(__always)
    private func walk(runs: Range<Int>, base: (Int, Int, Int), runLength: Int,
                      _ body: (_ output: Int, _ offsets: (Int, Int, Int), _ length: Int) -> Void) {
        let outerRank = shape.count - 1
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 5 * outerRank) { scratch in
            let index = scratch.baseAddress!, extent = index + outerRank
            let stride0 = index + 2 * outerRank, stride1 = index + 3 * outerRank, stride2 = index + 4 * outerRank
            var offsets = base
            // Start the odometer at the first run of the part.
            var remaining = runs.lowerBound
            for axis in stride(from: outerRank - 1, through: 0, by: -1) {
                extent[axis] = shape[axis]
                stride0[axis] = strides[0][axis]
                stride1[axis] = strides.count > 1 ? strides[1][axis] : 0
                stride2[axis] = strides.count > 2 ? strides[2][axis] : 0
                index[axis] = remaining % shape[axis]
                remaining /= shape[axis]
                offsets.0 += index[axis] * stride0[axis]
                offsets.1 += index[axis] * stride1[axis]
                offsets.2 += index[axis] * stride2[axis]
            }
            for run in runs {
                body(run * runLength, offsets, runLength)
                var axis = outerRank - 1
                while axis >= 0 {
                    index[axis] += 1
                    offsets.0 += stride0[axis]
                    offsets.1 += stride1[axis]
                    offsets.2 += stride2[axis]
                    if index[axis] < extent[axis] { break }
                    offsets.0 -= stride0[axis] * extent[axis]
                    offsets.1 -= stride1[axis] * extent[axis]
                    offsets.2 -= stride2[axis] * extent[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}

extension Broadcasting {
    /// A new array of the layout's size, filled piece by piece by `piece(x, y, z, count)`, where
    /// `x` and `y` point at the operands' first elements of the piece and `z` at the result's.
    ///
    /// `piece` is called once per piece, not per element: it holds the loop, with the operation
    /// written out inside it (see ``loop(_:_:_:_:_:_:)``), so that the optimiser sees both
    /// together. An operation passed in as a closure value instead would be an indirect call per
    /// element wherever the piece runs on a thread of its own.
    @inline(__always)
    private static func combine<A, B, Result>(
        _ a: [A], _ aOffset: Int, _ b: [B], _ bOffset: Int, _ layout: RunLayout,
        _ piece: (_ x: UnsafePointer<A>, _ y: UnsafePointer<B>, _ z: UnsafeMutablePointer<Result>, _ count: Int) -> Void
    ) -> [Result] {
        let count = layout.count
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                [Result](unsafeUninitializedCapacity: count) { result, initialized in
                    initialized = count
                    guard count > 0, let out = result.baseAddress, let aBase = a.baseAddress, let bBase = b.baseAddress else { return }
                    HugePages.advise(out, count: count)
                    let pointers = UncheckedSendable((aBase, bBase, out))
                    layout.forEachPiece(base: (aOffset, bOffset, 0)) { output, offsets, length in
                        piece(pointers.value.0 + offsets.0, pointers.value.1 + offsets.1, pointers.value.2 + output, length)
                    }
                }
            }
        }
    }

    /// `z[i] = operation(x[i·steps.0], y[i·steps.1])` for `i < count`: a plain loop the compiler
    /// vectorises when both operands step by 1 or one of them repeats a single element.
    @inline(__always)
    private static func loop<A, B, Result>(_ x: UnsafePointer<A>, _ y: UnsafePointer<B>, _ z: UnsafeMutablePointer<Result>,
                                           _ count: Int, _ steps: (Int, Int), _ operation: (A, B) -> Result) {
        switch steps {
        case (1, 1):
            for i in 0..<count { (z + i).initialize(to: operation(x[i], y[i])) }
        case (1, 0):
            let scalar = y[0]
            for i in 0..<count { (z + i).initialize(to: operation(x[i], scalar)) }
        case (0, 1):
            let scalar = x[0]
            for i in 0..<count { (z + i).initialize(to: operation(scalar, y[i])) }
        default:
            for i in 0..<count { (z + i).initialize(to: operation(x[i &* steps.0], y[i &* steps.1])) }
        }
    }

    /// `mask[i] ? a[i] : b[i]` over the layout.
    @inline(__always)
    private static func select<Element>(_ mask: [Bool], _ a: [Element], _ b: [Element], _ offsets: (Int, Int, Int),
                                        _ layout: RunLayout) -> [Element] {
        let count = layout.count
        let steps = (layout.step(0), layout.step(1), layout.step(2))
        return mask.withUnsafeBufferPointer { mask in
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    [Element](unsafeUninitializedCapacity: count) { result, initialized in
                        initialized = count
                        guard count > 0, let out = result.baseAddress, let maskBase = mask.baseAddress,
                              let aBase = a.baseAddress, let bBase = b.baseAddress else { return }
                        HugePages.advise(out, count: count)
                        let pointers = UncheckedSendable((maskBase, aBase, bBase, out))
                        layout.forEachPiece(base: offsets) { output, offsets, length in
                            let (m, x, y) = (pointers.value.0 + offsets.0, pointers.value.1 + offsets.1, pointers.value.2 + offsets.2)
                            let z = pointers.value.3 + output
                            switch steps {
                            case (1, 1, 1):
                                for i in 0..<length { (z + i).initialize(to: m[i] ? x[i] : y[i]) }
                            case (1, 0, 1):  // maskedFill: one value where the mask is set
                                let fill = x[0]
                                for i in 0..<length { (z + i).initialize(to: m[i] ? fill : y[i]) }
                            case (1, 1, 0):  // dropout: the value where kept, one number elsewhere
                                let other = y[0]
                                for i in 0..<length { (z + i).initialize(to: m[i] ? x[i] : other) }
                            default:
                                for i in 0..<length {
                                    (z + i).initialize(to: m[i &* steps.0] ? x[i &* steps.1] : y[i &* steps.2])
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
