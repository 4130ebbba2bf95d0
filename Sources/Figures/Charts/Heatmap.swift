import Foundation

/// A matrix drawn as coloured cells: attention weights, cosine similarities, positional encodings.
///
/// ```swift
/// show(heatmap(weights, rows: tokens, columns: tokens, title: "Self-attention"))
/// ```
///
/// Rows run top to bottom and columns left to right, as the matrix prints. A colour bar on the
/// right maps colours back to numbers. Matrices larger than ``maximumCells`` on a side are
/// averaged down in blocks before drawing (the figure's description says so), and cells of
/// equal colour are drawn as one shape, so even a 100 × 128 encoding stays a small file.
public struct Heatmap: Chart {
    /// The most rows or columns drawn; larger matrices are averaged in blocks down to this.
    public static let maximumCells = 200
    /// How many colours the map is divided into (256, as matplotlib's colour maps are).
    static let colorLevels = 256

    public var title: String?
    public var kindName: String { "Heatmap" }
    let values: [[Double]]
    let originalShape: (rows: Int, columns: Int)
    let rowLabels: [String]?
    let columnLabels: [String]?
    let colorMap: ColorMap
    let range: ClosedRange<Double>
    let annotate: Bool
    let decimals: Int
    let xLabel: String?
    let yLabel: String?
    let colorBarLabel: String?

    init(values: [[Double]], rows: [String]?, columns: [String]?, title: String?, colorMap: ColorMap, vmin: Double?,
         vmax: Double?, annotate: Bool, decimals: Int, xLabel: String?, yLabel: String?, colorBarLabel: String?,
         site: CallSite) {
        site.require(!values.isEmpty && !values[0].isEmpty, "a heatmap needs at least one row and one column")
        let shape = (rows: values.count, columns: values[0].count)
        if let rows {
            site.require(rows.count == shape.rows, "a heatmap needs one row label per row; got \(rows.count) labels for \(shape.rows) rows")
        }
        if let columns {
            site.require(columns.count == shape.columns, "a heatmap needs one column label per column; got \(columns.count) labels for \(shape.columns) columns")
        }
        let finite = values.joined().filter(\.isFinite)
        let low = vmin ?? finite.min() ?? 0
        var high = vmax ?? finite.max() ?? 1
        site.require(low.isFinite && high.isFinite, "vmin and vmax must be finite numbers")
        if vmin != nil && vmax != nil {
            site.require(low < high, "vmin must be below vmax; got vmin \(low) and vmax \(high)")
        } else if high <= low {
            high = low + 1
        }
        self.title = title
        originalShape = shape
        self.values = Self.downsampled(values, limit: Self.maximumCells)
        rowLabels = self.values.count == shape.rows ? rows : nil
        columnLabels = self.values[0].count == shape.columns ? columns : nil
        self.colorMap = colorMap
        range = low...high
        self.annotate = annotate
        self.decimals = decimals
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.colorBarLabel = colorBarLabel
    }

    /// `matrix` averaged over blocks so that neither side exceeds `limit` (NaN cells are left out
    /// of each block's mean).
    static func downsampled(_ matrix: [[Double]], limit: Int) -> [[Double]] {
        let rows = matrix.count, columns = matrix[0].count
        let rowBlock = (rows + limit - 1) / limit, columnBlock = (columns + limit - 1) / limit
        guard rowBlock > 1 || columnBlock > 1 else { return matrix }
        return stride(from: 0, to: rows, by: rowBlock).map { top in
            stride(from: 0, to: columns, by: columnBlock).map { left in
                var sum = 0.0, count = 0
                for row in top..<min(top + rowBlock, rows) {
                    for value in matrix[row][left..<min(left + columnBlock, columns)] where value.isFinite {
                        sum += value
                        count += 1
                    }
                }
                return count == 0 ? .nan : sum / Double(count)
            }
        }
    }

    var rowCount: Int { values.count }
    var columnCount: Int { values[0].count }

    public var preferredSize: Size {
        let cell = Self.naturalCellSize(rows: rowCount, columns: columnCount)
        let margins = HeatmapLayout.Margins(self, cellWidth: cell.width, cellHeight: cell.height)
        var width = margins.left + Double(columnCount) * cell.width + margins.right
        width = max(width, TextMetrics.width(of: title ?? "", fontSize: TextMetrics.titleSize, bold: true) + 32)
        let top = HeatmapLayout.top(of: self, frameTop: 0)
        return Size(width: width.rounded(.up), height: (top + Double(rowCount) * cell.height + margins.bottom).rounded(.up))
    }

    /// Square cells for small matrices (up to 44 px, so a 7 × 7 attention map reads easily);
    /// large ones fill about 480 px across, with rows up to 24 px tall.
    static func naturalCellSize(rows: Int, columns: Int) -> Size {
        let side = min(44, 480 / Double(columns), 400 / Double(rows))
        if side >= 12 { return Size(width: side, height: side) }
        return Size(width: 480 / Double(columns), height: min(360 / Double(rows), max(side, 24)))
    }

    public func draw(in frame: Rect, on canvas: inout SVGCanvas) {
        HeatmapLayout(heatmap: self, frame: frame).draw(on: &canvas)
    }

    public var accessibleDescription: String {
        var text = "Heatmap of a \(originalShape.rows) × \(originalShape.columns) matrix"
        if let rowLabels { text += "; rows: " + Self.list(rowLabels) }
        if let columnLabels { text += "; columns: " + Self.list(columnLabels) }
        let finite = values.joined().filter(\.isFinite)
        if let low = finite.min(), let high = finite.max() {
            text += ". Values run from \(TickLabel.decimal(low)) to \(TickLabel.decimal(high))"
        }
        text += "; colour map \(colorMap.rawValue) from \(TickLabel.decimal(range.lowerBound)) to \(TickLabel.decimal(range.upperBound))."
        let missing = values.joined().filter { !$0.isFinite }.count
        if missing > 0 { text += " \(missing) cells are not numbers and are left blank." }
        if rowCount != originalShape.rows || columnCount != originalShape.columns {
            text += " Downsampled from \(originalShape.rows) × \(originalShape.columns) to \(rowCount) × \(columnCount) by averaging blocks of cells."
        }
        return text
    }

    private static func list(_ labels: [String]) -> String {
        labels.count <= 16 ? labels.joined(separator: ", ") : labels.prefix(16).joined(separator: ", ") + ", …"
    }
}

/// A heatmap of `values` (a matrix: nested arrays or a tensor with two axes), in one call.
///
/// - Parameters:
///   - rows, columns: tick labels such as tokens (row and column numbers by default).
///   - colorMap: `.viridis` (default), `.coolwarm` for values around a middle, `.greys`.
///   - vmin, vmax: the values at the two ends of the colour map (default: the data's range).
///   - annotate: write each cell's value in it, with `decimals` decimals.
///   - colorBarLabel: a label beside the colour bar.
public func heatmap(_ values: any PlottableMatrix, rows: [String]? = nil, columns: [String]? = nil,
                    title: String? = nil, colorMap: ColorMap = .viridis, vmin: Double? = nil, vmax: Double? = nil,
                    annotate: Bool = false, decimals: Int = 2, xLabel: String? = nil, yLabel: String? = nil,
                    colorBarLabel: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> Heatmap {
    let site = CallSite(file: file, line: line)
    return Heatmap(values: site.rows(values, "heatmap"), rows: rows, columns: columns, title: title,
                   colorMap: colorMap, vmin: vmin, vmax: vmax, annotate: annotate, decimals: decimals,
                   xLabel: xLabel, yLabel: yLabel, colorBarLabel: colorBarLabel, site: site)
}
