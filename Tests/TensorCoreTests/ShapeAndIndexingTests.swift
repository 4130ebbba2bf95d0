import Foundation
import Testing
@testable import TensorCore

// MARK: - NumPy fixtures shared by the shape, comparison and matmul tests

/// One array from `Fixtures/ops.json`, written by `Fixtures/make_op_fixtures.py`.
struct FixtureArray: Decodable, Sendable {
    let shape: [Int]
    let dtype: DType
    let data: [Double]

    private enum CodingKeys: String, CodingKey { case shape, dtype, data }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        shape = try container.decode([Int].self, forKey: .shape)
        let name = try container.decode(String.self, forKey: .dtype)
        guard let dtype = DType(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .dtype, in: container, debugDescription: "unknown dtype \(name)")
        }
        self.dtype = dtype
        if dtype == .bool {
            data = try container.decode([Bool].self, forKey: .data).map { $0 ? 1 : 0 }
        } else {
            data = try container.decode([Double].self, forKey: .data)
        }
    }

    var tensor: Tensor { Tensor(shape: shape, scalars: data, dtype: dtype) }
}

/// Inputs and NumPy's results for them, keyed by the NumPy expression (see the script).
struct OpFixtures: Decodable, Sendable {
    let inputs: [String: FixtureArray]
    let expected: [String: FixtureArray]

    static let shared: OpFixtures = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/ops.json")
        do {
            return try JSONDecoder().decode(OpFixtures.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    /// An input tensor (float64 unless the script made it otherwise).
    static func input(_ name: String) -> Tensor {
        guard let array = shared.inputs[name] else { fatalError("no fixture input \(name)") }
        return array.tensor
    }

    static func expected(_ name: String) -> FixtureArray {
        guard let array = shared.expected[name] else { fatalError("no fixture result \(name)") }
        return array
    }
}

/// Shape, dtype and every element exactly as NumPy has them.
func expectMatchesNumPy(_ actual: Tensor, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let reference = OpFixtures.expected(name)
    #expect(actual.shape == reference.shape, "\(name): shape", sourceLocation: sourceLocation)
    #expect(actual.dtype == reference.dtype, "\(name): dtype", sourceLocation: sourceLocation)
    #expect(actual.scalars == reference.data, "\(name): values", sourceLocation: sourceLocation)
}

/// Shape and dtype as NumPy has them, and each element within `tolerance[i]` of NumPy's.
func expectNearNumPy(_ actual: Tensor, _ name: String, tolerance: [Double],
                     sourceLocation: SourceLocation = #_sourceLocation) {
    let reference = OpFixtures.expected(name)
    #expect(actual.shape == reference.shape, "\(name): shape", sourceLocation: sourceLocation)
    #expect(actual.dtype == reference.dtype, "\(name): dtype", sourceLocation: sourceLocation)
    #expect(actual.count == reference.data.count && tolerance.count == reference.data.count,
            "\(name): element count", sourceLocation: sourceLocation)
    for (index, (value, expected)) in zip(actual.scalars, reference.data).enumerated() where index < tolerance.count {
        #expect(Swift.abs(value - expected) <= tolerance[index],
                "\(name)[\(index)]: \(value) vs NumPy's \(expected) (tolerance \(tolerance[index]))",
                sourceLocation: sourceLocation)
    }
}

/// Same shape, dtype and elements, bit for bit.
func expectIdentical(_ actual: Tensor, _ expected: Tensor, _ comment: Comment? = nil,
                     sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.shape == expected.shape, comment, sourceLocation: sourceLocation)
    #expect(actual.dtype == expected.dtype, comment, sourceLocation: sourceLocation)
    #expect(actual.scalars == expected.scalars, comment, sourceLocation: sourceLocation)
}

// MARK: - Tests

/// Views (permutes, transposes, slices, squeezes), reshaping, gather, concat, stack, split and
/// broadcast, against NumPy's results for the same inputs.
@Suite struct ShapeAndIndexingTests {
    let x = OpFixtures.input("x")  // (2, 3, 4)
    let m = OpFixtures.input("m")  // (3, 4)

