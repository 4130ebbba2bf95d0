import COpenBLAS

/// The LAPACK routines the tensor core uses, for both float types. Matrices are row-major; each
/// routine overwrites its inputs, so callers pass copies. The return value is LAPACK's `info`.
protocol LAPACKScalar: GEMMScalar {
    /// Singular value decomposition (`?gesdd`); `job` is `A` (full), `S` (reduced) or `N` (values only).
    static func gesdd(job: UInt8, m: Int, n: Int, a: inout [Self], s: inout [Self], u: inout [Self], ldu: Int,
                      vt: inout [Self], ldvt: Int) -> Int32
    /// Householder QR factorisation (`?geqrf`).
    static func geqrf(m: Int, n: Int, a: inout [Self], lda: Int, tau: inout [Self]) -> Int32
    /// The orthonormal Q from `?geqrf`'s reflectors (`?orgqr`).
    static func orgqr(m: Int, n: Int, k: Int, a: inout [Self], lda: Int, tau: [Self]) -> Int32
    /// Solves `A X = B` by LU with partial pivoting (`?gesv`).
    static func gesv(n: Int, nrhs: Int, a: inout [Self], pivots: inout [Int32], b: inout [Self]) -> Int32
    /// LU factorisation with partial pivoting (`?getrf`).
    static func getrf(m: Int, n: Int, a: inout [Self], pivots: inout [Int32]) -> Int32
}

private let rowMajor = Int32(LAPACK_ROW_MAJOR)

extension Float: LAPACKScalar {
    static func gesdd(job: UInt8, m: Int, n: Int, a: inout [Float], s: inout [Float], u: inout [Float], ldu: Int,
                      vt: inout [Float], ldvt: Int) -> Int32 {
        LAPACKE_sgesdd(rowMajor, CChar(job), Int32(m), Int32(n), &a, Int32(Swift.max(n, 1)), &s, &u, Int32(ldu), &vt, Int32(ldvt))
    }
    static func geqrf(m: Int, n: Int, a: inout [Float], lda: Int, tau: inout [Float]) -> Int32 {
        LAPACKE_sgeqrf(rowMajor, Int32(m), Int32(n), &a, Int32(lda), &tau)
    }
    static func orgqr(m: Int, n: Int, k: Int, a: inout [Float], lda: Int, tau: [Float]) -> Int32 {
        LAPACKE_sorgqr(rowMajor, Int32(m), Int32(n), Int32(k), &a, Int32(lda), tau)
    }
    static func gesv(n: Int, nrhs: Int, a: inout [Float], pivots: inout [Int32], b: inout [Float]) -> Int32 {
        LAPACKE_sgesv(rowMajor, Int32(n), Int32(nrhs), &a, Int32(n), &pivots, &b, Int32(nrhs))
    }
    static func getrf(m: Int, n: Int, a: inout [Float], pivots: inout [Int32]) -> Int32 {
        LAPACKE_sgetrf(rowMajor, Int32(m), Int32(n), &a, Int32(n), &pivots)
    }
}

extension Double: LAPACKScalar {
    static func gesdd(job: UInt8, m: Int, n: Int, a: inout [Double], s: inout [Double], u: inout [Double], ldu: Int,
                      vt: inout [Double], ldvt: Int) -> Int32 {
        LAPACKE_dgesdd(rowMajor, CChar(job), Int32(m), Int32(n), &a, Int32(Swift.max(n, 1)), &s, &u, Int32(ldu), &vt, Int32(ldvt))
    }
    static func geqrf(m: Int, n: Int, a: inout [Double], lda: Int, tau: inout [Double]) -> Int32 {
        LAPACKE_dgeqrf(rowMajor, Int32(m), Int32(n), &a, Int32(lda), &tau)
    }
    static func orgqr(m: Int, n: Int, k: Int, a: inout [Double], lda: Int, tau: [Double]) -> Int32 {
        LAPACKE_dorgqr(rowMajor, Int32(m), Int32(n), Int32(k), &a, Int32(lda), tau)
    }
    static func gesv(n: Int, nrhs: Int, a: inout [Double], pivots: inout [Int32], b: inout [Double]) -> Int32 {
        LAPACKE_dgesv(rowMajor, Int32(n), Int32(nrhs), &a, Int32(n), &pivots, &b, Int32(nrhs))
    }
    static func getrf(m: Int, n: Int, a: inout [Double], pivots: inout [Int32]) -> Int32 {
        LAPACKE_dgetrf(rowMajor, Int32(m), Int32(n), &a, Int32(n), &pivots)
    }
}

