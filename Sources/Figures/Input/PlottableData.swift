/// Why some values cannot be drawn as the chart asked (for example a 3-D tensor given to a heatmap).
public struct PlotInputError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}

/// Values a chart can draw as one series: `[Double]`, `[Float]`, `[Int]`, and in lessons a
/// `Tensor` with one axis.
public protocol PlottableVector {
    /// The values, in order, or why these values are not one series.
    func plottableValues() throws(PlotInputError) -> [Double]
}

/// Values a chart can draw as a matrix: `[[Double]]`, `[[Float]]`, `[[Int]]`, and in lessons a
/// `Tensor` with two axes.
public protocol PlottableMatrix {
    /// The rows, each with the same number of values, or why these values are not a matrix.
    func plottableRows() throws(PlotInputError) -> [[Double]]
}

/// A number that converts to `Double` for drawing.
public protocol PlottableScalar {
    var plottableValue: Double { get }
}

extension Double: PlottableScalar {
    public var plottableValue: Double { self }
}

extension Float: PlottableScalar {
    public var plottableValue: Double { Double(self) }
}

extension Int: PlottableScalar {
    public var plottableValue: Double { Double(self) }
}

extension Array: PlottableVector where Element: PlottableScalar {
    public func plottableValues() throws(PlotInputError) -> [Double] {
        map(\.plottableValue)
    }
}

extension Array: PlottableMatrix where Element: PlottableVector {
    public func plottableRows() throws(PlotInputError) -> [[Double]] {
        var rows: [[Double]] = []
        rows.reserveCapacity(count)
        for row in self {
            rows.append(try row.plottableValues())
        }
        if let first = rows.first, let ragged = rows.firstIndex(where: { $0.count != first.count }) {
            throw PlotInputError("""
                the rows have different lengths (row 0 has \(first.count) values, row \(ragged) has \
                \(rows[ragged].count)); every row of a matrix needs the same number of values
                """)
        }
        return rows
    }
}

extension CallSite {
    /// The values of `vector`, or a stop naming the call site and what is wrong with them.
    func values(_ vector: any PlottableVector, _ role: String) -> [Double] {
        do {
            return try vector.plottableValues()
        } catch {
            fail("\(role): \(error.description)")
        }
    }

    /// The rows of `matrix`, or a stop naming the call site and what is wrong with them.
    func rows(_ matrix: any PlottableMatrix, _ role: String) -> [[Double]] {
        do {
            return try matrix.plottableRows()
        } catch {
            fail("\(role): \(error.description)")
        }
    }
}
