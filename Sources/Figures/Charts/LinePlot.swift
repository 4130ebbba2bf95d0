/// Lines through points: training curves, positional-encoding waves, anything over a range.
///
/// ```swift
/// var plot = LinePlot(title: "Training", xLabel: "step", yLabel: "loss", rightYLabel: "accuracy")
/// plot.add(losses, label: "loss")
/// plot.add(accuracies, label: "accuracy", axis: .right)
/// show(plot)
/// ```
///
/// Several series share the axes (give each a `label` for the legend); series added with
/// `axis: .right` use a second y axis on the right, as matplotlib's `twinx()` does.
public struct LinePlot: Chart {
    /// Which y axis a series is measured on.
    public enum Axis: Sendable {
        case left, right
    }

    public var title: String?
    public var kindName: String { "Line plot" }
    public var preferredSize: Size
    var plotting: XYPlotting

    /// An empty plot; add series with ``add(_:x:label:marker:style:axis:file:line:)``.
    ///
    /// - Parameters:
    ///   - xScale, yScale, rightYScale: `.linear` (the default) or `.log`.
    ///   - xLimits, yLimits, rightYLimits: fixed ranges; by default each axis covers its data with 5% to spare.
    ///   - grid: light lines at the ticks.
    ///   - width, height: the size in pixels when shown on its own.
    public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, rightYLabel: String? = nil,
                xScale: AxisScale = .linear, yScale: AxisScale = .linear, rightYScale: AxisScale = .linear,
                xLimits: ClosedRange<Double>? = nil, yLimits: ClosedRange<Double>? = nil,
                rightYLimits: ClosedRange<Double>? = nil, grid: Bool = true, width: Double = 640, height: Double = 380,
                file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        self.title = title
        preferredSize = Size(width: width, height: height)
        plotting = XYPlotting(
            title: title, series: [],
            x: XYAxisSettings(label: xLabel, scale: xScale, limits: xLimits, checkedAs: "xLimits", at: site),
            y: XYAxisSettings(label: yLabel, scale: yScale, limits: yLimits, checkedAs: "yLimits", at: site),
            rightY: XYAxisSettings(label: rightYLabel, scale: rightYScale, limits: rightYLimits,
                                   checkedAs: "rightYLimits", at: site),
            grid: grid)
    }

    /// Adds a line through the points (`x[i]`, `y[i]`); without `x`, through (0, `y[0]`), (1, `y[1]`)…
    ///
    /// - Parameters:
    ///   - y: the heights: an array or a tensor with one axis.
    ///   - x: the positions, as many as `y`.
    ///   - label: the series' name in the legend.
    ///   - marker: a shape at each point (`.circle`, `.square`…); none by default.
    ///   - style: `.solid`, `.dashed` or `.dotted`.
    ///   - axis: `.right` to measure this series on a second y axis.
    public mutating func add(_ y: any PlottableVector, x: (any PlottableVector)? = nil, label: String? = nil,
                             marker: Marker = .none, style: LineStyle = .solid, axis: Axis = .left,
                             file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        let heights = site.values(y, "the y values of a line")
        let positions = x.map { site.values($0, "the x values of a line") } ?? heights.indices.map(Double.init)
        site.require(positions.count == heights.count, """
            a line needs as many x values as y values; got \(positions.count) x values and \(heights.count) y values
            """)
        let color = SeriesPalette.color(at: plotting.series.count)
        plotting.series.append(XYSeries(x: positions, y: heights, label: label,
                                        style: SeriesStyle(color: color, marker: marker, line: style),
                                        onRightAxis: axis == .right))
    }

    /// This plot with one more line: `lineplot(loss, label: "loss").adding(accuracy, label: "accuracy", axis: .right)`.
    public func adding(_ y: any PlottableVector, x: (any PlottableVector)? = nil, label: String? = nil,
                       marker: Marker = .none, style: LineStyle = .solid, axis: Axis = .left,
                       file: StaticString = #filePath, line: UInt = #line) -> LinePlot {
        var copy = self
        copy.add(y, x: x, label: label, marker: marker, style: style, axis: axis, file: file, line: line)
        return copy
    }

    /// Adds a grey vertical line across the plot at `x` (matplotlib's `axvline`): to mark the best
    /// epoch of a training run, say. The x axis stretches to show it.
    ///
    /// - Parameters:
    ///   - x: where the line stands, in the x axis's units.
    ///   - label: its entry in the legend.
    ///   - style: `.dashed` (the default), `.dotted` or `.solid`.
    /// - Precondition: `x` is finite (and above zero on a log axis).
    public mutating func addVerticalLine(at x: Double, label: String? = nil, style: LineStyle = .dashed,
                                         file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        site.require(x.isFinite, "a vertical line needs a finite x position, not \(x)")
        if plotting.x.scale == .log {
            site.require(x > 0, "a vertical line on a log x axis needs a position above zero, not \(x)")
        }
        plotting.verticalLines.append(VerticalLine(x: x, label: label, style: style))
    }

    /// This plot with one more vertical line; see ``addVerticalLine(at:label:style:file:line:)``.
    public func addingVerticalLine(at x: Double, label: String? = nil, style: LineStyle = .dashed,
                                   file: StaticString = #filePath, line: UInt = #line) -> LinePlot {
        var copy = self
        copy.addVerticalLine(at: x, label: label, style: style, file: file, line: line)
        return copy
    }

    public var accessibleDescription: String { plotting.describe(kind: "Line plot") }

    public func draw(in frame: Rect, on canvas: inout SVGCanvas) {
        plotting.draw(in: frame, on: &canvas)
    }
}

/// A line plot of one series, in one call: `show(lineplot(losses, title: "Loss", xLabel: "step"))`.
///
/// Add more series with `.adding(_:x:label:…)`; see ``LinePlot`` for every option.
public func lineplot(_ y: any PlottableVector, x: (any PlottableVector)? = nil, label: String? = nil,
                     title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, marker: Marker = .none,
                     xScale: AxisScale = .linear, yScale: AxisScale = .linear,
                     xLimits: ClosedRange<Double>? = nil, yLimits: ClosedRange<Double>? = nil,
                     file: StaticString = #filePath, line: UInt = #line) -> LinePlot {
    var plot = LinePlot(title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                        xLimits: xLimits, yLimits: yLimits, file: file, line: line)
    plot.add(y, x: x, label: label, marker: marker, file: file, line: line)
    return plot
}

extension CallSite {
    /// `limits` if they can be drawn on an axis with `scale`, or a stop that says why not.
    func checkedLimits(_ limits: ClosedRange<Double>?, _ scale: AxisScale, _ name: String) -> ClosedRange<Double>? {
        guard let limits else { return nil }
        require(limits.lowerBound.isFinite && limits.upperBound.isFinite && limits.lowerBound < limits.upperBound,
                "\(name) must be a range of finite numbers with the lower end below the upper, such as 0...1; got \(limits)")
        if scale == .log {
            require(limits.lowerBound > 0, "\(name) of a log axis must be above zero; got \(limits)")
        }
        return limits
    }
}
