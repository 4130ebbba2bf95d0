import Foundation
import LessonEngine
import LessonProtocol
import Testing

/// What every lesson of the course promises a learner (issue 8's list), checked on the real
/// lessons: front matter, objectives and a recap, at least two exercises with hinted visible
/// checks and a hidden one, and at least two figures when the reference solutions run.
/// The figure gallery (lesson 0) is a reference page, not a lesson to work through.
@Suite struct CourseStandardsTests {
    static var lessonFiles: [URL] {
        CourseLessons.files.filter { (Course.number(of: $0.lastPathComponent) ?? 0) >= 1 }
    }

    static func parse(_ name: String) throws -> Lesson {
        let file = CourseLessons.folder.appendingPathComponent(name)
        return try LessonParser().parse(fileURL: file, displayPath: "Lessons/\(name)").get()
    }

    @Test func theCourseHasItsLessonsInOrder() {
        #expect(Self.lessonFiles.map(\.lastPathComponent) == [
            "01-self-attention.md", "02-multi-head-attention.md", "03-positional-encoding.md",
            "04-rank.md", "05-lora.md", "06-a-real-transformer.md", "07-the-transformer-block.md",
            "08-reading-reviews.md", "09-rnn-lstm-or-transformer.md", "10-a-tiny-gpt.md",
            "11-a-real-language-model.md", "12-fine-tuning-with-lora.md",
        ])
    }

    @Test(arguments: lessonFiles.map(\.lastPathComponent))
    func everyLessonHasObjectivesExercisesAndARecap(name: String) throws {
        let lesson = try Self.parse(name)
        #expect(!lesson.frontMatter.title.isEmpty)
        #expect(!(lesson.frontMatter.summary ?? "").isEmpty, "\(name) needs a summary")

        let prose = lesson.blocks.compactMap { block -> String? in
            if case .prose(let markdown, _) = block { return markdown }
            return nil
        }.joined(separator: "\n")
        #expect(prose.contains("By the end you will be able to"), "\(name) needs objectives at the top")
        #expect(prose.contains("\n## Recap"), "\(name) needs a recap at the end")
        #expect(prose.contains("$"), "\(name) has no math")

        let exercises = lesson.cells.filter { $0.kind == .exercise }
        #expect(exercises.count >= 2, "\(name) has \(exercises.count) exercises; a lesson needs at least two")
        let checks = lesson.cells.compactMap(\.check)
        for exercise in exercises {
            let visible = checks.filter { $0.exercise == exercise.id && !$0.hidden }
            #expect(!visible.isEmpty, "exercise \(exercise.id ?? "?") of \(name) has no visible check")
            #expect(visible.allSatisfy { !$0.hints.isEmpty },
                    "every visible check of exercise \(exercise.id ?? "?") in \(name) needs a hint")
            #expect(visible.allSatisfy { $0.hints.count >= 2 },
                    "every visible check of exercise \(exercise.id ?? "?") in \(name) needs a nudge, then the method: two hint tiers")
        }
        #expect(checks.contains { $0.hidden }, "\(name) needs at least one hidden check")
    }

    @Test(arguments: lessonFiles.map(\.lastPathComponent))
    func everyLessonRunsCleanlyAndDrawsAtLeastTwoFigures(name: String) throws {
        let text = try String(contentsOf: CourseLessons.folder.appendingPathComponent(name), encoding: .utf8)
        let report = try runLesson(text, beside: CourseLessons.folder)
        let failedLines = report.unexpectedFailures.map(\.cell.fenceLine)
        #expect(failedLines.isEmpty, "cells failed at lines \(failedLines) of \(name)")
        let failedChecks = report.checks.filter { !$0.passed }.count
        #expect(failedChecks == 0, "\(failedChecks) checks of \(name) fail with the reference solutions")
        let figures = report.cells.flatMap(\.output).filter {
            if case .display(let item) = $0 { return item.kind == .svg }
            return false
        }
        #expect(figures.count >= 2, "\(name) draws \(figures.count) figures; a lesson needs at least two")
    }

    /// No hint gives the answer's code away: see `HintRules` for what counts as the reference
    /// solution's code.
    @Test(arguments: lessonFiles.map(\.lastPathComponent))
    func noHintContainsCodeOfItsReferenceSolution(name: String) throws {
        let leaks = HintRules.leaks(in: try Self.parse(name))
        #expect(leaks.isEmpty, "\(leaks.map(\.description).joined(separator: "\n"))")
    }
}

