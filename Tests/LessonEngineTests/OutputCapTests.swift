import Foundation
import Testing
@testable import LessonEngine
@testable import SiteRenderer

/// Long output is cut to its first and last lines with a count of the rest between; the program
/// runs on and the cells after it still run.
@Suite struct OutputCapTests {
    static let small = OutputCap(headLines: 3, tailLines: 2, headBytes: 40, tailBytes: 20)

    @Test func shortTextIsKeptWhole() {
        let text = "one\ntwo\nthree\nfour\nfive\n"
        #expect(Self.small.apply([.text(text)]) == [.text(text)])
        #expect(Self.small.apply([.text("")]) == [.text("")])
    }

    @Test func manyLinesKeepTheirHeadAndTail() {
        let text = (1...10).map { "line \($0)\n" }.joined()
        #expect(Self.small.apply([.text(text)]) == [
            .text("line 1\nline 2\nline 3\n"),
            .omitted(OmittedOutput(lines: 5, bytes: "line 4\nline 5\nline 6\nline 7\nline 8\n".utf8.count)),
            .text("line 9\nline 10\n"),
        ])
        // Without a final newline, the last line still counts as one.
        let open = (1...10).map { "line \($0)" }.joined(separator: "\n")
        #expect(Self.small.apply([.text(open)]).last == .text("line 9\nline 10"))
    }

    @Test func oneHugeLineIsCutByBytesAtCharacterBoundaries() throws {
        // "é" is two bytes: a byte limit may fall inside one, and must not split it.
        let text = String(repeating: "é", count: 100)
        let items = Self.small.apply([.text(text)])
        guard case .text(let head) = items[0], case .omitted(let omitted) = items[1], case .text(let tail) = items[2] else {
            Issue.record("expected head, omitted, tail; got \(items)")
            return
        }
        #expect(head == String(repeating: "é", count: 20))
        #expect(tail == String(repeating: "é", count: 10))
        #expect(omitted == OmittedOutput(lines: 1, bytes: 140))
        #expect(head.utf8.count + omitted.bytes + tail.utf8.count == text.utf8.count)
    }

    @Test func itemsOtherThanTextAreUntouched() {
        let expectation = OutputItem.expectation(Expectation(passed: true, message: "", line: 3))
        #expect(Self.small.apply([expectation]) == [expectation])
    }

    @Test func theLinesNotShownAreCountedAsAReaderReadsThem() {
        #expect(InterfaceStrings.english.linesNotShown(1_999_780, 13_888_890) == "1,999,780 lines not shown (13.9 MB)")
        #expect(InterfaceStrings.spanish.linesNotShown(1_234, 999) == "1.234 líneas no mostradas (999 bytes)")
        #expect(InterfaceStrings.english.linesNotShown(1, 12_345) == "1 line not shown (12.3 kB)")
    }

    /// Issue 23's flood: two million lines in one cell no longer make a 16 MB page or stop the lesson.
    @Test func aCellPrintingTwoMillionLinesLeavesASmallPageAndTheNextCellRuns() throws {
        let lesson = """
            ---
            title: A flood
            ---

            ```swift
            for i in 0..<2_000_000 { print(i) }
            ```

            ```swift
            print("the next cell ran")
            ```
            """
        let report = try runLesson(lesson, timeout: 120)
        #expect(report.cells.allSatisfy { $0.status == .succeeded })
        let flood = report.cells[0].output
        #expect(flood.count == 3)
        #expect(flood.first == .text((0..<200).map { "\($0)\n" }.joined()))
        #expect(flood.last == .text((1_999_980..<2_000_000).map { "\($0)\n" }.joined()))
        let omittedBytes = (200..<1_999_980).reduce(0) { $0 + String($1).utf8.count + 1 }
        #expect(flood[1] == .omitted(OmittedOutput(lines: 1_999_780, bytes: omittedBytes)))

        let page = LessonPage(report: report).render()
        #expect(page.utf8.count < 2_000_000, "the page has \(page.utf8.count) bytes")
        #expect(page.contains("… 1,999,780 lines not shown (14.9 MB) …"))
        #expect(page.contains("the next cell ran"))
    }
}
