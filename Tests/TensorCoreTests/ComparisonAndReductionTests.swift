import Testing
@testable import TensorCore

/// Comparisons, masks, `where`, `maskedFill`, argmax/argmin, printing of int64 and bool tensors,
/// and the element-type rules of mixed arithmetic.
@Suite struct ComparisonAndReductionTests {
    let a = OpFixtures.input("a")        // (3, 4), small integers as float64
    let b = OpFixtures.input("b")        // (3, 4)
    let brow = OpFixtures.input("brow")  // (4,)
    let bcol = OpFixtures.input("bcol")  // (3, 1)
    let x = OpFixtures.input("x")        // (2, 3, 4)

    @Test func tensorTensorComparisonsMatchNumPy() {
        expectMatchesNumPy(a .< b, "a<b")
        expectMatchesNumPy(a .<= b, "a<=b")
        expectMatchesNumPy(a .> b, "a>b")
        expectMatchesNumPy(a .>= b, "a>=b")
        expectMatchesNumPy(a .== b, "a==b")
        expectMatchesNumPy(a .!= b, "a!=b")
        // Broadcasting a row, a column, and a column against a row.
        expectMatchesNumPy(a .< brow, "a<brow")
        expectMatchesNumPy(a .>= bcol, "a>=bcol")
        expectMatchesNumPy(bcol .== brow, "bcol==brow")
        // Complementary pairs agree everywhere.
        #expect((a .< b).scalars == (.!(a .>= b)).scalars)
        #expect((a .== b).scalars == (.!(a .!= b)).scalars)
        #expect((a .<= b).scalars == (b .>= a).scalars)
    }

    @Test func tensorNumberComparisonsMatchNumPy() {
        expectMatchesNumPy(a .< 0.5, "a<0.5")
        expectMatchesNumPy(a .>= 1, "a>=1")
        expectMatchesNumPy(a .== 0, "a==0")
        expectMatchesNumPy(a .!= -1, "a!=-1")
        // Hand-checked, including other dtypes.
        #expect((Tensor([1.0, 2.0, 3.0]) .> 2).scalars == [0, 0, 1])
        #expect((Tensor([1.0, 2.0, 3.0]) .<= 2).scalars == [1, 1, 0])
        let ints = Tensor(indices: [1, 2, 3])
        #expect((ints .> 1.5).dtype == .bool)
        #expect((ints .> 1.5).scalars == [0, 1, 1])
        #expect((ints .== Tensor(indices: [3, 2, 1])).scalars == [0, 1, 0])
        let floats32 = Tensor([0.1, 0.2], dtype: .float32)
        // 0.1 is compared in float32, as NumPy compares a float32 array with a Python float.
        #expect((floats32 .== 0.1).scalars == [1, 0])
        #expect((ints .< Tensor([1.5, 2.5, 2.5], dtype: .float32)).scalars == [1, 1, 0])
        // NaN compares unequal to everything, itself included.
        let withNaN = Tensor([Double.nan, 1])
        #expect((withNaN .== withNaN).scalars == [0, 1])
        #expect((withNaN .!= withNaN).scalars == [1, 0])
        #expect((withNaN .< 2).scalars == [0, 1])
    }

    @Test func logicalOperatorsMatchNumPy() {
        expectMatchesNumPy((a .> 0) .& (b .> 0), "(a>0)&(b>0)")
        expectMatchesNumPy((a .> 0) .| (b .> 0), "(a>0)|(b>0)")
        expectMatchesNumPy(.!(a .> 0), "~(a>0)")
        expectMatchesNumPy((a .> 0) .& (brow .> 0), "(a>0)&(brow>0)")
        expectMatchesNumPy((bcol .> 0) .| (brow .> 0), "(bcol>0)|(brow>0)")
        // Truth tables.
        let p = Tensor([true, true, false, false]), q = Tensor([true, false, true, false])
        #expect((p .& q).scalars == [1, 0, 0, 0])
        #expect((p .| q).scalars == [1, 1, 1, 0])
        #expect((.!p).scalars == [0, 0, 1, 1])
        #expect((.!p).dtype == .bool)
        // On a transposed (non-contiguous) mask.
        let mask = Tensor([[1.0, -1.0, 2.0], [-3.0, 4.0, -5.0]]) .> 0
        #expect((.!mask.T).scalars == [0, 1, 1, 0, 0, 1])
        #expect((mask.T .& mask.T).scalars == mask.T.scalars)
    }

