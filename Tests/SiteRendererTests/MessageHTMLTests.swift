import LessonEngine
import Testing
@testable import SiteRenderer

/// How messages under a cell are marked up: each location, from its typed value, in a
/// `<span class="location">`; everything escaped.
@Suite struct MessageHTMLTests {
    @Test func aCompileErrorWithItsNoteMarksEachLocation() {
        let messages = [
            LocatedMessage(location: SourceLocation(file: "Lessons/01-x.md", line: 12, column: 5), severity: .error,
                           text: "cannot convert <value>\nlet y: Int = \"s\"\n    ^"),
            LocatedMessage(location: SourceLocation(file: "Lessons/01-x.md", line: 3, column: 1), severity: .note,
                           text: "did you mean 'x'?"),
        ]
        #expect(CellView.messageHTML(messages) == """
            <span class="location">Lessons/01-x.md:12:5:</span> error: cannot convert &lt;value&gt;
            let y: Int = &quot;s&quot;
                ^
            <span class="location">Lessons/01-x.md:3:1:</span> note: did you mean &#39;x&#39;?
            """)
    }

    @Test func aLocationWithoutAColumnAndAMessageWithoutALocation() {
        let messages = [
            LocatedMessage(location: SourceLocation(file: "Lessons/01-x.md", line: 16), text: "expected 6, got 4"),
            LocatedMessage(text: "Fatal error: Index out of range\n(raised inside the Swift standard library)"),
            LocatedMessage(location: SourceLocation(file: "Lessons/01-x.md", line: 20), severity: .error,
                           text: "shapes differ", cellLines: 20...21),
        ]
        #expect(CellView.messageHTML(messages) == """
            <span class="location">Lessons/01-x.md:16:</span> expected 6, got 4
            Fatal error: Index out of range
            (raised inside the Swift standard library)
            <span class="location">Lessons/01-x.md:20:</span> error: shapes differ (in the cell at lines 20–21; \
            an operator such as + cannot report its exact line)
            """)
    }
}
