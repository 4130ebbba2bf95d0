import Foundation

/// A tensor shown with `show(t)`: a compact table under a caption with its shape and dtype, as
/// HTML for pages and notebooks, and as aligned text for readers that show only plain text.
///
/// The payload is the JSON of the runtime's `TensorTable` (`shape`, `dtype`, `rows`, with `null`
/// cells where rows or columns were left out); it is decoded here, not shared as a type, because
/// the renderer never links the lesson runtime. A payload that does not decode is shown as it is.
enum TensorTableView {
    private struct Table: Decodable {
        var shape: [Int]
        var dtype: String
        var rows: [[String?]]

        /// `shape (2, 3) · float64`, with NumPy's `(n,)` for one axis.
        var caption: String {
            let shape = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
            return "shape \(shape) · \(dtype)"
        }
    }

    /// What stands for the rows or columns left out of a large tensor.
    private static let gap = "⋯"

    private static func decode(_ payload: String) -> Table? {
        try? JSONDecoder().decode(Table.self, from: Data(payload.utf8))
    }

    static func html(_ payload: String) -> String {
        guard let table = decode(payload) else {
            return "<pre class=\"output\">\(HTML.escape(payload))</pre>\n"
        }
        var html = "<div class=\"tensor-table\"><table>\n<caption>\(HTML.escape(table.caption))</caption>\n"
        for row in table.rows {
            html += "<tr>"
            for cell in row {
                html += cell.map { "<td>\(HTML.escape($0))</td>" } ?? "<td class=\"gap\">\(gap)</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table></div>\n"
    }

    /// The caption, then the rows with each column right-aligned to its widest cell.
    static func plainText(_ payload: String) -> String {
        guard let table = decode(payload) else { return payload }
        let rows = table.rows.map { $0.map { $0 ?? gap } }
        var widths: [Int] = []
        for row in rows {
            for (column, cell) in row.enumerated() {
                if column == widths.count { widths.append(0) }
                widths[column] = max(widths[column], cell.count)
            }
        }
        var text = table.caption + "\n"
        for row in rows {
            let cells = row.enumerated().map { column, cell in
                String(repeating: " ", count: widths[column] - cell.count) + cell
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        return text
    }
}
