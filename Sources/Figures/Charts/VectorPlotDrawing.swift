/// Lays out and draws a ``VectorPlot3D``: a floor grid, the axes, shaded planes and arrows, far
/// things first so that near ones are drawn over them.
struct VectorPlotDrawing {
    let plot: VectorPlot3D
    let frame: Rect
    /// Half the length of each axis, a round number just past the largest coordinate.
    let extent: Double
    let ticks: TickSet
    let projection: OrthographicProjection
    private let scale: Double
    private let origin: Point

    init(plot: VectorPlot3D, frame: Rect) {
        self.plot = plot
        self.frame = frame
        projection = plot.projection
        // The axes reach just past the longest vector (or the planes' spanning vectors).
        var largest = plot.vectors.map(\.value.largestComponent).max() ?? 0
        for plane in plot.planes {
            largest = max(largest, plane.first.largestComponent, plane.second.largestComponent)
        }
        if largest == 0 { largest = 1 }
        let ticks = Ticks.linear(from: 0, to: max(largest, 1e-9) * 1.1, maxCount: 4)
        var extent = ticks.values.last ?? 1
        if extent < largest * 1.05 { extent = largest * 1.1 }
        self.extent = extent
        self.ticks = ticks
        // Fit what is drawn (floor, axes with their labels, planes, arrows) into the frame below
        // the title, with the same scale on both screen axes.
        let top = CartesianLayout.padding + (plot.title == nil ? 0 : 24) + 6
        var drawn: [Vector3] = []
        for sx in [-1.0, 1] {
            for sy in [-1.0, 1] { drawn.append(Vector3(sx * extent, sy * extent, 0)) }
        }
        for reach in [-extent, extent * 1.15] {
            drawn += [Vector3(reach, 0, 0), Vector3(0, reach, 0), Vector3(0, 0, reach)]
        }
        drawn += plot.vectors.map { 1.15 * $0.value }
        for plane in plot.planes { drawn += Self.corners(plane.first, plane.second) }
        let projected = drawn.map(projection.project)
        let minX = projected.map(\.x).min()!, maxX = projected.map(\.x).max()!
        let minY = projected.map(\.y).min()!, maxY = projected.map(\.y).max()!
        let available = frame.inset(top: top, right: 20, bottom: 12, left: 20)
        scale = min(available.width / max(maxX - minX, 1e-9), available.height / max(maxY - minY, 1e-9))
        origin = Point(available.center.x - (minX + maxX) / 2 * scale, available.center.y + (minY + maxY) / 2 * scale)
    }

    /// The part of a plane that is drawn: s·a + t·b for s and t in `planeSpan`, which covers a, b
    /// and a + b with a margin, and the origin.
    private static let planeSpan = (low: -0.4, high: 1.4)

    static func corners(_ a: Vector3, _ b: Vector3) -> [Vector3] {
        let (low, high) = planeSpan
        return [(high, high), (high, low), (low, low), (low, high)].map { $0.0 * a + $0.1 * b }
    }

    /// Where `point` lands in the figure.
    func screen(_ point: Vector3) -> Point {
        let projected = projection.project(point)
        return Point(origin.x + projected.x * scale, origin.y - projected.y * scale)
    }

    func draw(on canvas: inout SVGCanvas) {
        drawFloor(on: &canvas)
        drawAxes(on: &canvas)
        for (index, plane) in plot.planes.enumerated() {
            drawPlane(plane, color: SeriesPalette.color(at: (index + 5) % SeriesPalette.colors.count), on: &canvas)
        }
        // Far arrows first.
        let order = plot.vectors.indices.sorted {
            projection.depth(plot.vectors[$0].value) < projection.depth(plot.vectors[$1].value)
        }
        for index in order {
            drawArrow(plot.vectors[index], color: SeriesPalette.color(at: index), on: &canvas)
        }
        ChartTitle.draw(plot.title, in: frame, on: &canvas)
    }

    /// A light grid on the x–y plane, for depth.
    private func drawFloor(on canvas: inout SVGCanvas) {
        var grid = PathBuilder()
        let marks = ticks.values.filter { $0 > 0 }
        let lines: [Double] = [0] + marks + marks.map { -$0 }
        for value in lines {
            grid.move(to: screen(Vector3(value, -extent, 0)))
            grid.line(to: screen(Vector3(value, extent, 0)))
            grid.move(to: screen(Vector3(-extent, value, 0)))
            grid.line(to: screen(Vector3(extent, value, 0)))
        }
        canvas.path(grid.data, stroke: "currentColor", width: 1, opacity: nil, extra: [("stroke-opacity", "0.12")])
    }

