/// A JSON value written the way Jupyter writes notebooks, so that an exported notebook has the
/// same bytes as one Jupyter saved: keys sorted, one space of indentation per level, `": "`
/// between key and value, non-ASCII characters as they are, a newline at the end (Python's
/// `json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False)`, which `nbformat.write` uses).
///
/// Foundation's `JSONEncoder` cannot do this: it indents by two spaces and writes `" : "`.
/// Only writing is needed here; reading back (to recognise our own files) uses
/// `JSONSerialization`.
public enum NotebookJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([NotebookJSON])
    case object([String: NotebookJSON])

    /// The document's text, ending with a newline.
    public var text: String {
        var output = ""
        write(to: &output, depth: 0)
        return output + "\n"
    }

    private func write(to output: inout String, depth: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let values):
            guard !values.isEmpty else { output += "[]"; return }
            output += "["
            for (position, value) in values.enumerated() {
                output += (position == 0 ? "\n" : ",\n") + Self.indentation(depth + 1)
                value.write(to: &output, depth: depth + 1)
            }
            output += "\n" + Self.indentation(depth) + "]"
        case .object(let members):
            guard !members.isEmpty else { output += "{}"; return }
            output += "{"
            // Python sorts keys by code point; Swift's `<` on strings compares canonically, which
            // differs for some non-ASCII keys.
            let keys = members.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
            for (position, key) in keys.enumerated() {
                output += (position == 0 ? "\n" : ",\n") + Self.indentation(depth + 1)
                Self.writeString(key, to: &output)
                output += ": "
                members[key]!.write(to: &output, depth: depth + 1)
            }
            output += "\n" + Self.indentation(depth) + "}"
        }
    }

    private static func indentation(_ depth: Int) -> String { String(repeating: " ", count: depth) }

    /// A string literal as Python writes it with `ensure_ascii=False`: quotes, backslashes and
    /// control characters escaped, everything else as it is.
    private static func writeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}

extension NotebookJSON {
    /// Text as Jupyter stores multi-line strings: a list of lines, each keeping its `\n`
    /// (as `str.splitlines(True)` does for `\n`; other line breaks stay inside their line); empty text is `[]`.
    static func lines(_ text: String) -> NotebookJSON {
        var lines: [NotebookJSON] = []
        var current = ""
        for scalar in text.unicodeScalars {
            current.unicodeScalars.append(scalar)
            if scalar == "\n" {
                lines.append(.string(current))
                current = ""
            }
        }
        if !current.isEmpty { lines.append(.string(current)) }
        return .array(lines)
    }
}
