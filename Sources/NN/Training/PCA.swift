import Foundation
import TensorCore

/// Principal component analysis by singular value decomposition, as scikit-learn's
/// `PCA(n_components=k, svd_solver="full")` computes it: the directions along which data vary
/// most, and the data projected onto them (to draw 384-dimensional embeddings in two).
///
/// For data `X (n, d)` with column means `μ`:
///
/// ```
/// X − μ = U · diag(S) · Vᵀ                 thin SVD (LAPACK ?gesdd), S largest first
/// components         = first k rows of Vᵀ, each signed so that its largest-|value| entry is positive
/// explainedVariance  = S² / (n − 1)        the variance of the data along each component
/// explainedVarianceRatio = explainedVariance / Σ (all min(n, d) of S²/(n − 1))
/// transform(Y)       = (Y − μ) · componentsᵀ
/// ```
///
/// **The sign.** A singular vector is only defined up to its sign: `v` and `−v` are both right,
/// and which one LAPACK returns can change between libraries. Like scikit-learn (`svd_flip` with
/// `u_based_decision=False`, its PCA's rule since version 1.5), each component is flipped so that
/// its entry of largest absolute value (the first such entry on a tie) is positive. The same data
/// then give the same picture here, in NumPy and in scikit-learn.
///
/// **Past the data's rank.** `n` centred rows span at most `n − 1` directions. With `n ≤ d`, the
/// components after those (at most one, when `k = n`) have a variance of zero and are any unit
/// vectors orthogonal to the others: still orthonormal rows, but which ones depends on the LAPACK
/// build, so do not read meaning into them.
///
/// Everything is computed in float64 whatever the input's dtype, and no gradient flows through.
///
/// ```swift
/// let pca = PCA(fitting: embeddings, componentCount: 2)     // embeddings: (n, 384)
/// let points = pca.transform(embeddings)                    // (n, 2), ready for a scatter plot
/// print(pca)   // PCA: 2 of 384 dimensions, explaining 41.3% of the variance (27.0% + 14.3%)
/// ```
public struct PCA: Sendable, CustomStringConvertible {
    /// `μ`, the mean of each column of the fitted data: `(d,)`.
    public let mean: Tensor
    /// The principal directions, one per row, largest variance first: `(k, d)`, orthonormal rows.
    public let components: Tensor
    /// `S`, the singular values of the centred data for the kept components: `(k,)`.
    public let singularValues: Tensor
    /// The variance of the data along each kept component, `S² / (n − 1)`: `(k,)`.
    public let explainedVariance: Tensor
    /// Each kept component's share of the data's total variance: `(k,)`, summing to at most 1.
    public let explainedVarianceRatio: Tensor
    /// `n`, the number of rows fitted.
    public let sampleCount: Int

    /// Fits the components of `data`.
    ///
    /// - Shapes: `data (n, d)` → ``components`` `(k, d)`, ``mean`` `(d,)`, the rest `(k,)`.
    /// - Parameters:
    ///   - data: one example per row, of any numeric dtype.
    ///   - componentCount: `k`, the number of components kept; all `min(n, d)` by default.
    /// - Precondition: `data` is a matrix of finite numbers with at least two rows, not all
    ///   alike; `1 ≤ k ≤ min(n, d)`.
    public init(fitting data: Tensor, componentCount: Int? = nil, file: StaticString = #filePath, line: UInt = #line) {
        guard data.rank == 2, data.shape[0] >= 2, data.shape[1] >= 1 else {
            tensorFailure("PCA: needs a matrix with one example per row and at least two rows, got shape \(data.shapeDescription)",
                          file: file, line: line)
        }
        let x = data.detachedFromGradients().cast(to: .float64)
        guard x.scalars.allSatisfy(\.isFinite) else {
            tensorFailure("PCA: the data hold NaN or infinite values; clean them before fitting", file: file, line: line)
        }
        let (n, d) = (x.shape[0], x.shape[1])
        let available = Swift.min(n, d)
        let k = componentCount ?? available
        guard k >= 1, k <= available else {
            tensorFailure("PCA: componentCount must be between 1 and min(rows, columns) = \(available) for data of shape \(data.shapeDescription), not \(k)",
                          file: file, line: line)
        }

        let mean = x.mean(axis: 0)
        let svd = (x - mean).svd(fullMatrices: false)                // u (n, r), s (r,), vt (r, d)
        let variances = svd.s.scalars.map { $0 * $0 / Double(n - 1) }
        let total = variances.reduce(0, +)
        guard total > 0 else {
            tensorFailure("PCA: every row of the data is the same, so there is no variance to explain", file: file, line: line)
        }
        let flipped = Self.signFlipped(rows: Array(svd.vt.scalars[..<(k * d)]), width: d)

        self.mean = mean
        self.components = Tensor(shape: [k, d], scalars: flipped)
        self.singularValues = Tensor(Array(svd.s.scalars[..<k]))
        self.explainedVariance = Tensor(Array(variances[..<k]))
        self.explainedVarianceRatio = Tensor(variances[..<k].map { $0 / total })
        self.sampleCount = n
    }

    /// The rows of a row-major matrix, each multiplied by the sign of its entry of largest
    /// absolute value (the first on a tie), as scikit-learn's `svd_flip(u_based_decision=False)`.
    static func signFlipped(rows values: [Double], width: Int) -> [Double] {
        var values = values
        for start in stride(from: 0, to: values.count, by: width) {
            var largest = start
            for index in start..<(start + width) where abs(values[index]) > abs(values[largest]) {
                largest = index
            }
            if values[largest] < 0 {
                for index in start..<(start + width) { values[index] = -values[index] }
            }
        }
        return values
    }

    /// The number of components kept, `k`.
    public var componentCount: Int { components.shape[0] }

    /// The number of columns of the fitted data, `d`.
    public var featureCount: Int { components.shape[1] }

    /// `data` in the components' coordinates, `(Y − μ) · componentsᵀ` (scikit-learn's `transform`).
    ///
    /// - Shapes: `(m, d)` → `(m, k)`.
    /// - Precondition: `data` has `d` columns.
    public func transform(_ data: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard data.rank == 2, data.shape[1] == featureCount else {
            tensorFailure("PCA.transform: needs rows of \(featureCount) values, as fitted, got shape \(data.shapeDescription)",
                          file: file, line: line)
        }
        return (data.detachedFromGradients().cast(to: .float64) - mean).matmul(components.T)
    }

    /// Points in the components' coordinates taken back to the data's space, `Z · components + μ`
    /// (scikit-learn's `inverse_transform`): the best approximation of the data that `k`
    /// directions allow.
    ///
    /// - Shapes: `(m, k)` → `(m, d)`.
    /// - Precondition: `projected` has `k` columns.
    public func inverseTransform(_ projected: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        guard projected.rank == 2, projected.shape[1] == componentCount else {
            tensorFailure("PCA.inverseTransform: needs rows of \(componentCount) values, one per component, got shape \(projected.shapeDescription)",
                          file: file, line: line)
        }
        return projected.detachedFromGradients().cast(to: .float64).matmul(components) + mean
    }

    /// One line: how many components, of how many dimensions, and the share of variance each explains.
    public var description: String {
        let shares = explainedVarianceRatio.scalars
        func percent(_ share: Double) -> String { String(format: "%.1f%%", 100 * share) }
        return "PCA: \(componentCount) of \(featureCount) dimensions, explaining \(percent(shares.reduce(0, +))) of the variance ("
            + shares.map(percent).joined(separator: " + ") + ")"
    }
}
