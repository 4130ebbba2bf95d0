import Foundation

/// One axis of a cartesian chart, as a chart asks for it.
struct AxisRequest {
    var label: String?
    var scale: AxisScale = .linear
    var range: ClosedRange<Double>
    /// Category names at 0, 1, 2… (bar charts) instead of numeric ticks.
    var categories: [String]?
    /// The colour of the tick labels and the axis label (a twin axis takes its series' colour).
    var color: Color?

    init(label: String?, scale: AxisScale = .linear, range: ClosedRange<Double>, categories: [String]? = nil,
         color: Color? = nil) {
        self.label = label
        self.scale = scale
        self.range = range
        self.categories = categories
        self.color = color
    }
}

/// Where the parts of a chart with x and y axes go in a frame, and how its axes are drawn.
///
/// Space is shared from the outside in: the title, the legend under it, then the tick labels and
/// axis labels around a plot area that takes what is left. Tick counts follow the room the axis
/// has; category labels that would overlap are rotated, shortened, or thinned out.
struct CartesianLayout {
    static let padding: Double = 8
    static let tickLength: Double = 5
    private static let rotation: Double = -40

    let frame: Rect
    let title: String?
    let legend: Legend
    let x: AxisRequest
    let y: AxisRequest
    let rightY: AxisRequest?
    let grid: Bool

    private(set) var plotArea = Rect(x: 0, y: 0, width: 1, height: 1)
    private(set) var xTicks = TickSet(values: [], labels: [])
    private(set) var yTicks = TickSet(values: [], labels: [])
    private(set) var rightTicks: TickSet?
    private var categoryLabelsRotated = false
    private var categoryEvery = 1
    private var categoryLabels: [String] = []

    init(frame: Rect, title: String?, legend: Legend, x: AxisRequest, y: AxisRequest, rightY: AxisRequest? = nil,
         grid: Bool = true) {
        self.frame = frame
        self.title = title
        self.legend = legend
        self.x = x
        self.y = y
        self.rightY = rightY
        self.grid = grid
        layOut()
    }

    var xMap: AxisMapping {
        AxisMapping(scale: x.scale, lower: x.range.lowerBound, upper: x.range.upperBound,
                    start: plotArea.minX, end: plotArea.maxX)
    }

    var yMap: AxisMapping { verticalMap(y) }

    var rightMap: AxisMapping? { rightY.map(verticalMap) }

    private func verticalMap(_ axis: AxisRequest) -> AxisMapping {
        AxisMapping(scale: axis.scale, lower: axis.range.lowerBound, upper: axis.range.upperBound,
                    start: plotArea.maxY, end: plotArea.minY)
    }

    /// The top of the area under the title and legend.
    static func contentTop(frame: Rect, title: String?, legend: Legend) -> Double {
        var top = frame.y + padding
        if title != nil { top += 24 }
        top += legend.height(width: frame.width - 2 * padding)
        return top + 6
    }

    private mutating func layOut() {
        let pad = Self.padding
        let top = Self.contentTop(frame: frame, title: title, legend: legend)
        let roughHeight = max(frame.maxY - top - 50 - (x.label == nil ? 0 : 20), 40)
        let verticalCount = max(3, min(8, Int(roughHeight / 40)))
        yTicks = AxisMapping(scale: y.scale, lower: y.range.lowerBound, upper: y.range.upperBound, start: 0, end: 1)
            .ticks(maxCount: verticalCount)
        var left = pad + Self.tickLength + 4 + (yTicks.labels.map { TextMetrics.width(of: $0) }.max() ?? 0)
        if y.label != nil { left += 24 }
        var right = pad + 8
        if let rightY {
            let ticks = AxisMapping(scale: rightY.scale, lower: rightY.range.lowerBound, upper: rightY.range.upperBound,
                                    start: 0, end: 1).ticks(maxCount: verticalCount)
            rightTicks = ticks
            right = pad + Self.tickLength + 4 + (ticks.labels.map { TextMetrics.width(of: $0) }.max() ?? 0)
            if rightY.label != nil { right += 24 }
        }
        let width = max(frame.maxX - right - (frame.x + left), 20)

        var bottom = pad + Self.tickLength + 18
        if let categories = x.categories {
            bottom = pad + Self.tickLength + layOutCategories(categories, width: width)
        } else {
            xTicks = horizontalTicks(width: width)
            // Half of the last label may stick out past the plot area's right edge.
            let overhang = (xTicks.labels.last.map { TextMetrics.width(of: $0) } ?? 0) / 2
            if rightY == nil && overhang > right - pad { right = pad + overhang }
        }
        if x.label != nil { bottom += 20 }
        plotArea = Rect(x: frame.x + left, y: top, width: max(frame.maxX - right - (frame.x + left), 20),
                        height: max(frame.maxY - bottom - top, 20))
    }

