import Foundation
import LessonProtocol

/// Results of lesson runs, kept on disk under a key made of everything that can change them, so
/// that a lesson whose code did not change is shown again without compiling or running it.
///
/// The key (``key(for:executor:timeout:)``) is a SHA-256 over:
/// - the lesson's path, front matter and every cell's kind, id, check settings and code (not
///   the prose between cells, nor a check's hint: those change the page, not the run);
/// - the run's limits (time, output, memory);
/// - the compiler (its `--version` text and the flags lessons are compiled with) and the
///   runtime library's bytes (`libLessonKit.so` and its module);
/// - the bytes of every data file or folder a cell names in a string literal, relative to the
///   lesson's folder (`"data/digits.csv"`), and of a pretrained model it names by its folder in
///   the models folder (`"all-MiniLM-L6-v2"`).
///
/// A prose edit therefore finds its entry and re-renders at once, even when it moved the cells
/// to other lines: the stored messages and expectations are moved with their cells
/// (``LineShift``). Entries are written atomically, carry a digest of their contents, and one
/// that does not verify is ignored and replaced. Runs that stopped on a time limit, failed in
/// the machinery, or were interrupted are never stored.
public final class ExecutionCache: @unchecked Sendable {
    /// The cache folder (`.cuaderno-cache` by default).
    public let directory: URL
    /// How many entries are kept per lesson (older ones are removed when a new one is stored).
    public var entriesPerLesson = 8

    let digests: FileDigests
    private let lock = NSLock()
    private var environmentFingerprints: [String: String] = [:]

    /// The first line of every entry file; a change of format changes it (format 2: messages
    /// with typed locations instead of text), so entries of another format are never read.
    static let formatLine = "cuaderno execution cache, format 2"

    public init(directory: URL) {
        self.directory = directory
        digests = FileDigests(memoFile: directory.appendingPathComponent("file-digests.json"))
    }

    // MARK: Keys

    /// The key of running `lesson` with `executor` under a time limit (nil: the lesson's own).
    public func key(for lesson: Lesson, executor: LessonExecutor, timeout: Double?) -> String {
        var description = Self.formatLine + "\n"
        description += "environment \(environmentFingerprint(of: executor))\n"
        description += "limits time=\(timeout ?? lesson.frontMatter.timeout ?? LessonExecutor.defaultTimeout)"
            + " output=\(executor.outputLimit) memory=\(executor.memoryLimit.map(String.init) ?? "none")\n"
        if executor.runner.sandbox != nil {
            // A sandboxed run may fail where a free one succeeds (no network, read-only files).
            description += "sandbox bwrap\n"
        }
        description += "lesson \(Self.quoted(lesson.displayPath))\n"
        let front = lesson.frontMatter
        description += "front-matter title=\(Self.quoted(front.title)) summary=\(Self.quoted(front.summary ?? ""))"
            + " lang=\(front.language) timeout=\(front.timeout.map { "\($0)" } ?? "none")\n"
        for cell in lesson.cells {
            description += "cell \(cell.index) \(cell.kind.rawValue) id=\(Self.quoted(cell.id ?? ""))"
            if let check = cell.check {
                description += " for=\(Self.quoted(check.exercise)) points=\(check.points) hidden=\(check.hidden)"
            }
            description += "\n"
            if cell.runs {
                description += "code \(cell.code.utf8.count)\n\(cell.code)\n"
            }
        }
        let models = executor.runner.environment[RuntimeContract.modelsFolderVariable].map { URL(fileURLWithPath: $0) }
        for data in DataReferences.find(in: lesson, modelsDirectory: models) {
            let digest = data.isDirectory ? digests.digest(ofDirectory: data.url) : digests.digest(ofFile: data.url)
            description += "data \(Self.quoted(data.name)) \(digest ?? "unreadable")\n"
        }
        return FileDigests.sha256(Data(description.utf8))
    }

    /// The compiler and runtime part of the key, worked out once per executor setup.
    private func environmentFingerprint(of executor: LessonExecutor) -> String {
        let compiler = executor.compiler
        let flags = compiler.flags.joined(separator: " ")
        if let known = lock.withLock({ environmentFingerprints[flags] }) { return known }
        var description = "flags \(flags)\n"
        let swiftc = ChildProcess.resolve(command: compiler.swiftc)
        description += "compiler \(swiftc.flatMap { digests.remembered("version", for: $0, compute: Self.versionText) } ?? "unknown")\n"
        for file in compiler.runtime.identifyingFiles {
            description += "runtime \(file.lastPathComponent) \(digests.digest(ofFile: file) ?? "missing")\n"
        }
        let fingerprint = FileDigests.sha256(Data(description.utf8))
        lock.withLock { environmentFingerprints[flags] = fingerprint }
        return fingerprint
    }

