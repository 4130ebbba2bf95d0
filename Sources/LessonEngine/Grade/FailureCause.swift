import Foundation

/// Why a check scored 0, stated so that two learners who made the same mistake have equal causes:
/// the item-analysis report groups a check's failures by it ("5 learners: 4 of 16 values differ;
/// the worst is at [0, 0]: expected 0.0, got 1.0").
///
/// A cause leaves out what differs between learners who made the same mistake: their names, and
/// the lines of their own code (a compile error at line 112 in one workbook is at line 115 in
/// another). What it keeps is the course's: the line of the failed expectation in the lesson's
/// check cell, which is the same for everyone, and the first line of what went wrong.
public struct FailureCause: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// The learner's folder has no file for the lesson.
        case notSubmitted = "not submitted"
        /// The learner's file could not be read as a lesson.
        case unreadable = "unreadable submission"
        /// The exercise cell was deleted or renamed.
        case exerciseMissing = "exercise missing"
        /// The learner's exercise cell did not compile or stopped the program.
        case exerciseFailed = "exercise failed"
        /// The check stopped before its end: `todo()` reached, a trap, the time limit.
        case checkStopped = "check stopped"
        /// An expectation of the check did not hold.
        case expectation
        /// The check ran to its end without reporting any expectation.
        case silent = "no result"
        /// The grader could not run the lesson (not the learner's doing).
        case notGraded = "not graded"
    }

    public var kind: Kind
    /// The failed expectation's line in the course's lesson (nil for other kinds).
    public var line: Int?
    /// What went wrong, in one line, without the learner's name or the lines of their code.
    public var summary: String

    public init(kind: Kind, line: Int? = nil, summary: String) {
        self.kind = kind
        self.line = line
        self.summary = summary
    }

    /// The first non-empty line of a compiler's or a program's message, without the location it
    /// starts with (`alice/01-self-attention.md:112:9: error: `), which differs between learners.
    public static func headline(of message: String) -> String {
        let first = message.split(separator: "\n").first { !$0.allSatisfy(\.isWhitespace) }.map(String.init) ?? ""
        var text = Substring(first)
        // `path.md:12: ` or `path.md:12:5: `
        if let location = text.firstMatch(of: #/^.+?\.md:\d+(:\d+)?: /#) {
            text = text[location.range.upperBound...]
        }
        if text.hasPrefix("error: ") { text = text.dropFirst("error: ".count) }
        return String(text).trimmingCharacters(in: .whitespaces)
    }
}