    /// Numeric ticks for the x axis: as many as fit without their labels touching.
    private func horizontalTicks(width: Double) -> TickSet {
        var count = max(2, min(10, Int(width / 70)))
        while true {
            let ticks = AxisMapping(scale: x.scale, lower: x.range.lowerBound, upper: x.range.upperBound,
                                    start: 0, end: 1).ticks(maxCount: count)
            let needed = ticks.labels.reduce(0) { $0 + TextMetrics.width(of: $1) + 10 }
            if needed <= width || count <= 2 { return ticks }
            count -= 1
        }
    }

    /// Decides how category labels fit under slots `width / count` wide; returns their height.
    private mutating func layOutCategories(_ categories: [String], width: Double) -> Double {
        let slot = width / Double(max(categories.count, 1))
        let widest = categories.map { TextMetrics.width(of: $0) }.max() ?? 0
        if widest <= slot - 4 {
            categoryLabels = categories
            return 18
        }
        categoryLabelsRotated = true
        categoryLabels = categories.map { TextMetrics.truncated($0, toWidth: HeatmapLayout.maximumLabelWidth) }
        // Rotated labels are about one line high across the axis: thin them out if even that is too much.
        categoryEvery = max(1, Int((15 / slot).rounded(.up)))
        let longest = categoryLabels.map { TextMetrics.width(of: $0) }.max() ?? 0
        let angle = abs(Self.rotation) * .pi / 180
        return longest * sin(angle) + 12 * cos(angle) + 8
    }

    // MARK: Drawing

    /// Draws what goes behind the data: the grid.
    func drawBackground(on canvas: inout SVGCanvas) {
        guard grid else { return }
        for value in yTicks.values {
            guard let position = yMap.position(value) else { continue }
            canvas.line(from: Point(plotArea.minX, position), to: Point(plotArea.maxX, position), opacity: 0.15)
        }
        guard x.categories == nil else { return }
        for value in xTicks.values {
            guard let position = xMap.position(value) else { continue }
            canvas.line(from: Point(position, plotArea.minY), to: Point(position, plotArea.maxY), opacity: 0.15)
        }
    }

