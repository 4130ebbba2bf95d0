/// Bars for named categories: one bar per category, or a group of bars per category when several
/// series are added (for example accuracy per digit before and after fine-tuning).
///
/// ```swift
/// show(bar(["rank 1", "rank 2", "rank 4"], [0.61, 0.83, 0.97], title: "Accuracy", yLabel: "accuracy"))
/// ```
/// Long category names are rotated, and shortened with "…" past 150 pixels (the whole name stays
/// in a tooltip).
public struct BarChart: Chart {
    public var title: String?
    public var kindName: String { "Bar chart" }
    public var preferredSize: Size
    var categories: [String]
    var series: [(label: String?, values: [Double])] = []
    var xLabel: String?
    var yLabel: String?
    var yLimits: ClosedRange<Double>?
    var showValues: Bool

    /// An empty bar chart over `categories`; add values with ``add(_:label:file:line:)``.
    ///
    /// - Parameter showValues: write each bar's value above it.
    public init(categories: [String], title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                yLimits: ClosedRange<Double>? = nil, showValues: Bool = false, width: Double = 640, height: Double = 380,
                file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        site.require(!categories.isEmpty, "a bar chart needs at least one category")
        self.categories = categories
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.yLimits = site.checkedLimits(yLimits, .linear, "yLimits")
        self.showValues = showValues
        preferredSize = Size(width: width, height: height)
    }

    /// Adds one value per category, drawn as a bar (beside the bars of series added before).
    public mutating func add(_ values: any PlottableVector, label: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        let numbers = site.values(values, "the values of a bar chart")
        site.require(numbers.count == categories.count, """
            a bar chart needs one value per category; got \(numbers.count) values for \(categories.count) categories
            """)
        series.append((label, numbers))
    }

    /// This chart with one more series of bars.
    public func adding(_ values: any PlottableVector, label: String? = nil,
                       file: StaticString = #filePath, line: UInt = #line) -> BarChart {
        var copy = self
        copy.add(values, label: label, file: file, line: line)
        return copy
    }

    private var styles: [SeriesStyle] {
        series.indices.map { SeriesStyle(color: SeriesPalette.color(at: $0), line: nil, box: true) }
    }

    private func layout(in frame: Rect) -> CartesianLayout {
        let legend = Legend(entries: zip(series, styles).compactMap { item, style in
            item.label.map { Legend.Entry(label: $0, style: style) }
        })
        let values = series.flatMap(\.values)
        let range = yLimits ?? AxisLimits.automatic(values, scale: .linear, including: [0])
        return CartesianLayout(
            frame: frame, title: title, legend: legend,
            x: AxisRequest(label: xLabel, range: -0.5...(Double(categories.count) - 0.5), categories: categories),
            y: AxisRequest(label: yLabel, range: range))
    }

    public func draw(in frame: Rect, on canvas: inout SVGCanvas) {
        let layout = layout(in: frame)
        layout.drawBackground(on: &canvas)
        let slot = layout.plotArea.width / Double(categories.count)
        let groupWidth = slot * 0.8
        let barWidth = groupWidth / Double(max(series.count, 1))
        let styles = styles
        var valueLabels: [(String, Point)] = []
        canvas.clipped(to: layout.plotArea) { plot in
            guard let zero = layout.yMap.position(0) else { return }
            for (seriesIndex, item) in series.enumerated() {
                for (categoryIndex, value) in item.values.enumerated() {
                    guard let top = layout.yMap.position(value),
                          let center = layout.xMap.position(Double(categoryIndex)) else { continue }
                    let left = center - groupWidth / 2 + Double(seriesIndex) * barWidth
                    plot.rect(Rect(x: left, y: min(top, zero), width: max(barWidth - 1, 0.5), height: abs(zero - top)),
                              fill: styles[seriesIndex].color.hex)
                    if showValues {
                        let y = value >= 0 ? top - 4 : top + 13
                        valueLabels.append((TickLabel.decimal((value * 1000).rounded() / 1000), Point(left + barWidth / 2, y)))
                    }
                }
            }
            plot.line(from: Point(layout.plotArea.minX, zero), to: Point(layout.plotArea.maxX, zero))
        }
        for (text, point) in valueLabels {
            canvas.label(text, at: point, anchor: .middle, size: 11)
        }
        layout.drawAxes(on: &canvas)
    }

    public var accessibleDescription: String {
        var parts = ["Bar chart of \(categories.count) categories (\(categories.prefix(12).joined(separator: ", "))\(categories.count > 12 ? ", …" : ""))."]
        for (index, item) in series.enumerated() {
            let name = item.label ?? "series \(index + 1)"
            let values = zip(categories, item.values).prefix(12).map { "\($0): \(TickLabel.decimal($1))" }
            parts.append("\(name): " + values.joined(separator: ", ") + (item.values.count > 12 ? ", …" : "") + ".")
        }
        if let yLabel { parts.append("The y axis shows \(yLabel).") }
        return parts.joined(separator: " ")
    }
}

/// A bar chart of one value per category, in one call.
public func bar(_ categories: [String], _ values: any PlottableVector, title: String? = nil, xLabel: String? = nil,
                yLabel: String? = nil, showValues: Bool = false,
                file: StaticString = #filePath, line: UInt = #line) -> BarChart {
    var chart = BarChart(categories: categories, title: title, xLabel: xLabel, yLabel: yLabel, showValues: showValues,
                         file: file, line: line)
    chart.add(values, file: file, line: line)
    return chart
}
