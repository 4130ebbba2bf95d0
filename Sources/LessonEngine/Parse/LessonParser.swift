import CCmark
import Foundation

/// Reads a lesson file into a ``Lesson``: YAML front matter, then Markdown parsed by libcmark.
///
/// Every top-level fenced code block whose info string starts with `swift` is a cell; everything
/// else is prose, kept as Markdown for the renderer. Mistakes are collected (not thrown one at a
/// time) so an author sees all of them at once, each with its file and line.
public struct LessonParser: Sendable {
    /// Whether exercises must carry their reference solutions (the author's lessons) or not (a learner's copy).
    public var version: LessonVersion

    public init(version: LessonVersion = .reference) {
        self.version = version
    }

    /// Parses a lesson file.
    /// - Parameters:
    ///   - fileURL: the Markdown file.
    ///   - displayPath: how messages name the file (e.g. `Lessons/01-self-attention.md`).
    public func parse(fileURL: URL, displayPath: String) -> Result<Lesson, LessonErrors> {
        parseKeepingFrontMatter(fileURL: fileURL, displayPath: displayPath).lesson
    }

    /// Parses a lesson file, and keeps its front matter even when the rest of the file has
    /// mistakes: a course's index and pagers still name such a lesson by its title. The front
    /// matter is nil when the file cannot be read or the front matter itself has mistakes.
    public func parseKeepingFrontMatter(fileURL: URL, displayPath: String)
        -> (lesson: Result<Lesson, LessonErrors>, frontMatter: FrontMatter?) {
        let text: String
        do {
            text = try String(contentsOf: fileURL, encoding: .utf8)
        } catch {
            return (.failure(LessonErrors([LessonError(
                file: displayPath, line: 1,
                message: "cannot read the lesson as UTF-8 text (\(error.localizedDescription))")])), nil)
        }
        let slug = fileURL.deletingPathExtension().lastPathComponent
        return parseKeepingFrontMatter(text: text, displayPath: displayPath, fileURL: fileURL, slug: slug)
    }

