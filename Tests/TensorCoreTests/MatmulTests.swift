import Testing
@testable import TensorCore

/// Matrix products (plain, transposed, batched, vector, sliced, float32), dot, outer, norms and
/// cosine similarity, against NumPy.
///
/// **Tolerances.** A product of inner length k computed in any order has an error of at most
/// γₖ·(|A|·|B|)ᵢⱼ with γₖ = k·u / (1 − k·u) ≈ k·u and u = ε/2 (Higham, *Accuracy and Stability
/// of Numerical Algorithms*, §3.5). NumPy's BLAS and ours may round differently, so the two
/// results can differ by twice that: k·ε·(|A|·|B|)ᵢⱼ, which the fixtures' `:abs` entries
/// (NumPy's |A|·|B|) scale.
@Suite struct MatmulTests {
    let A = OpFixtures.input("A")    // (3, 4)
    let B = OpFixtures.input("B")    // (4, 5)
    let At = OpFixtures.input("At")  // (4, 3); At.T is a transposed (3, 4) view
    let Bt = OpFixtures.input("Bt")  // (5, 4); Bt.T is a transposed (4, 5) view
    let X = OpFixtures.input("X")    // (2, 3, 4)
    let C = OpFixtures.input("C")    // (2, 1, 3, 4)
    let D = OpFixtures.input("D")    // (5, 4, 2)
    let u = OpFixtures.input("u")    // (4,)
    let v = OpFixtures.input("v")    // (4,)
    let w = OpFixtures.input("w")    // (5,)
    let W = OpFixtures.input("W")    // (4, 6)

    /// Checks a product against NumPy's within k·ε·(|A|·|B|) (see the suite's comment).
    func expectProduct(_ actual: Tensor, _ name: String, innerLength k: Int,
                       sourceLocation: SourceLocation = #_sourceLocation) {
        let epsilon = actual.dtype == .float32 ? Double(Float.ulpOfOne) : Double.ulpOfOne
        let scale = OpFixtures.expected(name + ":abs").data
        expectNearNumPy(actual, name, tolerance: scale.map { Double(k) * epsilon * $0 }, sourceLocation: sourceLocation)
    }

    @Test func twoDimensionalProductsMatchNumPy() {
        expectProduct(A.matmul(B), "A@B", innerLength: 4)
        expectProduct(matmul(A, B), "A@B", innerLength: 4)
        expectProduct(At.T.matmul(B), "At.T@B", innerLength: 4)
        expectProduct(A.matmul(Bt.T), "A@Bt.T", innerLength: 4)
        expectProduct(At.T.matmul(Bt.T), "At.T@Bt.T", innerLength: 4)
    }

