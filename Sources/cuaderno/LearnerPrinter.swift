import Foundation
import LessonEngine

/// Prints what learners read in the terminal: a run's checks with their hints, the workbook's
/// status, and what to do next.
struct LearnerPrinter {
    var style: TerminalStyle

    // MARK: A run

    /// Prints a learner's run of a lesson: the lesson's own problems, then every check, what it
    /// may show of the failing checks' hints, and the total (with the hidden checks grading adds).
    func printRun(_ outcome: LessonOutcome, page: String, hints: HintsShown, hiddenChecks: Int) {
        switch outcome {
        case .invalid(_, let displayPath, let errors):
            print(style.failed("✗ \(displayPath) cannot be read as a lesson, so it did not run:"))
            for error in errors.errors { print("    \(error)") }
            print("  Fix the lines above (the page \(page) shows them too), then run the lesson again.")
        case .ran(let report):
            printRan(report, page: page, hints: hints, hiddenChecks: hiddenChecks)
        }
    }

    private func printRan(_ report: LessonReport, page: String, hints: HintsShown, hiddenChecks: Int) {
        let path = report.lesson.displayPath
        if let problem = LearnerRun.problem(in: report) {
            print(style.failed("✗ \(path) could not run to its end, so its checks cannot tell how you did:"))
            print(Terminal.indented(problem, by: 4))
            print("  If you changed a cell that is not an exercise, undo that change; 'cuaderno start' never replaces a file you edited.")
        }
        for result in report.cells where result.cell.kind == .exercise {
            guard case .failed(let failure) = result.status else { continue }
            print(style.failed("✗ your exercise at line \(result.cell.fenceLine) stopped (\(failure.kind.rawValue)):"))
            print(Terminal.indented(failure.message, by: 4))
        }
        let checks = report.checks
        let references = CheckReference.numbering(checks.map(\.check.exercise))
        for (reference, check) in zip(references, checks) {
            let points = Self.points(check.earned, of: check.points)
            let name = "\(check.check.exercise), check at line \(check.cell.fenceLine)"
            if check.passed {
                print("  " + style.passed("✓") + " \(name) " + style.dim("· \(points)"))
                continue
            }
            print("  " + style.failed("✗") + " \(name) " + style.dim("· \(points)"))
            for failure in check.failures {
                print(Terminal.indented(failure.formatted, by: 6))
            }
            if let offer = hints.offer(for: reference) { printHints(offer, hints: hints) }
        }
        let seconds = String(format: "%.1f s", report.duration)
        if checks.isEmpty {
            print("  This lesson has no exercises (\(seconds)).")
        } else {
            let (earned, possible) = report.score
            let passing = checks.filter(\.passed).count
            let visible = hiddenChecks > 0 ? "visible " : ""
            var summary = "\(passing) of \(checks.count) \(visible)\(checks.count == 1 ? "check passes" : "checks pass") · "
                + Self.points(earned, of: possible)
            if hiddenChecks > 0 { summary += " · " + Self.hiddenChecks(hiddenChecks) }
            summary += " (\(seconds))"
            print(passing == checks.count ? style.passed("✓ " + summary) : style.failed("✗ " + summary))
        }
        print(style.dim("  page: \(page)"))
    }

    /// The tiers of a failing check's hint the learner has seen, and how to ask for the next;
    /// nothing while its exercise still has `todo()`.
    private func printHints(_ offer: HintOffer, hints: HintsShown) {
        guard !offer.notDone else { return }
        for (index, tier) in offer.seenTiers.enumerated() {
            let isNew = offer.revealedNow && index == offer.seen - 1
            let label = "hint \(index + 1) of \(offer.tiers.count)\(isNew ? " (new)" : ""): "
            print("      " + style.hint(label) + tier)
        }
        if offer.remaining > 0 {
            print("      " + style.hint("hint available: ") + hints.command(for: offer))
        }
    }

    /// "2 hidden checks run when grading".
    static func hiddenChecks(_ count: Int) -> String {
        count == 1 ? "1 hidden check runs when grading" : "\(count) hidden checks run when grading"
    }

    // MARK: Status

