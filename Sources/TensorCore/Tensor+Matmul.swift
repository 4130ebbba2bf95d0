import COpenBLAS

/// General matrix multiply through OpenBLAS, `C = op(A) · op(B)`, for both float types.
protocol GEMMScalar: TensorScalar, StorageElement {
    /// Row-major `C (m×n) = op(A) (m×k) · op(B) (k×n)`, where `op` transposes when asked.
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
                     c: UnsafeMutablePointer<Self>, ldc: Int)
}

private func blasTranspose(_ transposed: Bool) -> CBLAS_TRANSPOSE {
    transposed ? CblasTrans : CblasNoTrans
}

extension Float: GEMMScalar {
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     c: UnsafeMutablePointer<Float>, ldc: Int) {
        cblas_sgemm(CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB),
                    Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
}

extension Double: GEMMScalar {
    static func gemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                     a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
                     c: UnsafeMutablePointer<Double>, ldc: Int) {
        cblas_dgemm(CblasRowMajor, blasTranspose(transposeA), blasTranspose(transposeB),
                    Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
}

/// One operand of a (batched) product: its elements, the batch strides, and how BLAS should read
/// each matrix in it.
private struct MatrixOperand<Element: GEMMScalar> {
    let values: [Element]
    let offset: Int
    let batchStrides: [Int]
    let transposed: Bool
    let leadingDimension: Int

    init(_ tensor: Tensor, batchShape: [Int]) {
        // Hand BLAS the view as it is when its matrices are row- or column-contiguous; copy otherwise.
        var view = tensor
        if view.blasMatrixLayout() == nil { view = view.contiguous() }
        let layout = view.blasMatrixLayout()!
        guard let values = view.buffer.elements(of: Element.self) else {
            preconditionFailure("matmul converts both operands to one float type first")
        }
        self.values = values
        offset = view.offset
        transposed = layout.transposed
        leadingDimension = layout.leadingDimension
        // Batch axes that are broadcast (missing, or of length 1) step by 0.
        let batchRank = view.rank - 2
        let padding = batchShape.count - batchRank
        batchStrides = batchShape.indices.map { axis in
            axis < padding || view.shape[axis - padding] == 1 ? 0 : view.strides[axis - padding]
        }
    }
}

extension Storage {
    /// The elements when they are of type `Element` (no copy, no per-element cast).
    func elements<Element: StorageElement>(of type: Element.Type) -> [Element]? {
        switch self {
        case .float32(let values): Element.self == Float.self ? unsafeBitCast(values, to: [Element].self) : nil
        case .float64(let values): Element.self == Double.self ? unsafeBitCast(values, to: [Element].self) : nil
        case .int64(let values): Element.self == Int.self ? unsafeBitCast(values, to: [Element].self) : nil
        case .bool(let values): Element.self == Bool.self ? unsafeBitCast(values, to: [Element].self) : nil
        }
    }
}

extension Tensor {
    /// Matrix product, NumPy's `a @ b`.
    ///
    /// ```
    /// C[…, i, j] = Σₖ A[…, i, k] · B[…, k, j]
    /// ```
    /// - Shapes: `(m, k) · (k, n) → (m, n)`. Tensors of higher rank are stacks of matrices whose
    ///   leading (batch) axes broadcast: `(b, h, t, d) · (b, h, d, t) → (b, h, t, t)`, and
    ///   `(b, t, d) · (d, e) → (b, t, e)`. A vector on the left is a row, on the right a column,
    ///   and its axis is dropped from the result: `(k,) · (k, n) → (n,)`, `(k,) · (k,) → ()`.
    /// - Precondition: the inner lengths agree and the float types match.
    ///
    /// Transposed views (`x.T`, `k.transposed(-2, -1)`) go to BLAS as they are, without a copy.
    public func matmul(_ other: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        Tensor.differentiable([self, other], compute: { $0[0].product($0[1], file: file, line: line) }) { step in
            let (x, y) = (step.inputs[0], step.inputs[1])
            // As matrices: a vector on the left is a row, on the right a column (their axis put back).
            let a = x.rank == 1 ? x.unsqueezed(axis: 0) : x
            let b = y.rank == 1 ? y.unsqueezed(axis: -1) : y
            var g = step.gradient
            if y.rank == 1 { g = g.unsqueezed(axis: -1) }
            if x.rank == 1 { g = g.unsqueezed(axis: -2) }
            // C = A·B: ∂/∂A = G·Bᵀ and ∂/∂B = Aᵀ·G, summed over broadcast batch axes.
            return [step.gradient(for: 0) { g.matmul(b.transposed(-1, -2)).summed(toShape: a.shape).reshaped(x.shape) },
                    step.gradient(for: 1) { Tensor.rightGradient(a, b, g).reshaped(y.shape) }]
        }
    }

    /// Aᵀ·G summed over the batch axes, for `C = A·B`. When `B` is one matrix shared by the
    /// whole batch (a layer's weight) and the batch's rows can be seen as one tall matrix, that
    /// sum is a single product, `(rows, k)ᵀ · (rows, n)`, instead of one product per matrix of
    /// the batch followed by a sum.
    private static func rightGradient(_ a: Tensor, _ b: Tensor, _ g: Tensor) -> Tensor {
        if b.rank == 2, a.rank > 2, let tallA = a.foldingBatchAxes(), let tallG = g.foldingBatchAxes() {
            return tallA.transposed().matmul(tallG)
        }
        return a.transposed(-1, -2).matmul(g).summed(toShape: b.shape)
    }

    /// This stack of matrices `(…, m, k)` seen as one matrix `(… · m, k)` without a copy, when
    /// its rows follow each other evenly through the buffer and each row is contiguous; nil
    /// otherwise.
    func foldingBatchAxes() -> Tensor? {
        guard rank >= 2 else { return nil }
        let rowStride = strides[rank - 2]
        guard strides[rank - 1] == 1 || shape[rank - 1] == 1 else { return nil }
        var step = rowStride * shape[rank - 2]
        for axis in stride(from: rank - 3, through: 0, by: -1) where shape[axis] != 1 {
            guard strides[axis] == step else { return nil }
            step *= shape[axis]
        }
        let rows = shape.dropLast().reduce(1, *)
        return Tensor(shape: [rows, shape[rank - 1]], strides: [rowStride, 1], offset: offset, buffer: buffer)
    }

    /// The matrix product's values; see ``matmul(_:file:line:)``.
    private func product(_ other: Tensor, file: StaticString, line: UInt) -> Tensor {
        guard rank >= 1, other.rank >= 1 else {
            tensorFailure(
                "matmul: needs vectors or matrices but got shapes \(describe(shape: shape)) and \(describe(shape: other.shape)); multiply by a number with *",
                file: file, line: line)
        }
        let a = rank == 1 ? unsqueezed(axis: 0) : self
        let b = other.rank == 1 ? other.unsqueezed(axis: -1) : other
        let (m, k, n) = (a.shape[a.rank - 2], a.shape[a.rank - 1], b.shape[b.rank - 1])
        guard b.shape[b.rank - 2] == k else {
            tensorFailure(
                "matmul: shapes \(describe(shape: shape)) and \(describe(shape: other.shape)) do not fit: the first has \(k) columns but the second has \(b.shape[b.rank - 2]) rows",
                file: file, line: line)
        }
        guard let batchShape = Broadcasting.shape(Array(a.shape.dropLast(2)), Array(b.shape.dropLast(2))) else {
            tensorFailure(
                "matmul: the batch axes of shapes \(describe(shape: shape)) and \(describe(shape: other.shape)) cannot be broadcast together",
                file: file, line: line)
        }
        let common: DType
        switch (dtype.isFloatingPoint, other.dtype.isFloatingPoint) {
        case (true, true):
            guard dtype == other.dtype else {
                tensorFailure("matmul: mixes dtypes \(dtype) and \(other.dtype); convert one with .cast(to:) first",
                              file: file, line: line)
            }
            common = dtype
        case (true, false): common = dtype
        case (false, true): common = other.dtype
        case (false, false): common = .float64
        }
        var result: Tensor
        if b.rank == 2, a.rank > 2, m > 0, let tall = a.cast(to: common).foldingBatchAxes() {
            // A batch times one matrix (a layer's weight): one product of the batch's rows as one
            // tall matrix, rather than one small product per matrix of the batch.
            let rows = tall.shape[0]
            result = switch common {
            case .float32: Tensor.batchedProduct(Float.self, tall, b.cast(to: common), batchShape: [], m: rows, n: n, k: k)
            default: Tensor.batchedProduct(Double.self, tall, b.cast(to: common), batchShape: [], m: rows, n: n, k: k)
            }
            result = Tensor(shape: batchShape + [m, n], storage: result.buffer)
        } else {
            result = switch common {
            case .float32: Tensor.batchedProduct(Float.self, a.cast(to: common), b.cast(to: common), batchShape: batchShape, m: m, n: n, k: k)
            default: Tensor.batchedProduct(Double.self, a.cast(to: common), b.cast(to: common), batchShape: batchShape, m: m, n: n, k: k)
            }
        }
        if other.rank == 1 { result = result.squeezed(axis: -1) }
        if rank == 1 { result = result.squeezed(axis: -2 + (other.rank == 1 ? 1 : 0)) }
        return result
    }

    /// One `?gemm` call per matrix of the batch, written into one result.
    ///
    /// OpenBLAS chooses its own thread count per call (one thread below about 64³ multiply-adds).
    /// Overriding it with `openblas_set_num_threads` gained nothing on the benchmark machine and
    /// deadlocks when two threads multiply at once, so the choice is left to OpenBLAS.
    private static func batchedProduct<Element: GEMMScalar>(
        _: Element.Type, _ a: Tensor, _ b: Tensor, batchShape: [Int], m: Int, n: Int, k: Int
    ) -> Tensor {
        let batchCount = batchShape.reduce(1, *)
        let outShape = batchShape + [m, n]
        let total = batchCount * m * n
        let left = MatrixOperand<Element>(a, batchShape: batchShape)
        let right = MatrixOperand<Element>(b, batchShape: batchShape)
        let values = [Element](unsafeUninitializedCapacity: total) { output, initialized in
            initialized = total
            guard total > 0, let out = output.baseAddress else { return }
            HugePages.advise(out, count: total)
            guard k > 0 else {
                out.initialize(repeating: 0, count: total)
                return
            }
            left.values.withUnsafeBufferPointer { aValues in
                right.values.withUnsafeBufferPointer { bValues in
                    var index = Array(repeating: 0, count: batchShape.count)
                    var (aOffset, bOffset) = (left.offset, right.offset)
                    for batch in 0..<batchCount {
                        Element.gemm(transposeA: left.transposed, transposeB: right.transposed, m: m, n: n, k: k,
                                     a: aValues.baseAddress! + aOffset, lda: left.leadingDimension,
                                     b: bValues.baseAddress! + bOffset, ldb: right.leadingDimension,
                                     c: out + batch * m * n, ldc: n)
                        // Step the batch multi-index like an odometer.
                        var axis = batchShape.count - 1
                        while axis >= 0 {
                            index[axis] += 1
                            aOffset += left.batchStrides[axis]
                            bOffset += right.batchStrides[axis]
                            if index[axis] < batchShape[axis] { break }
                            aOffset -= left.batchStrides[axis] * batchShape[axis]
                            bOffset -= right.batchStrides[axis] * batchShape[axis]
                            index[axis] = 0
                            axis -= 1
                        }
                    }
                }
            }
        }
        return Tensor(shape: outShape, storage: Element.storage(values))
    }

    /// The dot product of two vectors of one length, `Σᵢ aᵢ bᵢ`.
    public func dot(_ other: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Double {
        guard rank == 1, other.rank == 1, shape == other.shape else {
            tensorFailure(
                "dot: needs two vectors of one length but got shapes \(describe(shape: shape)) and \(describe(shape: other.shape)); use matmul for matrices",
                file: file, line: line)
        }
        return matmul(other, file: file, line: line).item()
    }

    /// The outer product of two vectors, `C[i, j] = aᵢ · bⱼ` (NumPy's `np.outer`).
    ///
    /// - Shapes: `(m,)`, `(n,) → (m, n)`.
    public func outer(_ other: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard rank == 1, other.rank == 1 else {
            tensorFailure(
                "outer: needs two vectors but got shapes \(describe(shape: shape)) and \(describe(shape: other.shape))",
                file: file, line: line)
        }
        return Tensor.elementwise(unsqueezed(axis: 1), other.unsqueezed(axis: 0), .multiply, file: file, line: line)
    }

    /// The Euclidean (for matrices, Frobenius) norm: `√Σ xᵢ²` (NumPy's `np.linalg.norm(x)`).
    public func norm() -> Double {
        let values = scalars
        return values.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    /// The Euclidean norm of every slice along `axis` (NumPy's `np.linalg.norm(x, axis=axis)`).
    ///
    /// - Shapes: `(…, n, …) → (…, …)`, or `(…, 1, …)` with `keepDims`.
    public func norm(axis: Int, keepDims: Bool = false, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        (self * self).sum(axis: axis, keepDims: keepDims, file: file, line: line).sqrt()
    }
}

/// Matrix product of two tensors; see ``Tensor/matmul(_:file:line:)``.
public func matmul(_ a: Tensor, _ b: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    a.matmul(b, file: file, line: line)
}

/// The dot product of two vectors; see ``Tensor/dot(_:file:line:)``.
public func dot(_ a: Tensor, _ b: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Double {
    a.dot(b, file: file, line: line)
}

/// The outer product of two vectors; see ``Tensor/outer(_:file:line:)``.
public func outer(_ a: Tensor, _ b: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    a.outer(b, file: file, line: line)
}

/// The cosine of the angle between two vectors, `a·b / (‖a‖ ‖b‖)`: 1 for the same direction,
/// 0 for perpendicular, −1 for opposite.
public func cosineSimilarity(_ a: Tensor, _ b: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Double {
    let product = a.dot(b, file: file, line: line)
    // One square root of the product of the squared norms rounds once instead of twice.
    return product / (a.dot(a) * b.dot(b)).squareRoot()
}

/// The cosine similarity of corresponding slices along `axis` (PyTorch's
/// `F.cosine_similarity(a, b, dim=axis)`, without its epsilon). The shapes broadcast first, so
/// the slices are those of the broadcast shape.
///
/// - Shapes: `(…, d)`, `(…, d)` with `axis: -1` → `(…)`.
public func cosineSimilarity(_ a: Tensor, _ b: Tensor, axis: Int,
                             file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    let products = Tensor.elementwise(a, b, .multiply, file: file, line: line)
    let (a, b) = (a.broadcast(to: products.shape, file: file, line: line),
                  b.broadcast(to: products.shape, file: file, line: line))
    let squaredNorms = (a * a).sum(axis: axis, file: file, line: line) * (b * b).sum(axis: axis, file: file, line: line)
    return products.sum(axis: axis, file: file, line: line) / squaredNorms.sqrt()
}