/// The rule that keeps the solution's code out of hints, on the hints the course had before
/// they had tiers (each gave the code away) and on the tiers that replaced them.
@Suite struct HintRulesTests {
    static let softmax = """
        let shifted = scores - scores.max(axis: -1, keepDims: true)
        let exponentials = shifted.exp()
        return exponentials / exponentials.sum(axis: -1, keepDims: true)
        """
    static let mask = "return Tensor.ones([n, n]).triu(1) .> 0   // the upper triangle"
    static let attention = """
        let dK = Double(q.shape.last!)
        let scores = q.matmul(k.transposed(-2, -1)) / dK.squareRoot()
        let weights = scores.softmax(axis: -1)
        return (weights.matmul(v), weights)
        """
    static let rank = """
        let values = matrix.singularValues()
        let largerSide = Double(max(matrix.shape[0], matrix.shape[1]))
        let threshold = values.max() * largerSide * Double.ulpOfOne
        return values.scalars.filter { $0 > threshold }.count
        """
    static let head = """
        let columns = (head * width)..<((head + 1) * width)
        let q = attention.query(input)[..., columns]
        """

    @Test(arguments: [
        ("Divide exp(scores) by its row sums, sum(axis: -1, keepDims: true), so that each row is divided by its own total.", softmax),
        ("Large scores overflow exp() to infinity, and ∞/∞ is nan. Subtract each row's maximum, scores.max(axis: -1, keepDims: true), before exp().", softmax),
        ("Start from Tensor.ones([n, n]), keep what lies strictly above the diagonal with triu(1), then turn it into booleans with .> 0.", mask),
        ("The mask must be true where a token must not look: strictly above the diagonal (triu(1)), not on or below it.", mask),
        ("Turn the ones into booleans with .> 0.", mask),
        ("scores = q.matmul(k.transposed(-2, -1)) / √d_k with d_k = q.shape.last!, then weights = scores.softmax(axis: -1) and output = weights.matmul(v).", attention),
        ("Count the singular values σ with σ > σ.max() · max(rows, columns) · Double.ulpOfOne; a zero matrix has rank 0.", rank),
        ("q = attention.query(input)[..., columns] with columns = head·32 ..< (head+1)·32.", head),
    ])
    func aHintThatSpellsOutTheSolutionIsCaught(hint: String, solution: String) {
        #expect(HintRules.solutionCode(in: hint, solution: solution) != nil, "not caught: \(hint)")
    }

    @Test(arguments: [
        ("Each row of the result must add up to 1. What do you divide each exponential by to make that happen?", softmax),
        ("Before exponentiating, subtract each row's largest score from every score in that row.", softmax),
        ("Start from a square of ones, keep only the part strictly above the main diagonal (an upper triangle that leaves the diagonal out), and turn what is left into booleans by asking which entries are greater than zero.", mask),
        ("Multiply q by k with the last two axes of k swapped; divide the scores by the square root of d_k, the size of the last axis of q; take the softmax over the keys.", attention),
        ("Count the singular values larger than the largest one times the larger side times the machine epsilon of a Double.", rank),
    ])
    func aHintInWordsPasses(hint: String, solution: String) {
        #expect(HintRules.solutionCode(in: hint, solution: solution) == nil,
                "flagged: \(HintRules.solutionCode(in: hint, solution: solution) ?? "")")
    }

    @Test func commentsAndStringsInTheSolutionAreNotItsCode() {
        let solution = "return a + b  // as in table.norm(axis: 1)\nprint(\"a.b(c)\") /* x.y(z) */"
        #expect(HintRules.solutionCode(in: "Compare with table.norm(axis: 1).", solution: solution) == nil)
        #expect(HintRules.solutionCode(in: "Print a.b(c) or x.y(z).", solution: solution) == nil)
        #expect(HintRules.solutionCode(in: "Add a + b.", solution: solution) == "a + b")
    }
}
