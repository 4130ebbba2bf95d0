/// A reference solution inside an exercise cell: the lines from `// BEGIN SOLUTION` to
/// `// END SOLUTION`, both included, as offsets from the cell's first line of code.
public struct SolutionRegion: Sendable, Equatable {
    public var beginOffset: Int
    public var endOffset: Int
    /// The indentation of the `// BEGIN SOLUTION` line, which the placeholder keeps.
    public var indentation: String
}

/// Which version of a lesson is being read.
public enum LessonVersion: Sendable {
    /// The author's lesson: every exercise has its solution between markers and at least one check.
    case reference
    /// A learner's copy: solutions replaced by placeholders, hidden checks removed.
    case learner
    /// A learner's copy handed in for grading: only its exercise cells are used, so only what
    /// keeps them from being read is a mistake (an unclosed fence); broken front matter, unknown
    /// tags and broken check cells are the course's business and are ignored.
    case submission
}

/// The rules that tie exercises and checks together, checked once the whole lesson is read.
enum ExerciseRules {
    static let beginMarker = "// BEGIN SOLUTION"
    static let endMarker = "// END SOLUTION"

    /// The solution regions of an exercise cell, or the first unbalanced marker.
    static func solutionRegions(in cell: Cell, file: String) -> Result<[SolutionRegion], LessonError> {
        var regions: [SolutionRegion] = []
        var open: (offset: Int, indentation: String)?
        for (offset, line) in cell.code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed == beginMarker {
                if let open {
                    return .failure(LessonError(file: file, line: cell.codeLine + offset, message: """
                        '\(beginMarker)' inside the solution opened at line \(cell.codeLine + open.offset); \
                        close that one with '\(endMarker)' first
                        """))
                }
                open = (offset, String(line.prefix { $0 == " " || $0 == "\t" }))
            } else if trimmed == endMarker {
                guard let begin = open else {
                    return .failure(LessonError(file: file, line: cell.codeLine + offset,
                                                message: "'\(endMarker)' without a '\(beginMarker)' before it"))
                }
                regions.append(SolutionRegion(beginOffset: begin.offset, endOffset: offset, indentation: begin.indentation))
                open = nil
            }
        }
        if let open {
            return .failure(LessonError(file: file, line: cell.codeLine + open.offset,
                                        message: "'\(beginMarker)' is never closed; add '\(endMarker)' after the solution"))
        }
        return .success(regions)
    }

    /// Every broken rule of the lesson's exercises and checks, each at its line.
    static func check(_ cells: [Cell], file: String, version: LessonVersion) -> [LessonError] {
        var errors: [LessonError] = []
        var exerciseLines: [String: Int] = [:]
        var checked: Set<String> = []
        for cell in cells {
            switch cell.kind {
            case .exercise:
                guard let id = cell.id else { continue }
                exerciseLines[id] = cell.fenceLine
                switch solutionRegions(in: cell, file: file) {
                case .failure(let error):
                    errors.append(error)
                case .success(let regions) where regions.isEmpty && version == .reference:
                    errors.append(LessonError(file: file, line: cell.fenceLine, message: """
                        exercise '\(id)' has no reference solution: put it between '\(beginMarker)' and \
                        '\(endMarker)' lines, so the learner's version can replace it
                        """))
                default:
                    break
                }
            case .check:
                guard let check = cell.check else { continue }
                if exerciseLines[check.exercise] == nil {
                    let later = cells.first { $0.kind == .exercise && $0.id == check.exercise }
                    let message = later.map { "check for '\(check.exercise)' comes before its exercise (line \($0.fenceLine)); move it after" }
                        ?? "check for '\(check.exercise)', but this lesson has no exercise with id=\(check.exercise)"
                    errors.append(LessonError(file: file, line: cell.fenceLine, message: message))
                }
                checked.insert(check.exercise)
            default:
                break
            }
        }
        if version == .reference {
            for cell in cells where cell.kind == .exercise {
                guard let id = cell.id, !checked.contains(id) else { continue }
                errors.append(LessonError(file: file, line: cell.fenceLine, message: """
                    exercise '\(id)' has no check: add a ```swift check for=\(id) cell after it
                    """))
            }
        }
        return errors
    }
}
