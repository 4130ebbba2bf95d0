/// One MathML element: a name, attributes in the order they were given, and either text or
/// child elements.
struct MathElement: Equatable {
    enum Content: Equatable {
        case text(String)
        case children([MathElement])
    }

    var name: String
    var attributes: [Attribute]
    var content: Content

    struct Attribute: Equatable {
        var name: String
        var value: String
    }

    init(_ name: String, _ attributes: [(String, String)] = [], text: String) {
        self.name = name
        self.attributes = attributes.map { Attribute(name: $0.0, value: $0.1) }
        self.content = .text(text)
    }

    init(_ name: String, _ attributes: [(String, String)] = [], children: [MathElement]) {
        self.name = name
        self.attributes = attributes.map { Attribute(name: $0.0, value: $0.1) }
        self.content = .children(children)
    }

    /// `<mi>`: an identifier (a variable, a function name).
    static func identifier(_ text: String, normal: Bool = false) -> MathElement {
        MathElement("mi", normal ? [("mathvariant", "normal")] : [], text: text)
    }

    /// `<mn>`: a number.
    static func number(_ text: String) -> MathElement { MathElement("mn", text: text) }

    /// `<mo>`: an operator, relation, fence or separator.
    static func op(_ text: String, _ attributes: [(String, String)] = []) -> MathElement {
        MathElement("mo", attributes, text: text)
    }

    /// `<mtext>`: text in a formula.
    static func text(_ text: String) -> MathElement { MathElement("mtext", text: text) }

    /// `<mspace>` of a width such as `0.1667em`.
    static func space(_ width: String) -> MathElement { MathElement("mspace", [("width", width)], children: []) }

    /// `<merror>`: shown in the page where a formula has a mistake.
    static func error(_ text: String) -> MathElement {
        MathElement("merror", children: [MathElement("mtext", text: text)])
    }

    /// Several elements as one: the element itself when there is one, else an `<mrow>`.
    static func row(_ elements: [MathElement]) -> MathElement {
        elements.count == 1 ? elements[0] : MathElement("mrow", children: elements)
    }
}

/// Serializes MathML elements as HTML text.
enum MathMLWriter {
    /// The element and its descendants, e.g. `<mfrac><mi>a</mi><mi>b</mi></mfrac>`.
    static func serialize(_ element: MathElement) -> String {
        var output = ""
        write(element, to: &output)
        return output
    }

    /// A whole formula: `<math>` (inline) or `<math display="block">` around the elements.
    static func formula(_ elements: [MathElement], display: Bool) -> String {
        let math = MathElement("math", display ? [("display", "block")] : [], children: elements)
        return serialize(math)
    }

    private static func write(_ element: MathElement, to output: inout String) {
        output += "<" + element.name
        for attribute in element.attributes {
            output += " \(attribute.name)=\"\(HTML.escape(attribute.value))\""
        }
        output += ">"
        switch element.content {
        case .text(let text):
            output += HTML.escape(text)
        case .children(let children):
            for child in children { write(child, to: &output) }
        }
        output += "</\(element.name)>"
    }
}
