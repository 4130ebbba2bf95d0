import Foundation
import Testing
@testable import LessonEngine
@testable import SiteRenderer

/// Links between lessons, to cells, headings and figures, and to files beside the lessons: the
/// ones that lead nowhere are lesson errors at their lines.
@Suite struct LinkCheckTests {
    static func lesson(_ slug: String, _ text: String, in folder: URL) throws -> Lesson {
        let file = folder.appendingPathComponent(slug + ".md")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return try LessonParser().parse(fileURL: file, displayPath: "Lessons/\(slug).md").get()
    }

    @Test func brokenLinksAreNamedAtTheirLines() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "a,b\n".write(to: folder.appendingPathComponent("data/table.csv"), atomically: true, encoding: .utf8)

        let second = try Self.lesson("02-second", """
            ---
            title: Second
            ---

            ## Scaling by √d

            ```swift id=setup-cell
            let a = 1
            ```

            ```swift fig=curve
            print(a)
            ```
            """, in: folder)
        let first = try Self.lesson("01-first", """
            ---
            title: First
            ---

            Good: [the next lesson](02-second.md), [its cell](02-second.html#cell-setup-cell),
            [its heading](02-second.md#scaling-by-d), [its figure](02-second.md#fig-curve),
            [a cell here](#cell-1), [the data](data/table.csv), [the web](https://example.org/x.md).

            Broken: [a lesson](03-missing.md) and
            [a cell](02-second.md#cell-nope),
            [a heading](#no-such-heading), [a file](data/gone.csv).

            ```swift
            print(1)
            ```
            """, in: folder)
        let anchors = LinkCheck.CourseAnchors([first, second])
        #expect(LinkCheck.errors(in: second, course: anchors).isEmpty)
        #expect(LinkCheck.errors(in: first, course: anchors).map(\.description) == [
            "Lessons/01-first.md:9: error: the link (03-missing.md) leads to no lesson of this course: there is no 03-missing.md beside this lesson; check the file name",
            "Lessons/01-first.md:10: error: the link (02-second.md#cell-nope) points to #cell-nope, which 02-second's page does not have; a cell's anchor is cell-ID for a cell with id=ID, or cell-N for the N-th cell",
            "Lessons/01-first.md:11: error: the link (#no-such-heading) points to #no-such-heading, which this page does not have; a heading's anchor is made from its words, in lower case, joined by '-'",
            "Lessons/01-first.md:11: error: the link (data/gone.csv) leads to data/gone.csv, which is not beside the lessons; check the path",
        ])
    }
}
