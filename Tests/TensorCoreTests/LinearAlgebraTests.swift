import Foundation
import Testing
@testable import TensorCore

/// Inputs and NumPy's answers, written by `Fixtures/make_linalg_fixtures.py`.
struct LinearAlgebraFixtures: Decodable {
    struct Matrix: Decodable {
        var shape: [Int]
        var values: [Double]
        var tensor: Tensor { Tensor(shape: shape, scalars: values) }
    }

    var tall, wide, square, rhs_matrix, low_rank: Matrix
    var rhs: [Double]
    var tall_singular_values, wide_singular_values, low_rank_singular_values: [Double]
    var low_rank_rank, square_rank: Int
    var tall_q, tall_r, wide_q, wide_r: Matrix
    var square_solve: [Double]
    var square_solve_matrix, square_inverse: Matrix
    var square_det: Double
    var square_rank1, square_rank2: Matrix

    static func load() throws -> LinearAlgebraFixtures {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/linalg.json")
        return try JSONDecoder().decode(LinearAlgebraFixtures.self, from: Data(contentsOf: url))
    }
}

/// Whether every element is within `tolerance` of the reference (absolute, for values of order 1).
func isClose(_ values: [Double], _ reference: [Double], tolerance: Double = 1e-12) -> Bool {
    values.count == reference.count && zip(values, reference).allSatisfy { Swift.abs($0 - $1) <= tolerance }
}

@Suite struct LinearAlgebraTests {
    let fixtures: LinearAlgebraFixtures

    init() throws {
        fixtures = try LinearAlgebraFixtures.load()
    }

    @Test func singularValuesMatchNumPy() {
        #expect(isClose(fixtures.tall.tensor.singularValues().scalars, fixtures.tall_singular_values))
        #expect(isClose(fixtures.wide.tensor.singularValues().scalars, fixtures.wide_singular_values))
        #expect(isClose(fixtures.low_rank.tensor.singularValues().scalars, fixtures.low_rank_singular_values))
    }

    @Test func fullSVDReconstructsTheMatrixWithOrthonormalFactors() {
        let a = fixtures.tall.tensor
        let parts = a.svd()
        #expect(parts.u.shape == [5, 5])
        #expect(parts.s.shape == [3])
        #expect(parts.vt.shape == [3, 3])
        let rebuilt = (parts.u[..., ..<3] * parts.s).matmul(parts.vt)
        #expect(isClose(rebuilt.scalars, a.scalars))
        #expect(isClose(parts.u.T.matmul(parts.u).scalars, Tensor.eye(5).scalars))
        #expect(isClose(parts.vt.matmul(parts.vt.T).scalars, Tensor.eye(3).scalars))
        let reduced = fixtures.wide.tensor.svd(fullMatrices: false)
        #expect(reduced.u.shape == [3, 3])
        #expect(reduced.vt.shape == [3, 5])
        #expect(isClose((reduced.u * reduced.s).matmul(reduced.vt).scalars, fixtures.wide.values))
    }

    @Test func rankUsesNumPysDefaultTolerance() {
        #expect(fixtures.low_rank.tensor.matrixRank() == fixtures.low_rank_rank)
        #expect(fixtures.low_rank_rank == 2)
        #expect(fixtures.square.tensor.matrixRank() == 4)
        #expect(Tensor.zeros([3, 3]).matrixRank() == 0)
        #expect(Tensor.eye(4, dtype: .float32).matrixRank() == 4)
        // A tolerance above the second singular value leaves only the first.
        let second = fixtures.low_rank_singular_values[1]
        #expect(fixtures.low_rank.tensor.matrixRank(tolerance: second * 1.01) == 1)
    }

    @Test func nullSpaceIsOrthonormalAndAnnihilated() {
        let a = fixtures.low_rank.tensor
        let basis = a.nullSpace()
        #expect(basis.shape == [4, 2])
        #expect(a.matmul(basis).abs().max() < 1e-12)
        #expect(isClose(basis.T.matmul(basis).scalars, Tensor.eye(2).scalars))
        #expect(fixtures.square.tensor.nullSpace().shape == [4, 0])
    }

    @Test func qrMatchesNumPy() {
        let tall = fixtures.tall.tensor.qr()
        #expect(tall.q.shape == [5, 3])
        #expect(tall.r.shape == [3, 3])
        #expect(isClose(tall.q.scalars, fixtures.tall_q.values))
        #expect(isClose(tall.r.scalars, fixtures.tall_r.values))
        let wide = fixtures.wide.tensor.qr()
        #expect(wide.q.shape == [3, 3])
        #expect(wide.r.shape == [3, 5])
        #expect(isClose(wide.q.scalars, fixtures.wide_q.values))
        #expect(isClose(wide.r.scalars, fixtures.wide_r.values))
    }

    @Test func solveInverseAndDeterminantMatchNumPy() {
        let a = fixtures.square.tensor
        let x = a.solve(Tensor(fixtures.rhs))
        #expect(x.shape == [4])
        #expect(isClose(x.scalars, fixtures.square_solve))
        #expect(isClose(a.solve(fixtures.rhs_matrix.tensor).scalars, fixtures.square_solve_matrix.values))
        #expect(isClose(a.inverse().scalars, fixtures.square_inverse.values))
        #expect(Swift.abs(a.determinant() - fixtures.square_det) < 1e-12)
        #expect(Tensor([[1.0, 2.0], [2.0, 4.0]]).determinant() == 0)
        #expect(Tensor([[0.0, 1.0], [1.0, 0.0]]).determinant() == -1)
        let third = Double(Float(1) / Float(3))
        #expect(Tensor([[2.0, 0.0], [0.0, 3.0]], dtype: .float32).inverse().scalars == [0.5, 0, 0, third])
    }

    @Test func lowRankApproximationIsTheTruncatedSVD() {
        let a = fixtures.square.tensor
        #expect(isClose(a.lowRankApproximation(rank: 1).scalars, fixtures.square_rank1.values))
        #expect(isClose(a.lowRankApproximation(rank: 2).scalars, fixtures.square_rank2.values))
        #expect(isClose(a.lowRankApproximation(rank: 4).scalars, a.scalars))
        #expect(a.lowRankApproximation(rank: 2).matrixRank() == 2)
        // Eckart–Young: the error's Frobenius norm is the root of the dropped squared singular values.
        let dropped = a.singularValues().scalars[2...].map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(Swift.abs((a - a.lowRankApproximation(rank: 2)).norm() - dropped) < 1e-12)
    }
}
