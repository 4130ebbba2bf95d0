import Foundation
import LessonEngine
import LessonProtocol
import Testing
@testable import SiteRenderer

/// A report for a lesson, with results given by hand (no compiling): one per cell, in order.
private func report(_ markdown: String, results: [(CellStatus, [OutputItem])]) throws -> LessonReport {
    let lesson = try LessonParser().parse(text: markdown, displayPath: "Lessons/01-test.md",
                                          fileURL: URL(fileURLWithPath: "/tmp/01-test.md"), slug: "01-test").get()
    let cells = zip(lesson.cells, results).map { CellResult(cell: $0, status: $1.0, output: $1.1) }
    return LessonReport(lesson: lesson, cells: cells, duration: 0.5)
}

@Suite struct LessonPageTests {
    let lesson = """
        ---
        title: Attention <b>
        summary: Scores & weights.
        ---
        ## Cell 1

        Prose with $\\frac{a}{b}$.

        ```swift setup
        let hidden = 1
        ```

        ```swift
        print("<script>alert(1)</script>")
        ```

        ```swift fails
        let x: Int = "s"
        ```
        """

    func page(navigation: CourseNavigation = CourseNavigation()) throws -> String {
        let lessonReport = try report(lesson, results: [
            (.succeeded, []),
            (.succeeded, [.text("<script>alert(1)</script>\n")]),
            (.failedAsExpected([LocatedMessage(location: SourceLocation(file: "Lessons/01-test.md", line: 19, column: 14),
                                                severity: .error, text: "cannot convert <value>")]), []),
        ])
        return LessonPage(report: lessonReport, navigation: navigation).render()
    }

    @Test func printedTextIsEscaped() throws {
        let html = try page()
        #expect(html.contains("<pre class=\"output\">&lt;script&gt;alert(1)&lt;/script&gt;\n</pre>"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("<title>Attention &lt;b&gt;</title>"))
    }

    @Test func renderingTwiceGivesTheSameBytes() throws {
        #expect(try page() == page())
    }

    @Test func theFrameHasTitleSummaryContentsAndLanguage() throws {
        let html = try page()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n"))
        #expect(html.contains("<h1>Attention &lt;b&gt;</h1>\n<p class=\"summary\">Scores &amp; weights.</p>"))
        // The heading "Cell 1" must not take the first cell's anchor.
        #expect(html.contains("<li><a href=\"#cell-1-2\">Cell 1</a></li>"))
        #expect(html.contains("<div class=\"cell cell-setup\" id=\"cell-1\">"))
        #expect(html.contains("<details class=\"setup\"><summary>Setup code</summary>"))
        #expect(html.contains("<math><mfrac><mi>a</mi><mi>b</mi></mfrac></math>"))
    }

    @Test func errorsNameTheirLocation() throws {
        let html = try page()
        #expect(html.contains("<pre><span class=\"location\">Lessons/01-test.md:19:14:</span> error: cannot convert &lt;value&gt;</pre>"))
    }

    @Test func previousAndNextLinksFollowTheCourseOrder() throws {
        let course = [LessonLink(slug: "00-intro", title: "Intro"), LessonLink(slug: "01-test", title: "Test"),
                      LessonLink(slug: "02-next", title: "Después", language: "es")]
        let navigation = CourseNavigation(slug: "01-test", in: course)
        #expect(navigation == CourseNavigation(previous: course[0], next: course[2]))
        let html = try page(navigation: navigation)
        #expect(html.contains("<a class=\"previous\" rel=\"prev\" href=\"00-intro.html\"><span class=\"label\">← Previous</span> Intro</a>"))
        #expect(html.contains("<a class=\"next\" rel=\"next\" href=\"02-next.html\" hreflang=\"es\"><span class=\"label\">Next →</span> Después</a>"))
        #expect(CourseNavigation(slug: "00-intro", in: course).previous == nil)
    }

    @Test func aSpanishLessonHasSpanishWords() throws {
        let spanish = lesson.replacingOccurrences(of: "summary:", with: "lang: es\nsummary:")
        let lessonReport = try report(spanish, results: [(.succeeded, []), (.succeeded, [.text("hola\n")]), (.succeeded, [])])
        let html = LessonPage(report: lessonReport, navigation: CourseNavigation(next: LessonLink(slug: "02", title: "B")))
            .render()
        #expect(html.contains("<html lang=\"es\">"))
        for word in ["Contenido", "Salida", "Siguiente", "Código de preparación", "Índice del curso", "Debe fallar"] {
            #expect(html.contains(word), "missing \(word)")
        }
        #expect(!html.contains(">Contents<"))
    }

    @Test func formulaMistakesAreListedWithFileAndLine() throws {
        let broken = lesson.replacingOccurrences(of: "\\frac{a}{b}", with: "\\frac{a}{\\bogus}")
        let lessonReport = try report(broken, results: [(.succeeded, []), (.succeeded, []), (.succeeded, [])])
        let expected = "Lessons/01-test.md:7: error: in math at column 22: unknown TeX command '\\bogus'; "
            + "see the README for the supported commands"
        #expect(MathCheck.errors(in: lessonReport.lesson).map(\.description) == [expected])
        let html = LessonPage(report: lessonReport).render()
        #expect(html.contains("<merror><mtext>\\bogus</mtext></merror>"))
        #expect(html.contains("<span class=\"location\">Lessons/01-test.md:7:</span>"))
    }
}

