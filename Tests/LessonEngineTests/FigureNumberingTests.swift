import Foundation
import Testing
@testable import LessonEngine
@testable import SiteRenderer

/// Named figures (`fig=… caption="…"`) are numbered in lesson order, captioned under the figure,
/// and referred to from the prose as `@fig:name`; a reference to no figure is a lesson error at
/// its line.
@Suite struct FigureNumberingTests {
    static func parse(_ text: String) -> Result<Lesson, LessonErrors> {
        LessonParser().parse(text: text, displayPath: "Lessons/01-x.md",
                             fileURL: URL(fileURLWithPath: "/tmp/01-x.md"), slug: "01-x")
    }

    static let lesson = """
        ---
        title: Figures
        ---

        As @fig:loss shows, and @fig:weights too. Not `@fig:in-code`, nor [a link @fig:loss](#x).

        ```swift fig=weights caption="The weights, row by row."
        show(heatmap(Tensor([[1.0, 0.0], [0.0, 1.0]]), title: "Weights"))
        ```

        ```swift
        show(lineplot([3.0, 2.0, 1.5], title: "Unnamed"))
        ```

        ```swift fig=loss
        show(lineplot([3.0, 2.0, 1.0], title: "Loss"))
        show(lineplot([1.0, 2.0], title: "Second figure of the cell"))
        ```

        Back to @fig:weights.
        """

    @Test func namedFiguresAreNumberedInLessonOrder() throws {
        let lesson = try Self.parse(Self.lesson).get()
        #expect(lesson.cells[0].figure == FigureLabel(name: "weights", caption: "The weights, row by row."))
        #expect(lesson.cells[1].figure == nil)
        #expect(lesson.cells[2].figure == FigureLabel(name: "loss"))
        #expect(lesson.figureNumbers == ["weights": 1, "loss": 2])
    }

    @Test func thePageCaptionsTheFiguresAndLinksTheReferences() throws {
        let page = LessonPage(report: try runLesson(Self.lesson)).render()
        #expect(page.contains(##"As <a class="figure-reference" href="#fig-loss">Figure 2</a> shows, and <a class="figure-reference" href="#fig-weights">Figure 1</a> too."##))
        #expect(page.contains("<code>@fig:in-code</code>"))
        #expect(page.contains(##"<a href="#x">a link @fig:loss</a>"##))
        #expect(page.contains(##"Back to <a class="figure-reference" href="#fig-weights">Figure 1</a>."##))
        #expect(page.contains(##"<figure class="output" id="fig-weights"><svg"##))
        #expect(page.contains("<figcaption><strong>Figure 1:</strong> The weights, row by row.</figcaption></figure>"))
        #expect(page.contains("<figcaption><strong>Figure 2</strong></figcaption></figure>"))
        // Only a named cell's first figure is numbered.
        #expect(page.components(separatedBy: "<figcaption>").count - 1 == 2)
        #expect(page.components(separatedBy: ##"id="fig-"##).count - 1 == 2)
    }

    @Test func aSpanishLessonSaysFigura() throws {
        let spanish = Self.lesson.replacingOccurrences(of: "title: Figures", with: "title: Figuras\nlang: es")
        let page = LessonPage(report: try runLesson(spanish)).render()
        #expect(page.contains(##"<a class="figure-reference" href="#fig-loss">Figura 2</a>"##))
        #expect(page.contains("<figcaption><strong>Figura 1:</strong>"))
    }

    @Test func mistakesAreLessonErrorsAtTheirLines() {
        func errors(_ text: String) -> [String] {
            switch Self.parse(text) {
            case .success: return []
            case .failure(let errors): return errors.errors.map(\.description)
            }
        }
        let unknown = """
            ---
            title: X
            ---

            Text.
            See @fig:nowhere, please.

            ```swift fig=known
            print(1)
            ```
            """
        #expect(errors(unknown) == ["Lessons/01-x.md:6: error: @fig:nowhere refers to no figure: the figures of this lesson are known; name a cell's figure with ```swift fig=nowhere"])
        let twice = "---\ntitle: X\n---\n\n```swift fig=a\nprint(1)\n```\n\n```swift fig=a\nprint(2)\n```\n"
        #expect(errors(twice) == ["Lessons/01-x.md:9: error: figure name 'a' is already used by the cell at line 5; figure names must be unique in a lesson"])
        let captionAlone = "---\ntitle: X\n---\n\n```swift caption=\"Alone\"\nprint(1)\n```\n"
        #expect(errors(captionAlone).first?.contains("'caption=' in ```swift caption=\"Alone\" captions a named figure: add fig=some-name") == true)
        let badName = "---\ntitle: X\n---\n\n```swift fig=a.b\nprint(1)\n```\n"
        #expect(errors(badName).first?.contains("an id may only use letters, digits, '-' and '_'") == true)
        let inFence = "---\ntitle: X\n---\n\n```text\n@fig:not-a-reference\n```\n"
        #expect(errors(inFence).isEmpty)
    }
}
