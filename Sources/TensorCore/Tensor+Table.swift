import Foundation

/// A vector or matrix laid out as a table of short texts, for showing a tensor on a page.
public struct TensorTable: Codable, Sendable, Equatable {
    /// The tensor's shape (the table may show only part of it).
    public var shape: [Int]
    /// The element type, as `float32`, `float64`, `int64` or `bool`.
    public var dtype: String
    /// The cells, row by row; `nil` marks the gap where rows or columns were left out.
    public var rows: [[String?]]
}

extension Tensor {
    /// The tensor as a table — a vector is one row — with at most `maxRows` rows and `maxColumns`
    /// columns: larger ones keep their first and last entries around a gap, as NumPy's printing
    /// summarises. Floats get four significant digits. Nil for tensors with more than two axes.
    public func table(maxRows: Int = 12, maxColumns: Int = 10) -> TensorTable? {
        guard rank <= 2 else { return nil }
        let rowCount = rank == 2 ? shape[0] : 1
        let columnCount = rank == 2 ? shape[1] : (rank == 1 ? shape[0] : 1)
        let values = storage
        func text(_ flat: Int) -> String {
            switch values {
            case .float32(let elements): return Self.shortText(Double(elements[flat]))
            case .float64(let elements): return Self.shortText(elements[flat])
            case .int64(let elements): return String(elements[flat])
            case .bool(let elements): return elements[flat] ? "True" : "False"
            }
        }
        let shownRows = Self.shownIndices(rowCount, limit: maxRows)
        let shownColumns = Self.shownIndices(columnCount, limit: maxColumns)
        let rows = shownRows.map { row -> [String?] in
            guard let row else { return Array(repeating: nil, count: shownColumns.count) }
            return shownColumns.map { column in column.map { text(row * columnCount + $0) } }
        }
        return TensorTable(shape: shape, dtype: dtype.description, rows: rows)
    }

    /// `0..<count`, or its first and last `limit / 2` with a nil between when it is longer.
    private static func shownIndices(_ count: Int, limit: Int) -> [Int?] {
        guard count > limit else { return Array(0..<count) }
        let edge = Swift.max(limit / 2, 1)
        return Array(0..<edge) + [nil] + Array((count - edge)..<count)
    }

    /// Four significant digits, without trailing zeros: `0.1378`, `2`, `-1.5e-05`, `inf`.
    static func shortText(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var text = String(format: "%.4g", value)
        if text.contains("."), !text.contains("e") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text
    }
}
