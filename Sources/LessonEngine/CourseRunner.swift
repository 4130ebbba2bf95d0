import Foundation
import LessonProtocol

/// What became of one lesson file.
public enum LessonOutcome: Sendable {
    /// The file has mistakes and was not run.
    case invalid(file: URL, displayPath: String, errors: LessonErrors)
    /// The lesson ran (successfully or not).
    case ran(LessonReport)

    /// Whether the lesson ran as its author intended.
    public var succeeded: Bool {
        if case .ran(let report) = self { return report.succeeded }
        return false
    }
}

/// Parses and runs lessons, continuing past failures, reusing results from the execution
/// cache when it has them.
public struct CourseRunner: Sendable {
    public var executor: LessonExecutor
    public var parser = LessonParser()
    /// Results kept between runs; nil runs every lesson.
    public var cache: ExecutionCache?
    /// Run lessons even when the cache has their result (the fresh result replaces it).
    public var refreshesCache = false

    public init(executor: LessonExecutor, cache: ExecutionCache? = nil) {
        self.executor = executor
        self.cache = cache
    }

    /// Makes a runner that compiles against the runtime built beside this executable, and hands
    /// lesson programs the package's models folder (unless `CUADERNO_MODELS` is already set);
    /// with `sandbox: .bwrap`, programs run in a ``Sandbox`` (this throws
    /// ``SandboxUnavailable`` when the machine cannot make one).
    public static func besideExecutable(cache: ExecutionCache? = nil, sandbox: SandboxChoice = .none) throws -> CourseRunner {
        let runtime = try RuntimeLibrary.besideExecutable()
        let compiler = SwiftCompiler(
            runtime: runtime,
            moduleCache: runtime.buildDirectory.appendingPathComponent("cuaderno-module-cache"))
        var executor = LessonExecutor(compiler: compiler)
        if ProcessInfo.processInfo.environment[RuntimeContract.modelsFolderVariable] == nil {
            executor.runner.environment[RuntimeContract.modelsFolderVariable] =
                PretrainedModels.directory(packageRoot: runtime.packageRoot).path
        }
        if sandbox == .bwrap {
            // A sandboxed program gets a clean environment: hand it the models folder explicitly.
            let models = ProcessInfo.processInfo.environment[RuntimeContract.modelsFolderVariable]
                ?? PretrainedModels.directory(packageRoot: runtime.packageRoot).path
            executor.runner.environment[RuntimeContract.modelsFolderVariable] = models
            executor.runner.readableFolders = [URL(fileURLWithPath: models, isDirectory: true)]
            executor.runner.sandbox = try Sandbox.make(runtime: runtime, swiftc: compiler.swiftc)
        }
        return CourseRunner(executor: executor, cache: cache)
    }

    /// Parses and runs one lesson file (or takes its result from the cache).
    public func run(file: URL, timeout: Double?) -> LessonOutcome {
        let displayPath = Course.displayPath(of: file)
        switch parser.parse(fileURL: file, displayPath: displayPath) {
        case .failure(let errors):
            return .invalid(file: file, displayPath: displayPath, errors: errors)
        case .success(let lesson):
            return .ran(run(lesson: lesson, timeout: timeout))
        }
    }

    /// Runs a lesson already parsed (or takes its result from the cache): a course loaded once
    /// runs its lessons without reading their files again.
    public func run(lesson: Lesson, timeout: Double?) -> LessonReport {
        guard let cache else { return executor.execute(lesson, timeout: timeout) }
        let key = cache.key(for: lesson, executor: executor, timeout: timeout)
        cache.save()
        if !refreshesCache, let cached = cache.lookup(key: key, lesson: lesson) {
            return cached
        }
        let report = executor.execute(lesson, timeout: timeout)
        cache.store(report, key: key)
        return report
    }

    /// The positions of `files`, the lessons that took longest last time first (lessons never
    /// run before count as long, since they must compile); ties keep course order.
    public func longestFirst(_ files: [URL]) -> [Int] {
        guard let cache else { return Array(files.indices) }
        let durations = files.map { cache.lastDuration(slug: $0.deletingPathExtension().lastPathComponent) ?? .infinity }
        return files.indices.sorted { (durations[$0], $1) > (durations[$1], $0) }
    }
}
