import Testing
@testable import TensorCore

/// `Closeness`: NumPy's `isclose` rule, and the messages checks show when values differ.
@Suite struct ClosenessTests {
    @Test func theToleranceIsAbsolutePlusRelativeToTheExpectedValue() {
        let closeness = Closeness(rtol: 0.1, atol: 0.01)
        #expect(closeness.isClose(110, 100))       // |10| ≤ 0.01 + 0.1 · 100
        #expect(!closeness.isClose(111, 100))
        // Relative to the expected value only, as numpy.isclose: not symmetric.
        #expect(!closeness.isClose(100, 111.2))
        #expect(closeness.isClose(0.005, 0))       // near zero the absolute part decides
        #expect(!closeness.isClose(0.02, 0))
    }

    @Test func nanAndInfinityAreCloseOnlyToThemselves() {
        let closeness = Closeness()
        #expect(closeness.isClose(.nan, .nan))
        #expect(!closeness.isClose(.nan, 1))
        #expect(!closeness.isClose(1, .nan))
        #expect(closeness.isClose(.infinity, .infinity))
        #expect(!closeness.isClose(-.infinity, .infinity))
        #expect(!closeness.isClose(1e308, .infinity))
    }

    @Test func aScalarMismatchShowsBothSidesAndTheDifference() {
        #expect(Closeness(rtol: 0, atol: 0.5).mismatch(3, 1)
            == "expected 1.0, got 3.0 (difference 2.0; rtol 0.0, atol 0.5)")
        #expect(Closeness().mismatch(1, 1.000001) == nil)
    }

    @Test func aTensorMismatchCountsTheDifferencesAndNamesTheWorst() throws {
        let expected = Tensor(shape: [2, 2], scalars: [1.0, 1, 1, 1])
        let actual = Tensor(shape: [2, 2], scalars: [1.0, 1.5, 1, 4])
        let message = try #require(Closeness().mismatch(actual, expected))
        #expect(message.hasPrefix("2 of 4 values differ (rtol 1e-05, atol 1e-08); the worst is at [1, 1]: expected 1.0, got 4.0\nexpected:\n"))
    }

    @Test func nanIsTheWorstMismatchAndIsShownWithoutASign() throws {
        let expected = Tensor([0.0, 1, 100])
        // 0/0 is a NaN with its sign bit set on x86: it must still read "nan".
        let negativeNaN = -Double.nan
        let actual = Tensor([negativeNaN, 1, 200])
        let message = try #require(Closeness().mismatch(actual, expected))
        #expect(message.hasPrefix("2 of 3 values differ (rtol 1e-05, atol 1e-08); the worst is at [0]: expected 0.0, got nan\n"))
    }

    @Test func theShapeIsComparedFirst() {
        let message = Closeness().mismatch(Tensor.zeros([2, 3]), Tensor.zeros([3, 2]))
        #expect(message == "expected shape (3, 2), got shape (2, 3)")
    }
}