    private func drawAxes(on canvas: inout SVGCanvas) {
        let directions = [Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1)]
        for (axis, direction) in directions.enumerated() {
            let start = screen(-extent * 1.0 * direction)
            let end = screen(extent * direction)
            canvas.line(from: start, to: screen(Vector3(0, 0, 0)), opacity: 0.45, dash: "3 3")
            canvas.line(from: screen(Vector3(0, 0, 0)), to: end, opacity: 0.8)
            Arrowhead.draw(from: start, to: end, color: "currentColor", size: 8, on: &canvas)
            let beyond = screen(extent * 1.12 * direction)
            canvas.label(plot.axisLabels[axis], at: beyond, anchor: .middle, baseline: .middle,
                         size: TextMetrics.axisLabelSize, weight: "600")
            for value in ticks.values where value > 0 && value < extent * 0.99 {
                let point = screen(value * direction)
                canvas.circle(center: point, radius: 1.5, fill: "currentColor")
                if axis == 2 {
                    canvas.label(TickLabel.decimal(value), at: Point(point.x - 6, point.y), anchor: .end, baseline: .middle, size: 10)
                } else {
                    canvas.label(TickLabel.decimal(value), at: Point(point.x, point.y + 9), anchor: .middle, baseline: .middle, size: 10)
                }
            }
        }
    }

    private func drawPlane(_ plane: (label: String?, first: Vector3, second: Vector3), color: Color,
                           on canvas: inout SVGCanvas) {
        let corners = Self.corners(plane.first, plane.second).map(screen)
        canvas.polygon(corners, fill: color.hex, opacity: 0.22, stroke: color.hex)
        // Lines along both spanning directions make the plane's tilt readable.
        let (low, high) = Self.planeSpan
        var lines = PathBuilder()
        for step in [0.0, 0.5, 1] {
            lines.move(to: screen(step * plane.first + low * plane.second))
            lines.line(to: screen(step * plane.first + high * plane.second))
            lines.move(to: screen(low * plane.first + step * plane.second))
            lines.line(to: screen(high * plane.first + step * plane.second))
        }
        canvas.path(lines.data, stroke: color.hex, width: 1, extra: [("stroke-opacity", "0.45")])
        if let label = plane.label {
            canvas.label(label, at: corners[0], anchor: .start, baseline: .middle, fill: color.hex)
        }
    }

    private func drawArrow(_ vector: (label: String?, value: Vector3), color: Color, on canvas: inout SVGCanvas) {
        let start = screen(Vector3(0, 0, 0))
        let tip = screen(vector.value)
        let dx = tip.x - start.x, dy = tip.y - start.y
        let length = (dx * dx + dy * dy).squareRoot()
        if length < 1 {
            // Pointing straight at the viewer: a dot, so the vector is not lost.
            canvas.circle(center: tip, radius: 3.5, fill: color.hex)
        } else {
            let shaftEnd = Point(tip.x - dx / length * 8, tip.y - dy / length * 8)
            canvas.line(from: start, to: shaftEnd, stroke: color.hex, width: 2.5)
            Arrowhead.draw(from: start, to: tip, color: color.hex, size: 11, on: &canvas)
        }
        guard let label = vector.label else { return }
        let away = length < 1 ? (x: 1.0, y: 0.0) : (x: dx / length, y: dy / length)
        let position = Point(tip.x + away.x * 12, tip.y + away.y * 12)
        canvas.label(label, at: position, anchor: away.x < -0.3 ? .end : (away.x > 0.3 ? .start : .middle),
                     baseline: .middle, weight: "600", fill: color.hex)
    }
}

/// A filled triangle at the end of a line, pointing along it.
enum Arrowhead {
    static func draw(from start: Point, to tip: Point, color: String, size: Double, on canvas: inout SVGCanvas) {
        let dx = tip.x - start.x, dy = tip.y - start.y
        let length = (dx * dx + dy * dy).squareRoot()
        guard length > 0 else { return }
        let ux = dx / length, uy = dy / length
        let base = Point(tip.x - ux * size, tip.y - uy * size)
        let half = size * 0.42
        canvas.polygon([tip, Point(base.x - uy * half, base.y + ux * half), Point(base.x + uy * half, base.y - ux * half)],
                       fill: color)
    }
}