@Suite struct IndexPageTests {
    @Test func entriesShowWhatTheLastRenderFound() {
        let entries = [
            IndexEntry(slug: "01-a", title: "A", summary: "First & best", status: .ran(passed: 7, failed: 0)),
            IndexEntry(slug: "02-b", title: "B", summary: nil, status: .ran(passed: 5, failed: 1), mathErrorCount: 2),
            IndexEntry(slug: "03-c", title: "C", summary: nil, status: .invalid(errorCount: 1)),
            IndexEntry(slug: "04-d", title: "D", summary: nil, status: .ran(passed: 3, failed: 0),
                       checks: CheckTally(passed: 4, total: 4)),
        ]
        let html = IndexPage(courseTitle: "Course", entries: entries).render()
        #expect(html.contains("<li><a class=\"title\" href=\"01-a.html\">A</a>\n<span class=\"status\"><span class=\"ok\">✓ 7 cells ran</span></span>\n<p>First &amp; best</p>\n</li>"))
        #expect(html.contains("<span class=\"bad\">✗ 1 of 6 cells failed</span><span class=\"bad\">✗ 2 mistakes in formulas</span>"))
        #expect(html.contains("<span class=\"bad\">✗ 1 error in the lesson file</span>"))
        #expect(html.contains("<span class=\"checks passed\">4/4 checks ✓</span><span class=\"ok\">✓ 3 cells ran</span>"))
    }

    @Test func theIndexSpeaksTheCourseLanguage() {
        let html = IndexPage(courseTitle: "Curso", entries: [
            IndexEntry(slug: "01-a", title: "A", summary: nil, status: .ran(passed: 1, failed: 1)),
        ], language: "es").render()
        #expect(html.contains("<html lang=\"es\">"))
        #expect(html.contains("<h2>Lecciones</h2>"))
        #expect(html.contains("✗ 1 de 2 celdas falló"))
    }
}

@Suite struct CheckVerdictTests {
    let lesson = """
        ---
        title: Checks
        ---
        ```swift exercise id=e
        func f() -> Int {
            // BEGIN SOLUTION
            return 1
            // END SOLUTION
        }
        ```
        ```swift check for=e points=2 hint="Return <one>." hint="Write the number after zero."
        expectEqual(f(), 1)
        ```
        ```swift check for=e hidden
        expectEqual(f(), 1)
        ```
        """

    @Test func aFailedCheckShowsItsPointsMessageAndHintAndAHiddenOneOnlyItsVerdict() throws {
        let failed = Expectation(passed: false, message: "expected 1, got 2", line: 13)
        let html = LessonPage(report: try report(lesson, results: [
            (.succeeded, []),
            (.succeeded, [.expectation(failed)]),
            (.succeeded, [.expectation(Expectation(passed: true, message: "", line: 16))]),
        ])).render()
        #expect(html.contains("<div class=\"check failed\"><p><strong>✗ Check failed</strong> <span class=\"points\">0/2 points</span></p>"))
        #expect(html.contains("<span class=\"location\">Lessons/01-test.md:13:</span> expected 1, got 2"))
        // The hints are folded, the second inside the first, and never open up front.
        #expect(html.contains("""
            <details class="hint"><summary>Hint</summary>
            <p>Return &lt;one&gt;.</p>
            <details class="hint"><summary>Another hint</summary>
            <p>Write the number after zero.</p>
            </details>
            </details>
            """))
        #expect(!html.contains("<details class=\"hint\" open"))
        #expect(html.contains("<strong>✓ Check passed</strong> (hidden check, run when grading) <span class=\"points\">1/1 point</span>"))
        // The hidden check's code is not on the page, and expectations are not listed as output.
        #expect(html.components(separatedBy: "expectEqual").count == 2)
        #expect(!html.contains(">Output<"))
    }

    @Test func anExerciseThatStillHasTodoShowsNoHint() throws {
        let learner = lesson.replacingOccurrences(of: "    // BEGIN SOLUTION\n    return 1\n    // END SOLUTION\n",
                                                  with: "    todo()  // write your solution here\n")
        let lesson = try LessonParser(version: .learner).parse(text: learner, displayPath: "Workbook/01-test.md",
                                                               fileURL: URL(fileURLWithPath: "/tmp/01-test.md"), slug: "01-test").get()
        let notDone = CellResult(cell: lesson.cells[1], status: .failed(CellFailure(kind: .runtimeError,
            message: "Workbook/01-test.md:6: error: not done yet: replace todo() with your code")), output: [])
        let html = LessonPage(report: LessonReport(lesson: lesson, cells: [CellResult(cell: lesson.cells[0], status: .succeeded, output: []),
                                                                         notDone, CellResult(cell: lesson.cells[2], status: .succeeded, output: [])],
                                                   duration: 0.1)).render()
        #expect(html.contains("not done yet"))
        #expect(!html.contains("class=\"hint\""))
        #expect(!html.contains("Return &lt;one&gt;"))
    }
}

@Suite struct TensorTableViewTests {
    @Test func aTensorTableHasItsShapeAndDtypeAndEscapesItsCells() {
        let html = TensorTableView.html(#"{"dtype":"float64","rows":[["0.5","<b>"],[null,null]],"shape":[7,2]}"#)
        #expect(html == """
            <div class="tensor-table"><table>
            <caption>shape (7, 2) · float64</caption>
            <tr><td>0.5</td><td>&lt;b&gt;</td></tr>
            <tr><td class="gap">⋯</td><td class="gap">⋯</td></tr>
            </table></div>

            """)
    }
}
