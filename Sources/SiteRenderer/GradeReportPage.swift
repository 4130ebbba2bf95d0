import Figures
import Foundation
import LessonEngine

/// `report.html`, the instructor's page of a grading run: for each lesson the spread of scores
/// (a histogram), a table of its checks (pass rate, discrimination, the commonest failure), the
/// checks nobody passes, who did not submit, and every check's failures grouped by cause, each
/// group with its size and one learner's whole message.
///
/// Made from an ``ItemAnalysis`` alone: the same grades give the same bytes. Like every page of
/// the site it loads nothing: the stylesheet is inlined and the histograms are inline SVG.
public struct GradeReportPage {
    public var analysis: ItemAnalysis
    /// Where the learners' programs ran (nil when the grades do not say).
    public var sandbox: SandboxChoice?

    public init(analysis: ItemAnalysis, sandbox: SandboxChoice?) {
        self.analysis = analysis
        self.sandbox = sandbox
    }

    public func render() -> String {
        var body = "<main class=\"report\">\n<h1>Grading report</h1>\n"
        body += "<p class=\"summary\">\(HTML.escape(overview))</p>\n"
        if sandbox == SandboxChoice.none {
            body += "<p class=\"bad\">These programs ran with --sandbox none: with the grader's rights, so a learner's program could read the hidden checks. Grade again with the sandbox before trusting the scores.</p>\n"
        }
        if !analysis.absentLearners.isEmpty {
            body += "<p>In the roster but with no folder in the class (0 points everywhere): "
                + "\(HTML.escape(Self.list(analysis.absentLearners))).</p>\n"
        }
        if analysis.lessons.count > 1 {
            body += "<nav class=\"toc\" aria-label=\"Lessons\">\n<ol>\n"
            for lesson in analysis.lessons {
                body += "<li><a href=\"#\(HTML.escape(lesson.lesson))\">\(HTML.escape(lesson.title))</a></li>\n"
            }
            body += "</ol>\n</nav>\n"
        }
        for lesson in analysis.lessons {
            body += section(lesson)
        }
        body += "</main>\n"
        return PageTemplate.page(title: "Grading report", language: "en", body: body)
    }

    private var overview: String {
        let learners = analysis.learners == 1 ? "1 learner" : "\(analysis.learners) learners"
        let lessons = analysis.lessons.count == 1 ? "1 lesson" : "\(analysis.lessons.count) lessons"
        let place: String
        switch sandbox {
        case .some(.bwrap): place = "; every program ran in the bubblewrap sandbox"
        case .some(.none): place = "; programs ran unsandboxed"
        case nil: place = ""
        }
        return "\(learners) graded on \(lessons)\(place)."
    }

    private func section(_ lesson: LessonAnalysis) -> String {
        var html = "<section id=\"\(HTML.escape(lesson.lesson))\">\n"
        html += "<h2>\(HTML.escape(lesson.title)) <code>\(HTML.escape(lesson.lesson))</code></h2>\n"
        let everyone = lesson.submitted + lesson.notSubmitted.count
        var facts = "Submitted by \(lesson.submitted) of \(everyone)"
        if let mean = lesson.meanScore, let median = lesson.medianScore {
            facts += "; mean \(Self.number(mean)), median \(Self.number(median)) of \(lesson.maxScore) points"
        }
        html += "<p>\(HTML.escape(facts)).</p>\n"
        if !lesson.notSubmitted.isEmpty {
            html += "<p>Did not submit: \(HTML.escape(Self.list(lesson.notSubmitted))).</p>\n"
        }
        if lesson.submitted > 0 {
            html += "<figure class=\"output\">\(histogram(lesson).svg)</figure>\n"
        }
        let broken = lesson.checks.filter(\.everyoneFails)
        if !broken.isEmpty && lesson.submitted > 1 {
            html += "<p class=\"bad\">✗ Every learner who submitted fails \(HTML.escape(Self.list(broken.map(\.name)))): "
                + "look at the check and the lesson before the learners.</p>\n"
        }
        html += checkTable(lesson)
        let failing = lesson.checks.filter { !$0.failures.isEmpty }
        if !failing.isEmpty {
            html += "<h3>Why checks failed</h3>\n"
            for check in failing {
                html += clusters(check)
            }
        }
        html += "</section>\n"
        return html
    }

