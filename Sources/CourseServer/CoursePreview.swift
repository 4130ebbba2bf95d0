import Foundation
import LessonEngine
import SiteRenderer

/// The course as `cuaderno serve` shows it to an author: each lesson's page rendered into the
/// output folder as `cuaderno render` writes it, run again when its file is saved, and the open
/// pages told to reload once the new page is on disk.
///
/// A lesson is rendered the first time its page is asked for, and again whenever its file has
/// changed since: a page is never older than its file. The execution cache makes a prose edit
/// cost only the page's writing.
public actor CoursePreview {
    /// The folder of the lessons (`Lessons/`).
    public let lessonsDirectory: URL
    /// Where the pages are written (`Output/`).
    public let outputDirectory: URL
    let runner: CourseRunner
    let writer: SiteWriter
    let timeout: Double?
    let updates: LiveUpdates

    /// Each rendered lesson: the state of its file when it was rendered, and its problems.
    private var rendered: [URL: (file: FileSnapshot, problems: [PageProblem])] = [:]
    /// What each shown lesson's file looked like at the watcher's previous look.
    private var lastLook: [URL: FileSnapshot] = [:]
    /// Renders under way, so that two requests for one page wait for one run.
    private var running: [URL: Task<Void, Never>] = [:]

    public init(lessonsDirectory: URL, outputDirectory: URL, runner: CourseRunner, courseTitle: String,
                cacheDirectory: URL?, timeout: Double?, updates: LiveUpdates) {
        self.lessonsDirectory = lessonsDirectory
        self.outputDirectory = outputDirectory
        self.runner = runner
        writer = SiteWriter(outputDirectory: outputDirectory, courseTitle: courseTitle, cacheDirectory: cacheDirectory)
        self.timeout = timeout
        self.updates = updates
    }

    /// The course's lesson files, in order (none when the folder cannot be read).
    func lessonFiles() -> [URL] {
        (try? Course(directory: lessonsDirectory).lessonFiles) ?? []
    }

    /// The lesson file whose page is `pageName` (`01-self-attention.html`), if there is one.
    func lessonFile(forPage pageName: String) -> URL? {
        lessonFiles().first { LessonPage.fileName(slug: $0.deletingPathExtension().lastPathComponent) == pageName }
    }

    /// The served HTML of `pageName`: the lesson rendered (again, if its file changed), with the
    /// live client and the lesson's problems added; the index is written afresh. Nil when no
    /// lesson has that page.
    public func page(named pageName: String) async throws -> String? {
        if pageName == IndexPage.fileName {
            try writeIndex()
            return LiveClient.inject(into: try String(contentsOf: outputDirectory.appendingPathComponent(pageName), encoding: .utf8),
                                     problems: [])
        }
        guard let file = lessonFile(forPage: pageName) else { return nil }
        await renderIfChanged(file)
        let html = try String(contentsOf: outputDirectory.appendingPathComponent(pageName), encoding: .utf8)
        return LiveClient.inject(into: html, problems: rendered[file]?.problems ?? [])
    }

    /// Renders every lesson whose page was shown and whose file changed since, telling the
    /// pages; returns the lessons it rendered. A file is rendered once two looks in a row agree,
    /// so that an editor's save in several writes is run once, whole.
    @discardableResult
    public func refreshChangedLessons() async -> [URL] {
        var refreshed: [URL] = []
        for file in rendered.keys.sorted(by: { $0.path < $1.path }) {
            let now = FileSnapshot(file)
            defer { lastLook[file] = now }
            guard now != rendered[file]?.file, now == lastLook[file] else { continue }
            await renderIfChanged(file)
            refreshed.append(file)
        }
        return refreshed
    }

    /// Renders `file` unless its page is up to date with it; then tells the open pages to reload.
    func renderIfChanged(_ file: URL) async {
        if let task = running[file] { return await task.value }
        let snapshot = FileSnapshot(file)
        if let known = rendered[file], known.file == snapshot,
           FileManager.default.fileExists(atPath: outputDirectory.appendingPathComponent(pageName(of: file)).path) {
            return
        }
        let task = Task { await self.render(file, snapshot: snapshot) }
        running[file] = task
        await task.value
        running[file] = nil
    }

    private func render(_ file: URL, snapshot: FileSnapshot) async {
        let page = pageName(of: file), lesson = Course.displayPath(of: file)
        let firstTime = rendered[file] == nil
        if !firstTime { await updates.send(LiveMessage(kind: .running, page: page, lesson: lesson)) }
        let (runner, writer, timeout, links) = (self.runner, self.writer, self.timeout,
                                                SiteWriter.courseLinks(lessonFiles: lessonFiles(), parser: runner.parser))
        // Compiling and running a lesson blocks: off the server's threads.
        let problems: [PageProblem] = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let outcome = runner.run(file: file, timeout: timeout)
                var problems = Self.problems(of: outcome)
                do {
                    try FileManager.default.createDirectory(at: writer.outputDirectory, withIntermediateDirectories: true)
                    try writer.writePage(for: outcome, course: links)
                } catch {
                    problems.append(PageProblem(line: 1, message: "cannot write the page: \(error)"))
                }
                continuation.resume(returning: problems)
            }
        }
        rendered[file] = (snapshot, problems)
        // Only now is the new page on disk: a reload cannot see half of it.
        if !firstTime { await updates.send(LiveMessage(kind: .reload, page: page, lesson: lesson)) }
    }

    private func writeIndex() throws {
        let files = lessonFiles()
        let links = SiteWriter.courseLinks(lessonFiles: files, parser: runner.parser)
        let entries = links.map { IndexEntry(slug: $0.slug, title: $0.title, summary: $0.summary, status: .notRendered) }
        try FileManager.default.createDirectory(at: outputDirectory, withIntermediateDirectories: true)
        try writer.writeIndex(entries, language: links.first?.language ?? "en")
    }

    private func pageName(of file: URL) -> String {
        LessonPage.fileName(slug: file.deletingPathExtension().lastPathComponent)
    }

    /// What the author should see over the page: the file's mistakes, or the cells that failed.
    static func problems(of outcome: LessonOutcome) -> [PageProblem] {
        switch outcome {
        case .invalid(_, _, let errors):
            return errors.errors.map { PageProblem(line: $0.line, message: $0.message) }
        case .ran(let report):
            var problems = report.unexpectedFailures.map { result -> PageProblem in
                let message: String
                if case .failed(let failure) = result.status {
                    message = "\(failure.kind.rawValue): \(failure.message)"
                } else {
                    message = "a check of the reference solution fails"
                }
                return PageProblem(line: result.cell.fenceLine, message: message, anchor: result.cell.pageAnchor)
            }
            if let machinery = report.machineryFailure {
                problems.insert(PageProblem(line: 1, message: machinery), at: 0)
            }
            return problems
        }
    }
}

/// What a file looked like: its modification time, size and bytes (nil when it cannot be read).
struct FileSnapshot: Equatable, Sendable {
    var modified: Date?
    var contents: Data?

    init(_ file: URL) {
        modified = (try? FileManager.default.attributesOfItem(atPath: file.path))?[.modificationDate] as? Date
        contents = try? Data(contentsOf: file)
    }
}
