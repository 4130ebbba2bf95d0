import Testing
@testable import TensorCore

@Suite struct TensorTableTests {
    @Test func aMatrixBecomesRowsOfShortTexts() throws {
        let table = try #require(Tensor([[0.123456, 2.0], [-1.5e-5, 1000.5]]).table())
        #expect(table.shape == [2, 2] && table.dtype == "float64")
        #expect(table.rows == [["0.1235", "2"], ["-1.5e-05", "1000"]])
    }

    @Test func aVectorIsOneRowAndMasksPrintLikeNumPy() throws {
        #expect(Tensor([1.0, 2.0, 3.0]).table()?.rows == [["1", "2", "3"]])
        #expect(Tensor([true, false]).table()?.rows == [["True", "False"]])
        #expect(Tensor(indices: [4, 2]).table()?.dtype == "int64")
    }

    @Test func largeTensorsKeepTheirCornersAroundAGap() throws {
        let table = try #require(Tensor.arange(0, 400, step: 1).reshaped(20, 20).table(maxRows: 4, maxColumns: 4))
        #expect(table.rows == [
            ["0", "1", nil, "18", "19"],
            ["20", "21", nil, "38", "39"],
            [nil, nil, nil, nil, nil],
            ["360", "361", nil, "378", "379"],
            ["380", "381", nil, "398", "399"],
        ])
    }

    @Test func moreThanTwoAxesHaveNoTable() {
        #expect(Tensor.zeros([2, 2, 2]).table() == nil)
    }
}
