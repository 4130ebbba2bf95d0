/// A point in the figure's coordinates (pixels, y pointing down).
public struct Point: Equatable, Sendable {
    public var x: Double
    public var y: Double

    public init(_ x: Double, _ y: Double) {
        self.x = x
        self.y = y
    }
}

/// A width and a height in pixels.
public struct Size: Equatable, Sendable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }
}

/// An axis-aligned rectangle in the figure's coordinates.
public struct Rect: Equatable, Sendable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    var minX: Double { x }
    var maxX: Double { x + width }
    var minY: Double { y }
    var maxY: Double { y + height }
    var center: Point { Point(x + width / 2, y + height / 2) }

    /// This rectangle with `top`, `right`, `bottom` and `left` taken off its sides.
    func inset(top: Double = 0, right: Double = 0, bottom: Double = 0, left: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(width - left - right, 1), height: max(height - top - bottom, 1))
    }

    /// Whether the two rectangles overlap (touching edges do not count).
    func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }

    /// Whether `other` lies wholly inside this rectangle.
    func contains(_ other: Rect) -> Bool {
        other.minX >= minX && other.maxX <= maxX && other.minY >= minY && other.maxY <= maxY
    }
}

/// Builds the `d` attribute of an SVG path with bounded precision.
struct PathBuilder {
    private(set) var data = ""

    mutating func move(to point: Point) {
        data += "M\(point.x.svg) \(point.y.svg)"
    }

    mutating func line(to point: Point) {
        data += "L\(point.x.svg) \(point.y.svg)"
    }

    mutating func close() {
        data += "Z"
    }

    var isEmpty: Bool { data.isEmpty }
}
