import Foundation
import LessonProtocol

/// One item of a cell's output, in the order it was produced.
public enum OutputItem: Sendable, Equatable, Codable {
    /// Text the cell printed (standard output and standard error, interleaved as they happened).
    case text(String)
    /// A rich item the cell asked to show.
    case display(DisplayItem)
    /// An expectation of a check cell, held or failed.
    case expectation(Expectation)
    /// Printed text left out of a long output between its first and last lines (``OutputCap``).
    case omitted(OmittedOutput)
}

/// One `expect…` call of a check cell and its result.
public struct Expectation: Sendable, Equatable, Codable {
    public var passed: Bool
    /// Why it failed (empty when it held).
    public var message: String
    /// The lesson line of the call, when known.
    public var line: Int?

    public init(passed: Bool, message: String, line: Int?) {
        self.passed = passed
        self.message = message
        self.line = line
    }
}

/// What one run of a lesson program produced.
public struct RunOutcome: Sendable {
    /// Output per cell index, for every cell that started.
    public var outputs: [Int: [OutputItem]] = [:]
    /// Cells in the order they started.
    public var started: [Int] = []
    /// Cells that ran to their end.
    public var finished: Set<Int> = []
    /// A mistake reported by the runtime (shape mismatch…) with its location when known.
    public var failure: (message: String, file: String?, line: Int?)?
    /// Text printed before the first cell started (by the program's own start-up).
    public var preamble = ""
    /// The program reached its end normally.
    public var completed = false
    public var process: ChildProcessResult
    /// The output limit the run had, in bytes.
    public var outputLimit = 0

    /// The cell that was running when the program stopped, if it stopped inside one.
    public var interruptedCell: Int? {
        guard let last = started.last, !finished.contains(last) else { return nil }
        return last
    }
}

/// Runs a compiled lesson program and sorts what it prints into cells.
public struct ProgramRunner: Sendable {
    /// Variables added to the lesson program's environment (for example where pretrained
    /// models are, ``RuntimeContract/modelsFolderVariable``).
    public var environment: [String: String] = [:]
    /// The sandbox lesson programs run in; nil runs them with the runner's own rights and
    /// environment.
    public var sandbox: Sandbox?
    /// Folders a sandboxed program may read besides its working folder (the models folder).
    public var readableFolders: [URL] = []

    public init() {}

    /// Runs `executable`, skipping the listed `fails` cells.
    public func run(executable: URL, skipping skipped: Set<Int>, limits: ProcessLimits,
                    workingDirectory: URL) throws(SpawnError) -> RunOutcome {
        let token = UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let tokenFile = executable.deletingLastPathComponent().appendingPathComponent(".record-token")
        do {
            try Data(token.utf8).write(to: tokenFile, options: .withoutOverwriting)
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: tokenFile.path)
        } catch {
            throw SpawnError(executable: executable.path, code: EACCES)
        }
        defer { try? FileManager.default.removeItem(at: tokenFile) }
        // A short trap message instead of a full backtrace, attributed to the running cell.
        let added = self.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { _, fixed in fixed }
        let arguments = skipped.sorted().flatMap { [RuntimeContract.skipCellOption, String($0)] }

        let command: (executable: String, arguments: [String], environment: [String: String])
        var processLimits = limits
        var invocation: Sandbox.Invocation?
        if let sandbox {
            let prepared = try sandbox.prepare(
                program: executable, arguments: arguments,
                environment: added.merging([RecordFraming.tokenFileVariable: Sandbox.tokenPath]) { _, token in token },
                workingDirectory: workingDirectory, readableFolders: readableFolders, tokenFile: tokenFile,
                timeout: limits.timeout, memoryLimit: limits.memoryLimit)
            invocation = prepared
            command = (prepared.executable, prepared.arguments, [:])
            processLimits.memoryLimit = nil   // set inside the sandbox, on the program alone
        } else {
            var environment = ProcessInfo.processInfo.environment.merging(added) { _, given in given }
            environment[RecordFraming.tokenFileVariable] = tokenFile.path
            command = (executable.path, arguments, environment)
        }
        defer { invocation?.close() }

        var parser = RecordStreamParser(token: token)
        var collector = Collector()
        var process = try ChildProcess.run(
            executable: command.executable, arguments: command.arguments, environment: command.environment,
            workingDirectory: sandbox == nil ? workingDirectory.path : nil, passing: invocation?.descriptors ?? [], limits: processLimits
        ) { bytes in
            collector.take(parser.consume(bytes))
        }
        if sandbox != nil { process.termination = Sandbox.termination(process.termination) }
        collector.take(parser.finish())
        var outcome = collector.outcome(process: process)
        outcome.outputLimit = limits.outputLimit
        if process.outputLimitReached, let cell = outcome.interruptedCell ?? outcome.started.last {
            outcome.outputs[cell, default: []].append(
                .text("\n… output cut: the lesson printed more than \(limits.outputLimit >> 20) MB\n"))
        }
        return outcome
    }

    /// Accumulates stream events into per-cell output.
    private struct Collector {
        var outputs: [Int: [OutputItem]] = [:]
        var started: [Int] = []
        var finished: Set<Int> = []
        var failure: (message: String, file: String?, line: Int?)?
        var preamble: [UInt8] = []
        var pendingText: [UInt8] = []
        var current: Int?
        var completed = false

        mutating func take(_ events: [StreamEvent]) {
            for event in events {
                switch event {
                case .text(let bytes):
                    if current == nil { preamble += bytes } else { pendingText += bytes }
                case .record(let record):
                    flushText()
                    apply(record)
                }
            }
        }

        mutating func apply(_ record: RunRecord) {
            switch record {
            case .cellStarted(let cell):
                current = cell
                started.append(cell)
                outputs[cell] = outputs[cell] ?? []
            case .cellFinished(let cell):
                finished.insert(cell)
                current = nil
            case .display(let item):
                if let current { outputs[current, default: []].append(.display(item)) }
            case .expectation(let passed, let message, _, let line):
                if let current {
                    outputs[current, default: []].append(.expectation(Expectation(passed: passed, message: message, line: line)))
                }
            case .failure(let message, let file, let line):
                failure = (message, file, line)
            case .finished:
                completed = true
            }
        }

        /// Moves pending text into the current cell, joined with the text before it.
        mutating func flushText() {
            guard let current, !pendingText.isEmpty else { return }
            let text = String(decoding: pendingText, as: UTF8.self)
            pendingText = []
            if case .text(let previous) = outputs[current]?.last {
                outputs[current]![outputs[current]!.count - 1] = .text(previous + text)
            } else {
                outputs[current, default: []].append(.text(text))
            }
        }

        mutating func outcome(process: ChildProcessResult) -> RunOutcome {
            flushText()
            var outcome = RunOutcome(process: process)
            // The head and tail of each long text; the program was never held back.
            outcome.outputs = outputs.mapValues(OutputCap.standard.apply)
            outcome.started = started
            outcome.finished = finished
            outcome.failure = failure
            outcome.preamble = String(decoding: preamble, as: UTF8.self)
            // Text printed outside any cell (before the first, or after the last) is the preamble.
            outcome.completed = completed && process.termination == .exited(0)
            return outcome
        }
    }
}
