import Foundation

/// Where a heatmap's cells, labels and colour bar go in a frame, and how they are drawn.
struct HeatmapLayout {
    private static let rotation: Double = -40
    static let maximumLabelWidth: Double = 150

    /// A labelled tick at the centre of row or column `index`.
    struct CellTick {
        var index: Int
        var label: String
        var fullLabel: String
    }

    /// The space around the cells (labels on the left and below, the colour bar on the right) and
    /// which rows and columns get a label.
    struct Margins {
        var left: Double
        var right: Double
        var bottom: Double
        var rowTicks: [CellTick]
        var columnTicks: [CellTick]
        var rotateColumnLabels: Bool
        var colorBarTicks: TickSet

        init(_ heatmap: Heatmap, cellWidth: Double, cellHeight: Double) {
            let pad = CartesianLayout.padding
            let tick = CartesianLayout.tickLength
            let rowsHeight = Double(heatmap.rowCount) * cellHeight
            let columnsWidth = Double(heatmap.columnCount) * cellWidth
            rowTicks = Self.ticks(labels: heatmap.rowLabels, count: heatmap.rowCount, original: heatmap.originalShape.rows,
                                  cellSize: cellHeight, labelSize: 13, maxCount: Int(rowsHeight / 28))
            left = pad + tick + 4 + (rowTicks.map { TextMetrics.width(of: $0.label) }.max() ?? 0)
            if heatmap.yLabel != nil { left += 20 }

            // Numbered columns are spaced by the widest number; named ones by their own widths.
            let widestNumber = TextMetrics.width(of: String(heatmap.originalShape.columns))
            columnTicks = Self.ticks(labels: heatmap.columnLabels, count: heatmap.columnCount,
                                     original: heatmap.originalShape.columns, cellSize: cellWidth, labelSize: 15,
                                     maxCount: Int(columnsWidth / max(widestNumber + 24, 40)))
            let widest = columnTicks.map { TextMetrics.width(of: $0.label) }.max() ?? 0
            rotateColumnLabels = heatmap.columnLabels != nil && widest > cellWidth - 4
            if rotateColumnLabels {
                let angle = abs(HeatmapLayout.rotation) * .pi / 180
                bottom = tick + widest * sin(angle) + 12 * cos(angle) + 8
            } else {
                bottom = tick + 20
            }
            if heatmap.xLabel != nil { bottom += 20 }
            bottom += pad

            colorBarTicks = Ticks.linear(from: heatmap.range.lowerBound, to: heatmap.range.upperBound,
                                         maxCount: max(2, min(7, Int(rowsHeight / 30))))
            right = 16 + 14 + tick + 4 + (colorBarTicks.labels.map { TextMetrics.width(of: $0) }.max() ?? 0) + pad
            if heatmap.colorBarLabel != nil { right += 20 }
        }

        /// Named rows or columns get every label (every second, third… when cells are thinner than
        /// a line of text); numbered ones get round numbers, spaced like an axis's ticks. Labels
        /// of a downsampled matrix are the original matrix's positions.
        private static func ticks(labels: [String]?, count: Int, original: Int, cellSize: Double, labelSize: Double,
                                  maxCount: Int) -> [CellTick] {
            if let labels {
                let every = max(1, Int((labelSize / cellSize).rounded(.up)))
                return stride(from: 0, to: count, by: every).map { index in
                    CellTick(index: index, label: TextMetrics.truncated(labels[index], toWidth: HeatmapLayout.maximumLabelWidth),
                             fullLabel: labels[index])
                }
            }
            let block = Double(original) / Double(count)
            let numbers = Ticks.integers(upTo: original - 1, maxCount: max(maxCount, 2))
            return zip(numbers.values, numbers.labels).compactMap { value, label in
                let index = Int(value / block)
                guard index < count else { return nil }
                return CellTick(index: index, label: label, fullLabel: label)
            }
        }
    }

    /// The top of the cells: under the title, if any.
    static func top(of heatmap: Heatmap, frameTop: Double) -> Double {
        frameTop + CartesianLayout.padding + (heatmap.title == nil ? 0 : 24) + 6
    }

