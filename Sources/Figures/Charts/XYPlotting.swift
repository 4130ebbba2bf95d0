/// One series of points for a line or scatter chart, ready to draw.
struct XYSeries: Sendable {
    var x: [Double]
    var y: [Double]
    var label: String?
    var style: SeriesStyle
    var onRightAxis = false
    /// Text written beside each point (scatter plots of labelled embeddings).
    var pointLabels: [String]?
}

/// A vertical line across the plot area at one x position (matplotlib's `axvline`): the best
/// epoch of a training run, a change of learning rate. Its label goes in the legend, where it
/// never hides data.
struct VerticalLine: Sendable {
    /// Mid grey: it reads on light and dark pages alike, and no series colour is mistaken for it.
    static let color = Color(hex: 0x7F7F7F)

    var x: Double
    var label: String?
    var style: LineStyle

    var legendStyle: SeriesStyle { SeriesStyle(color: Self.color, marker: .none, line: style) }
}

/// The settings of one axis of a line or scatter chart.
struct XYAxisSettings: Sendable {
    var label: String?
    var scale: AxisScale = .linear
    var limits: ClosedRange<Double>?

    init() {}

    /// Settings whose fixed `limits` (the argument called `name`) are checked at `site`.
    init(label: String?, scale: AxisScale, limits: ClosedRange<Double>?, checkedAs name: String, at site: CallSite) {
        self.label = label
        self.scale = scale
        self.limits = site.checkedLimits(limits, scale, name)
    }
}

/// Draws and describes charts made of `XYSeries`: line plots (with an optional right axis) and
/// scatter plots share all of it.
struct XYPlotting {
    var title: String?
    var series: [XYSeries]
    var x: XYAxisSettings
    var y: XYAxisSettings
    var rightY: XYAxisSettings
    var grid: Bool
    var verticalLines: [VerticalLine] = []

    private var hasRightAxis: Bool { series.contains { $0.onRightAxis } }

    private func request(_ settings: XYAxisSettings, values: [Double], color: Color?) -> AxisRequest {
        let range = settings.limits ?? AxisLimits.automatic(values, scale: settings.scale)
        return AxisRequest(label: settings.label, scale: settings.scale, range: range, color: color)
    }

    /// The colour that marks an axis of a twin-axis chart: its series' colour when it has just one.
    private func axisColor(right: Bool) -> Color? {
        guard hasRightAxis else { return nil }
        let side = series.filter { $0.onRightAxis == right }
        return side.count == 1 ? side[0].style.color : nil
    }

    func layout(in frame: Rect) -> CartesianLayout {
        let legend = Legend(entries: series.compactMap { item in item.label.map { Legend.Entry(label: $0, style: item.style) } }
            + verticalLines.compactMap { mark in mark.label.map { Legend.Entry(label: $0, style: mark.legendStyle) } })
        let left = series.filter { !$0.onRightAxis }
        let right = series.filter(\.onRightAxis)
        return CartesianLayout(
            frame: frame, title: title, legend: legend,
            x: request(x, values: series.flatMap(\.x) + verticalLines.map(\.x), color: nil),
            y: request(y, values: left.flatMap(\.y), color: axisColor(right: false)),
            rightY: hasRightAxis ? request(rightY, values: right.flatMap(\.y), color: axisColor(right: true)) : nil,
            grid: grid)
    }

    func draw(in frame: Rect, on canvas: inout SVGCanvas) {
        let layout = layout(in: frame)
        layout.drawBackground(on: &canvas)
        var labelBoxes: [Rect] = []
        canvas.clipped(to: layout.plotArea) { plot in
            for item in series {
                let yMap = item.onRightAxis ? (layout.rightMap ?? layout.yMap) : layout.yMap
                let points = zip(item.x, item.y).map { pair -> Point? in
                    guard let px = layout.xMap.position(pair.0), let py = yMap.position(pair.1) else { return nil }
                    return Point(px, py)
                }
                if let line = item.style.line {
                    drawLine(points, color: item.style.color, style: line, on: &plot)
                }
                for point in points.compactMap({ $0 }) {
                    item.style.marker.draw(at: point, color: item.style.color, on: &plot)
                }
            }
        }
        drawVerticalLines(layout: layout, on: &canvas)
        for item in series {
            guard let labels = item.pointLabels else { continue }
            let yMap = item.onRightAxis ? (layout.rightMap ?? layout.yMap) : layout.yMap
            for (index, text) in labels.enumerated() where index < item.x.count {
                guard let px = layout.xMap.position(item.x[index]), let py = yMap.position(item.y[index]) else { continue }
                PointLabelPlacer.place(text, near: Point(px, py), within: layout.plotArea, avoiding: &labelBoxes, on: &canvas)
            }
        }
        layout.drawAxes(on: &canvas)
    }

