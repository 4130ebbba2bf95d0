import LessonEngine
import LessonProtocol

/// What a cell that ran shows in a notebook, from its result (see ``NotebookExport``).
struct CellOutputs {
    let strings: InterfaceStrings
    /// The lesson's path, naming it in the locations of failed expectations.
    let lessonPath: String

    /// A cell's outputs, and whether it ran (was compiled and started, succeeding or not).
    func of(_ result: CellResult) -> (items: [NotebookOutput], ran: Bool) {
        var items: [NotebookOutput] = []
        // A hidden check shows nothing but its verdict, as on the site.
        if result.cell.check?.hidden != true {
            for item in result.output { append(output(item), to: &items) }
        }
        let ran: Bool
        switch result.status {
        case .succeeded, .failedAsExpected, .failed: ran = true
        case .shownOnly, .notRun: ran = false
        }
        if let check = CheckResult(result, file: lessonPath) {
            append(.stream(.stdout, text: verdict(check)), to: &items)
            return (items, ran)
        }
        switch result.status {
        case .succeeded, .shownOnly:
            break
        case .failedAsExpected(let messages):
            items.append(Self.error(title: strings.failedAsIntended, message: messages.formatted))
        case .failed(let failure):
            items.append(Self.error(title: strings.failureTitle(failure.kind), message: failure.message))
        case .notRun(let reason):
            append(.stream(.stderr, text: reason.description + "\n"), to: &items)
        }
        return (items, ran)
    }

    private func output(_ item: OutputItem) -> NotebookOutput? {
        switch item {
        case .text(let text):
            return .stream(.stdout, text: text)
        case .expectation:
            return nil  // summed up by the check's verdict
        case .omitted(let omitted):
            return .stream(.stdout, text: "… \(strings.linesNotShown(omitted.lines, omitted.bytes)) …\n")
        case .display(let display):
            switch display.kind {
            case .text: return .displayData(["text/plain": display.payload])
            case .markdown: return .displayData(["text/markdown": display.payload])
            case .svg: return .displayData(["image/svg+xml": display.payload])
            case .table: return .displayData(["text/html": TensorTableView.html(display.payload),
                                              "text/plain": TensorTableView.plainText(display.payload)])
            }
        }
    }

    /// Adds an output, joining printed text to the text just before it on the same stream
    /// (as Jupyter shows consecutive prints: one block).
    private func append(_ output: NotebookOutput?, to items: inout [NotebookOutput]) {
        guard let output else { return }
        if case .stream(let stream, let text) = output, case .stream(stream, let previous)? = items.last {
            items[items.count - 1] = .stream(stream, text: previous + text)
        } else {
            items.append(output)
        }
    }

    /// "✓ Check passed 2/2 points", then (unless hidden) what failed and the hints.
    private func verdict(_ check: CheckResult) -> String {
        var text = (check.passed ? "✓ " + strings.checkPassed : "✗ " + strings.checkFailed)
            + " " + strings.points(check.earned, check.points)
        if check.check.hidden { text += " (\(strings.hiddenCheck))" }
        text += "\n"
        if !check.passed && !check.check.hidden {
            text += check.failures.formatted + "\n"
            for line in HintTiers.lines(check.check.hints, word: strings.hint) { text += line + "\n" }
        }
        return text
    }

    /// An `error` output: the title as its name, the message's first line as its value, and
    /// the title and the message's lines as the traceback readers show.
    private static func error(title: String, message: String) -> NotebookOutput {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return .error(name: title, value: lines.first ?? "", traceback: [title + ":"] + lines)
    }
}
