import Foundation
import Yams

/// Reads the YAML front matter at the top of a lesson:
///
/// ```yaml
/// ---
/// title: Self-attention step by step
/// summary: Queries, keys and values on three tokens.
/// lang: en        # en or es; the language of the page's interface words
/// timeout: 60     # seconds the lesson may run
/// ---
/// ```
///
/// A lesson without front matter takes its title from its first `# Title` heading (outside code
/// fences), as mdBook and Quarto do; the other settings keep their defaults.
struct FrontMatterReader {
    let file: String

    struct Found {
        var frontMatter: FrontMatter
        /// How many lines the front matter takes, fences included.
        var lineCount: Int
        /// The line (from 0) of the `# Title` heading the title came from, for a lesson without
        /// front matter: the page shows the title once, so the heading is left out of the prose.
        var titleHeadingLine: Int?
    }

    static let knownKeys = ["title", "summary", "lang", "timeout"]
    static let languages = ["en", "es"]

    /// The first level-1 ATX heading (`# Title`, optionally closed by `#`s) outside code fences.
    static func firstTitleHeading(in lines: [String]) -> (title: String, line: Int)? {
        var fence: String?
        for (number, line) in lines.enumerated() {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = String(trimmed.prefix { $0 == trimmed.first })
                continue
            }
            guard line.count - trimmed.count <= 3, trimmed.hasPrefix("# ") || trimmed == "#" else { continue }
            var title = trimmed.dropFirst(1).trimmingCharacters(in: .whitespaces)
            // A closing sequence of #s, after a space, is not part of the title.
            if let closing = title.range(of: #"\s+#+$"#, options: .regularExpression) { title.removeSubrange(closing) }
            if title.allSatisfy({ $0 == "#" }) { title = "" }
            guard !title.isEmpty else { continue }
            return (title, number)
        }
        return nil
    }

    func read(lines: [String]) -> Result<Found, LessonErrors> {
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---" else {
            guard let heading = Self.firstTitleHeading(in: lines) else {
                return failure(line: 1, "a lesson needs a title: start it with front matter (a '---' line, 'title: …', then '---') or with a '# Title' heading")
            }
            return .success(Found(frontMatter: FrontMatter(title: heading.title), lineCount: 0, titleHeadingLine: heading.line))
        }
        guard let closing = lines.indices.dropFirst().first(where: {
            ["---", "..."].contains(lines[$0].trimmingCharacters(in: .whitespaces))
        }) else {
            return failure(line: 1, "the front matter opened here is never closed; add a '---' line after it")
        }
        let yaml = lines[1..<closing].joined(separator: "\n")
        // Line n of the YAML text is line n + 1 of the file.
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            return failure(line: Self.line(of: error).map { $0 + 1 } ?? 2, "the front matter is not valid YAML: \(Self.problem(of: error))")
        } catch {
            return failure(line: 2, "the front matter is not valid YAML: \(error)")
        }
        guard let mapping = node?.mapping else {
            return failure(line: 2, "the front matter must be 'key: value' lines, with at least 'title: …'")
        }

        var frontMatter = FrontMatter(title: "")
        var errors: [LessonError] = []
        var sawTitle = false
        for (keyNode, value) in mapping {
            let key = keyNode.string ?? ""
            let line = (keyNode.mark?.line ?? 1) + 1
            switch key {
            case "title":
                if let title = value.string, !title.isEmpty {
                    frontMatter.title = title
                    sawTitle = true
                } else {
                    errors.append(LessonError(file: file, line: line, message: "'title' must be a line of text"))
                }
            case "summary":
                if let summary = value.string {
                    frontMatter.summary = summary
                } else {
                    errors.append(LessonError(file: file, line: line, message: "'summary' must be text"))
                }
            case "lang":
                if let language = value.string, Self.languages.contains(language) {
                    frontMatter.language = language
                } else {
                    errors.append(LessonError(
                        file: file, line: line,
                        message: "'lang' must be one of \(Self.languages.joined(separator: ", ")), not '\(value.string ?? "")'"))
                }
            case "timeout":
                if let seconds = value.float, seconds > 0, seconds.isFinite {
                    frontMatter.timeout = seconds
                } else {
                    errors.append(LessonError(
                        file: file, line: line, message: "'timeout' must be a positive number of seconds"))
                }
            default:
                errors.append(LessonError(
                    file: file, line: line,
                    message: "unknown front matter key '\(key)'; known keys: \(Self.knownKeys.joined(separator: ", "))"))
            }
        }
        if !sawTitle && errors.isEmpty {
            errors.append(LessonError(file: file, line: 1, message: "the front matter needs a 'title: …' line"))
        }
        guard errors.isEmpty else { return .failure(LessonErrors(errors)) }
        return .success(Found(frontMatter: frontMatter, lineCount: closing + 1))
    }

    private func failure(line: Int, _ message: String) -> Result<Found, LessonErrors> {
        .failure(LessonErrors([LessonError(file: file, line: line, message: message)]))
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            mark.line
        default:
            nil
        }
    }

    private static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            problem
        default:
            "\(error)"
        }
    }
}
