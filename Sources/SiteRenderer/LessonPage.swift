import LessonEngine
import LessonProtocol

/// The HTML page of one lesson: its prose, and every cell with its code, output and errors.
public struct LessonPage {
    public var report: LessonReport

    public init(report: LessonReport) {
        self.report = report
    }

    /// The page's file name, e.g. `01-self-attention.html`.
    public static func fileName(slug: String) -> String { slug + ".html" }

    public func render() -> String {
        let lesson = report.lesson
        var body = "<nav><a href=\"index.html\">Course index</a></nav>\n<main>\n<header>\n"
        body += "<h1>\(HTML.escape(lesson.frontMatter.title))</h1>\n"
        if let summary = lesson.frontMatter.summary {
            body += "<p class=\"summary\">\(HTML.escape(summary))</p>\n"
        }
        body += "</header>\n"
        if let failure = report.machineryFailure {
            body += "<div class=\"error\"><p class=\"label\">The lesson could not be run</p><pre>\(HTML.escape(failure))</pre></div>\n"
        }
        var results = report.cells.makeIterator()
        for block in lesson.blocks {
            switch block {
            case .prose(let markdown, _):
                body += HTML.markdown(markdown)
            case .cell:
                if let result = results.next() { body += render(result) }
            }
        }
        body += "</main>\n"
        return PageTemplate.page(title: lesson.frontMatter.title, language: lesson.frontMatter.language, body: body)
    }

    private func render(_ result: CellResult) -> String {
        let cell = result.cell
        var html = "<section class=\"cell cell-\(cell.kind.rawValue)\" id=\"\(anchor(for: cell))\">\n"
        let code = "<pre><code class=\"language-swift\">\(HTML.escape(cell.code))</code></pre>\n"
        switch cell.kind {
        case .setup:
            html += "<details><summary>Setup code</summary>\n\(code)</details>\n"
        case .norun:
            html += "<p class=\"label\">Shown, not run</p>\n" + code
        case .fails:
            html += "<p class=\"label\">Expected to fail</p>\n" + code
        case .exercise:
            html += "<p class=\"label\">Exercise</p>\n" + code
        case .check:
            html += "<p class=\"label\">Check</p>\n" + code
        case .code:
            html += code
        }
        for item in result.output {
            html += render(item)
        }
        switch result.status {
        case .succeeded, .shownOnly:
            break
        case .failedAsExpected(let message):
            html += "<div class=\"expected\"><p class=\"label\">Failed, as intended</p><pre>\(HTML.escape(message))</pre></div>\n"
        case .failed(let failure):
            html += "<div class=\"error\"><p class=\"label\">\(HTML.escape(label(for: failure.kind)))</p><pre>\(HTML.escape(failure.message))</pre></div>\n"
        case .notRun(let reason):
            html += "<p class=\"not-run\">\(HTML.escape(reason))</p>\n"
        }
        return html + "</section>\n"
    }

    private func render(_ item: OutputItem) -> String {
        switch item {
        case .expectation(let expectation):
            guard !expectation.passed else { return "" }
            return "<div class=\"error\"><pre>\(HTML.escape(expectation.message))</pre></div>\n"
        case .text(let text):
            return "<div class=\"output\"><pre>\(HTML.escape(text))</pre></div>\n"
        case .display(let display):
            switch display.kind {
            case .text: return "<div class=\"output\"><pre>\(HTML.escape(display.payload))</pre></div>\n"
            case .markdown: return "<div class=\"output\">\(HTML.markdown(display.payload))</div>\n"
            case .svg: return "<figure class=\"output\">\(display.payload)</figure>\n"
            }
        }
    }

    private func label(for kind: CellFailure.Kind) -> String {
        switch kind {
        case .compileError: "Compile error"
        case .runtimeError: "Runtime error"
        case .timedOut: "Time limit"
        case .outputLimit: "Output limit"
        case .unexpectedSuccess: "Expected to fail, but succeeded"
        }
    }

    private func anchor(for cell: Cell) -> String {
        cell.id.map { "cell-\($0)" } ?? "cell-\(cell.index + 1)"
    }
}
