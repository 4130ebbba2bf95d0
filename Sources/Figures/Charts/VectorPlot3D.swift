import Foundation

/// Vectors in three dimensions drawn as arrows from the origin, with the plane two of them span,
/// in a fixed orthographic view: for seeing that three vectors of rank 2 lie in one plane.
///
/// ```swift
/// var plot = VectorPlot3D(title: "a, b and a + b")
/// plot.addPlane(spannedBy: a, b)
/// plot.add(vector: a, label: "a")
/// show(plot)
/// ```
public struct VectorPlot3D: Chart {
    public var title: String?
    public var kindName: String { "3-D vector plot" }
    public var preferredSize: Size
    let axisLabels: [String]
    /// The view the author fixed, if any (azimuth and elevation in degrees).
    let fixedView: (azimuth: Double, elevation: Double)?
    var vectors: [(label: String?, value: Vector3)] = []
    var planes: [(label: String?, first: Vector3, second: Vector3)] = []

    /// An empty plot seen from `azimuth` degrees around the z axis and `elevation` degrees above
    /// the x–y plane. Without them, the view is chosen from a fixed set so that planes face the
    /// reader and no two arrows or axes fall on top of each other (see ``ViewChooser``); the same
    /// vectors always get the same view.
    public init(title: String? = nil, axisLabels: [String] = ["x", "y", "z"], azimuth: Double? = nil,
                elevation: Double? = nil, width: Double = 520, height: Double = 440,
                file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        site.require(axisLabels.count == 3, "a 3-D plot needs three axis labels; got \(axisLabels.count)")
        site.require((azimuth == nil) == (elevation == nil), "give both azimuth and elevation, or neither")
        self.title = title
        self.axisLabels = axisLabels
        fixedView = azimuth.map { ($0, elevation ?? 0) }
        preferredSize = Size(width: width, height: height)
    }

    /// The view the plot is drawn from.
    var projection: OrthographicProjection {
        if let fixedView {
            return OrthographicProjection(azimuthDegrees: fixedView.azimuth, elevationDegrees: fixedView.elevation)
        }
        return ViewChooser.bestView(vectors: vectors.map(\.value), planes: planes.map { ($0.first, $0.second) })
    }

    /// Adds an arrow from the origin to `vector` (three numbers).
    public mutating func add(vector: any PlottableVector, label: String? = nil,
                             file: StaticString = #filePath, line: UInt = #line) {
        vectors.append((label, Vector3(CallSite(file: file, line: line).values(vector, "a 3-D vector"),
                                       site: CallSite(file: file, line: line))))
    }

    /// Shades the plane through the origin that `first` and `second` span.
    public mutating func addPlane(spannedBy first: any PlottableVector, _ second: any PlottableVector,
                                  label: String? = nil, file: StaticString = #filePath, line: UInt = #line) {
        let site = CallSite(file: file, line: line)
        let a = Vector3(site.values(first, "a vector spanning a plane"), site: site)
        let b = Vector3(site.values(second, "a vector spanning a plane"), site: site)
        site.require(a.cross(b).length > 1e-12 * max(a.length * b.length, 1e-300), """
            the two vectors are parallel (or one is zero), so they span a line, not a plane; \
            pass two vectors that point in different directions
            """)
        planes.append((label, a, b))
    }

    public func draw(in frame: Rect, on canvas: inout SVGCanvas) {
        VectorPlotDrawing(plot: self, frame: frame).draw(on: &canvas)
    }

    public var accessibleDescription: String {
        var text = "3-D plot of \(vectors.count) vector\(vectors.count == 1 ? "" : "s") drawn as arrows from the origin"
        let named = vectors.enumerated().map { index, item in "\(item.label ?? "v\(index + 1)") = \(item.value)" }
        if !named.isEmpty { text += ": " + named.joined(separator: ", ") }
        text += "."
        for plane in planes {
            text += " The plane spanned by \(plane.first) and \(plane.second) is shaded"
            if let label = plane.label { text += " (\(label))" }
            text += "."
        }
        let view = projection
        text += " Axes \(axisLabels.joined(separator: ", ")); seen from azimuth \(TickLabel.decimal(view.azimuthDegrees))°, elevation \(TickLabel.decimal(view.elevationDegrees))°."
        return text
    }
}

/// Arrows from the origin to each row of `vectors` (an n × 3 matrix), labelled with `labels`;
/// with `showPlane`, the plane spanned by the first two is shaded.
public func vectorPlot(_ vectors: any PlottableMatrix, labels: [String]? = nil, showPlane: Bool = false,
                       title: String? = nil, file: StaticString = #filePath, line: UInt = #line) -> VectorPlot3D {
    let site = CallSite(file: file, line: line)
    let rows = site.rows(vectors, "vectorPlot")
    if let labels {
        site.require(labels.count == rows.count, "vectorPlot needs one label per vector; got \(labels.count) labels for \(rows.count) vectors")
    }
    var plot = VectorPlot3D(title: title, file: file, line: line)
    if showPlane {
        site.require(rows.count >= 2, "showPlane needs at least two vectors to span a plane; got \(rows.count)")
        plot.addPlane(spannedBy: rows[0], rows[1], file: file, line: line)
    }
    for (index, row) in rows.enumerated() {
        plot.add(vector: row, label: labels?[index], file: file, line: line)
    }
    return plot
}

