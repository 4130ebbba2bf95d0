import CSV
import Foundation

/// Who the learners of a class are to a learning-management system: a CSV file
/// (`cuaderno grade --roster FILE`) mapping each learner's folder in the class to their identity
/// in Canvas and Moodle.
///
/// ```
/// folder,name,id,sis_user_id,sis_login_id,section,email
/// alice,"Lovelace, Ada",4021,S1815,ada,Group A,ada@uni.example
/// ```
///
/// The header names the columns (in any order, any case; other columns are ignored, so an LMS's
/// own export can be used with a `folder` column added):
/// - `folder` (required): the learner's folder in the class;
/// - `name`: the learner as people read it (Canvas's *Student* column; the folder when absent);
/// - `id`, `sis_user_id`, `sis_login_id`, `section`: Canvas's columns of the same names. A roster
///   with any of the first three gives a Canvas import file, and then every row needs one of them;
/// - `email`, `username` or `idnumber`: the identifier Moodle's grade import matches learners by
///   (the first of them the roster has). A roster with one gives a Moodle import file, and then
///   every row needs it.
public struct Roster: Sendable, Equatable {
    /// One learner.
    public struct Entry: Sendable, Equatable {
        public var folder: String
        public var name: String
        public var canvasID: String
        public var sisUserID: String
        public var sisLoginID: String
        public var section: String
        /// The value of the Moodle identifier column (empty when the roster has none).
        public var moodleKey: String
        /// The line of the roster the entry is on.
        public var line: Int

        var identifiesToCanvas: Bool { !(canvasID.isEmpty && sisUserID.isEmpty && sisLoginID.isEmpty) }
    }

    /// The file, as it was named.
    public var path: String
    /// The learners, in the roster's order.
    public var entries: [Entry]
    /// Whether the roster has a Canvas identity column, so a Canvas import file can be written.
    public var hasCanvasIdentities: Bool
    /// The header of the column Moodle matches learners by (`email`, `username` or `idnumber`),
    /// nil when the roster has none.
    public var moodleKeyColumn: String?

    static let canvasColumns = ["id", "sis_user_id", "sis_login_id"]
    static let moodleColumns = ["email", "username", "idnumber"]

    /// Reads the roster at `url`.
    ///
    /// - Throws: ``RosterError`` naming the file and line when it cannot be read, has no `folder`
    ///   column, names a folder twice, identifies learners to neither Canvas nor Moodle, or has a
    ///   row without the identity the file's columns promise.
    public init(contentsOf url: URL, displayPath: String? = nil) throws(RosterError) {
        let path = displayPath ?? url.path
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw RosterError(path: path, line: nil, message: "cannot read it as UTF-8 text; save the roster as a UTF-8 CSV file")
        }
        try self.init(text: text, path: path)
    }

    /// Reads a roster from its text; `path` names it in errors.
    public init(text: String, path: String) throws(RosterError) {
        self.path = path
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }   // the byte-order mark spreadsheets write
        let reader: CSVReader
        do {
            reader = try CSVReader(string: body, hasHeaderRow: true, trimFields: true)
        } catch {
            throw RosterError(path: path, line: 1, message: "has no header row; the first line must name the columns (folder, name, id, email…)")
        }
        let header = (reader.headerRow ?? []).map { $0.lowercased() }
        guard let folderColumn = header.firstIndex(of: "folder") else {
            throw RosterError(path: path, line: 1, message: "has no 'folder' column; add one naming each learner's folder in the class")
        }
        let column = { (name: String) in header.firstIndex(of: name) }
        hasCanvasIdentities = Self.canvasColumns.contains { column($0) != nil }
        moodleKeyColumn = Self.moodleColumns.first { column($0) != nil }
        guard hasCanvasIdentities || moodleKeyColumn != nil else {
            throw RosterError(path: path, line: 1, message: """
                identifies learners to neither Canvas (a column id, sis_user_id or sis_login_id) \
                nor Moodle (a column email, username or idnumber); add one
                """)
        }

        var entries: [Entry] = []
        var lines: [String: Int] = [:]
        var line = 1 + Self.lineBreaks(in: reader.headerRow ?? [])
        while let row = reader.next() {
            line += 1
            defer { line += Self.lineBreaks(in: row) }
            if row.allSatisfy(\.isEmpty) { continue }
            let field = { (index: Int?) in index.flatMap { $0 < row.count ? row[$0] : nil } ?? "" }
            let folder = field(folderColumn)
            guard !folder.isEmpty else {
                throw RosterError(path: path, line: line, message: "has no folder; write the learner's folder name in the 'folder' column")
            }
            if let first = lines[folder] {
                throw RosterError(path: path, line: line, message: "names the folder '\(folder)' again (first on line \(first)); keep one row per learner")
            }
            lines[folder] = line
            let name = field(column("name"))
            let entry = Entry(folder: folder, name: name.isEmpty ? folder : name,
                              canvasID: field(column("id")), sisUserID: field(column("sis_user_id")),
                              sisLoginID: field(column("sis_login_id")), section: field(column("section")),
                              moodleKey: field(moodleKeyColumn.flatMap(column)), line: line)
            if hasCanvasIdentities && !entry.identifiesToCanvas {
                throw RosterError(path: path, line: line, message: "gives '\(folder)' no id, sis_user_id or sis_login_id; Canvas needs one to find the learner")
            }
            if let moodleKeyColumn, entry.moodleKey.isEmpty {
                throw RosterError(path: path, line: line, message: "gives '\(folder)' no \(moodleKeyColumn); Moodle needs it to find the learner")
            }
            entries.append(entry)
        }
        guard !entries.isEmpty else {
            throw RosterError(path: path, line: nil, message: "lists no learners; add a row per learner under the header")
        }
        self.entries = entries
    }

    /// The entry for a learner's folder.
    public func entry(forFolder folder: String) -> Entry? {
        entries.first { $0.folder == folder }
    }

    /// Checks that every graded learner is in the roster, and returns the roster's learners who
    /// have no folder in the class (they submitted nothing), in the roster's order.
    ///
    /// - Throws: ``RosterError`` naming the first folder the roster lacks.
    public func absentLearners(graded folders: [String]) throws(RosterError) -> [String] {
        let listed = Set(entries.map(\.folder))
        if let missing = folders.first(where: { !listed.contains($0) }) {
            throw RosterError(path: path, line: nil, message: """
                has no row for the class folder '\(missing)'; add one (folder \(missing), with their Canvas or Moodle identity) \
                or remove the folder from the class
                """)
        }
        let graded = Set(folders)
        return entries.map(\.folder).filter { !graded.contains($0) }
    }

    /// How many line breaks the fields of a row hold (a quoted field may span lines).
    private static func lineBreaks(in row: [String]) -> Int {
        row.reduce(0) { $0 + $1.reduce(0) { $1 == "\n" || $1 == "\r\n" || $1 == "\r" ? $0 + 1 : $0 } }
    }
}

/// Why a roster cannot be used: its path, the line when there is one, and what to do.
public struct RosterError: Error, CustomStringConvertible, Sendable, Equatable {
    public var path: String
    public var line: Int?
    public var message: String

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): the roster \(message)"
    }
}