/// A singular value decomposition `A = U · diag(S) · Vᵀ`.
public struct SingularValueDecomposition: Sendable {
    /// The left singular vectors, as columns: `(m, m)`, or `(m, k)` when reduced.
    public let u: Tensor
    /// The singular values, largest first: `(k,)` with `k = min(m, n)`.
    public let s: Tensor
    /// The right singular vectors, as rows: `(n, n)`, or `(k, n)` when reduced.
    public let vt: Tensor
}

/// A QR decomposition `A = Q · R`.
public struct QRDecomposition: Sendable {
    /// Orthonormal columns: `(m, k)` with `k = min(m, n)`.
    public let q: Tensor
    /// Upper triangular: `(k, n)`.
    public let r: Tensor
}

extension Tensor {
    /// The elements of a matrix as a contiguous float array of type `Element`, for LAPACK.
    private func matrixElements<Element: LAPACKScalar>(_: Element.Type) -> [Element] {
        storage.converted(to: Element.dtype).elements(of: Element.self)!
    }

    /// Stops unless this is a matrix (and square, if asked); returns its float type.
    private func requireMatrix(_ operation: String, square: Bool = false, file: StaticString, line: UInt) -> DType {
        guard rank == 2 else {
            tensorFailure("\(operation): needs a matrix but got shape \(describe(shape: shape))", file: file, line: line)
        }
        if square && shape[0] != shape[1] {
            tensorFailure("\(operation): needs a square matrix but got shape \(describe(shape: shape))", file: file, line: line)
        }
        return dtype.isFloatingPoint ? dtype : .float64
    }

    private func decompose<Element: LAPACKScalar>(_: Element.Type, job: UInt8) -> SingularValueDecomposition {
        let (m, n) = (shape[0], shape[1])
        let k = Swift.min(m, n)
        var a = matrixElements(Element.self)
        var s = [Element](repeating: 0, count: k)
        let (uColumns, vtRows): (Int, Int) = switch job {
        case UInt8(ascii: "A"): (m, n)
        case UInt8(ascii: "S"): (k, k)
        default: (1, 1)
        }
        var u = [Element](repeating: 0, count: job == UInt8(ascii: "N") ? 1 : m * uColumns)
        var vt = [Element](repeating: 0, count: job == UInt8(ascii: "N") ? 1 : vtRows * n)
        if k > 0 {
            let info = Element.gesdd(job: job, m: m, n: n, a: &a, s: &s, u: &u, ldu: Swift.max(uColumns, 1),
                                     vt: &vt, ldvt: Swift.max(n, 1))
            if info != 0 {
                tensorFailure("svd: LAPACK's ?gesdd did not converge (info \(info)); the matrix may hold NaN or infinity")
            }
        }
        let empty = Tensor(shape: [0], storage: Element.storage([]))
        return SingularValueDecomposition(
            u: job == UInt8(ascii: "N") ? empty : Tensor(shape: [m, uColumns], storage: Element.storage(u)),
            s: Tensor(shape: [k], storage: Element.storage(s)),
            vt: job == UInt8(ascii: "N") ? empty : Tensor(shape: [vtRows, n], storage: Element.storage(vt)))
    }

    private func decomposition(job: UInt8, operation: String, file: StaticString, line: UInt) -> SingularValueDecomposition {
        switch requireMatrix(operation, file: file, line: line) {
        case .float32: decompose(Float.self, job: job)
        default: decompose(Double.self, job: job)
        }
    }

    /// The singular value decomposition `A = U · diag(S) · Vᵀ` (NumPy's `np.linalg.svd`), through
    /// LAPACK's divide-and-conquer `?gesdd`, as NumPy uses.
    ///
    /// - Shapes: `(m, n)` → `u (m, m)`, `s (k,)`, `vt (n, n)` with `k = min(m, n)`; with
    ///   `fullMatrices: false`, `u (m, k)` and `vt (k, n)`.
    public func svd(fullMatrices: Bool = true, file: StaticString = #filePath, line: UInt = #line) -> SingularValueDecomposition {
        decomposition(job: UInt8(ascii: fullMatrices ? "A" : "S"), operation: "svd", file: file, line: line)
    }

