import Foundation
import Testing
@testable import LessonEngine

/// The learner's workflow through the `cuaderno` executable itself, as a new learner meets it:
/// start, status, run (failing, with hints), fix, run (passing), status moves on.
@Suite(.serialized) struct LearnerWorkflowTests {
    /// What one command printed and its exit status.
    struct CommandResult {
        var output: String
        var status: Int32
    }

    /// A course folder with `Lessons/`: lesson 1 is `ExerciseTests.lesson`, lesson 2 another exercise.
    func makeCourse() throws -> TemporaryDirectory {
        let root = try TemporaryDirectory(prefix: "learner")
        let lessons = root.url.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        try ExerciseTests.lesson.write(to: lessons.appendingPathComponent("01-double.md"), atomically: true, encoding: .utf8)
        try """
            ---
            title: Triple
            ---
            ```swift exercise id=triple
            func triple(_ x: Int) -> Int {
                // BEGIN SOLUTION
                return 3 * x
                // END SOLUTION
            }
            ```
            ```swift check for=triple points=1
            expectEqual(triple(2), 6)
            ```
            """.write(to: lessons.appendingPathComponent("02-triple.md"), atomically: true, encoding: .utf8)
        return root
    }

    /// Runs `cuaderno` (built beside the tests) in `folder`.
    func cuaderno(_ arguments: String..., in folder: URL, environment extra: [String: String] = [:]) throws -> CommandResult {
        let executable = try RuntimeLibrary.besideExecutable().buildDirectory.appendingPathComponent("cuaderno")
        var output: [UInt8] = []
        var environment = ProcessInfo.processInfo.environment
        environment.merge(extra) { $1 }
        let result = try ChildProcess.run(executable: executable.path, arguments: arguments, environment: environment,
                                          workingDirectory: folder.path, limits: ProcessLimits(timeout: 120)) { output += $0 }
        guard case .exited(let status) = result.termination else {
            Issue.record("cuaderno \(arguments.joined(separator: " ")) ended with \(result.termination)")
            return CommandResult(output: "", status: -1)
        }
        return CommandResult(output: String(decoding: output, as: UTF8.self), status: status)
    }

