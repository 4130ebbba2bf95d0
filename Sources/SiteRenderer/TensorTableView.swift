import Foundation

/// A tensor shown with `show(t)`: a compact table under a caption with its shape and dtype.
///
/// The payload is the JSON of the runtime's `TensorTable` (`shape`, `dtype`, `rows`, with `null`
/// cells where rows or columns were left out); it is decoded here, not shared as a type, because
/// the renderer never links the lesson runtime.
enum TensorTableView {
    private struct Table: Decodable {
        var shape: [Int]
        var dtype: String
        var rows: [[String?]]
    }

    static func html(_ payload: String) -> String {
        guard let table = try? JSONDecoder().decode(Table.self, from: Data(payload.utf8)) else {
            return "<pre class=\"output\">\(HTML.escape(payload))</pre>\n"
        }
        let shape = table.shape.count == 1 ? "(\(table.shape[0]),)" : "(" + table.shape.map(String.init).joined(separator: ", ") + ")"
        var html = "<div class=\"tensor-table\"><table>\n<caption>shape \(HTML.escape(shape)) · \(HTML.escape(table.dtype))</caption>\n"
        for row in table.rows {
            html += "<tr>"
            for cell in row {
                html += cell.map { "<td>\(HTML.escape($0))</td>" } ?? "<td class=\"gap\">⋯</td>"
            }
            html += "</tr>\n"
        }
        return html + "</table></div>\n"
    }
}
