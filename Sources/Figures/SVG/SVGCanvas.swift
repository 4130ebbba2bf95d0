/// Builds the text of an SVG document, one element at a time.
///
/// Every attribute value and text node is escaped, and every number goes through ``SVGNumber``,
/// so a canvas always holds well-formed XML with bounded precision. Charts draw on a canvas through
/// the shape methods below; none of them uses `id` attributes, so any number of figures can sit
/// inline in one HTML page without clashing.
public struct SVGCanvas: Sendable {
    /// The SVG markup written so far.
    public internal(set) var markup = ""

    public init() {}

    /// An attribute as written: name and already formatted value, or nil to leave it out.
    typealias Attribute = (name: String, value: String?)

    /// Writes an empty element, `<name …/>`.
    mutating func element(_ name: String, _ attributes: [Attribute]) {
        openTag(name, attributes)
        markup += "/>\n"
    }

    /// Writes `<name …>`, what `content` writes, then `</name>`.
    mutating func element(_ name: String, _ attributes: [Attribute], content: (inout SVGCanvas) -> Void) {
        openTag(name, attributes)
        markup += ">"
        content(&self)
        markup += "</\(name)>\n"
    }

    private mutating func openTag(_ name: String, _ attributes: [Attribute]) {
        markup += "<" + name
        for attribute in attributes {
            guard let value = attribute.value else { continue }
            markup += " \(attribute.name)=\"\(XMLEscaping.escape(value))\""
        }
    }

    /// Writes escaped text (inside an element opened with `element(_:_:content:)`).
    mutating func text(_ text: String) {
        markup += XMLEscaping.escape(text)
    }

    /// Writes markup another canvas produced (for nesting panels).
    mutating func append(_ other: SVGCanvas) {
        markup += other.markup
    }

    // MARK: Shapes

    mutating func line(from start: Point, to end: Point, stroke: String = "currentColor", width: Double = 1,
                       opacity: Double? = nil, dash: String? = nil) {
        element("line", [
            ("x1", start.x.svg), ("y1", start.y.svg), ("x2", end.x.svg), ("y2", end.y.svg),
            ("stroke", stroke), ("stroke-width", width.svg), ("stroke-opacity", opacity?.svg),
            ("stroke-dasharray", dash),
        ])
    }

    mutating func rect(_ rect: Rect, fill: String, opacity: Double? = nil, stroke: String? = nil,
                       strokeOpacity: Double? = nil) {
        element("rect", [
            ("x", rect.x.svg), ("y", rect.y.svg), ("width", rect.width.svg), ("height", rect.height.svg),
            ("fill", fill), ("fill-opacity", opacity?.svg), ("stroke", stroke), ("stroke-opacity", strokeOpacity?.svg),
        ])
    }

    mutating func circle(center: Point, radius: Double, fill: String, stroke: String? = nil) {
        element("circle", [
            ("cx", center.x.svg), ("cy", center.y.svg), ("r", radius.svg), ("fill", fill), ("stroke", stroke),
        ])
    }

    mutating func path(_ data: String, fill: String = "none", stroke: String? = nil, width: Double? = nil,
                       opacity: Double? = nil, dash: String? = nil, extra: [Attribute] = []) {
        element("path", [
            ("d", data), ("fill", fill), ("fill-opacity", opacity?.svg), ("stroke", stroke),
            ("stroke-width", width?.svg), ("stroke-dasharray", dash),
        ] + extra)
    }

    mutating func polygon(_ points: [Point], fill: String, opacity: Double? = nil, stroke: String? = nil) {
        let list = points.map { "\($0.x.svg),\($0.y.svg)" }.joined(separator: " ")
        element("polygon", [("points", list), ("fill", fill), ("fill-opacity", opacity?.svg), ("stroke", stroke)])
    }

    /// Writes a text label. `rotation` turns it (degrees, clockwise) around its anchor point;
    /// `fullText`, when the label was shortened, becomes a tooltip holding the whole label.
    mutating func label(_ text: String, at point: Point, anchor: TextAnchor = .start, baseline: TextBaseline = .alphabetic,
                        size: Double = TextMetrics.bodySize, weight: String? = nil, fill: String? = nil,
                        rotation: Double = 0, fullText: String? = nil) {
        let transform = rotation == 0 ? nil : "rotate(\(rotation.svg) \(point.x.svg) \(point.y.svg))"
        element("text", [
            ("x", point.x.svg), ("y", point.y.svg),
            ("text-anchor", anchor == .start ? nil : anchor.rawValue),
            ("dominant-baseline", baseline == .alphabetic ? nil : baseline.rawValue),
            ("font-size", size == TextMetrics.bodySize ? nil : size.svg), ("font-weight", weight),
            ("fill", fill), ("transform", transform),
        ]) { canvas in
            if let fullText, fullText != text {
                canvas.element("title", []) { $0.text(fullText) }
            }
            canvas.text(text)
        }
    }

    /// Draws `content` inside a group with the given attributes (a transform, a shared fill…).
    mutating func group(_ attributes: [Attribute], content: (inout SVGCanvas) -> Void) {
        element("g", attributes, content: content)
    }

    /// Draws `content` clipped to `rect`: a nested `<svg>` clips its children without needing a
    /// `clipPath` id, and keeps the outer coordinates because its view box equals its position.
    mutating func clipped(to rect: Rect, content: (inout SVGCanvas) -> Void) {
        let box = "\(rect.x.svg) \(rect.y.svg) \(rect.width.svg) \(rect.height.svg)"
        element("svg", [
            ("x", rect.x.svg), ("y", rect.y.svg), ("width", rect.width.svg), ("height", rect.height.svg),
            ("viewBox", box), ("overflow", "hidden"),
        ], content: content)
    }
}

/// Where a text label sits relative to its anchor point, horizontally.
public enum TextAnchor: String, Sendable {
    case start, middle, end
}

/// Where a text label sits relative to its anchor point, vertically.
public enum TextBaseline: String, Sendable {
    case alphabetic
    case middle = "central"
    case hanging
}

/// Escapes text for XML attribute values and text nodes.
enum XMLEscaping {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(" ")
            default:
                // Control characters are not allowed in XML 1.0 at all: show a replacement mark.
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) {
                    escaped += "\u{FFFD}"
                } else {
                    escaped.unicodeScalars.append(scalar)
                }
            }
        }
        return escaped
    }
}
