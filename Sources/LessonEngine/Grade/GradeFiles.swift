import Foundation

/// The files a grading run writes, each rendered from the grades alone (no times, no paths of
/// the machine), so grading the same inputs twice gives the same bytes.
///
/// ```
/// RESULTS/grades.json                     every grade, for `cuaderno grade --merge`
/// RESULTS/gradebook.csv                   a row per learner: each check, each lesson, the total
/// RESULTS/report.json                     the item analysis (report.html: written by the cuaderno tool)
/// RESULTS/canvas.csv, moodle.csv          LMS grade imports (with a roster)
/// RESULTS/learners/NAME/results.json      Gradescope's autograder format
/// RESULTS/learners/NAME/junit.xml         a test case per check
/// RESULTS/learners/NAME/feedback/         the learner's pages (written by the cuaderno tool)
/// ```
public enum GradeFiles {
    public static let gradesFile = "grades.json"
    public static let gradebookFile = "gradebook.csv"
    public static let learnersFolder = "learners"
    public static let gradescopeFile = "results.json"
    public static let junitFile = "junit.xml"
    public static let reportJSONFile = "report.json"
    public static let reportHTMLFile = "report.html"

    // MARK: - grades.json

    public static func gradesJSON(_ grades: [LearnerGrade]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(grades)) ?? Data("[]".utf8)) + Data("\n".utf8)
    }

    public static func readGrades(from file: URL) throws -> [LearnerGrade] {
        try JSONDecoder().decode([LearnerGrade].self, from: Data(contentsOf: file))
    }

    // MARK: - gradebook.csv

    /// One row per learner: `learner`, a column per check (`lesson/exercise/n`, hidden ones
    /// marked), a column per lesson, `total` and `max_score` (RFC 4180 quoting).
    public static func gradebook(_ grades: [LearnerGrade]) -> String {
        let columns = grades.first?.checks ?? []
        let lessons = grades.first?.lessons.map(\.lesson) ?? []
        var header = ["learner"]
        header += columns.map { $0.hidden ? "\($0.name) (hidden)" : $0.name }
        header += lessons
        header += ["total", "max_score"]
        var rows = [header]
        for grade in grades {
            var row = [grade.learner]
            row += grade.checks.map { String($0.score) }
            row += grade.lessons.map { String($0.score) }
            row += [String(grade.score), String(grade.maxScore)]
            rows.append(row)
        }
        return csv(rows)
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    // MARK: - report.json

    /// The item analysis as JSON (sorted keys, so the same grades give the same bytes).
    public static func reportJSON(_ analysis: ItemAnalysis) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(analysis)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    // MARK: - Gradescope results.json

    private struct GradescopeResults: Encodable {
        var score: Int
        var max_score: Int
        var output: String
        var tests: [GradescopeTest]
    }

    private struct GradescopeTest: Encodable {
        var name: String
        var score: Int
        var max_score: Int
        var status: String
        var output: String
        var visibility: String
    }

    /// Gradescope's autograder `results.json`: the learner's score and a test per check; hidden
    /// checks are visible only after the grades are published, and show their verdict alone.
    public static func gradescope(_ grade: LearnerGrade) -> Data {
        let tests = grade.checks.map { check in
            GradescopeTest(name: testName(check), score: check.score, max_score: check.points,
                           status: check.passed ? "passed" : "failed",
                           output: check.hidden ? (check.passed ? "Passed." : "Failed.") : feedback(check),
                           visibility: check.hidden ? "after_published" : "visible")
        }
        let results = GradescopeResults(score: grade.score, max_score: grade.maxScore,
                                        output: "\(grade.score)/\(grade.maxScore) points", tests: tests)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return ((try? encoder.encode(results)) ?? Data("{}".utf8)) + Data("\n".utf8)
    }

    /// `01-self-attention › causal-mask › check 2 (hidden)`.
    public static func testName(_ check: CheckGrade) -> String {
        "\(check.lesson) › \(check.exercise) › check \(check.number)" + (check.hidden ? " (hidden)" : "")
    }

    /// What a learner reads about a visible check: why it failed, its hints (every tier: the
    /// grade is final, so nothing is left to try first), what it printed.
    static func feedback(_ check: CheckGrade) -> String {
        var parts: [String] = []
        if !check.reason.isEmpty { parts.append(check.reason) }
        if !check.passed && !check.hints.isEmpty {
            parts.append(HintTiers.lines(check.hints, word: "Hint").joined(separator: "\n"))
        }
        if !check.output.isEmpty { parts.append("Output:\n\(check.output)") }
        return parts.isEmpty ? "Passed." : parts.joined(separator: "\n\n")
    }

    // MARK: - JUnit XML

    /// A `<testsuite>` per lesson and a `<testcase>` per check; a failed check has a `<failure>`
    /// with its reason (hidden checks: the verdict only).
    public static func junit(_ grade: LearnerGrade) -> String {
        let failures = grade.checks.filter { !$0.passed }.count
        var xml = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        xml += #"<testsuites name="\#(escape(grade.learner))" tests="\#(grade.checks.count)" failures="\#(failures)">"# + "\n"
        for lesson in grade.lessons {
            let lessonFailures = lesson.checks.filter { !$0.passed }.count
            xml += #"  <testsuite name="\#(escape(lesson.lesson))" tests="\#(lesson.checks.count)" failures="\#(lessonFailures)">"# + "\n"
            for check in lesson.checks {
                let name = "\(check.exercise) check \(check.number)" + (check.hidden ? " (hidden)" : "")
                let opening = #"    <testcase classname="\#(escape(grade.learner)).\#(escape(check.lesson))" name="\#(escape(name))""#
                if check.passed {
                    xml += opening + "/>\n"
                } else {
                    let detail = check.hidden ? "hidden check failed" : feedback(check)
                    let message = detail.split(separator: "\n").first.map(String.init) ?? "failed"
                    xml += opening + ">\n"
                    xml += #"      <failure message="\#(escape(message))">\#(escape(detail))</failure>"# + "\n"
                    xml += "    </testcase>\n"
                }
            }
            xml += "  </testsuite>\n"
        }
        xml += "</testsuites>\n"
        return xml
    }

    /// XML text with `& < > " '` escaped and characters XML 1.0 cannot carry replaced by U+FFFD.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            case "\t", "\n", "\r": escaped.unicodeScalars.append(scalar)
            default:
                let allowed = scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value)
                escaped.unicodeScalars.append(allowed ? scalar : "\u{FFFD}")
            }
        }
        return escaped
    }

    // MARK: - Writing

    /// Writes `grades.json`, `gradebook.csv`, `report.json`, each learner's `results.json` and
    /// `junit.xml`, and with a roster `canvas.csv` (when it has Canvas identities) and
    /// `moodle.csv` (when it has a Moodle identifier) into `folder`, each file atomically.
    public static func write(_ grades: [LearnerGrade], analysis: ItemAnalysis, roster: Roster?, to folder: URL) throws {
        try AtomicFile.write(gradesJSON(grades), to: folder.appendingPathComponent(gradesFile))
        try AtomicFile.write(gradebook(grades), to: folder.appendingPathComponent(gradebookFile))
        try AtomicFile.write(reportJSON(analysis), to: folder.appendingPathComponent(reportJSONFile))
        if let roster {
            if roster.hasCanvasIdentities {
                try AtomicFile.write(canvas(grades, roster: roster), to: folder.appendingPathComponent(canvasFile))
            }
            if let moodle = moodle(grades, roster: roster) {
                try AtomicFile.write(moodle, to: folder.appendingPathComponent(moodleFile))
            }
        }
        for grade in grades {
            let learnerFolder = folder.appendingPathComponent(learnersFolder).appendingPathComponent(grade.learner)
            try AtomicFile.write(gradescope(grade), to: learnerFolder.appendingPathComponent(gradescopeFile))
            try AtomicFile.write(junit(grade), to: learnerFolder.appendingPathComponent(junitFile))
        }
    }
}