    /// Draws what goes over the data: axis lines, ticks, tick labels, axis labels, title, legend.
    func drawAxes(on canvas: inout SVGCanvas) {
        let pad = Self.padding
        let tick = Self.tickLength
        canvas.line(from: Point(plotArea.minX, plotArea.minY), to: Point(plotArea.minX, plotArea.maxY))
        canvas.line(from: Point(plotArea.minX, plotArea.maxY), to: Point(plotArea.maxX, plotArea.maxY))
        drawVerticalTicks(yTicks, map: yMap, at: plotArea.minX, direction: -1, color: y.color, on: &canvas)
        if let rightY, let rightTicks, let rightMap {
            canvas.line(from: Point(plotArea.maxX, plotArea.minY), to: Point(plotArea.maxX, plotArea.maxY))
            drawVerticalTicks(rightTicks, map: rightMap, at: plotArea.maxX, direction: 1, color: rightY.color, on: &canvas)
        }
        if x.categories != nil {
            drawCategoryLabels(on: &canvas)
        } else {
            for (value, label) in zip(xTicks.values, xTicks.labels) {
                guard let position = xMap.position(value) else { continue }
                canvas.line(from: Point(position, plotArea.maxY), to: Point(position, plotArea.maxY + tick))
                canvas.label(label, at: Point(position, plotArea.maxY + tick + 3), anchor: .middle, baseline: .hanging)
            }
            for value in xTicks.minor {
                guard let position = xMap.position(value) else { continue }
                canvas.line(from: Point(position, plotArea.maxY), to: Point(position, plotArea.maxY + tick * 0.6))
            }
        }
        if let label = x.label {
            canvas.label(label, at: Point(plotArea.center.x, frame.maxY - pad - 2), anchor: .middle,
                         size: TextMetrics.axisLabelSize, fill: x.color?.hex)
        }
        if let label = y.label {
            canvas.label(label, at: Point(frame.x + pad + 8, plotArea.center.y), anchor: .middle, baseline: .middle,
                         size: TextMetrics.axisLabelSize, fill: y.color?.hex, rotation: -90)
        }
        if let label = rightY?.label {
            canvas.label(label, at: Point(frame.maxX - pad - 8, plotArea.center.y), anchor: .middle, baseline: .middle,
                         size: TextMetrics.axisLabelSize, fill: rightY?.color?.hex, rotation: 90)
        }
        ChartTitle.draw(title, in: frame, on: &canvas)
        legend.draw(in: frame.inset(left: pad), top: frame.y + pad + (title == nil ? 0 : 24), on: &canvas)
    }

    private func drawVerticalTicks(_ ticks: TickSet, map: AxisMapping, at x: Double, direction: Double,
                                   color: Color?, on canvas: inout SVGCanvas) {
        let tick = Self.tickLength
        for (value, label) in zip(ticks.values, ticks.labels) {
            guard let position = map.position(value) else { continue }
            canvas.line(from: Point(x, position), to: Point(x + direction * tick, position))
            canvas.label(label, at: Point(x + direction * (tick + 3), position), anchor: direction < 0 ? .end : .start,
                         baseline: .middle, fill: color?.hex)
        }
        for value in ticks.minor {
            guard let position = map.position(value) else { continue }
            canvas.line(from: Point(x, position), to: Point(x + direction * tick * 0.6, position))
        }
    }

    private func drawCategoryLabels(on canvas: inout SVGCanvas) {
        let tick = Self.tickLength
        let full = x.categories ?? []
        for (index, label) in categoryLabels.enumerated() where index % categoryEvery == 0 {
            guard let position = xMap.position(Double(index)) else { continue }
            canvas.line(from: Point(position, plotArea.maxY), to: Point(position, plotArea.maxY + tick))
            if categoryLabelsRotated {
                canvas.label(label, at: Point(position + 3, plotArea.maxY + tick + 4), anchor: .end, baseline: .middle,
                             rotation: Self.rotation, fullText: full[index])
            } else {
                canvas.label(label, at: Point(position, plotArea.maxY + tick + 3), anchor: .middle, baseline: .hanging)
            }
        }
    }
}

/// The title drawn centred at the top of a chart's frame.
enum ChartTitle {
    static func draw(_ title: String?, in frame: Rect, on canvas: inout SVGCanvas) {
        guard let title else { return }
        let shown = TextMetrics.truncated(title, toWidth: frame.width - 16, fontSize: TextMetrics.titleSize, bold: true)
        canvas.label(shown, at: Point(frame.center.x, frame.y + CartesianLayout.padding + 15), anchor: .middle,
                     size: TextMetrics.titleSize, weight: "600", fullText: title)
    }
}
