import Foundation
import PropertyBased
import Testing
@testable import TensorCore

/// Laws the tensor core must obey for every shape, checked on random inputs.
///
/// Tensors are drawn from `RandomState` with a generated seed, so a failure's seed (which
/// PropertyBased prints) reproduces it. Tolerances are rounding-error bounds in units of
/// ε = `Double.ulpOfOne` (u = ε/2 is the unit roundoff); results that involve no rounding, or the
/// same roundings in the same order, are compared exactly.
@Suite struct PropertyTests {
    /// Shapes of rank 1 to 4 with axes of length 1 to 4.
    static let shapes = Gen.int(in: 1...4).array(of: 1...4)
    static let seeds = Gen.uint32()

    /// A tensor of standard normal draws.
    static func randomTensor(_ shape: [Int], seed: UInt32) -> Tensor {
        var rng = RandomState(seed: seed)
        let count = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<count).map { _ in rng.nextGaussian() })
    }

    /// The row-major position of the element at `index` in a tensor of `shape`; axes of length 1
    /// repeat their only element (an independent statement of broadcasting).
    static func position(of index: [Int], inBroadcast shape: [Int]) -> Int {
        let padded = Array(repeating: 1, count: index.count - shape.count) + shape
        var position = 0
        for (axis, length) in padded.enumerated() {
            position = position * length + (length == 1 ? 0 : index[axis])
        }
        return position
    }

    /// The multi-index of row-major position `flat` in a tensor of `shape`.
    static func multiIndex(_ flat: Int, in shape: [Int]) -> [Int] {
        var index = Array(repeating: 0, count: shape.count)
        var rest = flat
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }

    // MARK: Broadcasting

    /// `a` has `shape` with some axes set to 1; `b` has `shape` with other axes set to 1 and up
    /// to 3 leading axes dropped. NumPy's rule: aligned from the right, each axis of the result is
    /// the length that is not 1 (or 1).
    @Test func broadcastingFollowsNumPysRuleAndCommutes() async {
        await propertyCheck(input: Self.shapes, Gen.bool.array(of: 4), Gen.bool.array(of: 4), Gen.int(in: 0...3), Self.seeds) {
            shape, onesInA, onesInB, dropped, seed in
            let aShape = shape.enumerated().map { onesInA[$0.offset] ? 1 : $0.element }
            let bShape = Array(shape.enumerated().map { onesInB[$0.offset] ? 1 : $0.element }.dropFirst(Swift.min(dropped, shape.count - 1)))
            let expectedShape = shape.indices.map { axis -> Int in
                let fromB = axis - (shape.count - bShape.count)
                let bLength = fromB >= 0 ? bShape[fromB] : 1
                return aShape[axis] == 1 && bLength == 1 ? 1 : shape[axis]
            }
            let a = Self.randomTensor(aShape, seed: seed)
            let b = Self.randomTensor(bShape, seed: seed &+ 1)

            let sum = a + b
            #expect(sum.shape == expectedShape)
            #expect((b + a).shape == expectedShape)
            // IEEE addition and multiplication are commutative: exactly equal.
            #expect(sum.scalars == (b + a).scalars)
            #expect((a * b).scalars == (b * a).scalars)
            // Every element is the sum of the elements the rule pairs up.
            let (aValues, bValues) = (a.scalars, b.scalars)
            let explicit = (0..<sum.count).map { flat -> Double in
                let index = Self.multiIndex(flat, in: expectedShape)
                return aValues[Self.position(of: index, inBroadcast: aShape)]
                    + bValues[Self.position(of: index, inBroadcast: bShape)]
            }
            #expect(sum.scalars == explicit)
            // broadcast(to:) agrees, and comparisons broadcast the same way.
            #expect((a.broadcast(to: expectedShape) - b.broadcast(to: expectedShape)).scalars == (a - b).scalars)
            #expect((a .< b).shape == expectedShape)
            #expect((a .< b).scalars == (b .> a).scalars)
        }
    }

    /// Adding a `(1, n)` row, or an `(n,)` vector, to an `(m, n)` matrix adds it to every row.
    @Test func broadcastRowEqualsAddingToEachRow() async {
        await propertyCheck(input: Gen.int(in: 1...6), Gen.int(in: 1...6), Self.seeds) { m, n, seed in
            let matrix = Self.randomTensor([m, n], seed: seed)
            let row = Self.randomTensor([1, n], seed: seed &+ 1)
            let broadcast = matrix + row
            let vectorBroadcast = matrix + row.reshaped(n)
            let rowByRow = Tensor.concat((0..<m).map { matrix[$0..<($0 + 1)] + row })
            #expect(broadcast.shape == [m, n])
            #expect(broadcast.scalars == rowByRow.scalars)
            #expect(vectorBroadcast.scalars == rowByRow.scalars)
            for i in 0..<m {
                #expect(broadcast[i].scalars == zip(matrix[i].scalars, row[0].scalars).map { $0 + $1 })
            }
            // A column broadcasts along the other axis.
            let column = Self.randomTensor([m, 1], seed: seed &+ 2)
            #expect((matrix * column).T.scalars == (matrix.T * column.T).scalars)
        }
    }

    /// Elementwise operations read their operands where they are, as views (transposed,
    /// broadcast, sliced with a step), without copying them first: the results must be those of
    /// the same operations on contiguous copies, exactly.
    @Test func operandsThatAreViewsGiveTheirCopiesResults() async {
        await propertyCheck(input: Self.shapes, Gen.bool.array(of: 4), Gen.int(in: 0...23), Self.seeds) {
            shape, ones, permutationChoice, seed in
            var axes = Array(0..<shape.count)
            var choice = permutationChoice
            for position in axes.indices.reversed() {
                axes.swapAt(position, choice % (position + 1))
                choice /= position + 1
            }
            let view = Self.randomTensor(shape, seed: seed).permuted(axes)
            let copy = view.contiguous()
            let otherShape = view.shape.enumerated().map { ones[$0.offset] ? 1 : $0.element }
            let other = Self.randomTensor(otherShape, seed: seed &+ 1)
            // A broadcast view of `other` (stride 0 along the stretched axes) as an operand too.
            let stretched = other.broadcast(to: view.shape)
            #expect((view + other).scalars == (copy + other).scalars)
            #expect((other - view).scalars == (other - copy).scalars)
            #expect((view * stretched).scalars == (copy * stretched.contiguous()).scalars)
            #expect((view .< other).scalars == (copy .< other).scalars)
            let condition = other .> 0
            #expect(Tensor.where(condition, view, other).scalars == Tensor.where(condition, copy, other).scalars)
            #expect(view.maskedFill(view .> 0.5, with: 7).scalars == copy.maskedFill(copy .> 0.5, with: 7).scalars)
            // Every other position along the first axis: a step of 2 (along a run, for a vector).
            let stepped = Self.randomTensor([2 * shape[0]] + shape.dropFirst(), seed: seed &+ 2)[stride(from: 0, to: 2 * shape[0], by: 2)]
            let plain = Self.randomTensor(shape, seed: seed &+ 3)
            #expect((stepped + plain).scalars == (stepped.contiguous() + plain).scalars)
            #expect((stepped .>= plain).scalars == (stepped.contiguous() .>= plain).scalars)
        }
    }

    /// Long loops are split across cores; every element must still be its own definition, at
    /// part boundaries too (odd counts, so the parts differ in length).
    @Test func largeElementwiseLoopsEqualTheirDefinition() {
        var rng = RandomState(seed: 5)
        let count = (1 << 20) + 3
        let a = Tensor(shape: [count], scalars: (0..<count).map { _ in rng.nextGaussian() })
        let b = Tensor(shape: [count], scalars: (0..<count).map { _ in rng.nextGaussian() })
        let (aValues, bValues) = (a.scalars, b.scalars)
        // Compared with elementsEqual: a failing == over a million elements would make Swift
        // Testing compute a (quadratic) difference of the two arrays.
        #expect((a + b).scalars.elementsEqual(zip(aValues, bValues).map { $0 + $1 }))
        #expect((a * 3.0).scalars.elementsEqual(aValues.map { $0 * 3 }))
        #expect((2.0 - a).scalars.elementsEqual(aValues.map { 2 - $0 }))
        #expect(a.relu().scalars.elementsEqual(aValues.map { Swift.max($0, 0) }))
        #expect((a .> b).scalars.elementsEqual(zip(aValues, bValues).map { $0 > $1 ? 1 : 0 }))
        // exp goes through glibc's SIMD libmvec, whose documented bound is 4 units in the last
        // place of the exact value; libm's exp is within 1, so the two differ by at most 5 ulp.
        let exponentials = a.exp().scalars
        let worst = zip(exponentials, aValues).map { value, x in
            Swift.abs(value - Foundation.exp(x)) / Foundation.exp(x).ulp
        }.max() ?? 0
        #expect(worst <= 5)
        // A large transposed view: the same elements as its contiguous copy.
        let matrix = Tensor(shape: [(1 << 10) + 1, 1 << 9], scalars: Array(aValues[0..<(((1 << 10) + 1) << 9)]))
        #expect((matrix.T + 1.0).scalars.elementsEqual((matrix.T.contiguous() + 1.0).scalars))
        #expect(matrix.T.exp().scalars.elementsEqual(matrix.T.contiguous().exp().scalars))
        // A row added to every row of a large matrix, and a choice by mask: split across cores
        // by rows, each part starting its walk in the middle of the matrix.
        let row = Tensor(Array(bValues[0..<(1 << 9)]))
        let rowValues = row.scalars
        let matrixValues = matrix.scalars
        #expect((matrix + row).scalars.elementsEqual(matrixValues.indices.map { matrixValues[$0] + rowValues[$0 % (1 << 9)] }))
        #expect(Tensor.where(matrix .> 0, matrix, row).scalars.elementsEqual(matrixValues.indices.map {
            matrixValues[$0] > 0 ? matrixValues[$0] : rowValues[$0 % (1 << 9)]
        }))
    }

    // MARK: Reductions

    @Test func reductionLaws() async {
        await propertyCheck(input: Self.shapes, Gen.int(in: 0...3), Self.seeds) { shape, axisChoice, seed in
            let x = Self.randomTensor(shape, seed: seed)
            let axis = axisChoice % shape.count
            let n = shape[axis]

            // Shapes, with and without keepDims, and negative axes.
            var kept = shape
            kept[axis] = 1
            var removed = shape
            removed.remove(at: axis)
            let sum = x.sum(axis: axis)
            #expect(sum.shape == removed)
            #expect(x.sum(axis: axis, keepDims: true).shape == kept)
            #expect(x.sum(axis: axis, keepDims: true).scalars == sum.scalars)
            #expect(x.sum(axis: axis - shape.count).scalars == sum.scalars)
            #expect(x.mean(axis: axis, keepDims: true).shape == kept)
            #expect(x.max(axis: axis).shape == removed)
            #expect(x.argmax(axis: axis, keepDims: true).shape == kept)

            // Summing an axis and then the rest adds the same count - 1 pairs in another order:
            // each order errs by at most (count − 1)·u·Σ|x|, so they differ by (count − 1)·ε·Σ|x|.
            let magnitude = x.abs().sum()
            let bound = Double(x.count - 1) * Double.ulpOfOne * magnitude
            #expect(Swift.abs(sum.sum() - x.sum()) <= bound, "\(sum.sum()) vs \(x.sum())")

            // mean · n = sum up to the two roundings of dividing and multiplying: (2u + u²)|sum|.
            let u = Double.ulpOfOne / 2
            for (mean, total) in zip((x.mean(axis: axis) * Double(n)).scalars, sum.scalars) {
                #expect(Swift.abs(mean - total) <= (2 * u + u * u) * Swift.abs(total), "\(mean) vs \(total)")
            }

            // The maximum is an element of its slice, and argmax points at it.
            let maxima = x.max(axis: axis, keepDims: true)
            #expect((x .<= maxima).scalars.allSatisfy { $0 == 1 })
            let positions = x.argmax(axis: axis, keepDims: true).indices
            let values = x.scalars
            for (flat, position) in positions.enumerated() {
                var index = Self.multiIndex(flat, in: kept)
                index[axis] = position
                let rowMajor = index.enumerated().reduce(0) { $0 * shape[$1.offset] + $1.element }
                #expect(values[rowMajor] == maxima.scalars[flat])
            }
        }
    }

    @Test func softmaxRowsSumToOne() async {
        await propertyCheck(input: Self.shapes, Gen.int(in: 0...3), Self.seeds) { shape, axisChoice, seed in
            let x = Self.randomTensor(shape, seed: seed) * 4
            let axis = axisChoice % shape.count
            let n = shape[axis]
            let weights = x.softmax(axis: axis)
            #expect(weights.shape == shape)
            #expect(weights.scalars.allSatisfy { $0 > 0 && $0 <= 1 })
            // The normaliser's n − 1 additions, the division and the final sum's n − 1 additions
            // give (2n − 1)·u to first order; (n + 1)·ε covers the second-order terms.
            for total in weights.sum(axis: axis).scalars {
                #expect(Swift.abs(total - 1) <= Double(n + 1) * Double.ulpOfOne, "\(total)")
            }
        }
    }

    /// Inputs that are multiples of 1/8 and integer constants keep `x + c` and `x + c − max`
    /// exact, so the softmax sees the very same shifted values: the results are equal bit for bit.
    @Test func softmaxIgnoresAddedConstants() async {
        await propertyCheck(input: Self.shapes, Gen.int(in: 0...3), Gen.int(in: -100...100), Self.seeds) {
            shape, axisChoice, constant, seed in
            var rng = RandomState(seed: seed)
            let count = shape.reduce(1, *)
            let x = Tensor(shape: shape, scalars: rng.randint(-64, 65, count: count).map { Double($0) / 8 })
            let axis = axisChoice % shape.count
            #expect((x + Double(constant)).softmax(axis: axis).scalars == x.softmax(axis: axis).scalars)
            #expect((x + Double(constant)).logSoftmax(axis: axis).scalars == x.logSoftmax(axis: axis).scalars)
        }
    }

    /// log(softmax) and logSoftmax share the shifted inputs; the L exponentials, the sums' L − 1
    /// additions, the division and the two logarithms each add at most one ulp of the magnitudes
    /// involved, so they agree within (2L + 4) ulps of max(1, |value|).
    @Test func logSoftmaxIsLogOfSoftmax() async {
        await propertyCheck(input: Self.shapes, Gen.int(in: 0...3), Self.seeds) { shape, axisChoice, seed in
            let x = Self.randomTensor(shape, seed: seed) * 3
            let axis = axisChoice % shape.count
            let n = shape[axis]
            let direct = x.logSoftmax(axis: axis)
            let viaSoftmax = x.softmax(axis: axis).log()
            #expect(direct.shape == shape)
            for (value, reference) in zip(direct.scalars, viaSoftmax.scalars) {
                let tolerance = Double(2 * n + 4) * Double.ulpOfOne * Swift.max(1, Swift.abs(reference))
                #expect(Swift.abs(value - reference) <= tolerance, "\(value) vs \(reference)")
            }
        }
    }

    // MARK: Transposition and reshaping

    /// (A·B)ᵀ = Bᵀ·Aᵀ: the same k products per element, summed possibly in another order by a
    /// different BLAS kernel, so within k·ε·(|A|·|B|)ᵢⱼ (twice the bound γₖ ≈ k·u for one order).
    @Test func transposeOfProductIsProductOfTransposes() async {
        await propertyCheck(input: Gen.int(in: 1...6), Gen.int(in: 1...6), Gen.int(in: 1...6), Self.seeds) { m, k, n, seed in
            let a = Self.randomTensor([m, k], seed: seed)
            let b = Self.randomTensor([k, n], seed: seed &+ 1)
            let left = a.matmul(b).T
            let right = b.T.matmul(a.T)
            #expect(left.shape == [n, m])
            #expect(right.shape == [n, m])
            let (aValues, bValues) = (a.scalars, b.scalars)
            for (flat, (value, reference)) in zip(left.scalars, right.scalars).enumerated() {
                let (j, i) = (flat / m, flat % m)
                let magnitude = (0..<k).reduce(0.0) { $0 + Swift.abs(aValues[i * k + $1] * bValues[$1 * n + j]) }
                #expect(Swift.abs(value - reference) <= Double(k) * Double.ulpOfOne * magnitude,
                        "[\(j), \(i)]: \(value) vs \(reference)")
            }
        }
    }

    @Test func permutingThenInverselyPermutingIsTheIdentity() async {
        await propertyCheck(input: Self.shapes, Self.seeds) { shape, seed in
            let x = Self.randomTensor(shape, seed: seed)
            var rng = RandomState(seed: seed &+ 7)
            let permutation = rng.permutation(shape.count)
            var inverse = Array(repeating: 0, count: shape.count)
            for (position, axis) in permutation.enumerated() { inverse[axis] = position }

            let permuted = x.permuted(permutation)
            #expect(permuted.shape == permutation.map { shape[$0] })
            // Element [j₀, j₁, …] of the permuted view is element i with i[permutation[a]] = j[a].
            let values = x.scalars
            for (flat, value) in permuted.scalars.enumerated() {
                let j = Self.multiIndex(flat, in: permuted.shape)
                var i = Array(repeating: 0, count: shape.count)
                for (a, axis) in permutation.enumerated() { i[axis] = j[a] }
                let rowMajor = i.enumerated().reduce(0) { $0 * shape[$1.offset] + $1.element }
                #expect(value == values[rowMajor])
            }
            let back = permuted.permuted(inverse)
            #expect(back.shape == shape)
            #expect(back.strides == x.strides)
            #expect(back.scalars == x.scalars)
            // Reversing the axes twice, and swapping two axes twice, are identities too.
            #expect(x.T.T.scalars == x.scalars)
            let (first, second) = (permutation[0], permutation[shape.count - 1])
            #expect(x.transposed(first, second).transposed(first, second).scalars == x.scalars)
        }
    }

    @Test func reshapeRoundTrips() async {
        await propertyCheck(input: Self.shapes, Self.seeds) { shape, seed in
            let x = Self.randomTensor(shape, seed: seed)
            let flat = x.flattened()
            #expect(flat.shape == [x.count])
            #expect(flat.scalars == x.scalars)
            #expect(flat.reshaped(shape).shape == shape)
            #expect(flat.reshaped(shape).scalars == x.scalars)
            let lastTwoMerged = x.reshaped([-1, shape[shape.count - 1]])
            #expect(lastTwoMerged.reshaped(shape).scalars == x.scalars)
            // Through a non-contiguous view: reshaping copies in the view's row-major order.
            var rng = RandomState(seed: seed &+ 3)
            let permutation = rng.permutation(shape.count)
            let view = x.permuted(permutation)
            let roundTrip = view.reshaped(-1).reshaped(view.shape)
            #expect(roundTrip.shape == view.shape)
            #expect(roundTrip.scalars == view.scalars)
            #expect(view.flattened().scalars == view.contiguous().scalars)
            // Unsqueezing then squeezing the same axis.
            for axis in 0...shape.count {
                #expect(x.unsqueezed(axis: axis).squeezed(axis: axis).scalars == x.scalars)
                #expect(x.unsqueezed(axis: axis).shape == Array(shape[..<axis]) + [1] + Array(shape[axis...]))
            }
        }
    }

    // MARK: Concatenation, splitting and gathering

    @Test func splitThenConcatIsTheIdentity() async {
        await propertyCheck(input: Self.shapes, Gen.int(in: 0...3), Gen.int(in: 1...3), Self.seeds) {
            baseShape, axisChoice, parts, seed in
            let axis = axisChoice % baseShape.count
            var shape = baseShape
            shape[axis] *= parts
            let x = Self.randomTensor(shape, seed: seed)
            let pieces = x.split(parts, axis: axis)
            #expect(pieces.count == parts)
            #expect(pieces.allSatisfy { $0.shape == baseShape })
            let joined = Tensor.concat(pieces, axis: axis)
            #expect(joined.shape == shape)
            #expect(joined.scalars == x.scalars)
            #expect(Tensor.concat(pieces, axis: axis - shape.count).scalars == x.scalars)
            // Stacking the slices along axis 0 rebuilds the tensor too.
            let rows = (0..<shape[0]).map { x[$0] }
            #expect(Tensor.stack(rows).scalars == x.scalars)
            // Stacking along a new axis equals unsqueezing then concatenating.
            let stacked = Tensor.stack(pieces, axis: axis)
            #expect(stacked.shape == Array(baseShape[..<axis]) + [parts] + Array(baseShape[axis...]))
            #expect(stacked.scalars == Tensor.concat(pieces.map { $0.unsqueezed(axis: axis) }, axis: axis).scalars)
        }
    }

    @Test func gatherWithArangeIsTheIdentity() async {
        await propertyCheck(input: Self.shapes, Gen.int(in: 0...3), Self.seeds) { shape, axisChoice, seed in
            let x = Self.randomTensor(shape, seed: seed)
            let axis = axisChoice % shape.count
            let n = shape[axis]
            let identity = x.gather(Array(0..<n), axis: axis)
            #expect(identity.shape == shape)
            #expect(identity.scalars == x.scalars)
            #expect(x.gather(Array(-n..<0), axis: axis).scalars == x.scalars)
            #expect(x.gather(Tensor.arange(n).cast(to: .int64), axis: axis).scalars == x.scalars)
            // Gathering the reversed positions of axis 0 is slicing with step −1.
            let reversed = x.gather(Array((0..<shape[0]).reversed()))
            #expect(reversed.scalars == x[stride(from: shape[0] - 1, through: 0, by: -1)].scalars)
            // Gathering one position keeps a length-1 axis; subscripting drops it.
            let last = x.gather([n - 1], axis: axis)
            var kept = shape
            kept[axis] = 1
            #expect(last.shape == kept)
            #expect(last.squeezed(axis: axis).scalars == x.split(n, axis: axis)[n - 1].squeezed(axis: axis).scalars)
        }
    }
}