    /// Small integers multiply exactly, so these products are checked bit for bit.
    @Test func exactProductsOfSmallIntegers() {
        let a = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])           // (2, 3)
        let b = Tensor([[1.0, -1.0], [0.0, 2.0], [3.0, 1.0]])        // (3, 2)
        #expect(a.matmul(b).scalars == [10, 6, 22, 12])
        #expect(b.T.matmul(a.T).scalars == [10, 22, 6, 12])          // (AB)ᵀ = BᵀAᵀ
        #expect(a.T.matmul(a).scalars == [17, 22, 27, 22, 29, 36, 27, 36, 45])
        #expect(a.matmul(a.T).scalars == [14, 32, 32, 77])
        // Batched, with the batch axis broadcast on either side.
        let stackOfA = Tensor.stack([a, a * 2])                        // (2, 2, 3)
        let product = stackOfA.matmul(b)
        #expect(product.shape == [2, 2, 2])
        #expect(product.scalars == [10, 6, 22, 12, 20, 12, 44, 24])
        let left = a.matmul(Tensor.stack([b, -b]))                     // (2, 3) · (2, 3, 2)
        #expect(left.shape == [2, 2, 2])
        #expect(left.scalars == [10, 6, 22, 12, -10, -6, -22, -12])
        // Vectors.
        let row = Tensor([1.0, 0.0, -1.0])
        #expect(row.matmul(b).shape == [2])
        #expect(row.matmul(b).scalars == [-2, -2])
        #expect(a.matmul(row).scalars == [-2, -2])
        #expect(row.matmul(row).shape == [])
        #expect(row.matmul(row).item() == 2)
        // int64 operands multiply in float64.
        let ints = Tensor(shape: [2, 2], indices: [1, 2, 3, 4])
        #expect(ints.matmul(ints).dtype == .float64)
        #expect(ints.matmul(ints).scalars == [7, 10, 15, 22])
        // An empty inner axis gives zeros.
        #expect(Tensor.zeros([2, 0]).matmul(Tensor.zeros([0, 3])).scalars == [0, 0, 0, 0, 0, 0])
    }

    /// White-box: transposed views go to BLAS as they are (column-contiguous, `trans = true`);
    /// only strides BLAS cannot describe force a copy.
    @Test func transposedOperandsAreNotCopied() throws {
        let plain = try #require(A.blasMatrixLayout())
        #expect(plain.transposed == false && plain.leadingDimension == 4)
        let transposed = try #require(At.T.blasMatrixLayout())
        #expect(transposed.transposed == true && transposed.leadingDimension == 3)
        let keys = try #require(X.transposed(-2, -1).blasMatrixLayout())
        #expect(keys.transposed == true && keys.leadingDimension == 4)
        // Column slices keep rows contiguous: BLAS reads them with a leading dimension of 4.
        let columns = try #require(A[..., 1..<3].blasMatrixLayout())
        #expect(columns.transposed == false && columns.leadingDimension == 4)
        let rows = try #require(B[1..<3].blasMatrixLayout())
        #expect(rows.transposed == false && rows.leadingDimension == 5)
        // Every other column, or rows reversed: neither rows nor columns are contiguous.
        #expect(W[..., stride(from: 1, to: 6, by: 2)].blasMatrixLayout() == nil)
        #expect(A[stride(from: 2, through: 0, by: -1)].blasMatrixLayout() == nil)
        #expect(OpFixtures.input("row").broadcast(to: [3, 4]).blasMatrixLayout() == nil)
    }

    @Test func batchedProductsBroadcastLikeNumPy() {
        let xb = X.matmul(B)
        #expect(xb.shape == [2, 3, 5])
        expectProduct(xb, "X@B", innerLength: 4)
        let cd = C.matmul(D)  // (2, 1, 3, 4) · (5, 4, 2) → (2, 5, 3, 2)
        #expect(cd.shape == [2, 5, 3, 2])
        expectProduct(cd, "C@D", innerLength: 4)
        expectProduct(X.transposed(-1, -2).matmul(A), "swapaxes(X,-1,-2)@A", innerLength: 3)
        expectProduct(X.matmul(X.transposed(-1, -2)), "X@swapaxes(X,-1,-2)", innerLength: 4)
        // Each batch entry equals the 2-D product of its matrices.
        for i in 0..<2 {
            for j in 0..<5 {
                expectIdentical(cd[i, j], C[i, 0].matmul(D[j]))
            }
        }
    }

    /// A batch times one matrix is computed as one product of the batch's rows (a tall matrix)
    /// when they follow each other evenly, and one product per matrix otherwise; each matrix of
    /// the result is the product of its own matrix either way.
    @Test func aBatchTimesOneMatrixEqualsEachMatrixTimesIt() {
        var random = RandomState(seed: 12)
        let w = random.randn(6, 5)
        let contiguous = random.randn(4, 3, 6)
        let interleaved = random.randn(3, 4, 6).permuted(1, 0, 2)   // rows not evenly spaced
        let everyOther = random.randn(4, 6, 6)[..., stride(from: 0, to: 6, by: 2)]   // rows 12 apart
        for x in [contiguous, interleaved, everyOther] {
            let product = x.matmul(w)
            #expect(product.shape == [4, 3, 5])
            for i in 0..<4 {
                #expect(product[i].scalars == x[i].matmul(w).scalars)
            }
        }
        // Its gradients: the shared matrix's sums over the whole batch.
        let a = contiguous.requiringGradient(), b = w.requiringGradient()
        a.matmul(b).sumAll().backward()
        let expected = contiguous.reshaped(12, 6).T.matmul(Tensor.ones([12, 5]))
        #expect(Closeness(rtol: 1e-12, atol: 1e-12).mismatch(b.gradient!, expected) == nil)
        #expect(a.gradient!.shape == [4, 3, 6])
    }

    @Test func vectorProductsDropTheirAxis() {
        let ub = u.matmul(B)
        #expect(ub.shape == [5])
        expectProduct(ub, "u@B", innerLength: 4)
        let au = A.matmul(u)
        #expect(au.shape == [3])
        expectProduct(au, "A@u", innerLength: 4)
        let uv = u.matmul(v)
        #expect(uv.shape == [])
        expectProduct(uv, "u@v", innerLength: 4)
        let xu = X.matmul(u)
        #expect(xu.shape == [2, 3])
        expectProduct(xu, "X@u", innerLength: 4)
        let ud = u.matmul(D)
        #expect(ud.shape == [5, 2])
        expectProduct(ud, "u@D", innerLength: 4)
    }

    @Test func slicedOperandsMatchNumPy() {
        let everyOther = W[..., stride(from: 1, to: 6, by: 2)]  // (4, 3), column step 2: copied
        expectProduct(A.matmul(everyOther), "A@W[:,1:6:2]", innerLength: 4)
        expectProduct(everyOther.T.matmul(A.T), "W[:,1:6:2].T@A.T", innerLength: 4)
        expectProduct(A[..., 1..<3].matmul(B[1..<3]), "A[:,1:3]@B[1:3]", innerLength: 2)
        expectProduct(X[..., ..., 1..<3].matmul(B[0..<2]), "X[:,:,1:3]@B[0:2]", innerLength: 2)
        expectProduct(A[stride(from: 2, through: 0, by: -1)].matmul(B), "A[::-1]@B", innerLength: 4)
        expectProduct(X[..., ..., 0].matmul(A), "X[:,:,0]@A", innerLength: 3)
        // Sliced operands give the same bits as their contiguous copies (same BLAS call shape).
        expectIdentical(A[..., 1..<3].matmul(B[1..<3]), A[..., 1..<3].contiguous().matmul(B[1..<3].contiguous()))
        expectIdentical(A.matmul(everyOther), A.matmul(everyOther.contiguous()))
        // A vector that is a column of a matrix (stride 4) or reversed (stride −1).
        let column = A[..., 2]
        expectIdentical(column.matmul(A), column.contiguous().matmul(A))
        expectIdentical(A.T.matmul(column), A.T.matmul(column.contiguous()))
        let reversed = u[stride(from: 3, through: 0, by: -1)]
        expectIdentical(reversed.matmul(B), reversed.contiguous().matmul(B))
        expectIdentical(A.matmul(reversed), A.matmul(reversed.contiguous()))
    }

    @Test func float32ProductsMatchNumPy() {
        let a = OpFixtures.input("A32"), b = OpFixtures.input("B32")
        #expect(a.dtype == .float32)
        expectProduct(a.matmul(b), "A32@B32", innerLength: 4)
        expectProduct(a.T.matmul(a), "A32.T@A32", innerLength: 3)
        // The result is float32: every element is a Float.
        for value in a.matmul(b).scalars { #expect(Double(Float(value)) == value) }
    }

    /// A product big enough for OpenBLAS to use several threads, against a plain triple loop.
    @Test func largeProductMatchesNaiveLoop() {
        var rng = RandomState(seed: 3)
        let (m, k, n) = (180, 170, 150)  // 4.59 million multiply-adds: OpenBLAS uses every core
        let a = rng.randn(m, k), b = rng.randn(k, n)
        let product = a.matmul(b.T.contiguous().T).scalars  // b as a transposed view
        let (av, bv) = (a.scalars, b.scalars)
        for i in stride(from: 0, to: m, by: 7) {
            for j in 0..<n {
                var sum = 0.0, magnitude = 0.0
                for p in 0..<k {
                    sum += av[i * k + p] * bv[p * n + j]
                    magnitude += Swift.abs(av[i * k + p] * bv[p * n + j])
                }
                let bound = Double(k) * Double.ulpOfOne * magnitude
                #expect(Swift.abs(product[i * n + j] - sum) <= bound, "[\(i), \(j)]")
            }
        }
    }

    @Test func dotAndOuterMatchNumPy() {
        let reference = OpFixtures.expected("dot(u,v)").data[0]
        let scale = OpFixtures.expected("u@v:abs").data[0]
        #expect(Swift.abs(u.dot(v) - reference) <= 4 * Double.ulpOfOne * scale)
        #expect(Swift.abs(dot(u, v) - reference) <= 4 * Double.ulpOfOne * scale)
        #expect(Tensor([1.0, 2.0, 3.0]).dot(Tensor([4.0, -5.0, 6.0])) == 12)
        // Each outer product element is one rounded multiplication, as in NumPy.
        expectMatchesNumPy(u.outer(w), "outer(u,w)")
        expectMatchesNumPy(outer(u, w), "outer(u,w)")
        #expect(Tensor([1.0, 2.0]).outer(Tensor([3.0, 4.0, 5.0])).scalars == [3, 4, 5, 6, 8, 10])
        #expect(u[stride(from: 0, to: 4, by: 2)].outer(w).scalars == u.gather([0, 2]).outer(w).scalars)
    }

    /// A sum of n squares has a relative error below n·u, and the square root halves it and adds
    /// u; two implementations may differ by twice that: (n + 2)·ε relative.
    @Test func normsMatchNumPy() {
        func expectNorm(_ actual: Double, _ name: String, count n: Int, sourceLocation: SourceLocation = #_sourceLocation) {
            let reference = OpFixtures.expected(name).data[0]
            #expect(Swift.abs(actual - reference) <= Double(n + 2) * Double.ulpOfOne * reference,
                    "\(name): \(actual) vs \(reference)", sourceLocation: sourceLocation)
        }
        expectNorm(X.norm(), "norm(X)", count: 24)
        expectNorm(A.norm(), "norm(A)", count: 12)
        expectNorm(u.norm(), "norm(u)", count: 4)
        expectNorm(X.T.norm(), "norm(X)", count: 24)
        #expect(Tensor([3.0, 4.0]).norm() == 5)
        #expect(Tensor([[3.0], [4.0]]).norm(axis: 0).scalars == [5])

        func expectNorms(_ actual: Tensor, _ name: String, count n: Int, sourceLocation: SourceLocation = #_sourceLocation) {
            let reference = OpFixtures.expected(name).data
            expectNearNumPy(actual, name, tolerance: reference.map { Double(n + 2) * Double.ulpOfOne * $0 },
                            sourceLocation: sourceLocation)
        }
        expectNorms(X.norm(axis: 0), "norm(X,0)", count: 2)
        expectNorms(X.norm(axis: 1), "norm(X,1)", count: 3)
        expectNorms(X.norm(axis: -1), "norm(X,-1)", count: 4)
        expectNorms(X.norm(axis: 1, keepDims: true), "norm(X,1,keepdims)", count: 3)
        expectNorms(A.T.norm(axis: 0), "norm(A.T,0)", count: 4)
    }

    /// The numerator's error is at most k·u·Σ|aᵢbᵢ| ≤ k·u·‖a‖‖b‖ (Cauchy–Schwarz) and each norm's
    /// is below (k + 2)·u relative, so the cosine is within about (2k + 4)·u of the exact value:
    /// two implementations may differ by (2k + 4)·ε.
    @Test func cosineSimilarityMatchesNumPy() {
        let V = OpFixtures.input("V")
        func tolerance(_ k: Int) -> Double { Double(2 * k + 4) * Double.ulpOfOne }
        let reference = OpFixtures.expected("cos(u,v)").data[0]
        #expect(Swift.abs(cosineSimilarity(u, v) - reference) <= tolerance(4))
        #expect(cosineSimilarity(Tensor([1.0, 0.0]), Tensor([0.0, 3.0])) == 0)
        // Norms 5 and 10 are exact, so the cosine is exactly −1.
        #expect(cosineSimilarity(Tensor([3.0, 4.0]), Tensor([-6.0, -8.0])) == -1)

        func expectCosines(_ actual: Tensor, _ name: String, length k: Int,
                           sourceLocation: SourceLocation = #_sourceLocation) {
            let count = OpFixtures.expected(name).data.count
            expectNearNumPy(actual, name, tolerance: Array(repeating: tolerance(k), count: count),
                            sourceLocation: sourceLocation)
        }
        expectCosines(cosineSimilarity(A, V, axis: -1), "cos(A,V,-1)", length: 4)
        expectCosines(cosineSimilarity(A, V, axis: 1), "cos(A,V,-1)", length: 4)
        expectCosines(cosineSimilarity(A, V, axis: 0), "cos(A,V,0)", length: 3)
        expectCosines(cosineSimilarity(A.T, V.T, axis: 1), "cos(A,V,0)", length: 3)
        // Broadcast operands: the slices are those of the broadcast shape, as in PyTorch's
        // F.cosine_similarity (NumPy reference: np.broadcast_arrays first).
        expectCosines(cosineSimilarity(X, A, axis: -1), "cos(X,A,-1)", length: 4)
        expectCosines(cosineSimilarity(A, u, axis: -1), "cos(A,u,-1)", length: 4)
        expectCosines(cosineSimilarity(A, A[0..<1], axis: 0), "cos(A,A[0:1],0)", length: 3)
        expectCosines(cosineSimilarity(A, u, axis: 0), "cos(A,u,0)", length: 3)
    }
}