    /// A small tensor whose elements are their own row-major positions, for hand-checked values.
    let counting = Tensor(shape: [2, 3, 4], scalars: (0..<24).map(Double.init))

    @Test func permutesAndTransposesMatchNumPy() {
        expectMatchesNumPy(x.permuted(2, 0, 1), "x.transpose(2,0,1)")
        expectMatchesNumPy(x.permuted([1, 2, 0]), "x.transpose(1,2,0)")
        expectMatchesNumPy(x.permuted(-1, 0, -2), "x.transpose(2,0,1)")
        expectMatchesNumPy(x.transposed(0, 2), "swapaxes(x,0,2)")
        expectMatchesNumPy(x.transposed(-1, -2), "swapaxes(x,-1,-2)")
        expectMatchesNumPy(x.transposed(-2, -1), "swapaxes(x,-1,-2)")
        expectMatchesNumPy(x.T, "x.T")
        expectMatchesNumPy(x.transposed(), "x.T")
        expectMatchesNumPy(m.T, "m.T")
        // Hand-checked: element [i, j] of the transpose is element [j, i].
        let t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).T
        #expect(t[2, 0].item() == 3)
        #expect(t[0, 1].item() == 4)
        // A vector's transpose is itself, as in NumPy.
        #expect(Tensor([1.0, 2.0, 3.0]).T.shape == [3])
        #expect(Tensor([1.0, 2.0, 3.0]).T.scalars == [1, 2, 3])
    }

    /// Permutes and transposes make a view: same buffer, strides reordered, nothing copied.
    @Test func permutesAreViews() {
        let p = counting.permuted(2, 0, 1)
        #expect(p.shape == [4, 2, 3])
        #expect(p.strides == [1, 12, 4])
        #expect(p.offset == 0)
        #expect(counting.transposed(0, 2).strides == [1, 4, 12])
        #expect(counting.T.strides == [1, 4, 12])
        #expect(counting.T.shape == [4, 3, 2])
        #expect(p[3, 1, 2].item() == 23)  // counting[1, 2, 3]
        #expect(p[1, 0, 2].item() == 9)   // counting[0, 2, 1]
    }

    @Test func reshapeIsAViewOfRowMajorElementsAndACopyOtherwise() {
        // Contiguous: a view of the same buffer.
        let r = counting.reshaped(6, 4)
        #expect(r.shape == [6, 4])
        #expect(r.scalars == counting.scalars)
        let slab = counting[1]          // offset 12 in a 24-element buffer
        let flat = slab.reshaped(-1)
        #expect(flat.shape == [12])
        #expect(flat.offset == 12)
        #expect(flat.buffer.count == 24)  // still the original buffer: no copy
        #expect(flat.scalars == (12..<24).map(Double.init))
        #expect(counting.reshaped([4, -1]).shape == [4, 6])
        #expect(counting.reshaped(2, -1, 3).shape == [2, 4, 3])

        // Non-contiguous (a permuted view): the elements are copied in the view's row-major order.
        let permuted = x.permuted(1, 0, 2)
        expectMatchesNumPy(permuted.reshaped(3, 8), "x.transpose(1,0,2).reshape(3,8)")
        expectMatchesNumPy(permuted.reshaped(-1, 4), "x.transpose(1,0,2).reshape(-1,4)")
        let copy = permuted.reshaped(3, 8)
        #expect(copy.isRowMajor && copy.offset == 0 && copy.buffer.count == 24)
        expectMatchesNumPy(x.T.flattened(), "x.T.ravel()")
        expectMatchesNumPy(x[..., 1..<3].reshaped(4, 4), "x[:,1:3].reshape(4,4)")
        // Reshape to a scalar and back.
        let single = Tensor([7.0]).reshaped([])
        #expect(single.shape == [] && single.item() == 7)
        #expect(single.flattened().shape == [1])
    }

    @Test func squeezeAndUnsqueeze() {
        let column = Tensor([[1.0], [2.0], [3.0]])  // (3, 1)
        #expect(column.squeezed(axis: 1).shape == [3])
        #expect(column.squeezed(axis: -1).scalars == [1, 2, 3])
        #expect(column.squeezed().shape == [3])
        let ones = Tensor(shape: [1, 3, 1, 2, 1], scalars: [1, 2, 3, 4, 5, 6])
        #expect(ones.squeezed().shape == [3, 2])
        #expect(ones.squeezed().scalars == [1, 2, 3, 4, 5, 6])
        #expect(ones.squeezed(axis: 0).shape == [3, 1, 2, 1])
        #expect(ones.squeezed(axis: -3).shape == [1, 3, 2, 1])
        #expect(Tensor(shape: [1, 1], scalars: [4]).squeezed().shape == [])
        #expect(Tensor(shape: [1, 1], scalars: [4]).squeezed().item() == 4)

        // NumPy's np.expand_dims positions, negative ones counting from the end of the result.
        #expect(m.unsqueezed(axis: 0).shape == [1, 3, 4])
        #expect(m.unsqueezed(axis: 1).shape == [3, 1, 4])
        #expect(m.unsqueezed(axis: 2).shape == [3, 4, 1])
        #expect(m.unsqueezed(axis: -1).shape == [3, 4, 1])
        #expect(m.unsqueezed(axis: -2).shape == [3, 1, 4])
        #expect(m.unsqueezed(axis: -3).shape == [1, 3, 4])
        for axis in [0, 1, 2, -1, -2, -3] {
            #expect(m.unsqueezed(axis: axis).scalars == m.scalars)
            #expect(m.unsqueezed(axis: axis).squeezed(axis: axis).shape == m.shape)
        }
        // On a transposed view: still a view, the same values as on the contiguous copy.
        let view = m.T.unsqueezed(axis: 1)
        #expect(view.shape == [4, 1, 3])
        #expect(view.scalars == m.T.contiguous().unsqueezed(axis: 1).scalars)
        #expect(view[..., 0].scalars == m.T.scalars)
    }

    @Test func subscriptsMatchNumPy() {
        expectMatchesNumPy(x[0], "x[0]")
        expectMatchesNumPy(x[1, 2], "x[1,2]")
        expectMatchesNumPy(x[1, 2, 3], "x[1,2,3]")
        #expect(x[1, 2, 3].shape == [])
        expectMatchesNumPy(x[..., 1..<3], "x[:,1:3]")
        expectMatchesNumPy(x[..., ..., 0], "x[:,:,0]")
        expectMatchesNumPy(x[-1], "x[-1]")
        expectMatchesNumPy(x[..., -1], "x[:,-1]")
        expectMatchesNumPy(x[..., (-2)...], "x[:,-2:]")
        expectMatchesNumPy(x[..., ..<(-1)], "x[:,:-1]")
        expectMatchesNumPy(x[..., (-3)..<(-1)], "x[:,-3:-1]")
        expectMatchesNumPy(x[..., 1...], "x[:,1:]")
        expectMatchesNumPy(x[..., ..<2], "x[:,:2]")
        expectMatchesNumPy(x[..., ...1], "x[:,:2]")
        expectMatchesNumPy(x[..., 0...1], "x[:,0:2]")
        expectMatchesNumPy(x[..., stride(from: 0, to: 3, by: 2)], "x[:,0:3:2]")
        expectMatchesNumPy(x[..., stride(from: 0, through: 2, by: 2)], "x[:,0:3:2]")
        expectMatchesNumPy(x[..., ..., stride(from: 3, through: 0, by: -1)], "x[:,:,::-1]")
        expectMatchesNumPy(x[..., ..., stride(from: 3, to: -1, by: -1)], "x[:,:,::-1]")
        expectMatchesNumPy(x[1..<2, (-2)..., stride(from: 1, to: 4, by: 2)], "x[1:2,-2:,1:4:2]")
        expectMatchesNumPy(x[..., 0..<2, 1..<4], "x[:,0:2,1:4]")
        // Subscripts of views.
        expectMatchesNumPy(x[0][..., 1..<3], "x[0][:,1:3]")
        expectMatchesNumPy(x[..., 1..<3][..., ..., 2], "x[:,1:3][:,:,2]")
        // Hand-checked on the counting tensor: element [i, j, k] is 12 i + 4 j + k.
        #expect(counting[1, 2].scalars == [20, 21, 22, 23])
        #expect(counting[-1, -1, -1].item() == 23)
        #expect(counting[0, (-2)...].scalars == [4, 5, 6, 7, 8, 9, 10, 11])
        #expect(counting[..., ..., 2].scalars == [2, 6, 10, 14, 18, 22])
        #expect(counting[0, stride(from: 2, through: 0, by: -2), 0].scalars == [8, 0])
        // An empty range keeps the axis with length 0.
        #expect(counting[..., 1..<1].shape == [2, 0, 4])
        #expect(counting[..., 1..<1].count == 0)
    }

    /// Slices are views of the same buffer: offset and strides move, nothing is copied.
    @Test func slicesAreViews() {
        let columns = counting[..., 1..<3]
        #expect(columns.offset == 4)
        #expect(columns.strides == [12, 4, 1])
        #expect(columns.buffer.count == 24)
        let everyOther = counting[..., ..., stride(from: 1, to: 4, by: 2)]
        #expect(everyOther.strides == [12, 4, 2])
        #expect(everyOther.offset == 1)
        let reversed = counting[..., ..., stride(from: 3, through: 0, by: -1)]
        #expect(reversed.strides == [12, 4, -1])
        #expect(reversed.offset == 3)
        #expect(reversed[0, 0].scalars == [3, 2, 1, 0])
        #expect(counting[1, 2].offset == 20)
    }

    @Test func gatherMatchesNumPyTake() {
        let table = OpFixtures.input("table")  // (6, 3): an embedding table
        // Embedding lookup with a (2, 3) matrix of token ids gives (2, 3, 3).
        let ids = Tensor(shape: [2, 3], indices: [0, 5, 2, 5, 5, 1])
        expectMatchesNumPy(table.gather(ids), "table[ids2d]")
        expectMatchesNumPy(table.gather([-1, 0, -6]), "take(table,[-1,0,-6],0)")
        expectMatchesNumPy(x.gather([2, 0, -1], axis: 1), "take(x,[2,0,-1],1)")
        expectMatchesNumPy(x.gather(Tensor(shape: [2, 2], indices: [0, 1, 2, 2]), axis: 1), "take(x,[[0,1],[2,2]],1)")
        expectMatchesNumPy(x.gather([3, 3, 0], axis: -1), "take(x,[3,3,0],-1)")
        // From a view, and with indices that are themselves a view.
        expectMatchesNumPy(x.T.gather([1, 0]), "take(x.T,[1,0],0)")
        let idView = Tensor(shape: [3, 2], indices: [0, 9, 5, 9, 2, 9])[..., 0]  // [0, 5, 2], stride 2
        #expect(table.gather(idView).scalars == table.gather([0, 5, 2]).scalars)
        // int64 and bool tensors gather too, keeping their dtype.
        let labels = Tensor(indices: [10, 20, 30])
        #expect(labels.gather([2, 2, 0]).dtype == .int64)
        #expect(labels.gather([2, 2, 0]).indices == [30, 30, 10])
        #expect(Tensor([true, false]).gather([1, 0, 1]).scalars == [0, 1, 0])
        // 0-d indices drop the axis, like np.take(table, 2, axis=0).
        let one = table.gather(Tensor(shape: [], indices: [2]))
        #expect(one.shape == [3])
        #expect(one.scalars == table[2].scalars)
        // Indices of shape (0,) give an empty axis.
        #expect(table.gather([]).shape == [0, 3])
    }

    @Test func concatAndStackMatchNumPy() {
        let x2 = OpFixtures.input("x2"), x3 = OpFixtures.input("x3"), x4 = OpFixtures.input("x4")
        expectMatchesNumPy(Tensor.concat([x, x2], axis: 0), "concat([x,x2],0)")
        expectMatchesNumPy(concat([x, x3], axis: 1), "concat([x,x3],1)")
        expectMatchesNumPy(concat([x, x4], axis: -1), "concat([x,x4],-1)")
        expectMatchesNumPy(concat([x[..., ..., 1..<3], x[..., ..., stride(from: 3, through: 0, by: -1)]], axis: 2),
                           "concat([x[:,:,1:3],x[:,:,::-1]],2)")
        let p = OpFixtures.input("p"), q = OpFixtures.input("q"), r = OpFixtures.input("r")
        expectMatchesNumPy(Tensor.stack([p, q, r]), "stack([p,q,r],0)")
        expectMatchesNumPy(stack([p, q, r], axis: 1), "stack([p,q,r],1)")
        expectMatchesNumPy(stack([p, q, r], axis: -1), "stack([p,q,r],-1)")
        expectMatchesNumPy(stack([p, q, r], axis: 2), "stack([p,q,r],-1)")
        expectMatchesNumPy(stack([p, q, r], axis: -2), "stack([p,q,r],1)")
        expectMatchesNumPy(stack([p.T, q.T]), "stack([p.T,q.T],0)")
        // A single tensor, vectors, and int64 tensors.
        #expect(concat([p]).scalars == p.scalars)
        #expect(stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis: 1).scalars == [1, 3, 2, 4])
        let joined = concat([Tensor(indices: [1, 2]), Tensor(indices: [3])])
        #expect(joined.dtype == .int64 && joined.indices == [1, 2, 3])
    }

    @Test func splitMatchesNumPyAndGivesViews() {
        let halves = x.split(2, axis: -1)
        #expect(halves.count == 2)
        for (index, part) in halves.enumerated() { expectMatchesNumPy(part, "split(x,2,-1)[\(index)]") }
        let thirds = x.split(3, axis: 1)
        #expect(thirds.count == 3)
        for (index, part) in thirds.enumerated() { expectMatchesNumPy(part, "split(x,3,1)[\(index)]") }
        #expect(thirds[2].offset == 8 && thirds[2].buffer.count == 24)
        // Splitting a view.
        let heads = counting.T.split(2, axis: 0)  // (4, 3, 2) into two (2, 3, 2)
        #expect(heads[1].scalars == counting.T.contiguous()[2...].scalars)
        #expect(x.split(1).first?.scalars == x.scalars)
    }

    @Test func broadcastToMatchesNumPy() {
        let row = OpFixtures.input("row"), col = OpFixtures.input("col")
        expectMatchesNumPy(row.broadcast(to: [2, 3, 4]), "broadcast_to(row,(2,3,4))")
        expectMatchesNumPy(col.broadcast(to: [2, 3, 4]), "broadcast_to(col,(2,3,4))")
        let view = row.broadcast(to: [2, 3, 4])
        #expect(view.strides == [0, 0, 1])
        #expect(col.broadcast(to: [2, 3, 4]).strides == [0, 1, 0])
        #expect(Tensor(5.0).broadcast(to: [2, 2]).scalars == [5, 5, 5, 5])
        #expect(row.broadcast(to: [4]).scalars == row.scalars)
    }

    @Test func contiguousCopiesOnlyViews() {
        let c = counting.contiguous()
        #expect(c.buffer.count == 24 && c.offset == 0)
        let t = counting.T.contiguous()
        #expect(t.isRowMajor && t.offset == 0 && t.buffer.count == 24)
        #expect(t.strides == Tensor.rowMajorStrides([4, 3, 2]))
        #expect(t.scalars == counting.T.scalars)
        let slice = counting[1, 1..<3].contiguous()
        #expect(slice.buffer.count == 8 && slice.offset == 0)
        #expect(slice.scalars == [16, 17, 18, 19, 20, 21, 22, 23])
        #expect(counting[..., ..., stride(from: 3, through: 0, by: -1)].contiguous().scalars[0..<4] == [3, 2, 1, 0])
    }

    /// Operations on views read the view's elements, not the buffer's layout: the result equals
    /// the same operation on a contiguous copy, bit for bit.
    @Test func operationsOnViewsEqualOperationsOnContiguousCopies() {
        let views: [Tensor] = [
            x.T, x.permuted(2, 0, 1), x.transposed(0, 1), x[..., 1..<3], x[..., ..., stride(from: 3, through: 0, by: -1)],
            x[1], x[..., -1], x[..., ..., 0], m.T, m[stride(from: 2, through: 0, by: -1)], x.split(2, axis: -1)[1],
            OpFixtures.input("row").broadcast(to: [3, 4]),
        ]
        for view in views {
            let copy = view.contiguous()
            let axis = view.rank - 1
            expectIdentical(view.exp(), copy.exp())
            expectIdentical(view * 2.0 - 1.0, copy * 2.0 - 1.0)
            expectIdentical(view + view, copy + copy)
            expectIdentical(view.sum(axis: axis), copy.sum(axis: axis))
            expectIdentical(view.sum(axis: 0, keepDims: true), copy.sum(axis: 0, keepDims: true))
            expectIdentical(view.max(axis: 0), copy.max(axis: 0))
            expectIdentical(view.softmax(axis: -1), copy.softmax(axis: -1))
            expectIdentical(view.softmax(axis: 0), copy.softmax(axis: 0))
            expectIdentical(view.argmax(axis: axis), copy.argmax(axis: axis))
            expectIdentical(view .> 0, copy .> 0)
            expectIdentical(view.reshaped(-1), copy.reshaped(-1))
            expectIdentical(view.gather([0], axis: axis), copy.gather([0], axis: axis))
            expectIdentical(concat([view, view], axis: axis), concat([copy, copy], axis: axis))
            #expect(view.description == copy.description)
            #expect(view.sum() == copy.sum())
            #expect(view.argmax() == copy.argmax())
        }
        // Against NumPy.
        expectMatchesNumPy(x.T + 1.0, "x.T+1")
        expectMatchesNumPy(x[..., 1..<3] * x[..., 0..<2], "x[:,1:3]*x[:,0:2]")
        expectMatchesNumPy(x.transposed(0, 2).max(axis: -1), "swapaxes(x,0,2).max(-1)")
        // The sum of 4 terms, rounded differently by at most 3 ulps of the sum of magnitudes.
        let scale = x.permuted(2, 0, 1).abs().sum(axis: 0).scalars
        expectNearNumPy(x.permuted(2, 0, 1).sum(axis: 0), "x.transpose(2,0,1).sum(0)",
                        tolerance: scale.map { 3 * Double.ulpOfOne * $0 })
    }

    /// Tensors are values: changing a copy (by assigning it a new tensor) never changes the
    /// original or views taken from it.
    @Test func valueSemantics() {
        let original = Tensor([[1.0, 2.0], [3.0, 4.0]])
        var copy = original
        copy = copy.maskedFill(copy .> 2, with: 0)
        #expect(copy.scalars == [1, 2, 0, 0])
        #expect(original.scalars == [1, 2, 3, 4])

        var y = original
        let firstRow = y[0]
        let transposed = y.T
        y = y * 10
        #expect(y.scalars == [10, 20, 30, 40])
        #expect(firstRow.scalars == [1, 2])
        #expect(transposed.scalars == [1, 3, 2, 4])
        #expect(original.scalars == [1, 2, 3, 4])

        // A view made into something new leaves the tensor it views alone.
        var view = original.T
        view = view.contiguous() + 1
        #expect(view.scalars == [2, 4, 3, 5])
        #expect(original.scalars == [1, 2, 3, 4])
        #expect(original.T.scalars == [1, 3, 2, 4])
    }
}