    /// Only the front matter of a lesson file (quicker than parsing all of it, for indexes and
    /// links); nil when the file cannot be read or its front matter has mistakes.
    public func frontMatter(fileURL: URL, displayPath: String) -> FrontMatter? {
        guard let text = try? String(contentsOf: fileURL, encoding: .utf8) else { return nil }
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(String(line))
            // The front matter ends at the second '---' line; the rest is not needed.
            if lines.count > 1, line.trimmingCharacters(in: .whitespaces) == "---" { break }
        }
        if case .success(let found) = FrontMatterReader(file: displayPath).read(lines: lines) {
            return found.frontMatter
        }
        return nil
    }

    /// Parses lesson text (the file's contents).
    public func parse(text: String, displayPath: String, fileURL: URL, slug: String) -> Result<Lesson, LessonErrors> {
        parseKeepingFrontMatter(text: text, displayPath: displayPath, fileURL: fileURL, slug: slug).lesson
    }

    /// Parses lesson text, and keeps its front matter even when the rest has mistakes (nil when
    /// the front matter itself has mistakes).
    public func parseKeepingFrontMatter(text: String, displayPath: String, fileURL: URL, slug: String)
        -> (lesson: Result<Lesson, LessonErrors>, frontMatter: FrontMatter?) {
        var errors: [LessonError] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

        let frontMatterResult = FrontMatterReader(file: displayPath).read(lines: lines)
        var frontMatter = FrontMatter(title: slug)
        var bodyLines = lines
        switch frontMatterResult {
        case .success(let found):
            frontMatter = found.frontMatter
            // Blank out the front matter so cmark's line numbers stay the file's line numbers.
            for line in 0..<found.lineCount { bodyLines[line] = "" }
            if let heading = found.titleHeadingLine { bodyLines[heading] = "" }
        case .failure(let error):
            errors.append(contentsOf: error.errors)
        }

        var fenceErrors: [LessonError] = []
        let blocks = readBlocks(bodyLines: bodyLines, displayPath: displayPath, errors: &errors,
                                fenceErrors: &fenceErrors)
        let cells = blocks.compactMap { block -> Cell? in
            if case .cell(let cell) = block { return cell }
            return nil
        }
        if version == .submission {
            errors = fenceErrors
        } else {
            errors += fenceErrors
            // Checked once every cell reads well: a check whose header is wrong would otherwise
            // also make its exercise look unchecked.
            if errors.isEmpty {
                errors += ExerciseRules.check(cells, file: displayPath, version: version)
            }
        }
        guard errors.isEmpty else {
            let readFrontMatter = (try? frontMatterResult.get())?.frontMatter
            return (.failure(LessonErrors(errors)), readFrontMatter)
        }
        return (.success(Lesson(displayPath: displayPath, fileURL: fileURL, slug: slug,
                                frontMatter: frontMatter, blocks: blocks)), frontMatter)
    }

    /// Walks cmark's top-level nodes, turning Swift fences into cells and the rest into prose.
    private func readBlocks(bodyLines: [String], displayPath: String, errors: inout [LessonError],
                            fenceErrors: inout [LessonError]) -> [LessonBlock] {
        let body = bodyLines.joined(separator: "\n")
        guard let document = body.withCString({ cmark_parse_document($0, strlen($0), CMARK_OPT_DEFAULT) }) else {
            errors.append(LessonError(file: displayPath, line: 1, message: "libcmark could not parse the file"))
            return []
        }
        defer { cmark_node_free(document) }

        var blocks: [LessonBlock] = []
        var proseStart = 1  // first line not yet given to a block
        var cellIndex = 0
        var idLines: [String: Int] = [:]
        var figureLines: [String: Int] = [:]

        func flushProse(upTo endLine: Int) {
            guard endLine >= proseStart else { return }
            let chunk = bodyLines[(proseStart - 1)..<min(endLine, bodyLines.count)].joined(separator: "\n")
            if !chunk.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                blocks.append(.prose(markdown: chunk, startLine: proseStart))
            }
        }

        var node = cmark_node_first_child(document)
        while let current = node {
            node = cmark_node_next(current)
            // Indented code blocks have an empty info string, so only fences pass this guard.
            guard cmark_node_get_type(current) == CMARK_NODE_CODE_BLOCK,
                  let infoPointer = cmark_node_get_fence_info(current)
            else { continue }
            let info = String(cString: infoPointer)
            guard info.split(separator: " ").first == "swift" else { continue }

            let fenceLine = Int(cmark_node_get_start_line(current))
            let endLine = Int(cmark_node_get_end_line(current))
            let code = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
            if !Self.closesFence(line: bodyLines[safe: endLine - 1], openingLine: bodyLines[fenceLine - 1]) {
                fenceErrors.append(LessonError(
                    file: displayPath, line: fenceLine,
                    message: "this ```swift fence is never closed; add a closing ``` line after the cell's code"))
            }
            flushProse(upTo: fenceLine - 1)
            proseStart = endLine + 1

            switch CellHeader.read(info: info) {
            case .success(let header):
                if let id = header.id {
                    if let firstLine = idLines[id] {
                        errors.append(LessonError(
                            file: displayPath, line: fenceLine,
                            message: "cell id '\(id)' is already used by the cell at line \(firstLine); ids must be unique in a lesson"))
                    } else {
                        idLines[id] = fenceLine
                    }
                }
                if let figure = header.figure {
                    if let firstLine = figureLines[figure.name] {
                        errors.append(LessonError(
                            file: displayPath, line: fenceLine,
                            message: "figure name '\(figure.name)' is already used by the cell at line \(firstLine); figure names must be unique in a lesson"))
                    } else {
                        figureLines[figure.name] = fenceLine
                    }
                }
                blocks.append(.cell(Cell(index: cellIndex, kind: header.kind, id: header.id, code: code,
                                         fenceLine: fenceLine, codeLine: fenceLine + 1, check: header.check,
                                         figure: header.figure)))
                cellIndex += 1
            case .failure(let message):
                errors.append(LessonError(file: displayPath, line: fenceLine, message: message.text))
            }
        }
        flushProse(upTo: bodyLines.count)
        errors += Self.unknownFigureReferences(in: blocks, known: Set(figureLines.keys), displayPath: displayPath)
        return blocks
    }

    /// Every `@fig:name` in the prose (outside code) whose name no cell gives with `fig=`.
    static func unknownFigureReferences(in blocks: [LessonBlock], known: Set<String>, displayPath: String) -> [LessonError] {
        var errors: [LessonError] = []
        for case .prose(let markdown, let startLine) in blocks {
            for reference in FigureReference.find(in: markdown) where !known.contains(reference.name) {
                let named = known.isEmpty ? "this lesson names no figures" : "the figures of this lesson are \(known.sorted().joined(separator: ", "))"
                errors.append(LessonError(
                    file: displayPath, line: startLine + reference.line,
                    message: "@fig:\(reference.name) refers to no figure: \(named); name a cell's figure with ```swift fig=\(reference.name)"))
            }
        }
        return errors
    }

    /// Whether `line` is a closing fence for the fence opened on `openingLine` (same character,
    /// at least as long, nothing else but spaces).
    static func closesFence(line: String?, openingLine: String) -> Bool {
        guard let line else { return false }
        let opening = openingLine.drop { $0 == " " }
        guard let fenceCharacter = opening.first else { return false }
        let openingLength = opening.prefix { $0 == fenceCharacter }.count
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= openingLength && trimmed.allSatisfy { $0 == fenceCharacter }
    }
}

/// All the mistakes found in one lesson file.
public struct LessonErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [LessonError]

    public init(_ errors: [LessonError]) { self.errors = errors }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
