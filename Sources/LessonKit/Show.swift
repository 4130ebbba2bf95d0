import Figures
import Foundation
import LessonProtocol
import TensorCore

/// Shows `chart` under the cell, as an SVG figure in the page.
///
/// ```swift
/// show(heatmap(weights, rows: tokens, columns: tokens, title: "Self-attention"))
/// ```
public func show(_ chart: some Chart) {
    LessonRuntime.display(DisplayItem(kind: .svg, payload: chart.svg))
}

/// Shows a tensor under the cell as a compact table with its shape and dtype (a vector is one
/// row; large ones keep their corners around "⋯"). Tensors with more than two axes are shown as
/// they print.
public func show(_ tensor: Tensor) {
    guard let table = tensor.table() else {
        LessonRuntime.display(DisplayItem(
            kind: .text, payload: "tensor of shape \(tensor.shapeDescription), \(tensor.dtype)\n\(tensor)"))
        return
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    // Encoding strings and integers cannot fail.
    let json = (try? encoder.encode(table)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    LessonRuntime.display(DisplayItem(kind: .table, payload: json))
}

extension Chart {
    /// Writes the chart as an SVG file at `path`, relative to the lesson's folder
    /// (`figure.save("figures/attention.svg")`).
    ///
    /// The write is atomic, and a file that Cuaderno did not draw is never replaced: the lesson
    /// stops with a message naming this line instead.
    public func save(_ path: String, file: StaticString = #filePath, line: UInt = #line) {
        do {
            try write(toFile: path)
        } catch {
            LessonRuntime.reportFailure(error.description, file: "\(file)", line: Int(line))
        }
    }
}

// Tensors go straight into charts: one axis is a series, two axes are a matrix.

extension Tensor: PlottableVector {
    public func plottableValues() throws(PlotInputError) -> [Double] {
        let length = shape.filter { $0 != 1 }
        guard length.count <= 1 else {
            throw PlotInputError("""
                expected a tensor with one axis (a series of values); got shape \(shapeDescription). \
                Pick one row with x[i] or flatten it with x.flattened()
                """)
        }
        return scalars
    }
}

extension Tensor: PlottableMatrix {
    public func plottableRows() throws(PlotInputError) -> [[Double]] {
        guard rank == 2 else {
            throw PlotInputError("""
                expected a tensor with two axes (a matrix); got shape \(shapeDescription). \
                \(rank == 1 ? "Make it one row with x.reshaped(1, -1)" : "Pick one matrix with x[i]")
                """)
        }
        let values = scalars
        let columns = shape[1]
        return (0..<shape[0]).map { row in Array(values[(row * columns)..<((row + 1) * columns)]) }
    }
}

