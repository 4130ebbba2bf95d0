import Foundation
import Testing
@testable import LessonEngine
@testable import SiteRenderer

/// The course search's index and page: sections of prose and cells, with the pages' own anchors.
@Suite struct SearchIndexTests {
    static let text = """
        ---
        title: Attention
        ---

        Queries meet keys.

        ## Scaling by √d_k

        Divide the *scores* by `sqrt(d)`.

        ```swift id=scores
        let scores = q.matmul(k.T)
        ```

        ### Softmax

        Rows sum to one.

        ```swift
        print(scores.softmax(axis: -1))
        ```

        ```swift exercise id=mask
        func mask() -> Int {
            // BEGIN SOLUTION
            return 1
            // END SOLUTION
        }
        ```

        ```swift check for=mask hidden
        expectEqual(mask(), 1)
        ```
        """

    static func lesson() throws -> Lesson {
        try LessonParser().parse(text: text, displayPath: "Lessons/01-attention.md",
                                 fileURL: URL(fileURLWithPath: "/tmp/01-attention.md"), slug: "01-attention").get()
    }

    @Test func sectionsAndCellsAreEntriesWithThePagesAnchors() throws {
        let index = SearchIndex(lessons: [try Self.lesson()])
        #expect(index.entries.map(\.anchor) == ["", "scaling-by-d_k", "cell-scores", "softmax", "cell-2", "cell-mask"])
        let scaling = try #require(index.entries.first { $0.anchor == "scaling-by-d_k" })
        #expect(scaling.title == "Scaling by √d_k" && scaling.text == "Divide the scores by sqrt(d) .")
        #expect(index.entries.first { $0.anchor == "cell-scores" }?.text == "let scores = q.matmul(k.T)\n")
        #expect(!index.entries.contains { $0.text.contains("expectEqual") })   // a hidden check's code is not searchable
        #expect(index.entries.allSatisfy { $0.page == "01-attention.html" && $0.lesson == "Attention" })
        // The anchors are the page's.
        let page = LessonPage(report: LessonReport(lesson: try Self.lesson(), cells: [], duration: 0)).render()
        for anchor in index.entries.map(\.anchor) where anchor.hasPrefix("scaling") || anchor == "softmax" {
            #expect(page.contains("id=\"\(anchor)\""))
        }
    }

    @Test func theIndexIsAScriptThatCannotCloseItsOwnTag() throws {
        var lesson = try Self.lesson()
        lesson.blocks.append(.prose(markdown: "A lesson that writes `</script>` in its prose.", startLine: 40))
        let script = SearchIndex(lessons: [lesson]).script
        #expect(script.hasPrefix("window.cuadernoSearchIndex = [{"))
        #expect(!script.contains("</script>") && script.contains(#"<\/script>"#))
        #expect(script == SearchIndex(lessons: [lesson]).script)
    }

    @Test func theSearchPageListsEverySectionForReadersWithoutJavaScript() throws {
        let page = SearchPage(courseTitle: "Course", index: SearchIndex(lessons: [try Self.lesson()]),
                              strings: .english).render()
        #expect(page.contains(#"<a href="01-attention.html#scaling-by-d_k">Scaling by √d_k</a>"#))
        #expect(page.contains(#"<label for="search-query">Search</label>"#))
        #expect(page.contains(#"data-one="1 result" data-many="0 results""#))
        #expect(page.contains(#"<script src="search-index.js"></script>"#))
    }
}