    /// What `swiftc --version` prints (it names the compiler's exact build).
    private static func versionText(ofCompilerAt path: String) -> String? {
        var output: [UInt8] = []
        let result = try? ChildProcess.run(
            executable: path, arguments: ["--version"], environment: ProcessInfo.processInfo.environment,
            limits: ProcessLimits(timeout: 60)) { output += $0 }
        guard result?.termination == .exited(0) else { return nil }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func quoted(_ text: String) -> String {
        "\(text.utf8.count):\(text)"
    }

    // MARK: Entries

    /// The stored result for `key`, fitted to `lesson` (whose cells may have moved to other
    /// lines since), or nil when there is none or it does not verify.
    public func lookup(key: String, lesson: Lesson) -> LessonReport? {
        let file = entryFile(key: key, lesson: lesson)
        guard let data = try? Data(contentsOf: file) else { return nil }
        guard let stored = StoredRun.decode(entry: data, key: key),
              let report = stored.report(for: lesson)
        else {
            // Corrupt, truncated or from another format: never shown; the fresh run replaces it.
            try? FileManager.default.removeItem(at: file)
            return nil
        }
        // Mark it recently used, so pruning keeps it.
        utimes(file.path, nil)
        return report
    }

    /// Stores a run's result under `key`, when it is worth keeping (see ``isStorable(_:)``).
    public func store(_ report: LessonReport, key: String) {
        guard Self.isStorable(report), let entry = StoredRun(report).encode(key: key) else { return }
        let file = entryFile(key: key, lesson: report.lesson)
        do {
            try AtomicFile.write(entry, to: file)
        } catch {
            return  // A cache that cannot be written only means the next render runs again.
        }
        prune(folder: file.deletingLastPathComponent())
    }

    /// How long the lesson with this slug took when it last ran (from its most recently used
    /// entry), to start the longest lessons first; nil when there is no entry.
    public func lastDuration(slug: String) -> Double? {
        let folder = directory.appendingPathComponent("runs", isDirectory: true).appendingPathComponent(slug, isDirectory: true)
        let keys: Set<URLResourceKey> = [.contentModificationDateKey]
        guard let files = try? FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: Array(keys), options: [.skipsHiddenFiles]),
            let newest = files.filter({ $0.pathExtension == "json" }).max(by: {
                ((try? $0.resourceValues(forKeys: keys))?.contentModificationDate ?? .distantPast)
                    < ((try? $1.resourceValues(forKeys: keys))?.contentModificationDate ?? .distantPast)
            }),
            let data = try? Data(contentsOf: newest)
        else { return nil }
        return StoredRun.decode(entry: data, key: newest.deletingPathExtension().lastPathComponent)?.duration
    }

    /// Whether a result may be shown again: not when the machinery failed or a cell ran out of
    /// time (another run may well finish), nor when an interrupt stopped the run.
    public static func isStorable(_ report: LessonReport) -> Bool {
        guard report.machineryFailure == nil, !Interruption.isRequested else { return false }
        return !report.cells.contains { result in
            if case .failed(let failure) = result.status { return failure.kind == .timedOut }
            return false
        }
    }

    /// Writes what was learned about file digests back to disk.
    public func save() {
        digests.save()
    }

    private func entryFile(key: String, lesson: Lesson) -> URL {
        directory.appendingPathComponent("runs", isDirectory: true)
            .appendingPathComponent(lesson.slug, isDirectory: true)
            .appendingPathComponent(key + ".json")
    }

    /// Keeps the `entriesPerLesson` most recently used entries of one lesson.
    private func prune(folder: URL) {
        let keys: [URLResourceKey] = [.contentModificationDateKey]
        guard let files = try? FileManager.default.contentsOfDirectory(
            at: folder, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { return }
        let entries = files.filter { $0.pathExtension == "json" }.map { file in
            (file, (try? file.resourceValues(forKeys: Set(keys)))?.contentModificationDate ?? .distantPast)
        }
        guard entries.count > entriesPerLesson else { return }
        for (file, _) in entries.sorted(by: { $0.1 > $1.1 }).dropFirst(entriesPerLesson) {
            try? FileManager.default.removeItem(at: file)
        }
    }
}