    private func histogram(_ lesson: LessonAnalysis) -> BarChart {
        BarChart(categories: lesson.scoreCounts.indices.map(String.init),
                 title: "Scores on \(lesson.title) (\(lesson.submitted) submitted)",
                 xLabel: "points (of \(lesson.maxScore))", yLabel: "learners", showValues: true,
                 width: 560, height: 260)
            .adding(lesson.scoreCounts.map(Double.init))
    }

    private func checkTable(_ lesson: LessonAnalysis) -> String {
        var html = "<div class=\"table-scroll\">\n<table class=\"report\">\n<thead><tr><th scope=\"col\">Check</th><th scope=\"col\">Points</th>"
            + "<th scope=\"col\">Passed</th><th scope=\"col\">Pass rate</th>"
            + "<th scope=\"col\"><abbr title=\"Correlation between passing this check and the score on the rest of the lesson\">Discrimination</abbr></th>"
            + "<th scope=\"col\">Commonest failure</th></tr></thead>\n<tbody>\n"
        for check in lesson.checks {
            let name = check.name.split(separator: "/").dropFirst().joined(separator: " / ")
            html += "<tr><th scope=\"row\">\(HTML.escape(name))\(check.hidden ? " <span class=\"not-run\">hidden</span>" : "")</th>"
            html += "<td class=\"number\">\(check.points)</td>"
            html += "<td class=\"number\">\(check.passed) of \(check.attempted)</td>"
            let rate = check.passRate.map(Self.percent) ?? "–"
            html += "<td class=\"number\(check.everyoneFails ? " bad" : "")\">\(rate)</td>"
            html += "<td class=\"number\">\(check.discrimination.map { Self.number($0, decimals: 2) } ?? "–")</td>"
            if let top = check.failures.first {
                html += "<td class=\"cause\">\(HTML.escape(Self.percent(top.share))): \(HTML.escape(Self.describe(top.cause)))</td>"
            } else {
                html += "<td class=\"cause\"></td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</div>\n"
        return html
    }

    private func clusters(_ check: CheckAnalysis) -> String {
        var html = "<h4><code>\(HTML.escape(check.name))</code>\(check.hidden ? " (hidden)" : ""): "
            + "\(check.attempted - check.passed) of \(check.attempted) failed</h4>\n<ol class=\"clusters\">\n"
        for cluster in check.failures {
            let who = cluster.count == 1 ? "1 learner" : "\(cluster.count) learners"
            html += "<li><strong>\(HTML.escape(Self.percent(cluster.share)))</strong> (\(who)): "
                + "\(HTML.escape(Self.describe(cluster.cause)))\n"
            html += "<details><summary>\(HTML.escape(cluster.exampleLearner))’s message"
                + (cluster.count > 1 ? " and who else" : "") + "</summary>\n"
            html += "<pre>\(HTML.escape(cluster.example))</pre>\n"
            if cluster.count > 1 {
                html += "<p>\(HTML.escape(Self.list(cluster.learners)))</p>\n"
            }
            html += "</details></li>\n"
        }
        html += "</ol>\n"
        return html
    }

    /// A cause in words: `line 243: 4 of 16 values differ…`, `exercise failed: compile error: …`.
    static func describe(_ cause: FailureCause) -> String {
        switch cause.kind {
        case .expectation: return cause.line.map { "line \($0): \(cause.summary)" } ?? cause.summary
        default: return "\(cause.kind.rawValue): \(cause.summary)"
        }
    }

    static func percent(_ share: Double) -> String {
        String(format: "%.0f %%", share * 100)
    }

    static func number(_ value: Double, decimals: Int = 1) -> String {
        let text = String(format: "%.\(decimals)f", value)
        return text.hasPrefix("-") ? "−" + text.dropFirst() : text
    }

    /// `a, b and c`.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + items.last!
        }
    }
}