    /// Draws each vertical line over the series, from the bottom of the plot area to its top.
    private func drawVerticalLines(layout: CartesianLayout, on canvas: inout SVGCanvas) {
        let area = layout.plotArea
        for mark in verticalLines {
            guard let position = layout.xMap.position(mark.x), position >= area.minX, position <= area.maxX else { continue }
            canvas.line(from: Point(position, area.minY), to: Point(position, area.maxY), stroke: VerticalLine.color.hex,
                        width: 1.5, dash: mark.style.dashArray)
        }
    }

    /// Draws a polyline through `points`, breaking it where a point cannot be drawn.
    private func drawLine(_ points: [Point?], color: Color, style: LineStyle, on canvas: inout SVGCanvas) {
        var path = PathBuilder()
        var drawing = false
        for point in points {
            guard let point else {
                drawing = false
                continue
            }
            if drawing { path.line(to: point) } else { path.move(to: point) }
            drawing = true
        }
        guard !path.isEmpty else { return }
        canvas.path(path.data, stroke: color.hex, width: 2, dash: style.dashArray,
                    extra: [("stroke-linejoin", "round"), ("stroke-linecap", "round")])
    }

    /// A description for screen readers: each series with its range, then the axes.
    func describe(kind: String) -> String {
        var parts: [String] = []
        let names = series.enumerated().map { index, item in
            var text = item.label ?? "series \(index + 1)"
            text += " (\(item.y.count) points"
            if let low = item.y.filter(\.isFinite).min(), let high = item.y.filter(\.isFinite).max() {
                text += ", y from \(TickLabel.decimal(low)) to \(TickLabel.decimal(high))"
            }
            if item.onRightAxis { text += ", right axis" }
            return text + ")"
        }
        parts.append("\(kind) of \(series.count) series: " + names.joined(separator: "; ") + ".")
        parts.append(axisSentence("x", x, values: series.flatMap(\.x) + verticalLines.map(\.x)))
        parts.append(axisSentence("y", y, values: series.filter { !$0.onRightAxis }.flatMap(\.y)))
        if hasRightAxis {
            parts.append(axisSentence("right y", rightY, values: series.filter(\.onRightAxis).flatMap(\.y)))
        }
        for mark in verticalLines {
            parts.append("A vertical line marks x = \(TickLabel.decimal(mark.x))" + (mark.label.map { " (\($0))." } ?? "."))
        }
        return parts.joined(separator: " ")
    }

    private func axisSentence(_ name: String, _ settings: XYAxisSettings, values: [Double]) -> String {
        var text = "The \(name) axis"
        if let label = settings.label { text += " (\(label))" }
        let range = settings.limits ?? AxisLimits.automatic(values, scale: settings.scale)
        text += " runs from \(TickLabel.decimal(range.lowerBound)) to \(TickLabel.decimal(range.upperBound))"
        if settings.scale == .log {
            text += " on a log scale"
            let hidden = values.filter { $0.isFinite && $0 <= 0 }.count
            if hidden > 0 { text += "; \(hidden) values at or below zero cannot be shown on it" }
        }
        return text + "."
    }
}

/// Places text labels beside scatter points so that they overlap neither each other nor the edge.
enum PointLabelPlacer {
    static func place(_ text: String, near point: Point, within area: Rect, avoiding placed: inout [Rect],
                      on canvas: inout SVGCanvas) {
        let shown = TextMetrics.truncated(text, toWidth: 120)
        let width = TextMetrics.width(of: shown)
        let height = 13.0
        // Right, left, above, below, then the diagonals; the first free spot wins.
        let offsets: [(dx: Double, dy: Double, anchor: TextAnchor)] = [
            (6, 0, .start), (-6, 0, .end), (0, -10, .middle), (0, 10, .middle),
            (5, -9, .start), (-5, -9, .end), (5, 9, .start), (-5, 9, .end),
        ]
        func box(_ offset: (dx: Double, dy: Double, anchor: TextAnchor)) -> Rect {
            let x: Double
            switch offset.anchor {
            case .start: x = point.x + offset.dx
            case .end: x = point.x + offset.dx - width
            case .middle: x = point.x - width / 2
            }
            return Rect(x: x, y: point.y + offset.dy - height / 2, width: width, height: height)
        }
        let choice = offsets.first { offset in
            let candidate = box(offset)
            return area.contains(candidate) && !placed.contains { $0.intersects(candidate) }
        } ?? offsets[0]
        placed.append(box(choice))
        canvas.label(shown, at: Point(point.x + (choice.anchor == .middle ? 0 : choice.dx), point.y + choice.dy),
                     anchor: choice.anchor, baseline: .middle, fullText: text)
    }
}
