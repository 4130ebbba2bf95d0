import Foundation
import LessonProtocol

/// A lesson turned into one Swift program.
public struct Program: Sendable, Equatable {
    /// The Swift source of `main.swift`.
    public var source: String
    /// The indices of the cells it contains, in order.
    public var cellIndices: [Int]
}

/// Builds one Swift program from a lesson's cells.
///
/// Every cell opens a `do {` scope that stays open until the end of the program, so a later cell
/// sees the names an earlier one declared and may declare the same name again (shadowing), as in
/// a notebook. A `fails` or `check` cell instead gets a scope of its own that closes at once,
/// guarded so the runner can skip it after seeing it stop: whatever it declares is invisible to
/// later cells.
///
/// Before each cell, `#sourceLocation` points the compiler at the cell's first line in the
/// Markdown file, so diagnostics and `#filePath`/`#line` name the lesson, not the generated file.
/// Cell code is never indented, so columns match the Markdown too. `import` lines cannot stand in
/// a nested scope: they are lifted to the top of the program, each with its own location, and
/// left as blank lines in the cell so that line numbers do not move.
public struct ProgramAssembler: Sendable {
    private typealias Call = RuntimeContract.Call

    /// The module name lesson programs are compiled with (it shows in `#fileID`).
    public static let moduleName = "Lesson"

    public init() {}

    /// Assembles the given cells of a lesson (cells that do not run are never included).
    ///
    /// `key` goes into the runner's calls (see `LessonRuntime.start(key:)`); a new random one
    /// for every program unless a test fixes it.
    public func assemble(_ lesson: Lesson, cells: [Cell], key: String = UUID().uuidString) -> Program {
        let path = Self.stringLiteral(lesson.displayPath)
        var imports: [String] = ["import \(RuntimeContract.runtimeModule)"]
        // The cells' code cannot know the key, so only these generated calls can mark a cell
        // finished.
        let key = Self.stringLiteral(key)
        var body: [String] = ["\(Call.start.qualifiedName)(key: \(key))"]
        var openScopes = 0

        for cell in cells where cell.runs {
            let (code, liftedImports) = Self.liftImports(from: cell)
            for (line, statement) in liftedImports {
                imports.append("#sourceLocation(file: \(path), line: \(line))")
                imports.append(statement)
                imports.append("#sourceLocation()")
            }
            let guarded = cell.kind == .fails || cell.kind == .check
            if guarded {
                body.append("if \(Call.runs.qualifiedName)(cell: \(cell.index)) {")
            } else {
                body.append("do {")
                openScopes += 1
            }
            body.append("\(Call.beginCell.qualifiedName)(\(cell.index), key: \(key))")
            body.append("#sourceLocation(file: \(path), line: \(cell.codeLine))")
            body.append(code)
            body.append("#sourceLocation()")
            body.append("\(Call.endCell.qualifiedName)(\(cell.index), key: \(key))")
            if guarded {
                body.append("}")
            }
        }
        body.append(contentsOf: Array(repeating: "}", count: openScopes))
        body.append("\(Call.finish.qualifiedName)(key: \(key))")
        let source = (imports + body).joined(separator: "\n") + "\n"
        return Program(source: source, cellIndices: cells.filter(\.runs).map(\.index))
    }

    /// Splits a cell into its code, with `import` lines blanked, and the imports with their Markdown lines.
    static func liftImports(from cell: Cell) -> (code: String, imports: [(line: Int, statement: String)]) {
        var lines = cell.code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var imports: [(Int, String)] = []
        for (offset, line) in lines.enumerated() where isImport(line) {
            imports.append((cell.codeLine + offset, line.trimmingCharacters(in: .whitespaces)))
            lines[offset] = ""
        }
        return (lines.joined(separator: "\n"), imports)
    }

    /// Whether a line is an import declaration (`import X`, `@testable import X`, `import struct X.Y`).
    static func isImport(_ line: String) -> Bool {
        var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })[...]
        while let first = words.first, first.hasPrefix("@") { words = words.dropFirst() }
        if let first = words.first, ["public", "internal", "private", "fileprivate", "package"].contains(first) {
            words = words.dropFirst()
        }
        return words.first == "import" && words.count >= 2
    }

    /// A Swift string literal for `text`.
    static func stringLiteral(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"" + escaped + "\""
    }
}
