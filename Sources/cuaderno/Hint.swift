import ArgumentParser
import Foundation
import LessonEngine

/// `cuaderno hint N [--check ID]`: the next hint tier of a failing check, once the learner has tried.
struct Hint: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the next hint for a check that failed in your last run of a lesson.",
        discussion: """
            A check's hints come in tiers: first a nudge about where to look, then the method in \
            words. Each 'cuaderno hint N' shows the next tier you have not seen, for the first \
            failing check (or the one named with --check), and remembers that you saw it \
            (Workbook/.cuaderno/progress.json). An exercise that still has todo() gets no hint: \
            try it first.
            """)

    @Argument(help: "The lesson, by number (1), name (01-self-attention) or path; the next lesson when omitted.")
    var lesson: String?

    @Option(help: ArgumentHelp("The check: an exercise id (its first failing check) or one check, such as causal-mask/2.",
                               valueName: "id"))
    var check: String?

    @OptionGroup var location: WorkbookOptions

    func run() throws {
        let style = TerminalStyle(location.color)
        try LearnerCommand.withLesson(lesson, in: location, exitCode: 1) { workbook, file in
            let name = file.lastPathComponent
            let displayPath = Course.displayPath(of: file)
            let current: Lesson
            switch LessonParser(version: .learner).parse(fileURL: file, displayPath: displayPath) {
            case .success(let lesson):
                current = lesson
            case .failure(let errors):
                throw LearnerProblem(description: errors.errors.map(\.description).joined(separator: "\n")
                    + "\nFix the lines above, run the lesson, then ask for a hint.")
            }
            let number = Course.number(of: name) ?? 0
            var progress = try workbook.progress()
            // An unknown --check is reported as it is: it names the file and the checks there are.
            let answer = try HintRequest.answer(lesson: current, record: progress.lessons[name],
                                                hints: &progress.hints[name, default: [:]], check: check)
            if case .tier = answer { try progress.save(to: workbook.directory) }
            HintPrinter(style: style, lesson: number, displayPath: displayPath, named: check).print(answer)
        }
    }
}

/// What `cuaderno hint` prints for each answer.
struct HintPrinter {
    var style: TerminalStyle
    var lesson: Int
    var displayPath: String
    /// The `--check` the learner gave, repeated in the command for the next tier.
    var named: String?

    func print(_ answer: HintAnswer) {
        let command = "cuaderno hint \(lesson)" + (named.map { " --check \($0)" } ?? "")
        switch answer {
        case .tier(let reference, let line, let number, let count, let text):
            Swift.print(style.hint("Hint \(number) of \(count)") + " for \(reference) (the check at line \(line) of \(displayPath)):")
            Swift.print("  " + text)
            if number < count {
                Swift.print(style.dim("Another hint if you need it: '\(command)'."))
            } else {
                Swift.print(style.dim("That was the last hint for this check."))
            }
        case .allSeen(let reference, let line, let tiers):
            Swift.print("No more hints for \(reference) (the check at line \(line)): you have seen all \(tiers.count) of them.")
            for (index, tier) in tiers.enumerated() {
                Swift.print("  " + style.hint("\(index + 1).") + " " + tier)
            }
        case .noHints(let reference, let line):
            Swift.print("\(reference) (the check at line \(line)) has no hints: what it printed when it failed is what there is to go on.")
        case .tryFirst(let exercise, let line):
            Swift.print("Try first: the exercise \(exercise) (line \(line) of \(displayPath)) still has todo(). "
                + "Write your attempt in its place and run 'cuaderno run \(lesson)'; if a check still fails, "
                + "'cuaderno hint \(lesson)' gives a hint.")
        case .runFirst:
            Swift.print("Run the lesson first ('cuaderno run \(lesson)'): hints are for checks that failed on your own code, "
                + "and your last run has not seen it.")
        case .passed(let reference):
            if let reference {
                Swift.print("\(reference) passed in your last run: no hint needed.")
            } else {
                Swift.print(style.passed("✓") + " Every check of \(displayPath) passed in your last run: no hint needed.")
            }
        }
    }
}