    let heatmap: Heatmap
    let frame: Rect
    let cells: Rect
    let margins: Margins

    init(heatmap: Heatmap, frame: Rect) {
        self.heatmap = heatmap
        self.frame = frame
        let natural = Heatmap.naturalCellSize(rows: heatmap.rowCount, columns: heatmap.columnCount)
        let top = Self.top(of: heatmap, frameTop: frame.y)
        // Lay out once at the natural size, then fit the cells to the frame and lay out again
        // (the cell width decides whether column labels must turn).
        var margins = Margins(heatmap, cellWidth: natural.width, cellHeight: natural.height)
        var cellWidth = natural.width, cellHeight = natural.height
        for _ in 0..<2 {
            let width = (frame.width - margins.left - margins.right) / Double(heatmap.columnCount)
            let height = (frame.maxY - top - margins.bottom) / Double(heatmap.rowCount)
            if natural.width == natural.height {
                cellWidth = max(min(width, height), 1)
                cellHeight = cellWidth
            } else {
                cellWidth = max(width, 0.5)
                cellHeight = max(height, 0.5)
            }
            margins = Margins(heatmap, cellWidth: cellWidth, cellHeight: cellHeight)
        }
        self.margins = margins
        let cellsWidth = cellWidth * Double(heatmap.columnCount)
        // Centre the block of cells and its colour bar in the frame.
        let spare = max(frame.width - margins.left - cellsWidth - margins.right, 0)
        cells = Rect(x: frame.x + margins.left + spare / 2, y: top, width: cellsWidth,
                     height: cellHeight * Double(heatmap.rowCount))
    }

    var cellWidth: Double { cells.width / Double(heatmap.columnCount) }
    var cellHeight: Double { cells.height / Double(heatmap.rowCount) }

    func draw(on canvas: inout SVGCanvas) {
        let table = heatmap.colorMap.table(levels: Heatmap.colorLevels)
        drawCells(table: table, on: &canvas)
        // A faint outline keeps cells at the map's light end apart from the page.
        canvas.rect(cells, fill: "none", stroke: "currentColor", strokeOpacity: 0.3)
        if heatmap.annotate { drawAnnotations(table: table, on: &canvas) }
        drawLabels(on: &canvas)
        drawColorBar(table: table, on: &canvas)
        ChartTitle.draw(heatmap.title, in: frame, on: &canvas)
    }

    /// The colour level (0…255) of `value`, or nil for a value that is not a number.
    func level(of value: Double) -> Int? {
        guard value.isFinite else { return nil }
        let fraction = (value - heatmap.range.lowerBound) / (heatmap.range.upperBound - heatmap.range.lowerBound)
        return Int((min(max(fraction, 0), 1) * Double(Heatmap.colorLevels - 1)).rounded())
    }

    /// One path per colour level, in cell units inside a scaled group: a run of same-coloured
    /// cells in a row is one `M c r h n v1 h-n z`, a few bytes whatever the cell size.
    private func drawCells(table: [Color], on canvas: inout SVGCanvas) {
        var runs: [Int: String] = [:]
        for (row, values) in heatmap.values.enumerated() {
            var column = 0
            while column < values.count {
                let current = level(of: values[column])
                var end = column + 1
                while end < values.count && level(of: values[end]) == current { end += 1 }
                if let current {
                    runs[current, default: ""] += "M\(column) \(row)h\(end - column)v1h-\(end - column)z"
                }
                column = end
            }
        }
        let transform = "translate(\(cells.x.svg) \(cells.y.svg)) scale(\(SVGNumber.format(cellWidth, decimals: 4)) \(SVGNumber.format(cellHeight, decimals: 4)))"
        canvas.group([("transform", transform), ("shape-rendering", "crispEdges")]) { group in
            for level in runs.keys.sorted() {
                group.path(runs[level]!, fill: table[level].hex)
            }
        }
    }

