/// Several charts side by side in a grid (1 × 2, 2 × 2…), each with its own title, under an
/// optional title for the whole figure.
///
/// ```swift
/// show(Subplots([heatmap(first), heatmap(second)], columns: 2, title: "Two heads"))
/// ```
public struct Subplots: Chart {
    public var title: String?
    public var kindName: String { "Figure with \(panels.count) panels" }
    let panels: [any Chart]
    let columns: Int
    let panelSize: Size

    /// A grid of `panels`, filled row by row, `columns` to a row.
    ///
    /// - Parameters:
    ///   - panelWidth, panelHeight: the size of each panel; by default the grid is about 760
    ///     pixels wide, the width of a page, and panels keep room for their axes.
    public init(_ panels: [any Chart], columns: Int = 2, title: String? = nil, panelWidth: Double? = nil,
                panelHeight: Double? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        site.require(!panels.isEmpty, "Subplots needs at least one panel")
        site.require(columns >= 1, "Subplots needs at least one column; got columns: \(columns)")
        self.panels = panels
        self.columns = min(columns, panels.count)
        self.title = title
        let widest = panels.map(\.preferredSize.width).max() ?? 400
        let tallest = panels.map(\.preferredSize.height).max() ?? 300
        let width = panelWidth ?? min(widest, 760 / Double(self.columns))
        let height = panelHeight ?? min(tallest, max(260, width * 0.8))
        panelSize = Size(width: width, height: height)
    }

    var rows: Int { (panels.count + columns - 1) / columns }

    private var titleHeight: Double { title == nil ? 0 : 30 }

    public var preferredSize: Size {
        Size(width: panelSize.width * Double(columns), height: titleHeight + panelSize.height * Double(rows))
    }

    public func draw(in frame: Rect, on canvas: inout SVGCanvas) {
        if let title {
            let shown = TextMetrics.truncated(title, toWidth: frame.width - 16, fontSize: TextMetrics.titleSize + 1, bold: true)
            canvas.label(shown, at: Point(frame.center.x, frame.y + 20), anchor: .middle,
                         size: TextMetrics.titleSize + 1, weight: "700", fullText: title)
        }
        let width = frame.width / Double(columns)
        let height = (frame.height - titleHeight) / Double(rows)
        for (index, panel) in panels.enumerated() {
            let cell = Rect(x: frame.x + Double(index % columns) * width,
                            y: frame.y + titleHeight + Double(index / columns) * height, width: width, height: height)
            panel.draw(in: cell, on: &canvas)
        }
    }

    public var accessibleDescription: String {
        var text = "\(panels.count) panels in a grid of \(rows) × \(columns)."
        for (index, panel) in panels.enumerated() {
            text += " Panel \(index + 1)"
            if let title = panel.title { text += ", \(title)" }
            text += ": " + panel.accessibleDescription
        }
        return text
    }
}

/// A grid of charts, `columns` to a row: `show(subplots(lossPlot, accuracyPlot, title: "Training"))`.
public func subplots(_ panels: any Chart..., columns: Int = 2, title: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) -> Subplots {
    Subplots(panels, columns: columns, title: title, file: file, line: line)
}