    @Test func whereMatchesNumPy() {
        expectMatchesNumPy(Tensor.where(a .> 0, a, b), "where(a>0,a,b)")
        expectMatchesNumPy(Tensor.where(bcol .> 0, a, brow), "where(bcol>0,a,brow)")
        expectMatchesNumPy(Tensor.where(brow .> 0, bcol, -1.0), "where(brow>0,bcol,-1.0)")
        expectMatchesNumPy(Tensor.where(a .> 0, a, 0.0), "where(a>0,a,0.0)")
        // A transposed condition and values: the transpose of the same choice.
        #expect(Tensor.where((a .> 0).T, a.T, b.T).scalars == Tensor.where(a .> 0, a, b).T.scalars)
        // The condition alone broadcasts both values: (2, 1) condition, 0-d values → (2, 1).
        let chosen = Tensor.where(Tensor(shape: [2, 1], scalars: [1, 0], dtype: .bool), Tensor(1.0), Tensor(2.0))
        #expect(chosen.shape == [2, 1])
        #expect(chosen.scalars == [1, 2])
        // int64 values stay int64 (NumPy: np.where(c, int_array, int_array)).
        let ints = Tensor.where(Tensor([true, false, true]), Tensor(indices: [1, 2, 3]), Tensor(indices: [-1, -2, -3]))
        #expect(ints.dtype == .int64)
        #expect(ints.indices == [1, -2, 3])
        // float32 values stay float32.
        #expect(Tensor.where(Tensor([true]), Tensor([1.0], dtype: .float32), 0.0).dtype == .float32)
    }