    func edit(_ file: URL, replacing old: String, with new: String) throws {
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains(old))
        try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
    }

    @Test func aNewLearnerWorksThroughLessonOne() throws {
        let root = try makeCourse()
        defer { root.remove() }
        let folder = root.url

        let noWorkbook = try cuaderno("status", in: folder)
        #expect(noWorkbook.status == 1)
        #expect(noWorkbook.output.contains("There is no workbook in Workbook/ yet: run 'cuaderno start'"))

        #expect(try cuaderno("start", in: folder).status == 0)
        let fresh = try cuaderno("status", in: folder)
        #expect(fresh.output.contains("·  1  T       not started · 0/2 points"))
        #expect(fresh.output.contains("·  2  Triple  not started · 0/1 point"))
        #expect(fresh.output.contains("Next: lesson 1, T (Workbook/01-double.md)"))

        // Not done yet: every check fails with "not done yet" and no hint, and exit status 1.
        let notDone = try cuaderno("run", "1", in: folder)
        #expect(notDone.status == 1)
        #expect(notDone.output.contains("✗ double, check at line 9 · 0/2 points"))
        #expect(notDone.output.contains("Workbook/01-double.md:6: error: not done yet: replace todo() with your code"))
        #expect(!notDone.output.contains("hint"))
        #expect(!notDone.output.contains("Multiply by two."))
        #expect(notDone.output.contains("✗ 0 of 1 visible check passes · 0/2 points · 1 hidden check runs when grading"))
        #expect(!notDone.output.contains("\u{1B}["))  // not a terminal: no colour
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Output/workbook/01-double.html").path))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("Output/workbook/index.html").path))
        #expect(try cuaderno("status", in: folder).output.contains("✗  1  T       1 failing · 0/2 points"))

        // A wrong answer: what was expected and what came, with the line of the expectation.
        let lesson = folder.appendingPathComponent("Workbook/01-double.md")
        try edit(lesson, replacing: "todo()  // write your solution here", with: "return x + 2")
        let wrong = try cuaderno("run", "1", "--color", "always", in: folder)
        #expect(wrong.status == 1)
        #expect(wrong.output.contains("Workbook/01-double.md:10: expected 6, got 5"))
        #expect(wrong.output.contains("\u{1B}[31m✗\u{1B}[0m double"))
        #expect(wrong.output.contains("\u{1B}[33mhint available: \u{1B}[0mcuaderno hint 1"))
        #expect(!wrong.output.contains("Multiply by two."))

        // Solved: exit 0, status marks lesson 1 done and moves on to lesson 2.
        try edit(lesson, replacing: "return x + 2", with: "return 2 * x")
        let solved = try cuaderno("run", in: folder)  // the next lesson is still lesson 1
        #expect(solved.status == 0)
        #expect(solved.output.contains("✓ double, check at line 9 · 2/2 points"))
        #expect(solved.output.contains("Next: lesson 2, Triple — 'cuaderno run 2'."))
        let after = try cuaderno("status", in: folder)
        #expect(after.output.contains("✓  1  T       done · 2/2 points"))
        #expect(after.output.contains("Next: lesson 2, Triple (Workbook/02-triple.md)"))
        #expect(try cuaderno("next", in: folder).output.hasPrefix("Next: lesson 2, Triple"))

        // Starting again keeps the learner's work.
        let again = try cuaderno("start", in: folder)
        #expect(again.output.contains("kept Workbook/01-double.md: you have edited it"))
        #expect(try String(contentsOf: lesson, encoding: .utf8).contains("return 2 * x"))
    }

    @Test func colourFollowsNoColorAndTheColorOption() throws {
        let root = try makeCourse()
        defer { root.remove() }
        #expect(try cuaderno("start", in: root.url).status == 0)
        let always = try cuaderno("status", "--color", "always", in: root.url)
        #expect(always.output.contains("\u{1B}["))
        let never = try cuaderno("status", "--color", "never", in: root.url)
        #expect(!never.output.contains("\u{1B}["))
    }

    @Test func aLessonThatCannotBeReadExitsWithTwo() throws {
        let root = try makeCourse()
        defer { root.remove() }
        #expect(try cuaderno("start", in: root.url).status == 0)
        try "---\ntitle: X\n---\n```swift check for=nothing\nexpect(true)\n```\n"
            .write(to: root.url.appendingPathComponent("Workbook/03-broken.md"), atomically: true, encoding: .utf8)
        let broken = try cuaderno("run", "3", in: root.url)
        #expect(broken.status == 2)
        #expect(broken.output.contains("Workbook/03-broken.md:4: error: check for 'nothing', but this lesson has no exercise with id=nothing"))
        let missing = try cuaderno("run", "7", in: root.url)
        #expect(missing.status == 2)
        #expect(missing.output.contains("no lesson '7'"))
    }

    /// Lesson 1 of `makeCourse()` with two hint tiers in place of its one hint.
    func makeCourseWithTiers() throws -> TemporaryDirectory {
        let root = try makeCourse()
        try edit(root.url.appendingPathComponent("Lessons/01-double.md"), replacing: #"hint="Multiply by two.""#,
                 with: #"hint="What does doubling a number mean?" hint="Multiply by two.""#)
        return root
    }

    @Test func hintsComeOneTierAtATimeAndNeverBeforeAnAttempt() throws {
        let root = try makeCourseWithTiers()
        defer { root.remove() }
        let folder = root.url
        #expect(try cuaderno("start", in: folder).status == 0)
        #expect(try cuaderno("status", in: folder).output.contains("T       not started · 0/2 points · 1 hidden check runs when grading"))

        // todo() still there: neither run nor hint reveals anything.
        let notDone = try cuaderno("run", "1", in: folder)
        #expect(!notDone.output.contains("hint"))
        let tooSoon = try cuaderno("hint", "1", in: folder)
        #expect(tooSoon.status == 0)
        #expect(tooSoon.output.contains("Try first: the exercise double (line 4 of Workbook/01-double.md) still has todo()."))
        #expect(!tooSoon.output.contains("doubling"))

        // A wrong attempt: a hint is available, but not shown.
        let lesson = folder.appendingPathComponent("Workbook/01-double.md")
        try edit(lesson, replacing: "todo()  // write your solution here", with: "return x + 2")
        let wrong = try cuaderno("run", "1", in: folder)
        #expect(wrong.status == 1)
        #expect(wrong.output.contains("hint available: cuaderno hint 1"))
        #expect(!wrong.output.contains("doubling") && !wrong.output.contains("Multiply"))
        #expect(wrong.output.contains("✗ 0 of 1 visible check passes · 0/2 points · 1 hidden check runs when grading"))

        // One tier per ask, then no more.
        let first = try cuaderno("hint", "1", in: folder)
        #expect(first.output.contains("Hint 1 of 2 for double/1 (the check at line 9 of Workbook/01-double.md):"))
        #expect(first.output.contains("  What does doubling a number mean?"))
        #expect(first.output.contains("Another hint if you need it: 'cuaderno hint 1'."))
        #expect(!first.output.contains("Multiply"))
        let second = try cuaderno("hint", "1", "--check", "double/1", in: folder)
        #expect(second.output.contains("Hint 2 of 2 for double/1"))
        #expect(second.output.contains("  Multiply by two."))
        #expect(second.output.contains("That was the last hint for this check."))
        let none = try cuaderno("hint", "1", in: folder)
        #expect(none.output.contains("No more hints for double/1 (the check at line 9): you have seen all 2 of them."))
        let unknown = try cuaderno("hint", "1", "--check", "triple", in: folder)
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("Workbook/01-double.md: error: no check 'triple' in this lesson. Name an exercise (double) or one of its checks: double/1 (line 9)."))

        // The tiers seen are shown again by run, and nothing more is offered.
        let again = try cuaderno("run", "1", in: folder)
        #expect(again.output.contains("hint 1 of 2: What does doubling a number mean?"))
        #expect(again.output.contains("hint 2 of 2: Multiply by two."))
        #expect(!again.output.contains("hint available"))
        let progress = try String(contentsOf: folder.appendingPathComponent("Workbook/.cuaderno/progress.json"), encoding: .utf8)
        #expect(progress.contains("\"double/1\""))
        #expect(progress.contains("\"tiersSeen\" : 2"))
    }

    @Test func runRevealsTheNextTierWhenAnEditedAttemptFailsAgain() throws {
        let root = try makeCourseWithTiers()
        defer { root.remove() }
        let folder = root.url
        #expect(try cuaderno("start", in: folder).status == 0)
        let lesson = folder.appendingPathComponent("Workbook/01-double.md")
        try edit(lesson, replacing: "todo()  // write your solution here", with: "return x + 2")
        #expect(!(try cuaderno("run", "1", in: folder).output.contains("doubling")))
        #expect(!(try cuaderno("run", "1", in: folder).output.contains("doubling")))  // the same attempt again
        try edit(lesson, replacing: "return x + 2", with: "return x + 3")
        let edited = try cuaderno("run", "1", in: folder)
        #expect(edited.output.contains("hint 1 of 2 (new): What does doubling a number mean?"))
        #expect(edited.output.contains("hint available: cuaderno hint 1"))
        #expect(!edited.output.contains("Multiply"))
    }

    @Test func resetPutsTheExerciseBackAndKeepsTheLearnersVersion() throws {
        let root = try makeCourse()
        defer { root.remove() }
        let folder = root.url
        #expect(try cuaderno("start", in: folder).status == 0)
        let lesson = folder.appendingPathComponent("Workbook/01-double.md")
        let released = try String(contentsOf: lesson, encoding: .utf8)
        try edit(lesson, replacing: "todo()  // write your solution here", with: "return x + 2")
        try edit(lesson, replacing: "print(\"after the checks\")", with: "print(\"my own note\")")
        let mine = try String(contentsOf: lesson, encoding: .utf8)
        let firstBackup = folder.appendingPathComponent("Workbook/01-double.md.~1~")

        // No terminal to ask on and no --yes: refused, nothing changed.
        let refused = try cuaderno("reset", "1", in: folder)
        #expect(refused.status == 1)
        #expect(refused.output.contains("reset needs your confirmation, and there is no terminal to ask on: run it again with --yes"))
        #expect(refused.output.contains("Nothing was changed."))
        #expect(try String(contentsOf: lesson, encoding: .utf8) == mine)
        #expect(!FileManager.default.fileExists(atPath: firstBackup.path))

        // An unknown exercise is named with the lesson's exercises.
        let unknown = try cuaderno("reset", "1", "--exercise", "tripple", "--yes", in: folder)
        #expect(unknown.status == 1)
        #expect(unknown.output.contains("Workbook/01-double.md: error: no exercise 'tripple' in this lesson; its exercises: double"))

        // --yes: the exercise is as released, the rest of the file as the learner left it.
        let reset = try cuaderno("reset", "1", "--yes", in: folder)
        #expect(reset.status == 0)
        #expect(reset.output.contains("Reset double (line 4). Your version is in Workbook/01-double.md.~1~."))
        #expect(try String(contentsOf: lesson, encoding: .utf8)
            == released.replacingOccurrences(of: "print(\"after the checks\")", with: "print(\"my own note\")"))
        #expect(try String(contentsOf: firstBackup, encoding: .utf8) == mine)

        // Nothing left to reset; a second reset keeps the first copy and makes another.
        #expect(try cuaderno("reset", "1", "--yes", in: folder).output.contains("Nothing to reset: double in Workbook/01-double.md is already as released."))
        try edit(lesson, replacing: "todo()  // write your solution here", with: "return 2 * x")
        let secondMine = try String(contentsOf: lesson, encoding: .utf8)
        #expect(try cuaderno("reset", "1", "--exercise", "double", "-y", in: folder).status == 0)
        #expect(try String(contentsOf: firstBackup, encoding: .utf8) == mine)
        #expect(try String(contentsOf: folder.appendingPathComponent("Workbook/01-double.md.~2~"), encoding: .utf8) == secondMine)
        // The workbook still reads as a course: the copies are not lessons.
        #expect(try cuaderno("status", in: folder).output.contains("T       not started"))
    }

    /// Everything a running `cuaderno` printed so far.
    final class Transcript: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes: [UInt8] = []
        func append(_ data: Data) { lock.withLock { bytes += data } }
        var text: String { lock.withLock { String(decoding: bytes, as: UTF8.self) } }

        /// Waits until `text` has been printed `count` times (or two minutes pass).
        func waitFor(_ text: String, count: Int = 1) -> Bool {
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline {
                if self.text.components(separatedBy: text).count - 1 >= count { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
    }

    @Test func watchRunsTheLessonAtEachSaveAndFollowsTheCourse() throws {
        let root = try makeCourse()
        defer { root.remove() }
        let folder = root.url
        #expect(try cuaderno("start", in: folder).status == 0)
        let process = Process()
        process.executableURL = try RuntimeLibrary.besideExecutable().buildDirectory.appendingPathComponent("cuaderno")
        process.arguments = ["watch"]
        process.currentDirectoryURL = folder
        let transcript = Transcript(), pipe = Pipe()
        pipe.fileHandleForReading.readabilityHandler = { transcript.append($0.availableData) }
        process.standardOutput = pipe
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        #expect(transcript.waitFor("Watching Workbook/01-double.md: save it to run it again; Ctrl-C stops."))
        #expect(transcript.text.contains("not done yet: replace todo() with your code"))

        // Saved by renaming a new file into place, as many editors do: run again, a wrong answer.
        let lesson = folder.appendingPathComponent("Workbook/01-double.md")
        try edit(lesson, replacing: "todo()  // write your solution here", with: "return x + 2")
        #expect(transcript.waitFor("Watching Workbook/01-double.md", count: 2))
        #expect(transcript.text.contains("Workbook/01-double.md:10: expected 6, got 5"))

        // Saved in place: every check passes, and watch moves on to the next lesson with exercises.
        let handle = try FileHandle(forUpdating: lesson)
        let text = try String(contentsOf: lesson, encoding: .utf8).replacingOccurrences(of: "return x + 2", with: "return x * 2")
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
        #expect(transcript.waitFor("Watching the next lesson, Workbook/02-triple.md, now."))
        #expect(transcript.waitFor("Watching Workbook/02-triple.md: save it to run it again"))
        #expect(transcript.text.contains("✓ double, check at line 9 · 2/2 points"))

        process.interrupt()  // Ctrl-C
        process.waitUntilExit()
        #expect(transcript.waitFor("Stopped watching."))
        #expect(process.terminationStatus == 0)
        #expect(try cuaderno("status", in: folder).output.contains("✓  1  T       done · 2/2 points"))
    }
}
