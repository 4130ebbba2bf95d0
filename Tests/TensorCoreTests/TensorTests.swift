import Testing
@testable import TensorCore

@Suite struct TensorTests {
    @Test func convertingToIntegersTruncatesAndSaturates() {
        // Out of Int's range: the nearest end, never a crash.
        #expect(Tensor([2.9, -2.9, 1e300, -1e300, .nan]).indices == [2, -2, Int.max, Int.min, 0])
        #expect(Tensor([1e19]).cast(to: .int64).indices == [Int.max])
    }

    let x = Tensor([[1.0, 0.5, 0.2, 0.1], [0.2, 1.0, 0.3, 0.5], [0.3, 0.4, 1.0, 0.2]])

    @Test func matmulAgainstHandComputedProduct() {
        let product = Tensor([[1.0, 2.0], [3.0, 4.0]]).matmul(Tensor([[5.0, 6.0], [7.0, 8.0]]))
        #expect(product.shape == [2, 2])
        #expect(product.scalars == [19, 22, 43, 50])
        let single = Tensor([[1.0, 2.0]], dtype: .float32).matmul(Tensor([[3.0], [4.0]], dtype: .float32))
        #expect(single.dtype == .float32)
        #expect(single.scalars == [11])
    }

    @Test func transposeAndScalarArithmetic() {
        let t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).T
        #expect(t.shape == [3, 2])
        #expect(t.scalars == [1, 4, 2, 5, 3, 6])
        #expect((t / 2.0).scalars == [0.5, 2, 1, 2.5, 1.5, 3])
        #expect((1.0 - t).scalars == [0, -3, -1, -4, -2, -5])
    }

    @Test func broadcastingARowOverAMatrix() {
        let sum = Tensor([[1.0, 2.0], [3.0, 4.0]]) + Tensor([10.0, 20.0])
        #expect(sum.scalars == [11, 22, 13, 24])
        let column = Tensor([[1.0], [2.0]]) * Tensor([1.0, 10.0, 100.0])
        #expect(column.shape == [2, 3])
        #expect(column.scalars == [1, 10, 100, 2, 20, 200])
        #expect(Broadcasting.shape([3, 1, 4], [5, 1]) == [3, 5, 4])
        #expect(Broadcasting.shape([3, 4], [3]) == nil)
    }

    /// Values from NumPy: `w = np.exp(s - s.max(-1, keepdims=True)); w / w.sum(-1, keepdims=True)`
    /// with `s = X @ X.T / 2` for the lesson's X.
    @Test func softmaxMatchesNumPy() {
        let weights = (x.matmul(x.T) / 2.0).softmax(axis: -1)
        let expected = [0.39510573, 0.30925105, 0.29564322,
                        0.29805574, 0.3963432, 0.30560106,
                        0.29392139, 0.3152331, 0.39084551]
        for (value, reference) in zip(weights.scalars, expected) {
            #expect(abs(value - reference) < 5e-9)
        }
        for total in weights.sum(axis: -1).scalars {
            #expect(abs(total - 1) < 1e-12)
        }
        // Large inputs would overflow exp without the max subtraction.
        #expect(Tensor([1000.0, 1000.0]).softmax().scalars == [0.5, 0.5])
        // Along the first axis, each column sums to 1.
        #expect(Tensor([[1.0, 5.0], [1.0, 5.0]]).softmax(axis: 0).scalars == [0.5, 0.5, 0.5, 0.5])
    }

    @Test func sumAndMaxAlongAxes() {
        let t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        #expect(t.sum(axis: 0).scalars == [5, 7, 9])
        #expect(t.sum(axis: 1).shape == [2])
        #expect(t.sum(axis: -1, keepDims: true).shape == [2, 1])
        #expect(t.max(axis: 1).scalars == [3, 6])
        #expect(t.sum() == 21)
    }

    /// Each expected string is what NumPy 2.x prints for `print(np.array(…))`.
    @Test func printsLikeNumPy() {
        #expect(x.description == "[[1.  0.5 0.2 0.1]\n [0.2 1.  0.3 0.5]\n [0.3 0.4 1.  0.2]]")
        #expect(Tensor([1.0, 1.0, 1.0]).description == "[1. 1. 1.]")
        #expect(Tensor([0.65, 0.405, 0.36]).description == "[0.65  0.405 0.36 ]")
        #expect(Tensor([-1.0, 0.5]).description == "[-1.   0.5]")
        #expect(Tensor([1.0 / 3.0, 2.0]).description == "[0.33333333 2.        ]")
        #expect(Tensor([1e-5, 1.0]).description == "[1.e-05 1.e+00]")
        #expect(Tensor([1.5e-5, 1.0]).description == "[1.5e-05 1.0e+00]")
        #expect(Tensor([0.1], dtype: .float32).description == "[0.1]")
        #expect(Tensor([[[1.0, 2.0]], [[3.0, 4.0]]]).description == "[[[1. 2.]]\n\n [[3. 4.]]]")
        #expect(Tensor(2.5).description == "2.5")
    }

    /// NumPy: `print(np.arange(30.0))` wraps at 75 columns; `print(np.arange(2000.0))` summarises.
    @Test func wrapsAndSummarisesLikeNumPy() {
        let thirty = Tensor((0..<30).map(Double.init))
        #expect(thirty.description == """
            [ 0.  1.  2.  3.  4.  5.  6.  7.  8.  9. 10. 11. 12. 13. 14. 15. 16. 17.
             18. 19. 20. 21. 22. 23. 24. 25. 26. 27. 28. 29.]
            """)
        let large = Tensor((0..<2000).map(Double.init))
        #expect(large.description == "[0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03]")
    }

    @Test func eyeZerosAndReshape() {
        #expect(Tensor.eye(3).scalars == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor.eye(2).reshaped([-1]).shape == [4])
        #expect(Tensor.eye(2).exp().scalars[1] == 1)
    }

    /// NumPy: `np.frombuffer(bytes, "<f4").reshape(2, 2)` and so on.
    @Test func fromLittleEndianBytes() {
        let float32: [UInt8] = [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0, 0, 0, 0xC0, 0x3F, 0, 0, 0x80, 0x7F]   // 1, −2, 1.5, +∞
        let a = float32.withUnsafeBytes { Tensor(shape: [2, 2], dtype: .float32, littleEndianBytes: $0) }
        #expect(a.dtype == .float32 && a.shape == [2, 2])
        #expect(a.scalars == [1, -2, 1.5, .infinity])
        let int64: [UInt8] = [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0, 0, 0, 0, 0]     // −2, 7
        #expect(int64.withUnsafeBytes { Tensor(shape: [2], dtype: .int64, littleEndianBytes: $0) }.indices == [-2, 7])
        let float64: [UInt8] = [0, 0, 0, 0, 0, 0, 0xF8, 0x3F]                                            // 1.5
        #expect(float64.withUnsafeBytes { Tensor(shape: [], dtype: .float64, littleEndianBytes: $0) }.item() == 1.5)
        let bool: [UInt8] = [0, 1, 2]
        #expect(bool.withUnsafeBytes { Tensor(shape: [3], dtype: .bool, littleEndianBytes: $0) }.scalars == [0, 1, 1])
        // Unaligned bytes are fine.
        let shifted: [UInt8] = [9] + float32
        let b = shifted.withUnsafeBytes { Tensor(shape: [4], dtype: .float32, littleEndianBytes: UnsafeRawBufferPointer(rebasing: $0[1...])) }
        #expect(b.scalars == [1, -2, 1.5, .infinity])
    }
}