    private func drawAnnotations(table: [Color], on canvas: inout SVGCanvas) {
        let samples = heatmap.values.joined().filter(\.isFinite).map { TickLabel.fixedDecimals($0, heatmap.decimals) }
        let longest = samples.map { TextMetrics.width(of: $0, fontSize: 1) }.max() ?? 1
        let size = min(12, cellHeight * 0.45, (cellWidth - 4) / max(longest, 0.1))
        guard size >= 6 else { return }
        for (row, values) in heatmap.values.enumerated() {
            for (column, value) in values.enumerated() {
                guard let level = level(of: value) else { continue }
                let center = Point(cells.x + (Double(column) + 0.5) * cellWidth, cells.y + (Double(row) + 0.5) * cellHeight)
                canvas.label(TickLabel.fixedDecimals(value, heatmap.decimals), at: center, anchor: .middle,
                             baseline: .middle, size: size, fill: table[level].contrastingText.hex)
            }
        }
    }

    private func drawLabels(on canvas: inout SVGCanvas) {
        let tick = CartesianLayout.tickLength
        let pad = CartesianLayout.padding
        for row in margins.rowTicks {
            let y = cells.y + (Double(row.index) + 0.5) * cellHeight
            canvas.line(from: Point(cells.x - tick, y), to: Point(cells.x, y))
            canvas.label(row.label, at: Point(cells.x - tick - 3, y), anchor: .end, baseline: .middle, fullText: row.fullLabel)
        }
        for column in margins.columnTicks {
            let x = cells.x + (Double(column.index) + 0.5) * cellWidth
            canvas.line(from: Point(x, cells.maxY), to: Point(x, cells.maxY + tick))
            if margins.rotateColumnLabels {
                canvas.label(column.label, at: Point(x + 3, cells.maxY + tick + 4), anchor: .end, baseline: .middle,
                             rotation: Self.rotation, fullText: column.fullLabel)
            } else {
                canvas.label(column.label, at: Point(x, cells.maxY + tick + 3), anchor: .middle, baseline: .hanging,
                             fullText: column.fullLabel)
            }
        }
        if let xLabel = heatmap.xLabel {
            canvas.label(xLabel, at: Point(cells.center.x, cells.maxY + margins.bottom - pad - 2), anchor: .middle,
                         size: TextMetrics.axisLabelSize)
        }
        if let yLabel = heatmap.yLabel {
            canvas.label(yLabel, at: Point(cells.x - margins.left + pad + 8, cells.center.y), anchor: .middle,
                         baseline: .middle, size: TextMetrics.axisLabelSize, rotation: -90)
        }
    }

    private func drawColorBar(table: [Color], on canvas: inout SVGCanvas) {
        let steps = 64
        let bar = Rect(x: cells.maxX + 16, y: cells.y, width: 14, height: cells.height)
        let transform = "translate(\(bar.x.svg) \(bar.y.svg)) scale(\(bar.width.svg) \(SVGNumber.format(bar.height / Double(steps), decimals: 4)))"
        canvas.group([("transform", transform), ("shape-rendering", "crispEdges")]) { group in
            for step in 0..<steps {
                // Step 0 is at the bottom (the low end of the map).
                let color = table[Int((Double(step) / Double(steps - 1) * Double(Heatmap.colorLevels - 1)).rounded())]
                group.path("M0 \(steps - 1 - step)h1v1h-1z", fill: color.hex)
            }
        }
        canvas.rect(bar, fill: "none", stroke: "currentColor", strokeOpacity: 0.3)
        let map = AxisMapping(scale: .linear, lower: heatmap.range.lowerBound, upper: heatmap.range.upperBound,
                              start: bar.maxY, end: bar.minY)
        let tick = CartesianLayout.tickLength
        for (value, label) in zip(margins.colorBarTicks.values, margins.colorBarTicks.labels) {
            guard let y = map.position(value) else { continue }
            canvas.line(from: Point(bar.maxX, y), to: Point(bar.maxX + tick, y))
            canvas.label(label, at: Point(bar.maxX + tick + 3, y), baseline: .middle)
        }
        if let label = heatmap.colorBarLabel {
            canvas.label(label, at: Point(cells.maxX + margins.right - CartesianLayout.padding - 8, bar.center.y),
                         anchor: .middle, baseline: .middle, size: TextMetrics.axisLabelSize, rotation: 90)
        }
    }
}
