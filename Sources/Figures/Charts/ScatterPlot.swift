/// Points, optionally with a text label each: embeddings in two dimensions, one cloud per group.
///
/// ```swift
/// show(scatter(points, labels: words, title: "Word embeddings"))   // points: n × 2
/// ```
public struct ScatterPlot: Chart {
    public var title: String?
    public var kindName: String { "Scatter plot" }
    public var preferredSize: Size
    var plotting: XYPlotting

    /// An empty scatter plot; add groups of points with ``add(x:y:labels:label:marker:file:line:)``.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                xScale: AxisScale = .linear, yScale: AxisScale = .linear,
                xLimits: ClosedRange<Double>? = nil, yLimits: ClosedRange<Double>? = nil, grid: Bool = true,
                width: Double = 560, height: Double = 420, file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        self.title = title
        preferredSize = Size(width: width, height: height)
        plotting = XYPlotting(
            title: title, series: [],
            x: XYAxisSettings(label: xLabel, scale: xScale, limits: xLimits, checkedAs: "xLimits", at: site),
            y: XYAxisSettings(label: yLabel, scale: yScale, limits: yLimits, checkedAs: "yLimits", at: site),
            rightY: XYAxisSettings(), grid: grid)
    }

    /// Adds a group of points (`x[i]`, `y[i]`), each with its text in `labels` if given.
    ///
    /// - Parameters:
    ///   - label: the group's name in the legend.
    ///   - marker: the shape of the points; by default a different shape for each group.
    public mutating func add(x: any PlottableVector, y: any PlottableVector, labels: [String]? = nil,
                             label: String? = nil, marker: Marker? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        let xs = site.values(x, "the x values of a scatter plot")
        let ys = site.values(y, "the y values of a scatter plot")
        site.require(xs.count == ys.count, "a scatter plot needs as many x values as y values; got \(xs.count) and \(ys.count)")
        if let labels {
            site.require(labels.count == xs.count, "a scatter plot needs one label per point; got \(labels.count) labels for \(xs.count) points")
        }
        let index = plotting.series.count
        let style = SeriesStyle(color: SeriesPalette.color(at: index), marker: marker ?? Marker.automatic(index), line: nil)
        plotting.series.append(XYSeries(x: xs, y: ys, label: label, style: style, pointLabels: labels))
    }

    /// Adds a group of points given as the rows of an n × 2 matrix (x in the first column, y in the second).
    public mutating func add(points: any PlottableMatrix, labels: [String]? = nil, label: String? = nil,
                             marker: Marker? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        let rows = site.rows(points, "the points of a scatter plot")
        site.require(rows.allSatisfy { $0.count == 2 }, """
            a scatter plot's points need two columns (x and y); got \(rows.first?.count ?? 0). \
            Reduce the data to two dimensions first (for example with an SVD) or pass x: and y: separately.
            """)
        add(x: rows.map { $0[0] }, y: rows.map { $0[1] }, labels: labels, label: label, marker: marker, file: file, line: line)
    }

    /// This plot with one more group of points.
    public func adding(x: any PlottableVector, y: any PlottableVector, labels: [String]? = nil, label: String? = nil,
                       marker: Marker? = nil, file: StaticString = #filePath, line: UInt = #line) -> ScatterPlot {
        var copy = self
        copy.add(x: x, y: y, labels: labels, label: label, marker: marker, file: file, line: line)
        return copy
    }

    public var accessibleDescription: String { plotting.describe(kind: "Scatter plot") }

    public func draw(in frame: Rect, on canvas: inout SVGCanvas) {
        plotting.draw(in: frame, on: &canvas)
    }
}

/// A scatter plot of (`x[i]`, `y[i]`) in one call, each point labelled with `labels[i]` if given.
public func scatter(x: any PlottableVector, y: any PlottableVector, labels: [String]? = nil, title: String? = nil,
                    xLabel: String? = nil, yLabel: String? = nil,
                    file: StaticString = #filePath, line: UInt = #line) -> ScatterPlot {
    var plot = ScatterPlot(title: title, xLabel: xLabel, yLabel: yLabel, file: file, line: line)
    plot.add(x: x, y: y, labels: labels, file: file, line: line)
    return plot
}

/// A scatter plot of the rows of an n × 2 matrix (such as 2-D embeddings), labelled with `labels`.
public func scatter(_ points: any PlottableMatrix, labels: [String]? = nil, title: String? = nil,
                    xLabel: String? = nil, yLabel: String? = nil,
                    file: StaticString = #filePath, line: UInt = #line) -> ScatterPlot {
    var plot = ScatterPlot(title: title, xLabel: xLabel, yLabel: yLabel, file: file, line: line)
    plot.add(points: points, labels: labels, file: file, line: line)
    return plot
}