/// A point or direction in three dimensions.
struct Vector3: Sendable, CustomStringConvertible {
    var x: Double
    var y: Double
    var z: Double

    init(_ x: Double, _ y: Double, _ z: Double) {
        self.x = x
        self.y = y
        self.z = z
    }

    init(_ values: [Double], site: CallSite) {
        site.require(values.count == 3, "a 3-D vector needs three numbers; got \(values.count)")
        site.require(values.allSatisfy(\.isFinite), "a 3-D vector needs finite numbers; got \(values)")
        self.init(values[0], values[1], values[2])
    }

    static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(a.x + b.x, a.y + b.y, a.z + b.z) }
    static func * (s: Double, v: Vector3) -> Vector3 { Vector3(s * v.x, s * v.y, s * v.z) }
    func dot(_ other: Vector3) -> Double { x * other.x + y * other.y + z * other.z }
    func cross(_ o: Vector3) -> Vector3 { Vector3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x) }
    var length: Double { dot(self).squareRoot() }
    var largestComponent: Double { Swift.max(abs(x), abs(y), abs(z)) }

    var description: String {
        "(" + [x, y, z].map { TickLabel.decimal(($0 * 1000).rounded() / 1000) }.joined(separator: ", ") + ")"
    }
}

/// A fixed orthographic view: screen right, screen up and the direction toward the viewer.
struct OrthographicProjection: Sendable {
    let azimuthDegrees: Double
    let elevationDegrees: Double
    let right: Vector3
    let up: Vector3
    let towardViewer: Vector3

    init(azimuthDegrees: Double, elevationDegrees: Double) {
        self.azimuthDegrees = azimuthDegrees
        self.elevationDegrees = elevationDegrees
        let azimuth = azimuthDegrees * .pi / 180, elevation = elevationDegrees * .pi / 180
        towardViewer = Vector3(cos(elevation) * cos(azimuth), cos(elevation) * sin(azimuth), sin(elevation))
        right = Vector3(-sin(azimuth), cos(azimuth), 0)
        up = Vector3(-sin(elevation) * cos(azimuth), -sin(elevation) * sin(azimuth), cos(elevation))
    }

    /// The point on a unit screen (x right, y up) where `point` appears.
    func project(_ point: Vector3) -> (x: Double, y: Double) { (point.dot(right), point.dot(up)) }

    /// How near the viewer `point` is (larger is nearer), for drawing far things first.
    func depth(_ point: Vector3) -> Double { point.dot(towardViewer) }
}

/// Chooses a view for a 3-D plot whose author fixed none.
///
/// Candidate views (azimuth every 15°, elevation 20°, 30° or 40°, so z always points up) are
/// scored on what makes such a figure readable: each shaded plane faces the reader (the cosine
/// between the view direction and the plane's normal), no axis is seen end-on, and no two arrows
/// point the same way on the page. The best score wins; ties go to the first candidate, starting
/// from azimuth −35°, elevation 20°, so the choice is deterministic.
enum ViewChooser {
    static func bestView(vectors: [Vector3], planes: [(Vector3, Vector3)]) -> OrthographicProjection {
        var best = OrthographicProjection(azimuthDegrees: -35, elevationDegrees: 20)
        var bestScore = -Double.infinity
        for elevation in [20.0, 30, 40] {
            for step in 0..<24 {
                let azimuth = -35 + Double(step) * 15
                let view = OrthographicProjection(azimuthDegrees: azimuth > 180 ? azimuth - 360 : azimuth,
                                                  elevationDegrees: elevation)
                let score = score(view, vectors: vectors, planes: planes)
                if score > bestScore + 1e-9 {
                    best = view
                    bestScore = score
                }
            }
        }
        return best
    }

    static func score(_ view: OrthographicProjection, vectors: [Vector3], planes: [(Vector3, Vector3)]) -> Double {
        var score = 0.0
        for (first, second) in planes {
            let normal = first.cross(second)
            score += min(abs(view.towardViewer.dot(normal)) / normal.length, 0.8)
        }
        // Axes: the shortest projected unit axis (1 when seen side-on, 0 end-on).
        let axes = [Vector3(1, 0, 0), Vector3(0, 1, 0), Vector3(0, 0, 1)]
        score += 0.5 * min(axes.map { (1 - pow(view.towardViewer.dot($0), 2)).squareRoot() }.min()!, 0.7)
        // Arrows and axes: the smallest angle between two of their directions on the page.
        let directions = (vectors + axes).compactMap { vector -> (Double, Double)? in
            let p = view.project(vector)
            let length = (p.x * p.x + p.y * p.y).squareRoot()
            return length < 1e-9 * max(vector.length, 1e-300) ? nil : (p.x / length, p.y / length)
        }
        var smallest = Double.pi
        for i in directions.indices {
            for j in directions.indices where j > i {
                let cosine = directions[i].0 * directions[j].0 + directions[i].1 * directions[j].1
                smallest = min(smallest, acos(min(max(cosine, -1), 1)))
            }
        }
        score += min(smallest, 0.35)
        return score
    }
}
