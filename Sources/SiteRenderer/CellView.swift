import LessonEngine
import LessonProtocol

/// The HTML of one cell: its highlighted code, what it printed and displayed, and how it ended.
///
/// Hooks for styling: `div.cell` with `cell-<kind>` (`cell-code`, `cell-setup`, `cell-norun`,
/// `cell-fails`, and later kinds such as `cell-exercise`), `.cell-output` around its output,
/// `.error` / `.expected` / `.not-run` for its ending.
struct CellView {
    var result: CellResult
    var anchor: String
    var strings: InterfaceStrings
    /// The lesson's path, naming it in the locations of failed expectations.
    var lessonPath: String
    /// Highlighted code kept from earlier renders, if any.
    var highlightMemo: HighlightMemo?
    /// The lesson's named figures' numbers, for this cell's figure caption and for prose it shows.
    var figures = FigureNumbering()
    /// For a check: its exercise still has `todo()`, so its hints stay out of sight (a learner
    /// tries first; the hints come once an attempt fails).
    var withholdsHints = false

    /// The anchor of a cell: `cell-<id>` when it has one, else `cell-<position from 1>`.
    static func anchor(for cell: Cell) -> String {
        cell.id.map { "cell-\($0)" } ?? "cell-\(cell.index + 1)"
    }

    func render(anchors: inout AnchorRegistry) -> String {
        let cell = result.cell
        var html = "<div class=\"cell cell-\(cell.kind.rawValue)\" id=\"\(HTML.escape(anchor))\">\n"
        let code = highlightMemo?.codeBlock(cell.code) ?? SwiftHighlighter.codeBlock(cell.code)
        switch cell.kind {
        case .setup:
            html += "<details class=\"setup\"><summary>\(HTML.escape(strings.setupCode))</summary>\n\(code)</details>\n"
        case .norun:
            html += label(strings.shownNotRun) + code
        case .fails:
            html += label(strings.expectedToFail) + code
        case .exercise:
            html += label(strings.exercise) + code
        case .check:
            // A hidden check shows only its result: its code is for grading.
            if cell.check?.hidden != true { html += label(strings.check) + code }
        case .code:
            html += code
        }
        // Expectations are summed up by the check's verdict, not listed as output; a hidden
        // check shows nothing but its verdict (what it printed or why it failed would give away
        // what it tests).
        let isHidden = cell.check?.hidden == true
        let shown = isHidden ? [] : result.output.filter { item in
            if case .expectation = item { return false }
            return true
        }
        if !shown.isEmpty {
            html += "<div class=\"cell-output\">\n" + label(strings.output)
            // A named cell's first figure is the one its name and caption belong to.
            let named = cell.figure.flatMap { _ in shown.firstIndex { item in
                if case .display(let display) = item { return display.kind == .svg }
                return false
            } }
            for (position, item) in shown.enumerated() {
                if position == named, let label = cell.figure, case .display(let display) = item {
                    html += "<figure class=\"output\" id=\"\(HTML.escape(label.anchor))\">\(display.payload)\(figures.caption(for: label))</figure>\n"
                } else {
                    html += render(item, anchors: &anchors)
                }
            }
            html += "</div>\n"
        }
        if let check = CheckResult(result, file: lessonPath) {
            return html + checkHTML(check) + "</div>\n"
        }
        switch result.status {
        case .succeeded, .shownOnly:
            break
        case .failedAsExpected(let message):
            html += "<div class=\"expected\">\(label(strings.failedAsIntended))"
                + "<pre>\(Self.messageHTML(message))</pre></div>\n"
        case .failed(let failure):
            html += "<div class=\"error\">\(label(strings.failureTitle(failure.kind)))"
                + "<pre>\(Self.messageHTML(failure.messages))</pre></div>\n"
        case .notRun(let reason):
            html += "<p class=\"not-run\">\(HTML.escape(reason.description))</p>\n"
        }
        return html + "</div>\n"
    }

    /// A check's verdict: ✓ or ✗ with its points, then what failed and its hints, folded.
    private func checkHTML(_ check: CheckResult) -> String {
        let state = check.passed ? "passed" : "failed"
        let verdict = check.passed ? "✓ " + strings.checkPassed : "✗ " + strings.checkFailed
        var html = "<div class=\"check \(state)\"><p><strong>\(HTML.escape(verdict))</strong>"
        if check.check.hidden { html += " (\(HTML.escape(strings.hiddenCheck)))" }
        html += " <span class=\"points\">\(HTML.escape(strings.points(check.earned, check.points)))</span></p>\n"
        if !check.failures.isEmpty && !check.check.hidden {
            html += "<pre>\(Self.messageHTML(check.failures))</pre>\n"
            if !withholdsHints { html += hintsHTML(check.check.hints) }
        }
        return html + "</div>\n"
    }

    /// A check's hint tiers, each folded inside the one before it (`<details>`, no script): a
    /// reader opens the nudge first, and the method only from inside it.
    private func hintsHTML(_ hints: [String]) -> String {
        var html = ""
        for (tier, hint) in hints.enumerated().reversed() {
            let summary = tier == 0 ? strings.hint : strings.anotherHint
            html = "<details class=\"hint\"><summary>\(HTML.escape(summary))</summary>\n"
                + "<p>\(HTML.escape(hint))</p>\n\(html)</details>\n"
        }
        return html
    }

    /// One printed text or displayed item. Text is always escaped; SVG comes from the lesson
    /// runtime's figure code and is embedded as it is.
    private func render(_ item: OutputItem, anchors: inout AnchorRegistry) -> String {
        switch item {
        case .text(let text):
            return "<pre class=\"output\">\(HTML.escape(text))</pre>\n"
        case .expectation:
            return ""
        case .omitted(let omitted):
            return "<p class=\"omitted\">… \(HTML.escape(strings.linesNotShown(omitted.lines, omitted.bytes))) …</p>\n"
        case .display(let display):
            switch display.kind {
            case .text: return "<pre class=\"output\">\(HTML.escape(display.payload))</pre>\n"
            case .markdown: return "<div class=\"output\">\(ProseRenderer(display.payload, anchors: &anchors, figures: figures).html)</div>\n"
            case .svg: return "<figure class=\"output\">\(display.payload)</figure>\n"
            case .table: return TensorTableView.html(display.payload)
            }
        }
    }

    private func label(_ text: String) -> String {
        "<p class=\"label\">\(HTML.escape(text))</p>\n"
    }

    /// Messages, escaped, one after another, each message's location (`file:line:col:`) marked
    /// up so it stands out (`<span class="location">`).
    static func messageHTML(_ messages: [LocatedMessage]) -> String {
        messages.map { message in
            guard let location = message.location else { return HTML.escape(message.formatted) }
            return "<span class=\"location\">\(HTML.escape(location.compilerPrefix))</span>"
                + HTML.escape(" " + message.body)
        }.joined(separator: "\n")
    }
}

extension Cell {
    /// The id of the cell's element in its lesson's page (`cell-<id>`, else `cell-<position from 1>`),
    /// for linking or scrolling to it.
    public var pageAnchor: String { CellView.anchor(for: self) }
}