    /// Causal attention: hiding the future with −∞ gives weights of exactly zero above the
    /// diagonal, and every row still sums to 1.
    @Test func causalMaskingThenSoftmax() {
        var rng = RandomState(seed: 11)
        let scores = rng.randn(5, 5)
        let future = Tensor.full([5, 5], value: 1).triu(1) .> 0
        #expect(future.dtype == .bool)
        let weights = scores.maskedFill(future, with: -.infinity).softmax(axis: -1)
        for i in 0..<5 {
            for j in 0..<5 {
                let w = weights[i, j].item()
                if j > i { #expect(w == 0, "weight [\(i), \(j)] looks into the future") } else { #expect(w > 0) }
            }
            // Softmax of i + 1 values: the sum is 1 to within a rounding per term.
            let total = weights[i].sum()
            #expect(Swift.abs(total - 1) <= Double(i + 2) * Double.ulpOfOne)
        }
        #expect(weights[0, 0].item() == 1)
        // The same with the additive causal mask.
        expectIdentical(weights, (scores + Tensor.causalMask(5)).softmax(axis: -1))
        // The mask broadcasts over a batch of heads, and float32 stays float32.
        let batch = Tensor.stack([scores, scores * 2])
        let masked = batch.maskedFill(future, with: -1e9)
        #expect(masked.shape == [2, 5, 5])
        #expect(masked[1, 0, 4].item() == -1e9)
        #expect(masked[1, 4, 0].item() == scores[4, 0].item() * 2)
        let single = scores.cast(to: .float32).maskedFill(future, with: 0)
        #expect(single.dtype == .float32)
        #expect(single[0, 1].item() == 0)
        #expect(single[1, 0].item() == Double(Float(scores[1, 0].item())))
    }

    @Test func argmaxAndArgminMatchNumPy() {
        for axis in [0, 1, 2, -1] {
            expectMatchesNumPy(x.argmax(axis: axis), "argmax(x,\(axis))")
            expectMatchesNumPy(x.argmin(axis: axis), "argmin(x,\(axis))")
        }
        expectMatchesNumPy(x.argmax(axis: 1, keepDims: true), "argmax(x,1,keepdims)")
        expectMatchesNumPy(x.argmin(axis: -1, keepDims: true), "argmin(x,-1,keepdims)")
        #expect(x.argmax() == Int(OpFixtures.expected("argmax(x)").data[0]))
        #expect(x.argmin() == Int(OpFixtures.expected("argmin(x)").data[0]))
        expectMatchesNumPy(x.T.argmax(axis: 0), "argmax(x.T,0)")
        #expect(x.T.argmax() == Int(OpFixtures.expected("argmax(x.T)").data[0]))
    }

    /// Ties go to the first position; a NaN wins both argmax and argmin, the first NaN if there
    /// are several (NumPy 2.x: `np.argmax([1, np.nan, 3, np.nan])` is 1).
    @Test func argmaxTiesAndNaN() {
        let ties = Tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]])
        #expect(ties.argmax(axis: 1).indices == [1, 0])
        #expect(ties.argmin(axis: 1).indices == [0, 2])
        #expect(ties.argmax(axis: 0).indices == [1, 0, 0])
        #expect(Tensor([5.0, 5.0, 5.0]).argmax() == 0)
        #expect(Tensor([5.0, 5.0, 5.0]).argmin() == 0)
        #expect(Tensor([-Double.infinity, -.infinity]).argmax() == 0)

        #expect(Tensor([1.0, .nan, 3.0, .nan]).argmax() == 1)
        #expect(Tensor([1.0, .nan, 3.0, .nan]).argmin() == 1)
        #expect(Tensor([1.0, 5.0, .nan]).argmax() == 2)
        #expect(Tensor([.nan, 9.0]).argmax() == 0)
        #expect(Tensor([-1.0, .nan], dtype: .float32).argmin() == 1)
        let grid = Tensor([[Double.nan, 5.0], [1.0, .nan]])
        #expect(grid.argmax(axis: 0).indices == [0, 1])
        #expect(grid.argmax(axis: 1).indices == [0, 1])
        #expect(grid.argmin(axis: 0).indices == [0, 1])

        // int64 and bool tensors.
        #expect(Tensor(indices: [3, 7, 7, 1]).argmax() == 1)
        #expect(Tensor(indices: [3, 7, 7, 1]).argmin() == 3)
        #expect(Tensor([false, true, true]).argmax() == 1)

        // Shapes and dtype.
        let argmax = x.argmax(axis: 1, keepDims: true)
        #expect(argmax.dtype == .int64 && argmax.shape == [2, 1, 4])
        #expect(x.argmin(axis: 0).shape == [3, 4])
        #expect(Tensor([4.0, 9.0]).argmax(axis: 0).shape == [])
    }

    /// NumPy's max and min propagate NaN (`np.max([1, np.nan, 3])` is nan), consistent with
    /// argmax and argmin pointing at the first NaN.
    @Test func maxAndMinPropagateNaNLikeNumPy() {
        let values = Tensor([1.0, .nan, 3.0])
        #expect(values.max().isNaN)
        #expect(values.min().isNaN)
        #expect(values.max(axis: 0).item().isNaN)
        #expect(values.min(axis: 0).item().isNaN)
        let grid = Tensor([[1.0, .nan], [2.0, 3.0]])
        // NumPy: grid.max(axis=1) is [nan, 3.], grid.min(axis=0) is [1., nan].
        #expect(grid.max(axis: 1).description == "[nan  3.]")
        #expect(grid.min(axis: 0).scalars[0] == 1)
        #expect(grid.min(axis: 0).scalars[1].isNaN)
        // The element argmax points at is the maximum.
        #expect(grid[0, grid.argmax(axis: 1).indices[0]].item().isNaN)
    }

    /// Each expected string is NumPy 2.x's `str(np.array(…))`.
    @Test func int64AndBoolPrintLikeNumPy() {
        #expect(Tensor(indices: [1, 2, 3]).description == "[1 2 3]")
        #expect(Tensor(indices: [-1, 10, 200]).description == "[ -1  10 200]")
        #expect(Tensor(shape: [2, 2], indices: [1, 20, 300, -4]).description == "[[  1  20]\n [300  -4]]")
        #expect(Tensor(shape: [2, 3, 4], indices: Array(0..<24)).description
            == "[[[ 0  1  2  3]\n  [ 4  5  6  7]\n  [ 8  9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n  [20 21 22 23]]]")
        #expect(Tensor(shape: [2, 3], indices: [1, 2, 3, 4, 5, 6]).T.description == "[[1 4]\n [2 5]\n [3 6]]")
        #expect(Tensor(indices: Array(0..<40)).description
            == "[ 0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15 16 17 18 19 20 21 22 23\n 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38 39]")
        #expect(Tensor(indices: Array(0..<2000)).description == "[   0    1    2 ... 1997 1998 1999]")
        #expect(Tensor(shape: [], indices: [5]).description == "5")

        #expect(Tensor([true, false]).description == "[ True False]")
        #expect(Tensor([true, true]).description == "[ True  True]")
        #expect((Tensor([[1.0, -1.0], [-1.0, 1.0]]) .> 0).description == "[[ True False]\n [False  True]]")
        #expect((Tensor(1.0) .> 0).description == "True")
        #expect(Tensor(Array(repeating: true, count: 30)).description
            == "[ True  True  True  True  True  True  True  True  True  True  True  True\n  True  True  True  True  True  True  True  True  True  True  True  True\n  True  True  True  True  True  True]")
        // Summarised like NumPy beyond 1000 elements.
        #expect(Tensor((0..<2000).map { $0 % 2 == 0 }).description == "[ True False  True ... False  True False]")
        #expect(Tensor(shape: [60, 50], indices: Array(0..<3000)).description == """
            [[   0    1    2 ...   47   48   49]
             [  50   51   52 ...   97   98   99]
             [ 100  101  102 ...  147  148  149]
             ...
             [2850 2851 2852 ... 2897 2898 2899]
             [2900 2901 2902 ... 2947 2948 2949]
             [2950 2951 2952 ... 2997 2998 2999]]
            """)
        // An argmax result prints as integers.
        #expect(Tensor([[1.0, 3.0], [4.0, 2.0]]).argmax(axis: 1).description == "[1 0]")
    }

    /// Cuaderno's element-type rules for mixed arithmetic (NumPy's, except that mixing float32
    /// with float64 stops the program, which cannot be tested here).
    @Test func dtypeRules() {
        let ints = Tensor(indices: [1, 2, 3])
        let floats32 = Tensor([0.5, 0.25, 2.0], dtype: .float32)
        let sum = ints + floats32
        #expect(sum.dtype == .float32)
        #expect(sum.scalars == [1.5, 2.25, 5])
        #expect((floats32 * ints).dtype == .float32)
        #expect((ints + Tensor([0.5, 0.5, 0.5])).dtype == .float64)

        let intSum = ints + Tensor(indices: [10, 20, 30])
        #expect(intSum.dtype == .int64)
        #expect(intSum.indices == [11, 22, 33])
        #expect((ints * ints).indices == [1, 4, 9])
        #expect((ints - Tensor(indices: [5])).indices == [-4, -3, -2])
        #expect((-ints).dtype == .int64)
        #expect((-ints).indices == [-1, -2, -3])

        // True division of integers gives float64, as in NumPy.
        let quotient = Tensor(indices: [1, 2, 7]) / Tensor(indices: [2, 4, 2])
        #expect(quotient.dtype == .float64)
        #expect(quotient.scalars == [0.5, 0.5, 3.5])

        // Plain numbers take the tensor's float type (float64 for integers).
        #expect((ints + 1.0).dtype == .float64)
        #expect((ints * 0.5).scalars == [0.5, 1, 1.5])
        #expect((floats32 * 3.0).dtype == .float32)
        #expect((2.0 - floats32).scalars == [1.5, 1.75, 0])

        // Masks combine with numbers as 0 and 1.
        let mask = Tensor([true, false, true])
        #expect((mask * 2.0).scalars == [2, 0, 2])
        #expect((mask * 2.0).dtype == .float64)
        #expect((mask + ints).dtype == .int64)
        #expect((mask + ints).indices == [2, 2, 4])

        // Reductions that must be floats are; the mean of integers is float64 as in NumPy.
        #expect(ints.mean() == 2)
        #expect(Tensor(shape: [2, 2], indices: [1, 2, 3, 5]).mean(axis: 0).dtype == .float64)
        #expect(Tensor(shape: [2, 2], indices: [1, 2, 3, 5]).mean(axis: 0).scalars == [2, 3.5])
        #expect(ints.softmax().dtype == .float64)
    }

    /// NumPy keeps integer sums, maxima and minima integers (`np.array([1, 2]).sum(axis=0)` is
    /// int64 and prints `3`), counts a mask's `True`s as int64 (`(x > 0).sum(axis=0)`), and keeps
    /// a mask's maximum and minimum bool.
    @Test func integerReductionsKeepInt64LikeNumPy() {
        let ints = Tensor(shape: [2, 2], indices: [1, 2, 3, 5])
        #expect(ints.sum(axis: 0).dtype == .int64)
        #expect(ints.sum(axis: 0).description == "[4 7]")
        #expect(ints.max(axis: 1).dtype == .int64)
        #expect(ints.min(axis: 1).dtype == .int64)
        let mask = Tensor([[1.0, -1.0], [2.0, 3.0]]) .> 0
        #expect(mask.sum(axis: 0).dtype == .int64)
        #expect(mask.sum(axis: 0).description == "[2 1]")
        // The maximum of a mask is a mask (NumPy: `(x > 0).max(axis=0)` is bool, an "any").
        #expect(mask.max(axis: 0).dtype == .bool)
        #expect(mask.max(axis: 0).description == "[ True  True]")
        #expect(mask.min(axis: 1).description == "[False  True]")
    }
}