    /// The singular values alone, largest first (NumPy's `np.linalg.svd(A, compute_uv=False)`).
    ///
    /// - Shapes: `(m, n) → (min(m, n),)`.
    public func singularValues(file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        decomposition(job: UInt8(ascii: "N"), operation: "singularValues", file: file, line: line).s
    }

    /// The rank: how many singular values exceed `tolerance`, by default NumPy's
    /// `S.max() · max(m, n) · eps` (`np.linalg.matrix_rank`), where eps is the float type's
    /// machine epsilon.
    public func matrixRank(tolerance: Double? = nil, file: StaticString = #filePath, line: UInt = #line) -> Int {
        let values = singularValues(file: file, line: line)
        let threshold = tolerance ?? defaultRankTolerance(singularValues: values)
        return values.scalars.filter { $0 > threshold }.count
    }

    /// NumPy's default: the largest singular value times the larger side times eps.
    private func defaultRankTolerance(singularValues values: Tensor) -> Double {
        let epsilon = values.dtype == .float32 ? Double(Float.machineEpsilon) : Double.machineEpsilon
        return (values.scalars.max() ?? 0) * Double(Swift.max(shape[0], shape[1])) * epsilon
    }

    /// An orthonormal basis of the null space, the vectors `x` with `A x = 0`, as columns
    /// (SciPy's `scipy.linalg.null_space`): the right singular vectors whose singular values are
    /// not above the rank tolerance (NumPy's default unless `tolerance` is given).
    ///
    /// - Shapes: `(m, n) → (n, n − rank)`.
    public func nullSpace(tolerance: Double? = nil, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let full = svd(fullMatrices: true, file: file, line: line)
        let threshold = tolerance ?? defaultRankTolerance(singularValues: full.s)
        let rank = full.s.scalars.filter { $0 > threshold }.count
        return full.vt[rank...].T.contiguous()
    }

    /// The best approximation of rank `rank` in the least-squares (Frobenius) sense, by the
    /// Eckart–Young theorem: keep the `rank` largest singular values, `U[:, :r] · diag(S[:r]) · Vᵀ[:r]`.
    ///
    /// - Shapes: unchanged.
    public func lowRankApproximation(rank: Int, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let parts = svd(fullMatrices: false, file: file, line: line)
        guard rank >= 0, rank <= parts.s.count else {
            tensorFailure(
                "lowRankApproximation: rank \(rank) is outside 0...\(parts.s.count) for a matrix of shape \(describe(shape: shape))",
                file: file, line: line)
        }
        return (parts.u[..., ..<rank] * parts.s[..<rank]).matmul(parts.vt[..<rank])
    }

    /// The reduced QR decomposition `A = Q · R` (NumPy's `np.linalg.qr`), by Householder
    /// reflections (LAPACK's `?geqrf` and `?orgqr`).
    ///
    /// - Shapes: `(m, n)` → `q (m, k)`, `r (k, n)` with `k = min(m, n)`.
    public func qr(file: StaticString = #filePath, line: UInt = #line) -> QRDecomposition {
        switch requireMatrix("qr", file: file, line: line) {
        case .float32: factorQR(Float.self)
        default: factorQR(Double.self)
        }
    }

    private func factorQR<Element: LAPACKScalar>(_: Element.Type) -> QRDecomposition {
        let (m, n) = (shape[0], shape[1])
        let k = Swift.min(m, n)
        var a = matrixElements(Element.self)
        var tau = [Element](repeating: 0, count: Swift.max(k, 1))
        if k > 0 { _ = Element.geqrf(m: m, n: n, a: &a, lda: n, tau: &tau) }
        // R is the upper triangle of the first k rows; Q is built from the reflectors below it.
        var r = [Element](repeating: 0, count: k * n)
        for row in 0..<k {
            for column in row..<n { r[row * n + column] = a[row * n + column] }
        }
        var q = [Element](repeating: 0, count: m * k)
        for row in 0..<m {
            for column in 0..<k { q[row * k + column] = a[row * n + column] }
        }
        if k > 0 { _ = Element.orgqr(m: m, n: k, k: k, a: &q, lda: k, tau: tau) }
        return QRDecomposition(q: Tensor(shape: [m, k], storage: Element.storage(q)),
                               r: Tensor(shape: [k, n], storage: Element.storage(r)))
    }

