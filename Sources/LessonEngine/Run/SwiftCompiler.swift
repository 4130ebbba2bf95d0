import Foundation

/// One message from the Swift compiler, located in the lesson file when it concerns a cell.
public struct Diagnostic: Sendable, Equatable {
    public typealias Severity = LocatedMessage.Severity

    /// Where the compiler points (for some messages a made-up file, such as `<unknown>:0`).
    public var location: SourceLocation
    public var severity: Severity
    /// The first line's message, after `error: `.
    public var message: String
    /// The compiler's output for this diagnostic as messages: the `file:line:col: error: …` line
    /// with the quoted source line and its caret, then each note that follows it.
    public var messages: [LocatedMessage]

    public var file: String { location.file }
    public var line: Int { location.line }
    /// The column, or 0 when the compiler gave none.
    public var column: Int { location.column ?? 0 }
    /// The diagnostic as the compiler printed it.
    public var text: String { messages.formatted }
}

/// What compiling a program gave.
public enum CompileOutcome: Sendable {
    case compiled(executable: URL)
    /// The program has errors; the diagnostics say where.
    case failed([Diagnostic], output: String)
}

/// Compiles lesson programs with `swiftc` against the prebuilt runtime.
public struct SwiftCompiler: Sendable {
    public var runtime: RuntimeLibrary
    /// The compiler command (searched in `PATH`).
    public var swiftc: String
    /// The folder for the compiler's module cache, shared between compiles so that the C modules
    /// are not rebuilt every time.
    public var moduleCache: URL
    private let openBLASFlags: [String]
    private let linkerFlags: [String]

    public init(runtime: RuntimeLibrary, swiftc: String = "swiftc", moduleCache: URL) {
        self.runtime = runtime
        self.swiftc = swiftc
        self.moduleCache = moduleCache
        self.openBLASFlags = Self.pkgConfigFlags(package: "openblas")
        self.linkerFlags = Self.fasterLinkerFlags(swiftc: swiftc)
    }

    /// The flags every lesson program is compiled with.
    ///
    /// `-Onone`: the heavy math is already optimised inside the runtime; lesson code only calls it.
    /// `-swift-version 5`: in Swift 6 mode a top-level `var` used inside a function is an
    /// actor-isolation error, which would confuse learners for no teaching gain.
    /// `-use-ld=lld` when the toolchain has LLVM's linker: it links a lesson in half the time
    /// of the system's `ld.gold` (about 0.1 s of the 0.4 s a lesson's compile takes).
    public var flags: [String] {
        ["-Onone", "-swift-version", "5", "-diagnostic-style=llvm", "-suppress-warnings",
         "-module-cache-path", moduleCache.path, "-module-name", ProgramAssembler.moduleName]
            + linkerFlags
            + runtime.compilerArguments(openBLASIncludeFlags: openBLASFlags)
    }

    /// Compiles `source` into an executable inside `directory`.
    public func compile(source: String, in directory: URL) throws -> CompileOutcome {
        let sourceFile = directory.appendingPathComponent("main.swift")
        let executable = directory.appendingPathComponent("lesson")
        try Data(source.utf8).write(to: sourceFile)
        var output: [UInt8] = []
        let result = try ChildProcess.run(
            executable: swiftc, arguments: flags + [sourceFile.path, "-o", executable.path],
            environment: ProcessInfo.processInfo.environment, workingDirectory: nil,
            limits: ProcessLimits(timeout: 300)
        ) { output += $0 }
        let text = String(decoding: output, as: UTF8.self)
        if result.termination == .exited(0) {
            return .compiled(executable: executable)
        }
        return .failed(Self.parseDiagnostics(text), output: text)
    }

    /// Splits compiler output in the LLVM style into diagnostics; notes stay with the error
    /// before them.
    static func parseDiagnostics(_ output: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if let header = parseHeader(String(line)) {
                if header.severity == .note, !diagnostics.isEmpty {
                    diagnostics[diagnostics.count - 1].messages += header.messages
                } else {
                    diagnostics.append(header)
                }
            } else if !diagnostics.isEmpty, !line.isEmpty {
                let last = diagnostics.count - 1
                diagnostics[last].messages[diagnostics[last].messages.count - 1].text += "\n" + line
            }
        }
        return diagnostics
    }

    /// Reads `path:line:column: severity: message` (the column is missing in some messages,
    /// such as `<unknown>:0: error: …`).
    static func parseHeader(_ line: String) -> Diagnostic? {
        for severity in [Diagnostic.Severity.error, .warning, .note] {
            guard let range = line.range(of: ": \(severity.rawValue): ") else { continue }
            var location = line[..<range.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            var column: Int?
            if location.count >= 3, let last = Int(location[location.count - 1]), Int(location[location.count - 2]) != nil {
                column = last
                location.removeLast()
            }
            guard location.count >= 2, let lineNumber = Int(location[location.count - 1]) else { continue }
            let place = SourceLocation(file: location.dropLast().joined(separator: ":"), line: lineNumber, column: column)
            let message = String(line[range.upperBound...])
            return Diagnostic(location: place, severity: severity, message: message,
                              messages: [LocatedMessage(location: place, severity: severity, text: message)])
        }
        return nil
    }

    /// `-use-ld=lld` when `ld.lld` sits beside the compiler (Swift's toolchains for Linux ship
    /// it), else nothing: the system linker is used.
    static func fasterLinkerFlags(swiftc: String) -> [String] {
        guard let compiler = ChildProcess.resolve(command: swiftc) else { return [] }
        let lld = compiler.resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent("ld.lld")
        return FileManager.default.isExecutableFile(atPath: lld.path) ? ["-use-ld=lld"] : []
    }

    /// The `-I` flags pkg-config gives for a package (empty when it knows nothing of it).
    static func pkgConfigFlags(package: String) -> [String] {
        var output: [UInt8] = []
        let result = try? ChildProcess.run(
            executable: "pkg-config", arguments: ["--cflags-only-I", package],
            environment: ProcessInfo.processInfo.environment, limits: ProcessLimits(timeout: 30)
        ) { output += $0 }
        guard result?.termination == .exited(0) else { return [] }
        return String(decoding: output, as: UTF8.self).split(whereSeparator: \.isWhitespace).map(String.init)
    }
}
