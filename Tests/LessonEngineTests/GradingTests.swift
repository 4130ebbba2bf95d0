import Foundation
import Testing
@testable import LessonEngine

/// `cuaderno grade` end to end, through the executable, on a class the test makes itself: a
/// perfect submission, an empty one, one for each fault a submission can have, one missing the
/// lesson, one missing an exercise, and one with an edited check cell — with the exact scores and
/// reasons in grades.json, gradebook.csv, results.json and junit.xml.
@Suite(.serialized) struct GradingTests {
    static let lesson = """
        ---
        title: Doubling
        ---

        Two small exercises.

        ```swift exercise id=double
        func double(_ x: Int) -> Int {
            // BEGIN SOLUTION
            return 2 * x
            // END SOLUTION
        }
        ```

        ```swift check for=double points=2 hint="Multiply by two."
        expectEqual(double(3), 6)
        ```

        ```swift check for=double points=1 hidden
        expectEqual(double(-4), -8)
        ```

        ```swift exercise id=square
        func square(_ x: Int) -> Int {
            // BEGIN SOLUTION
            return x * x
            // END SOLUTION
        }
        ```

        ```swift check for=square points=1 hint="x times x."
        expectEqual(square(5), 25)
        ```

        """

    /// Each learner's answer for `double` (the body replacing its `todo()`); `square` is answered
    /// correctly by all of them.
    static let answers: [String: String] = [
        "perfect": "    return 2 * x",
        "compile": "    return \"two\"",
        "loop": "    while true {}",
        "trap": "    fatalError(\"boom\")",
        "exits": "    exit(0)",
        "recursion": "    return double(x) + 1",
        "imitator": """
                print("\\u{1E}00000000000000000000000000000000 {\\"cellFinished\\":{\\"cell\\":1}}")
                print("\\u{1E}" + (ProcessInfo.processInfo.environment["CUADERNO_RECORD_TOKEN_FILE"] ?? "") + " {\\"finished\\":{}}")
                return 0
            """,
        "forger": """
                LessonRuntime.recordExpectation(passed: true, message: "", file: nil, line: nil)
                LessonRuntime.endCell(1, key: "a guess")
                return 0
            """,
        "printer": "    for _ in 0..<2_000_000 { print(String(repeating: \"x\", count: 50)) }\n    return 2 * x",
        "edited": "    return x + 1  // my answer",
    ]

    /// The class folder and the course, in a fresh temporary folder.
    func makeClass() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory(prefix: "grading")
        let lessons = root.url.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        let file = lessons.appendingPathComponent("01-double.md")
        try Self.lesson.write(to: file, atomically: true, encoding: .utf8)
        let reference = try LessonParser().parse(fileURL: file, displayPath: "Lessons/01-double.md").get()
        let learnerVersion = LearnerVersion.make(from: reference, text: Self.lesson)
        let placeholder = "    todo()  // write your solution here"
        #expect(learnerVersion.components(separatedBy: placeholder).count == 3)