    /// The solution `x` of `A x = b` for a square, non-singular `A` (NumPy's `np.linalg.solve`),
    /// by LU factorisation with partial pivoting (LAPACK's `?gesv`).
    ///
    /// - Shapes: `A (n, n)`, `b (n,)` → `(n,)`; `b (n, r)` → `(n, r)`, one column per right-hand side.
    public func solve(_ b: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let type = requireMatrix("solve", square: true, file: file, line: line)
        let n = shape[0]
        guard (b.rank == 1 || b.rank == 2), b.shape[0] == n else {
            tensorFailure(
                "solve: A has shape \(describe(shape: shape)) but b has shape \(describe(shape: b.shape)); b needs \(n) rows",
                file: file, line: line)
        }
        if b.dtype.isFloatingPoint && b.dtype != type {
            tensorFailure("solve: mixes dtypes \(type) and \(b.dtype); convert one with .cast(to:) first", file: file, line: line)
        }
        let columns = b.rank == 1 ? 1 : b.shape[1]
        let solution: Storage = switch type {
        case .float32: Float.storage(luSolve(Float.self, b.storage.converted(to: type).elements(of: Float.self)!,
                                             columns: columns, operation: "solve", file: file, line: line))
        default: Double.storage(luSolve(Double.self, b.storage.converted(to: type).elements(of: Double.self)!,
                                        columns: columns, operation: "solve", file: file, line: line))
        }
        return Tensor(shape: b.shape, storage: solution)
    }

    private func luSolve<Element: LAPACKScalar>(_: Element.Type, _ rightHandSides: [Element], columns: Int,
                                                operation: String, file: StaticString, line: UInt) -> [Element] {
        let n = shape[0]
        guard n > 0 else { return rightHandSides }
        var a = matrixElements(Element.self)
        var b = rightHandSides
        var pivots = [Int32](repeating: 0, count: n)
        let info = Element.gesv(n: n, nrhs: columns, a: &a, pivots: &pivots, b: &b)
        if info > 0 {
            tensorFailure(
                "\(operation): the matrix of shape \(describe(shape: shape)) is singular (pivot \(info) of its LU factorisation is exactly zero), so it has no inverse; check for dependent rows, e.g. with matrixRank()",
                file: file, line: line)
        }
        return b
    }

    /// The inverse `A⁻¹` of a square, non-singular matrix (NumPy's `np.linalg.inv`), by solving
    /// `A X = I` (LAPACK's `?gesv`).
    ///
    /// - Shapes: `(n, n) → (n, n)`.
    public func inverse(file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let type = requireMatrix("inverse", square: true, file: file, line: line)
        let n = shape[0]
        let identity = Tensor.eye(n, dtype: type)
        let values: Storage = switch type {
        case .float32: Float.storage(luSolve(Float.self, identity.storage.elements(of: Float.self)!, columns: n,
                                             operation: "inverse", file: file, line: line))
        default: Double.storage(luSolve(Double.self, identity.storage.elements(of: Double.self)!, columns: n,
                                        operation: "inverse", file: file, line: line))
        }
        return Tensor(shape: [n, n], storage: values)
    }

    /// The determinant of a square matrix (NumPy's `np.linalg.det`): the product of the LU
    /// factorisation's diagonal, with the sign flipped for each row swap. A singular matrix gives 0.
    public func determinant(file: StaticString = #filePath, line: UInt = #line) -> Double {
        switch requireMatrix("determinant", square: true, file: file, line: line) {
        case .float32: luDeterminant(Float.self)
        default: luDeterminant(Double.self)
        }
    }

    private func luDeterminant<Element: LAPACKScalar>(_: Element.Type) -> Double {
        let n = shape[0]
        guard n > 0 else { return 1 }
        var a = matrixElements(Element.self)
        var pivots = [Int32](repeating: 0, count: n)
        let info = Element.getrf(m: n, n: n, a: &a, pivots: &pivots)
        if info > 0 { return 0 }
        var product: Element = 1
        for i in 0..<n {
            product *= a[i * n + i]
            if pivots[i] != Int32(i + 1) { product = -product }
        }
        return Double(product)
    }
}

/// The rank of a matrix; see ``Tensor/matrixRank(tolerance:file:line:)``.
public func matrixRank(_ a: Tensor, tolerance: Double? = nil, file: StaticString = #filePath, line: UInt = #line) -> Int {
    a.matrixRank(tolerance: tolerance, file: file, line: line)
}
