/// How a series looks, as drawn in the plot and in its legend entry.
struct SeriesStyle: Sendable {
    var color: Color
    var marker: Marker = .none
    var line: LineStyle? = .solid
    /// A filled box instead of a line (bar charts).
    var box = false
}

/// A shape drawn at each data point of a series.
public enum Marker: String, Sendable, CaseIterable {
    case none, circle, square, triangle, diamond, cross

    /// The marker of the series at `index` when markers are switched on automatically: shapes
    /// differ as well as colours, so series stay apart in print and for colour-blind readers.
    static func automatic(_ index: Int) -> Marker {
        let shapes: [Marker] = [.circle, .square, .triangle, .diamond, .cross]
        return shapes[index % shapes.count]
    }

    /// Draws the marker centred on `point`.
    func draw(at point: Point, size: Double = 7, color: Color, on canvas: inout SVGCanvas) {
        let half = size / 2
        let fill = color.hex
        switch self {
        case .none:
            return
        case .circle:
            canvas.circle(center: point, radius: half, fill: fill)
        case .square:
            canvas.rect(Rect(x: point.x - half * 0.9, y: point.y - half * 0.9, width: size * 0.9, height: size * 0.9), fill: fill)
        case .triangle:
            canvas.polygon([Point(point.x, point.y - half * 1.1), Point(point.x + half, point.y + half * 0.8),
                            Point(point.x - half, point.y + half * 0.8)], fill: fill)
        case .diamond:
            canvas.polygon([Point(point.x, point.y - half * 1.2), Point(point.x + half, point.y),
                            Point(point.x, point.y + half * 1.2), Point(point.x - half, point.y)], fill: fill)
        case .cross:
            var path = PathBuilder()
            path.move(to: Point(point.x - half, point.y - half))
            path.line(to: Point(point.x + half, point.y + half))
            path.move(to: Point(point.x - half, point.y + half))
            path.line(to: Point(point.x + half, point.y - half))
            canvas.path(path.data, stroke: fill, width: 1.8)
        }
    }
}

/// How a line is stroked.
public enum LineStyle: String, Sendable, CaseIterable {
    case solid, dashed, dotted

    var dashArray: String? {
        switch self {
        case .solid: nil
        case .dashed: "6 4"
        case .dotted: "1.5 3"
        }
    }
}

/// The legend: one row (or more, when they don't fit) of entries under the title, where it never
/// hides data.
struct Legend {
    struct Entry {
        var label: String
        var style: SeriesStyle
    }

    static let rowHeight: Double = 18
    private static let swatchWidth: Double = 22
    private static let gap: Double = 16

    var entries: [Entry]

    /// The rows of entries that fit in `width`, each entry with its width.
    func rows(width: Double) -> [[(entry: Entry, width: Double)]] {
        var rows: [[(entry: Entry, width: Double)]] = []
        var current: [(entry: Entry, width: Double)] = []
        var used = 0.0
        for entry in entries {
            let label = TextMetrics.truncated(entry.label, toWidth: width - Self.swatchWidth - 6)
            let entryWidth = Self.swatchWidth + 6 + TextMetrics.width(of: label)
            if !current.isEmpty && used + Self.gap + entryWidth > width {
                rows.append(current)
                current = []
                used = 0
            }
            used += (current.isEmpty ? 0 : Self.gap) + entryWidth
            current.append((Entry(label: label, style: entry.style), entryWidth))
        }
        if !current.isEmpty { rows.append(current) }
        return rows
    }

    /// The height the legend takes in a frame `width` wide.
    func height(width: Double) -> Double {
        entries.isEmpty ? 0 : Double(rows(width: width).count) * Self.rowHeight + 4
    }

    /// Draws the legend centred in `frame`'s width, starting at `top`.
    func draw(in frame: Rect, top: Double, on canvas: inout SVGCanvas) {
        for (rowIndex, row) in rows(width: frame.width).enumerated() {
            let rowWidth = row.reduce(0) { $0 + $1.width } + Self.gap * Double(row.count - 1)
            var x = frame.x + (frame.width - rowWidth) / 2
            let y = top + Double(rowIndex) * Self.rowHeight + Self.rowHeight / 2
            for (entry, width) in row {
                drawSwatch(entry.style, at: Point(x, y), on: &canvas)
                canvas.label(entry.label, at: Point(x + Self.swatchWidth + 6, y), baseline: .middle)
                x += width + Self.gap
            }
        }
    }

    private func drawSwatch(_ style: SeriesStyle, at start: Point, on canvas: inout SVGCanvas) {
        let middle = Point(start.x + Self.swatchWidth / 2, start.y)
        if style.box {
            canvas.rect(Rect(x: middle.x - 6, y: start.y - 6, width: 12, height: 12), fill: style.color.hex)
            return
        }
        if let line = style.line {
            canvas.line(from: start, to: Point(start.x + Self.swatchWidth, start.y), stroke: style.color.hex,
                        width: 2, dash: line.dashArray)
        }
        style.marker.draw(at: middle, color: style.color, on: &canvas)
    }
}