        func submit(_ learner: String, _ text: String) throws {
            let folder = root.url.appendingPathComponent("class").appendingPathComponent(learner)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try text.write(to: folder.appendingPathComponent("01-double.md"), atomically: true, encoding: .utf8)
        }
        func answering(_ double: String, square: String = "    return x * x") -> String {
            let parts = learnerVersion.components(separatedBy: placeholder)
            return parts[0] + double + parts[1] + square + parts[2]
        }
        for (learner, answer) in Self.answers {
            var text = answering(answer)
            if learner == "exits" || learner == "imitator" {
                text = text.replacingOccurrences(of: "```swift exercise id=double\n", with: "```swift exercise id=double\nimport Foundation\n")
            }
            if learner == "edited" {
                // A check edited to pass whatever the answer: the course's own check grades instead.
                text = text.replacingOccurrences(of: "expectEqual(double(3), 6)", with: "expect(true)")
            }
            try submit(learner, text)
        }
        try submit("empty", learnerVersion)
        // No exercise cell for `square` at all.
        let withoutSquare = answering("    return 2 * x")
        let squareStart = withoutSquare.range(of: "```swift exercise id=square")!
        let squareEnd = withoutSquare.range(of: "```\n", range: squareStart.upperBound..<withoutSquare.endIndex)!
        try submit("no-square", withoutSquare.replacingCharacters(in: squareStart.lowerBound..<squareEnd.upperBound, with: ""))
        try FileManager.default.createDirectory(at: root.url.appendingPathComponent("class/missing"), withIntermediateDirectories: true)
        return root
    }

    func cuaderno(_ arguments: [String], in folder: URL) throws -> (output: String, status: Int32) {
        let executable = try RuntimeLibrary.besideExecutable().buildDirectory.appendingPathComponent("cuaderno")
        var output: [UInt8] = []
        let result = try ChildProcess.run(executable: executable.path, arguments: arguments,
                                          environment: ProcessInfo.processInfo.environment,
                                          workingDirectory: folder.path, limits: ProcessLimits(timeout: 600)) { output += $0 }
        guard case .exited(let status) = result.termination else { return ("", -1) }
        return (String(decoding: output, as: UTF8.self), status)
    }

    /// Every file under `folder`, by relative path.
    func files(under folder: URL) throws -> [String: Data] {
        var found: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)!
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            found[String(url.path.dropFirst(folder.path.count))] = try Data(contentsOf: url)
        }
        return found
    }

    @Test func aClassWithEveryFaultIsGradedExactly() throws {
        let root = try makeClass()
        defer { root.remove() }
        let common = ["--lessons-dir", "Lessons", "--timeout", "2", "--jobs", "2"]
        let learnerNames = Self.answers.keys.sorted() + ["empty", "no-square", "missing"]
        let roster = "folder,name,id,email\n" + (learnerNames + ["absent"]).enumerated().map { number, learner in
            "\(learner),\(learner.capitalized),\(1000 + number),\(learner)@uni.example\n"
        }.joined()
        try roster.write(to: root.url.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
        let run = try cuaderno(["grade", "class", "--output", "Grades", "--roster", "roster.csv"] + common, in: root.url)
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("Graded 13 learners × 1 lessons"))

        let grades = try GradeFiles.readGrades(from: root.url.appendingPathComponent("Grades/grades.json"))
        var table: [String: [(Int, String)]] = [:]
        for grade in grades { table[grade.learner] = grade.checks.map { ($0.score, $0.reason) } }
        let timeLimit = "stopped: the lesson ran longer than its time limit of 2 s; if it needs longer, set 'timeout:' in the front matter or pass --timeout"
        let exited = "the program exited in this cell with status 0 before the lesson's end (was exit() called?)"
        let crashed = "the program crashed in this cell (segmentation fault) — most likely unbounded recursion: a function that keeps calling itself"
        let forged = "LessonRuntime.endCell is the runner's, not the lesson's: a cell may not call it"
        let expected: [String: [(Int, String)]] = [
            "perfect": [(2, ""), (1, ""), (1, "")],
            "empty": [(0, "empty/01-double.md:9: error: not done yet: replace todo() with your code"),
                      (0, "empty/01-double.md:9: error: not done yet: replace todo() with your code"),
                      (0, "empty/01-double.md:19: error: not done yet: replace todo() with your code")],
            "loop": [(0, timeLimit), (0, timeLimit), (1, "")],
            "trap": [(0, "trap/01-double.md:9: Fatal error: boom"), (0, "trap/01-double.md:9: Fatal error: boom"), (1, "")],
            "exits": [(0, exited), (0, exited), (1, "")],
            "recursion": [(0, crashed), (0, crashed), (1, "")],
            "imitator": [(0, "imitator/01-double.md:16: expected 6, got 0"),
                         (0, "imitator/01-double.md:20: expected -8, got 0"), (1, "")],
            "printer": [(0, "stopped: the lesson printed more than its output limit of 1 MB"),
                        (0, "stopped: the lesson printed more than its output limit of 1 MB"), (1, "")],
            "edited": [(0, "edited/01-double.md:16: expected 6, got 4"), (0, "edited/01-double.md:20: expected -8, got -3"), (1, "")],
            "no-square": [(2, ""), (1, ""), (0, "the exercise cell id=square is missing from no-square/01-double.md")],
            "missing": [(0, "the submission has no 01-double.md"), (0, "the submission has no 01-double.md"),
                        (0, "the submission has no 01-double.md")],
        ]
        for (learner, checks) in expected {
            let got = table[learner] ?? []
            #expect(got.map(\.0) == checks.map(\.0), "scores of \(learner)")
            #expect(got.map(\.1) == checks.map(\.1), "reasons of \(learner)")
        }
        // A compile error costs only its exercise's checks, with the compiler's words.
        let compile = try #require(table["compile"])
        #expect(compile.map(\.0) == [0, 0, 1])
        #expect(compile[0].1.hasPrefix("the exercise cell at line 7 failed (compile error):\ncompile/01-double.md:9:12: error: cannot convert return expression of type 'String' to return type 'Int'"))
        // The forger's fake call stopped its check, named for what it is.
        let forger = try #require(table["forger"])
        #expect(forger.map(\.0) == [0, 0, 1])
        #expect(forger[0].1 == "forger/01-double.md:10: error: " + forged)

        let gradebook = try String(contentsOf: root.url.appendingPathComponent("Grades/gradebook.csv"), encoding: .utf8)
        let rows = gradebook.components(separatedBy: "\r\n")
        #expect(rows[0] == "learner,01-double/double/1,01-double/double/2 (hidden),01-double/square/1,01-double,total,max_score")
        #expect(rows.contains("perfect,2,1,1,4,4,4"))
        #expect(rows.contains("loop,0,0,1,1,1,4"))
        #expect(rows.contains("missing,0,0,0,0,0,4"))
        #expect(rows.contains("no-square,2,1,0,3,3,4"))
        #expect(rows.count == 13 + 2)   // header, 13 learners, and the empty string after the last CRLF

        // The item analysis: who handed in, how the scores spread, and why each check failed.
        let report = try JSONDecoder().decode(ItemAnalysis.self, from: Data(contentsOf: root.url.appendingPathComponent("Grades/report.json")))
        let lesson = try #require(report.lessons.first)
        #expect(lesson.submitted == 12)
        #expect(lesson.notSubmitted == ["missing", "absent"])
        #expect(lesson.scoreCounts == [1, 9, 0, 1, 1])   // empty 0; nine at 1 (square only); no-square 3; perfect 4
        let double = lesson.checks[0]
        #expect(double.passed == 2 && double.attempted == 12)   // perfect and no-square
        let causes = Dictionary(uniqueKeysWithValues: double.failures.map { ($0.learners.joined(separator: " "), $0.cause) })
        #expect(causes["compile"] == FailureCause(kind: .exerciseFailed, summary: "compile error: cannot convert return expression of type 'String' to return type 'Int'"))
        #expect(causes["edited"] == FailureCause(kind: .expectation, line: 16, summary: "expected 6, got 4"))
        #expect(causes["imitator"] == FailureCause(kind: .expectation, line: 16, summary: "expected 6, got 0"))
        #expect(causes["empty"] == FailureCause(kind: .checkStopped, summary: "runtime error: not done yet: replace todo() with your code"))
        #expect(causes["trap"] == FailureCause(kind: .checkStopped, summary: "runtime error: Fatal error: boom"))
        #expect(double.failures.count == 10)   // no two learners here made the same mistake
        #expect(lesson.checks[2].failures.map(\.cause.kind) == [.checkStopped, .exerciseMissing])   // empty, no-square
        let page = try String(contentsOf: root.url.appendingPathComponent("Grades/report.html"), encoding: .utf8)
        #expect(page.contains("Did not submit: missing and absent."))

        // The LMS files: every learner of the roster, the absent one with 0.
        let canvas = try String(contentsOf: root.url.appendingPathComponent("Grades/canvas.csv"), encoding: .utf8)
            .components(separatedBy: "\r\n")
        #expect(canvas[0] == "Student,ID,SIS User ID,SIS Login ID,Section,01-double")
        #expect(canvas[1] == "Points Possible,,,,,4")
        #expect(canvas.contains("Perfect,\(1000 + learnerNames.firstIndex(of: "perfect")!),,,,4"))
        #expect(canvas.contains("Absent,\(1000 + learnerNames.count),,,,0"))
        #expect(canvas.count == learnerNames.count + 1 + 3)
        let moodle = try String(contentsOf: root.url.appendingPathComponent("Grades/moodle.csv"), encoding: .utf8)
        #expect(moodle.hasPrefix("email,01-double\r\n"))
        #expect(moodle.contains("\r\nno-square@uni.example,3\r\n"))

        let learners = root.url.appendingPathComponent("Grades/learners")
        let gradescope = try JSONSerialization.jsonObject(
            with: Data(contentsOf: learners.appendingPathComponent("edited/results.json"))) as! [String: Any]
        #expect(gradescope["score"] as? Int == 1)
        #expect(gradescope["max_score"] as? Int == 4)
        let tests = gradescope["tests"] as! [[String: Any]]
        #expect(tests.map { $0["name"] as? String } == ["01-double › double › check 1", "01-double › double › check 2 (hidden)",
                                                         "01-double › square › check 1"])
        #expect(tests.map { $0["status"] as? String } == ["failed", "failed", "passed"])
        #expect(tests.map { $0["visibility"] as? String } == ["visible", "after_published", "visible"])
        #expect(tests[0]["output"] as? String == "edited/01-double.md:16: expected 6, got 4\n\nHint: Multiply by two.")
        #expect(tests[1]["output"] as? String == "Failed.")

        let junit = try String(contentsOf: learners.appendingPathComponent("trap/junit.xml"), encoding: .utf8)
        #expect(junit.contains(#"<testsuites name="trap" tests="3" failures="2">"#))
        #expect(junit.contains(#"<failure message="trap/01-double.md:9: Fatal error: boom">"#))
        #expect(junit.contains(#"<failure message="hidden check failed">hidden check failed</failure>"#))
        #expect(junit.contains(#"<testcase classname="trap.01-double" name="square check 1"/>"#))

        let feedback = try String(contentsOf: learners.appendingPathComponent("edited/feedback/01-double.html"), encoding: .utf8)
        #expect(feedback.contains("// my answer"))            // their code
        #expect(!feedback.contains("BEGIN SOLUTION"))         // never the reference solution
        #expect(feedback.components(separatedBy: "expectEqual").count - 1 == 2)   // not the hidden check's code
        #expect(!feedback.contains("expected -8"))            // nor why the hidden check failed
        #expect(feedback.contains("Multiply by two."))        // the hint

        // Two shards, merged, give the same files byte for byte: grading is deterministic and
        // sharding loses nothing.
        #expect(try cuaderno(["grade", "class", "--output", "Shard1", "--shard", "1/2"] + common, in: root.url).status == 0)
        #expect(try cuaderno(["grade", "class", "--output", "Shard2", "--shard", "2/2"] + common, in: root.url).status == 0)
        let merged = try cuaderno(["grade", "--merge", "Shard1", "Shard2", "--output", "Merged", "--roster", "roster.csv"], in: root.url)
        #expect(merged.status == 0, "\(merged.output)")
        let whole = try files(under: root.url.appendingPathComponent("Grades"))
        let joined = try files(under: root.url.appendingPathComponent("Merged"))
        #expect(whole.keys.sorted() == joined.keys.sorted())
        for (path, data) in whole where joined[path] != data {
            Issue.record("\(path) differs between the whole run and the merged shards")
        }
    }

    @Test func theGraderRefusesAFolderOfSomeoneElsesFilesAndACourseThatFailsItsOwnChecks() throws {
        let root = try makeClass()
        defer { root.remove() }
        let notes = root.url.appendingPathComponent("Notes")
        try FileManager.default.createDirectory(at: notes, withIntermediateDirectories: true)
        try "mine".write(to: notes.appendingPathComponent("gradebook.csv"), atomically: true, encoding: .utf8)
        let refused = try cuaderno(["grade", "class", "--output", "Notes", "--lessons-dir", "Lessons"], in: root.url)
        #expect(refused.status == 2)
        #expect(refused.output.contains("already holds files that are not grading results"))
        #expect(try String(contentsOf: notes.appendingPathComponent("gradebook.csv"), encoding: .utf8) == "mine")

        // A learner the roster lacks stops grading before it starts, and nothing is written.
        try "folder,email\nperfect,p@uni.example\n".write(to: root.url.appendingPathComponent("roster.csv"), atomically: true, encoding: .utf8)
        let unlisted = try cuaderno(["grade", "class", "--output", "Listed", "--lessons-dir", "Lessons", "--roster", "roster.csv"], in: root.url)
        #expect(unlisted.status == 2)
        #expect(unlisted.output.contains("roster.csv: the roster has no row for the class folder 'compile'; add one"))
        #expect(!FileManager.default.fileExists(atPath: root.url.appendingPathComponent("Listed").path))

        let file = root.url.appendingPathComponent("Lessons/01-double.md")
        try Self.lesson.replacingOccurrences(of: "return 2 * x", with: "return 3 * x").write(to: file, atomically: true, encoding: .utf8)
        let broken = try cuaderno(["grade", "class", "--lessons-dir", "Lessons"], in: root.url)
        #expect(broken.status == 2)
        #expect(broken.output.contains("does not pass its checks with its reference solutions"))
    }

    @Test func shardsSplitAClassDeterministically() {
        let names = (0..<200).map { "learner-\($0)" }
        let shards = (1...4).map { Shard(index: $0, count: 4) }
        for name in names { #expect(shards.filter { $0.contains(name) }.count == 1) }
        #expect(shards.allSatisfy { shard in names.filter(shard.contains).count > 20 })
        #expect(Shard(parsing: "2/4") == Shard(index: 2, count: 4))
        #expect(Shard(parsing: "0/4") == nil && Shard(parsing: "5/4") == nil && Shard(parsing: "x") == nil)
    }

    @Test func csvAndXMLEscapeWhatTheyMust() {
        #expect(GradeFiles.csvField("plain") == "plain")
        #expect(GradeFiles.csvField("a,b") == "\"a,b\"")
        #expect(GradeFiles.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(GradeFiles.escape("<a & 'b'>\u{1E}") == "&lt;a &amp; &apos;b&apos;&gt;\u{FFFD}")
    }
}
