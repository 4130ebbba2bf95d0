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
}
