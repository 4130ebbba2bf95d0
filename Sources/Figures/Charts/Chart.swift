import Foundation

/// A figure: something that draws itself as SVG, on its own or as one panel of a grid.
///
/// Lessons build charts with ``heatmap(_:rows:columns:title:colorMap:vmin:vmax:annotate:decimals:xLabel:yLabel:colorBarLabel:file:line:)``,
/// ``LinePlot``, ``ScatterPlot``, ``BarChart``, ``Subplots`` and ``VectorPlot3D``, then show them
/// under the cell with `show(chart)` or write them to a file with `chart.save("name.svg")`.
public protocol Chart: Sendable {
    /// The title drawn above the chart; also the figure's name for screen readers.
    var title: String? { get }
    /// What kind of chart this is, in words ("Heatmap", "Line plot"), used when it has no title.
    var kindName: String { get }
    /// The size the chart takes when shown on its own, in pixels.
    var preferredSize: Size { get }
    /// A sentence or two for screen readers: what is drawn, with which labels, over what range.
    var accessibleDescription: String { get }
    /// Draws the chart, its title included, inside `frame`.
    func draw(in frame: Rect, on canvas: inout SVGCanvas)
}

extension Chart {
    /// The chart as a complete SVG document at its preferred size.
    ///
    /// The document has `role="img"`, a `<title>` and a `<desc>` for screen readers, draws text
    /// and axes in `currentColor` (so they follow a page's light or dark theme), uses no `id`
    /// attributes, and is the same bytes every time for the same chart.
    public var svg: String {
        let size = preferredSize
        var canvas = SVGCanvas()
        draw(in: Rect(x: 0, y: 0, width: size.width, height: size.height), on: &canvas)
        return SVGDocument.wrap(canvas, size: size, title: title ?? kindName, description: accessibleDescription)
    }

    /// Writes the chart as an SVG file at `path` (relative paths start in the lesson's folder).
    ///
    /// The write is atomic: the file appears whole or not at all. It refuses to replace a file that
    /// Cuaderno did not draw, so a figure can never overwrite something you wrote.
    public func write(toFile path: String) throws(FigureFileError) {
        try SVGDocument.write(svg, to: path)
    }
}

/// Why a figure could not be written to a file.
public struct FigureFileError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The outer `<svg>` element and writing figures to files.
enum SVGDocument {
    /// The class every Cuaderno figure carries: pages style figures by it, and `write(toFile:)`
    /// recognises its own files by it.
    static let figureClass = "cuaderno-figure"

    static func wrap(_ canvas: SVGCanvas, size: Size, title: String, description: String) -> String {
        var document = SVGCanvas()
        document.element("svg", [
            ("xmlns", "http://www.w3.org/2000/svg"), ("class", figureClass),
            ("width", size.width.svg), ("height", size.height.svg),
            ("viewBox", "0 0 \(size.width.svg) \(size.height.svg)"), ("role", "img"),
            ("font-family", "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"),
            ("font-size", TextMetrics.bodySize.svg), ("fill", "currentColor"),
        ]) { svg in
            svg.markup += "\n"
            svg.element("title", []) { $0.text(title) }
            svg.element("desc", []) { $0.text(description) }
            svg.append(canvas)
        }
        return document.markup
    }

    static func write(_ svg: String, to path: String) throws(FigureFileError) {
        let fileManager = FileManager.default
        let url = URL(fileURLWithPath: path)
        guard url.pathExtension.lowercased() == "svg" else {
            throw FigureFileError(description: "cannot save a figure as '\(path)': give the file name the extension .svg")
        }
        if fileManager.fileExists(atPath: url.path) {
            let head = (try? FileHandle(forReadingFrom: url).read(upToCount: 1024)) ?? nil
            let isFigure = head.map { String(decoding: $0, as: UTF8.self).contains("class=\"\(figureClass)\"") } ?? false
            guard isFigure else {
                throw FigureFileError(description: """
                    will not overwrite '\(path)': it exists and was not drawn by Cuaderno. \
                    Choose another file name, or move that file away first.
                    """)
            }
        }
        do {
            try fileManager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(svg.utf8).write(to: url, options: .atomic)
        } catch {
            throw FigureFileError(description: "cannot write the figure to '\(path)': \(error.localizedDescription)")
        }
    }
}