    /// Prints every lesson of the workbook with its state and points, then the next lesson.
    func printStatus(_ status: WorkbookStatus, workbook: String) {
        let earned = status.lessons.reduce(0) { $0 + $1.earned }
        let possible = status.lessons.reduce(0) { $0 + $1.possible }
        print(style.bold("Your workbook, \(workbook)/") + " · \(Self.points(earned, of: possible))")
        let titleWidth = status.lessons.map(\.title.count).max() ?? 0
        for standing in status.lessons {
            let number = String(standing.number).leftPadded(to: 2)
            let title = standing.title.padding(toLength: titleWidth, withPad: " ", startingAt: 0)
            var line = "  \(symbol(for: standing.state)) \(number)  \(title)  \(describe(standing.state))"
            if standing.possible > 0 {
                line += style.dim(" · " + Self.points(standing.earned, of: standing.possible))
            }
            if standing.hiddenChecks > 0 {
                line += style.dim(" · " + Self.hiddenChecks(standing.hiddenChecks))
            }
            if standing.changedSinceRun && standing.state != .notStarted {
                line += style.hint(" · edited since its last run")
            }
            print(line)
        }
        let hidden = status.lessons.reduce(0) { $0 + $1.hiddenChecks }
        if hidden > 0 {
            print(style.dim("Points count visible checks only; the hidden ones (\(hidden) in all) run when your work is graded, and count then."))
        }
        if !status.missingFromWorkbook.isEmpty {
            print(style.hint("The course has lessons your workbook lacks (\(status.missingFromWorkbook.joined(separator: ", "))): "
                + "run 'cuaderno start' to add them; it keeps every file you edited."))
        }
        printNext(status)
    }

    /// Prints the next lesson to work on, or that every exercise passes.
    func printNext(_ status: WorkbookStatus) {
        guard let next = status.next else {
            print(style.passed("✓ Every exercise in your workbook passes."))
            return
        }
        let path = Course.displayPath(of: next.file)
        print(style.bold("Next: lesson \(next.number), \(next.title)") + " (\(path))")
        switch next.state {
        case .invalid(let mistake):
            print("  The file cannot be read as a lesson: \(mistake)")
        case .couldNotRun(let problem):
            print("  Its last run could not finish:")
            print(Terminal.indented(problem, by: 4))
        default:
            break
        }
        print("  Fill in its exercises (look for todo()), then 'cuaderno run \(next.number)'"
            + " — or 'cuaderno watch \(next.number)' to run it each time you save.")
    }

    /// After a run in which every check passed: what comes next.
    func printWhatIsNext(_ status: WorkbookStatus, justRan name: String) {
        guard let next = status.next else {
            print(style.passed("✓ Every exercise in your workbook passes."))
            return
        }
        if next.file.lastPathComponent != name {
            print("Next: lesson \(next.number), \(next.title) — 'cuaderno run \(next.number)'.")
        }
    }

    /// "1/3 points", "0/1 point".
    static func points(_ earned: Int, of possible: Int) -> String {
        "\(earned)/\(possible) \(possible == 1 ? "point" : "points")"
    }

    private func symbol(for state: WorkbookStatus.Standing.State) -> String {
        switch state {
        case .done: style.passed("✓")
        case .failing, .couldNotRun, .invalid: style.failed("✗")
        case .notStarted: "·"
        case .noExercises: style.dim("–")
        }
    }

    private func describe(_ state: WorkbookStatus.Standing.State) -> String {
        switch state {
        case .done: style.passed("done")
        case .failing(let count): style.failed("\(count) failing")
        case .couldNotRun: style.failed("could not run")
        case .invalid: style.failed("has mistakes")
        case .notStarted: "not started"
        case .noExercises: style.dim("no exercises")
        }
    }
}

extension String {
    /// The string with spaces before it, to `width` characters.
    func leftPadded(to width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}

/// What a run may show of the failing checks' hints, and the command that asks for the next tier.
struct HintsShown {
    var offers: [HintOffer]
    /// The lesson's number, for `cuaderno hint N`.
    var lesson: Int

    func offer(for reference: CheckReference) -> HintOffer? {
        offers.first { $0.reference == reference }
    }

    /// `cuaderno hint 1` for the check `hint` picks by itself, else `cuaderno hint 1 --check causal-mask/2`.
    func command(for offer: HintOffer) -> String {
        let command = "cuaderno hint \(lesson)"
        return HintLadder.defaultOffer(offers)?.reference == offer.reference ? command : "\(command) --check \(offer.reference)"
    }
}
