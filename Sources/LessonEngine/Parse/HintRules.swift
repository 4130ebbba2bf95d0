/// Finds hints that give the answer away: a hint that repeats code of its exercise's reference
/// solution.
///
/// A hint points the way in words (a nudge, then the method); the code is the learner's to write.
/// A hint *contains the solution's code* when, read as Swift tokens (comments and the insides of
/// string literals left out; every other character a token of its own, so prose symbols such as
/// `·` or `√` break a run), it repeats any of these from the solution:
///
/// 1. three tokens in a row, at least one a name or number, and an operator, a bracket other than
///    `(` `)`, a colon, or a call: `triu(1`, `axis: -1`, `x.mean`, `head * 32`, `[n, n` (commas and
///    round brackets alone are prose as much as code: `(batch, length)` is a shape);
/// 2. a multi-character operator with the token beside it: `.> 0`, `..< n`, `== 1`;
/// 3. a call or a member: a name followed by `(` (`exp(`, `splitHeads(`), or `.` followed by a
///    name (`.softmax`, `.shape`).
///
/// A name on its own (`softmax`, `triu`) is not code: a method in words may name what to use.
public enum HintRules {
    /// The first piece of `solution`'s code that `hint` repeats, as the hint writes it; nil when
    /// the hint repeats none.
    public static func solutionCode(in hint: String, solution: String) -> String? {
        let code = SwiftTokens(stripComments(solution)).tokens
        let said = SwiftTokens(hint).tokens
        var pieces: Set<[SwiftTokens.Token]> = []
        for length in 2...3 where code.count >= length {
            for start in 0...(code.count - length) {
                let piece = Array(code[start..<(start + length)])
                if isCode(piece) { pieces.insert(piece) }
            }
        }
        for length in 2...3 where said.count >= length {
            for start in 0...(said.count - length) {
                let piece = Array(said[start..<(start + length)])
                if pieces.contains(piece) { return piece.map(\.text).joined(separator: " ") }
            }
        }
        return nil
    }

    /// Every visible hint of the lesson that repeats its exercise's solution code, each at its
    /// check's line, saying what it repeats and what to write instead.
    public static func leaks(in lesson: Lesson) -> [LessonError] {
        var errors: [LessonError] = []
        for cell in lesson.cells {
            guard let check = cell.check, !check.hidden,
                  let exercise = lesson.cells.first(where: { $0.kind == .exercise && $0.id == check.exercise }),
                  case .success(let regions) = ExerciseRules.solutionRegions(in: exercise, file: lesson.displayPath)
            else { continue }
            let lines = exercise.code.split(separator: "\n", omittingEmptySubsequences: false)
            let solution = regions.map { region in
                lines[(region.beginOffset + 1)..<region.endOffset].joined(separator: "\n")
            }.joined(separator: "\n")
            for (tier, hint) in check.hints.enumerated() {
                guard let piece = solutionCode(in: hint, solution: solution) else { continue }
                errors.append(LessonError(file: lesson.displayPath, line: cell.fenceLine, message: """
                    hint \(tier + 1) of the check for '\(check.exercise)' gives away code of the reference solution \
                    ('\(piece)'); say in words where to look and what to do, and leave the code to the learner
                    """))
            }
        }
        return errors
    }

    /// Whether a run of tokens from the solution is code by the rules above.
    private static func isCode(_ piece: [SwiftTokens.Token]) -> Bool {
        let kinds = piece.map(\.kind)
        if kinds.count == 3 {
            // Commas and round brackets alone are prose too, `(batch, length)`; with a call, an
            // operator or any other bracket they are code.
            let hasWord = kinds.contains { $0 == .name || $0 == .number }
            let hasCodeSymbol = piece.contains { $0.kind == .operator || ($0.kind == .punctuation && !proseSymbols.contains($0.text)) }
            let hasCall = zip(piece, piece.dropFirst()).contains { $0.kind == .name && $1.text == "(" }
            return hasWord && (hasCodeSymbol || hasCall)
        }
        let (first, second) = (piece[0], piece[1])
        if (kinds[0] == .operator && first.text.count > 1) || (kinds[1] == .operator && second.text.count > 1) {
            return kinds.contains { $0 == .name || $0 == .number }
        }
        return (kinds[0] == .name && second.text == "(") || (first.text == "." && kinds[1] == .name)
    }

    /// Punctuation that prose uses as well as code.
    private static let proseSymbols: Set<String> = [",", "(", ")"]

    /// The code without `//` and `/* */` comments.
    static func stripComments(_ code: String) -> String {
        let withoutBlocks = code.replacing(#/\/\*[\s\S]*?\*\//#, with: " ")
        return withoutBlocks.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.firstRange(of: "//").map { String(line[..<$0.lowerBound]) } ?? String(line)
        }.joined(separator: "\n")
    }
}

/// Text read as Swift tokens, coarsely: names, numbers, operators, punctuation, string literals,
/// and any other character as a token of its own.
struct SwiftTokens {
    enum Kind: Hashable {
        case name, number, `operator`, punctuation, string, other
    }

    struct Token: Hashable {
        var text: String
        var kind: Kind
    }

    var tokens: [Token] = []

    private static let operatorCharacters: Set<Character> = ["/", "=", "-", "+", "!", "*", "%", "<", ">", "&", "|", "^", "~", "?", "."]
    private static let punctuationCharacters: Set<Character> = ["(", ")", "[", "]", "{", "}", ",", ":", ";"]

    init(_ text: String) {
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            var end = index + 1
            let kind: Kind
            if character.isWhitespace {
                index += 1
                continue
            } else if character.isLetter || character == "_" {
                while end < characters.count && (characters[end].isLetter || characters[end].isNumber || characters[end] == "_") { end += 1 }
                kind = .name
            } else if character.isASCII && character.isNumber {
                while end < characters.count
                    && ((characters[end].isASCII && characters[end].isNumber)
                        || (characters[end] == "." && end + 1 < characters.count && characters[end + 1].isASCII && characters[end + 1].isNumber)) {
                    end += 1
                }
                kind = .number
            } else if character == "\"" {
                while end < characters.count && characters[end] != "\"" { end += characters[end] == "\\" ? 2 : 1 }
                end = min(end + 1, characters.count)
                tokens.append(Token(text: "\"…\"", kind: .string))
                index = end
                continue
            } else if Self.operatorCharacters.contains(character) {
                while end < characters.count && Self.operatorCharacters.contains(characters[end]) { end += 1 }
                // A lone `.` before a space or the end is a full stop, not a member access.
                let endsSentence = end == index + 1 && character == "." && (end == characters.count || characters[end].isWhitespace)
                kind = endsSentence ? .other : .operator
            } else if Self.punctuationCharacters.contains(character) {
                kind = .punctuation
            } else {
                kind = .other
            }
            tokens.append(Token(text: String(characters[index..<end]), kind: kind))
            index = end
        }
    }
}
