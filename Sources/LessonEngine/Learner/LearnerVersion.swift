import Foundation

/// Makes the learner's version of a lesson from the author's.
///
/// Each reference solution — the lines from `// BEGIN SOLUTION` to `// END SOLUTION` — becomes
/// one `todo()` line at the same indentation, which compiles wherever the solution stood inside a
/// function and makes every check that reaches it fail with "not done yet". Hidden checks are
/// removed with their fences. Every other byte of the file stays as the author wrote it.
public enum LearnerVersion {
    /// The placeholder a solution becomes, with a comment in the lesson's language.
    static func placeholder(indentation: String, language: String) -> String {
        let comment = language == "es" ? "escribe aquí tu solución" : "write your solution here"
        return "\(indentation)todo()  // \(comment)"
    }

    /// Parses the lesson at `file` (the author's) and its learner's version.
    public static func lessons(file: URL, displayPath: String) throws(LessonErrors) -> (reference: Lesson, learner: Lesson) {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            throw LessonErrors([LessonError(file: displayPath, line: 1, message: "cannot read the lesson as UTF-8 text")])
        }
        let slug = file.deletingPathExtension().lastPathComponent
        let reference = try LessonParser().parse(text: text, displayPath: displayPath, fileURL: file, slug: slug).get()
        let learner = try LessonParser(version: .learner)
            .parse(text: make(from: reference, text: text), displayPath: displayPath, fileURL: file, slug: slug).get()
        return (reference, learner)
    }

    /// The learner's version of `lesson`, whose file's text is `text`.
    public static func make(from lesson: Lesson, text: String) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Edit from the bottom up so that earlier line numbers stay valid.
        var edits: [(first: Int, last: Int, replacement: [String])] = []
        for cell in lesson.cells {
            switch cell.kind {
            case .exercise:
                guard case .success(let regions) = ExerciseRules.solutionRegions(in: cell, file: lesson.displayPath) else {
                    continue
                }
                for region in regions {
                    edits.append((cell.codeLine + region.beginOffset - 1, cell.codeLine + region.endOffset - 1,
                                   [placeholder(indentation: region.indentation, language: lesson.frontMatter.language)]))
                }
            case .check where cell.check?.hidden == true:
                // The fence, the code and the closing fence, and one blank line after it if there is one.
                var last = cell.codeLine + cell.lineCount - 1
                if last + 1 < lines.count && lines[last + 1].trimmingCharacters(in: .whitespaces).isEmpty { last += 1 }
                edits.append((cell.fenceLine - 1, last, []))
            default:
                break
            }
        }
        for edit in edits.sorted(by: { $0.first > $1.first }) {
            lines.replaceSubrange(edit.first...min(edit.last, lines.count - 1), with: edit.replacement)
        }
        return lines.joined(separator: "\n")
    }

    /// Whether an exercise cell still calls `todo()` in its code (comments aside): the learner has
    /// not finished writing it, so its checks fail as "not done yet" and no hint is shown.
    public static func isNotDone(_ exercise: Cell) -> Bool {
        exercise.code.split(separator: "\n").contains { line in
            let code = line.firstRange(of: "//").map { line[..<$0.lowerBound] } ?? line[...]
            return code.contains(placeholderCall)
        }
    }

    /// The ids of the lesson's exercises that still call `todo()`.
    public static func exercisesNotDone(in lesson: Lesson) -> Set<String> {
        Set(lesson.cells.filter { $0.kind == .exercise && isNotDone($0) }.compactMap(\.id))
    }

    /// A call of `todo`, not a name that merely ends in it (`autodo(`): at the start of the line
    /// or after a character that cannot be part of a name.
    private static var placeholderCall: Regex<(Substring, Substring)> { #/(^|[^A-Za-z0-9_])todo\s*\(/# }
}
