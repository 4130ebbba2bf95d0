import Foundation
import Testing
@testable import LessonEngine

/// Parses lesson text as if it were `Lessons/test.md`.
func parseLesson(_ text: String) -> Result<Lesson, LessonErrors> {
    LessonParser().parse(text: text, displayPath: "Lessons/test.md",
                         fileURL: URL(fileURLWithPath: "/tmp/Lessons/test.md"), slug: "test")
}

@Suite struct LessonParserTests {
    @Test func cellsProseAndLines() throws {
        let lesson = try parseLesson("""
            ---
            title: A lesson
            summary: Short.
            timeout: 5
            ---
            # Heading

            Some prose.

            ```swift
            let a = 1
            print(a)
            ```

            ```python
            print("shown, not a cell")
            ```

            ```swift setup id=more
            let b = 2
            ```
            """).get()
        #expect(lesson.frontMatter == FrontMatter(title: "A lesson", summary: "Short.", language: "en", timeout: 5))
        #expect(lesson.cells.count == 2)
        #expect(lesson.cells[0] == Cell(index: 0, kind: .code, id: nil, code: "let a = 1\nprint(a)\n", fenceLine: 10, codeLine: 11))
        #expect(lesson.cells[1] == Cell(index: 1, kind: .setup, id: "more", code: "let b = 2\n", fenceLine: 19, codeLine: 20))
        guard case .prose(let between, let line) = lesson.blocks[2] else {
            Issue.record("expected prose between the cells")
            return
        }
        #expect(line == 14)
        #expect(between.contains("```python"))
    }

    @Test func everyMistakeIsReportedWithItsLine() {
        let result = parseLesson("""
            ---
            title: Mistakes
            colour: red
            ---

            ```swift sertup
            ```

            ```swift id=twice
            ```

            ```swift id=twice
            ```
            """)
        guard case .failure(let errors) = result else {
            Issue.record("the lesson was accepted")
            return
        }
        #expect(errors.errors.map(\.description) == [
            "Lessons/test.md:3: error: unknown front matter key 'colour'; known keys: title, summary, lang, timeout",
            "Lessons/test.md:6: error: unknown cell tag 'sertup' in ```swift sertup; known tags: setup, norun, fails, exercise, check, hidden",
            "Lessons/test.md:12: error: cell id 'twice' is already used by the cell at line 9; ids must be unique in a lesson",
        ])
    }

    @Test func unclosedFenceIsAnError() {
        guard case .failure(let errors) = parseLesson("---\ntitle: T\n---\n\n```swift\nlet a = 1\n") else {
            Issue.record("the lesson was accepted")
            return
        }
        #expect(errors.errors.map(\.line) == [5])
        #expect(errors.errors[0].message.contains("never closed"))
    }

    @Test func aLessonWithoutFrontMatterTakesItsTitleFromItsFirstHeading() throws {
        let text = "```text\n# not a heading: inside a fence\n```\n\n# Attention, again ##\n\nSome prose.\n\n# A later heading\n\n```swift\nprint(1)\n```\n"
        let lesson = try parseLesson(text).get()
        #expect(lesson.frontMatter.title == "Attention, again")
        #expect(lesson.frontMatter.language == "en")
        let prose = lesson.blocks.compactMap { block -> String? in
            if case .prose(let markdown, _) = block { return markdown }
            return nil
        }.joined()
        #expect(!prose.contains("Attention, again"))   // shown once, as the page's title
        #expect(prose.contains("# A later heading"))
        #expect(lesson.cells.first?.fenceLine == 11)  // line numbers are the file's
    }

    @Test func frontMatterProblems() {
        let cases: [(String, String)] = [
            ("No title at all.\n\n## Only a second-level heading\n", "Lessons/test.md:1: error: a lesson needs a title: start it with front matter (a '---' line, 'title: …', then '---') or with a '# Title' heading"),
            ("---\ntitle: T\n", "Lessons/test.md:1: error: the front matter opened here is never closed; add a '---' line after it"),
            ("---\nsummary: S\n---\n", "Lessons/test.md:1: error: the front matter needs a 'title: …' line"),
            ("---\ntitle: T\nlang: fr\n---\n", "Lessons/test.md:3: error: 'lang' must be one of en, es, not 'fr'"),
            ("---\ntitle: T\ntimeout: -1\n---\n", "Lessons/test.md:3: error: 'timeout' must be a positive number of seconds"),
        ]
        for (text, message) in cases {
            guard case .failure(let errors) = parseLesson(text) else {
                Issue.record("accepted: \(text)")
                continue
            }
            #expect(errors.description == message)
        }
    }

    @Test func courseOrdersLessonsByNumber() throws {
        let directory = try TemporaryDirectory(prefix: "course-test")
        defer { directory.remove() }
        for name in ["10-ten.md", "02-two.md", "README.md", "1-one.md", "notes.md"] {
            try Data().write(to: directory.url.appendingPathComponent(name))
        }
        let course = try Course(directory: directory.url)
        #expect(course.lessonFiles.map(\.lastPathComponent) == ["1-one.md", "02-two.md", "10-ten.md"])
        #expect(try course.select(["2"]).map(\.lastPathComponent) == ["02-two.md"])
        #expect(try course.select(["10-ten"]).map(\.lastPathComponent) == ["10-ten.md"])
        #expect(throws: Course.Problem.self) { try course.select(["7"]) }
    }
}
