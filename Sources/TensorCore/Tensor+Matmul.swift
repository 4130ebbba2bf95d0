import COpenBLAS

/// General matrix multiply, `C = A · B`, for both element types, through OpenBLAS.
protocol GEMMScalar: TensorScalar {
    /// Multiplies row-major `a` (m×k) by `b` (k×n).
    static func gemm(_ a: [Self], _ b: [Self], m: Int, n: Int, k: Int) -> [Self]
}

extension Float: GEMMScalar {
    static func gemm(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return c }
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        return c
    }
}

extension Double: GEMMScalar {
    static func gemm(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        guard m > 0, n > 0, k > 0 else { return c }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k),
                    1, a, Int32(k), b, Int32(n), 0, &c, Int32(n))
        return c
    }
}

extension Tensor {
    /// Matrix product.
    ///
    /// ```
    /// C[i, j] = Σₖ A[i, k] · B[k, j]
    /// ```
    /// - Shapes: `(m, k) · (k, n) → (m, n)`.
    /// - Precondition: both tensors are 2-d, the inner lengths agree, and the dtypes match.
    public func matmul(_ other: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard rank == 2, other.rank == 2 else {
            tensorFailure(
                "matmul: expected two matrices but got shapes \(describe(shape: shape)) and \(describe(shape: other.shape))",
                file: file, line: line)
        }
        let (m, k, n) = (shape[0], shape[1], other.shape[1])
        guard other.shape[0] == k else {
            tensorFailure(
                "matmul: shapes \(describe(shape: shape)) and \(describe(shape: other.shape)) do not fit: the first has \(k) columns but the second has \(other.shape[0]) rows",
                file: file, line: line)
        }
        switch (storage, other.storage) {
        case (.float32(let a), .float32(let b)):
            return Tensor(shape: [m, n], storage: .float32(Float.gemm(a, b, m: m, n: n, k: k)))
        case (.float64(let a), .float64(let b)):
            return Tensor(shape: [m, n], storage: .float64(Double.gemm(a, b, m: m, n: n, k: k)))
        default:
            tensorFailure("matmul: mixes dtypes \(dtype) and \(other.dtype); convert one with .cast(to:) first",
                          file: file, line: line)
        }
    }
}

/// Matrix product of two tensors; see ``Tensor/matmul(_:file:line:)``.
public func matmul(_ a: Tensor, _ b: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    a.matmul(b, file: file, line: line)
}
