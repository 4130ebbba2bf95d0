import CourseSession
import Foundation
import LessonEngine
import SiteRenderer

/// Where the served pages come from.
public enum PageSource: Sendable {
    /// An author's course: each lesson run through `pipeline` and its page written into the output
    /// folder by `writer`, as `cuaderno render` writes it.
    case course(lessons: URL, pipeline: CoursePipeline, writer: SiteWriter)
    /// A learner's workbook: each lesson run as `cuaderno run` runs it (progress recorded, page
    /// under `Output/workbook/`), with an editor and a Run button on each exercise.
    case workbook(WorkbookSession)

    /// The folder of the lesson files.
    var lessonsDirectory: URL {
        switch self {
        case .course(let lessons, _, _): lessons
        case .workbook(let session): session.directory
        }
    }

    /// The folder of the pages.
    var pagesDirectory: URL {
        switch self {
        case .course(_, _, let writer): writer.outputDirectory
        case .workbook(let session): session.pagesDirectory
        }
    }
}

/// The course or workbook as `cuaderno serve` shows it: each lesson's page written as the
/// commands write it, run again when its file is saved, and the open pages told to reload once the
/// new page is on disk.
///
/// A lesson is run the first time its page is asked for, and again whenever its file has changed
/// since: a page is never older than its file. The execution cache makes a prose edit cost only
/// the page's writing.
public actor CoursePreview {
    public let source: PageSource
    let updates: LiveUpdates

    /// What each lesson's page was made from and carries for the live client.
    private var rendered: [URL: (file: FileSnapshot, data: PageData)] = [:]
    /// What each shown lesson's file looked like at the watcher's previous look.
    private var lastLook: [URL: FileSnapshot] = [:]
    /// How many times each lesson was rendered since the server started.
    private var generations: [URL: Int] = [:]
    /// Runs under way, so that two requests for one page wait for one run.
    private var running: [URL: Task<Void, Never>] = [:]
    /// An author's course as it was last loaded: only the lesson files saved since are read again.
    private var loadedCourse: LoadedCourse?
    /// What rendering each of an author's lessons gave, for the index.
    private var renderedLessons: [URL: RenderedLesson] = [:]
    /// An author's lesson files as they were when the search was last written.
    private var searchWrittenFrom: [URL: FileSnapshot]?

    public init(source: PageSource, updates: LiveUpdates) {
        self.source = source
        self.updates = updates
    }

    /// The folder the pages are written to.
    public nonisolated var outputDirectory: URL { source.pagesDirectory }

    /// The lesson files, in order (none when the folder cannot be read).
    func lessonFiles() -> [URL] {
        (try? Course(directory: source.lessonsDirectory).lessonFiles) ?? []
    }

    /// The lesson file whose page is `pageName` (`01-self-attention.html`), if there is one.
    public func lessonFile(forPage pageName: String) -> URL? {
        lessonFiles().first { Self.pageName(of: $0) == pageName }
    }

    /// The served HTML of `pageName`: the lesson run (again, if its file changed), with the live
    /// client and what it needs added; the index (and an author's search) is written afresh. Nil
    /// when no lesson has that page.
    public func page(named pageName: String) async throws -> String? {
        let isSearch: Bool
        if case .course = source { isSearch = pageName == SearchIndex.pageFile } else { isSearch = false }
        if pageName == IndexPage.fileName || isSearch {
            try writeIndex()
            return LiveClient.inject(into: try String(contentsOf: outputDirectory.appendingPathComponent(pageName), encoding: .utf8),
                                     data: PageData())
        }
        guard let file = lessonFile(forPage: pageName) else { return nil }
        await renderIfChanged(file)
        let html = try String(contentsOf: outputDirectory.appendingPathComponent(pageName), encoding: .utf8)
        return LiveClient.inject(into: html, data: rendered[file]?.data ?? PageData())
    }

    /// Runs every lesson whose page was shown and whose file changed since, telling the pages;
    /// returns the lessons it ran.
    ///
    /// A file named in `saved` (a ``SaveWatcher`` saw it closed after writing, or renamed into
    /// place) is whole and runs at once; any other changed file runs once two looks in a row
    /// agree, so that a save in several writes is run once, whole.
    @discardableResult
    public func refreshChangedLessons(saved: Set<String> = []) async -> [URL] {
        var refreshed: [URL] = []
        for file in rendered.keys.sorted(by: { $0.path < $1.path }) {
            let now = FileSnapshot(file)
            defer { lastLook[file] = now }
            let settled = now == lastLook[file] || (saved.contains(file.lastPathComponent) && now.exists)
            guard now != rendered[file]?.file, settled else { continue }
            await renderIfChanged(file)
            refreshed.append(file)
        }
        return refreshed
    }

    /// Runs `file` unless its page is up to date with it; then tells the open pages to reload.
    public func renderIfChanged(_ file: URL) async {
        if let task = running[file] { return await task.value }
        let snapshot = FileSnapshot(file)
        if let known = rendered[file], known.file == snapshot,
           FileManager.default.fileExists(atPath: outputDirectory.appendingPathComponent(Self.pageName(of: file)).path) {
            return
        }
        let task = Task { await self.render(file, snapshot: snapshot) }
        running[file] = task
        await task.value
        running[file] = nil
    }

    private func render(_ file: URL, snapshot: FileSnapshot) async {
        let page = Self.pageName(of: file), lesson = Course.displayPath(of: file)
        let firstTime = rendered[file] == nil
        if !firstTime { await updates.send(LiveMessage(kind: .running, page: page, lesson: lesson)) }
        let (source, course) = (self.source, loadedCourse)
        // Compiling and running a lesson blocks: off the server's threads.
        let rendering: Rendering = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: Self.run(file, source: source, course: course))
            }
        }
        if let course = rendering.course { loadedCourse = course }
        renderedLessons[file] = rendering.lesson
        generations[file, default: 0] += 1
        var data = rendering.data
        data.generation = generations[file, default: 0]
        rendered[file] = (snapshot, data)
        // Only now is the new page on disk: a reload cannot see half of it.
        if !firstTime { await updates.sendReload(LiveMessage(kind: .reload, page: page, lesson: lesson), generation: data.generation) }
    }

    /// What running a lesson and writing its page gave.
    private struct Rendering: Sendable {
        /// What the page's client needs.
        var data: PageData
        /// An author's course as loaded for this run.
        var course: LoadedCourse?
        /// What the pipeline gave for an author's lesson.
        var lesson: RenderedLesson?
    }

    /// Runs the lesson and writes its page (blocking); `course` is an author's course as last
    /// loaded, read again here where its files changed.
    private static func run(_ file: URL, source: PageSource, course: LoadedCourse?) -> Rendering {
        switch source {
        case .course(let lessons, let pipeline, let writer):
            let loaded: LoadedCourse
            do {
                loaded = try course?.reloaded(parser: pipeline.runner.parser)
                    ?? LoadedCourse(directory: lessons, parser: pipeline.runner.parser)
            } catch {
                return Rendering(data: PageData(problems: [PageProblem(line: 1, message: "\(error)")]))
            }
            guard let lesson = loaded.lesson(in: file) else {
                return Rendering(data: PageData(problems: [PageProblem(
                    line: 1, message: "\(Course.displayPath(of: file)): error: the lesson file is no longer in the course")]), course: loaded)
            }
            let site = CourseSite(course: loaded, writer: writer)
            try? FileManager.default.createDirectory(at: writer.outputDirectory, withIntermediateDirectories: true)
            let rendered = site.writePage(lesson, pipeline: pipeline)
            var data = PageData(problems: problems(of: rendered.outcome, learner: false))
            data.problems += (rendered.proseErrors.math + rendered.proseErrors.links).map {
                PageProblem(line: $0.location.line, message: $0.message)
            }
            if let writeError = rendered.writeError {
                data.problems.append(PageProblem(line: 1, message: "cannot write the page: \(writeError)"))
            }
            return Rendering(data: data, course: loaded, lesson: rendered)
        case .workbook(let session):
            do {
                guard let result = try session.run(file) else {
                    return Rendering(data: PageData(problems: [PageProblem(line: 1, message: "the run was interrupted")]))
                }
                var data = PageData(problems: problems(of: result.outcome, learner: true))
                if case .ran(let report) = result.outcome {
                    data.exercises = report.lesson.cells.filter { $0.kind == .exercise }.compactMap { cell in
                        cell.id.map { PageData.Exercise(id: $0, anchor: cell.pageAnchor, code: cell.code) }
                    }
                }
                return Rendering(data: data)
            } catch {
                return Rendering(data: PageData(problems: [PageProblem(line: 1, message: "\(error)")]))
            }
        }
    }

    /// The learner's code for one exercise, from the page's Run button.
    public struct ExerciseRun: Sendable, Equatable, Codable {
        /// The page it comes from (`01-self-attention.html`).
        public var page: String
        public var exercise: String
        /// The code to write.
        public var code: String
        /// The exercise's code when the page was made.
        public var base: String
    }

    /// What the server answers a Run: an HTTP status and a JSON object.
    public struct ExerciseRunAnswer: Sendable, Equatable, Codable {
        public var status: Int
        /// Why nothing was written, when nothing was.
        public var error: String?
        /// The exercise's code in the file now, when it changed since the page was made (409).
        public var current: String?
    }

    /// Writes `request.code` into its exercise in the workbook's lesson — atomically, only the
    /// exercise's lines, and only if the exercise is still as the page had it — then runs the
    /// lesson, which tells the open pages to reload.
    public func run(_ request: ExerciseRun) async -> ExerciseRunAnswer {
        guard case .workbook = source else {
            return ExerciseRunAnswer(status: 404, error: "this server shows an author's course; exercises are run in a workbook (cuaderno serve --workbook)")
        }
        guard let file = lessonFile(forPage: request.page) else {
            return ExerciseRunAnswer(status: 404, error: "no lesson of the workbook has the page \(request.page)")
        }
        let displayPath = Course.displayPath(of: file)
        guard let text = try? String(contentsOf: file, encoding: .utf8) else {
            return ExerciseRunAnswer(status: 422, error: "\(displayPath): error: cannot read the lesson as UTF-8 text")
        }
        do {
            let edit = try ExerciseEdit.plan(exercise: request.exercise, code: request.code, text: text,
                                             displayPath: displayPath, fileURL: file, base: request.base)
            try AtomicFile.write(edit.updated, to: file)
        } catch let problem as ExerciseEditProblem {
            if case .changedOnDisk(let current) = problem {
                return ExerciseRunAnswer(status: 409, error: problem.description, current: current)
            }
            return ExerciseRunAnswer(status: 422, error: problem.description)
        } catch {
            return ExerciseRunAnswer(status: 500, error: "\(displayPath): error: cannot write the lesson: \(error)")
        }
        await renderIfChanged(file)
        return ExerciseRunAnswer(status: 200)
    }

    /// An exercise put back as released, from the page's Reset button (after the learner confirmed).
    public struct ExerciseResetRequest: Sendable, Equatable, Codable {
        public var page: String
        public var exercise: String
    }

    /// Puts the exercise back as the course released it, as `cuaderno reset` does — the learner's
    /// whole file kept beside it first (`NN-….md.~1~`), then only the exercise's lines replaced —
    /// and runs the lesson, which tells the open pages to reload.
    public func reset(_ request: ExerciseResetRequest) async -> ExerciseRunAnswer {
        guard case .workbook(let session) = source else {
            return ExerciseRunAnswer(status: 404, error: "this server shows an author's course; exercises are reset in a workbook (cuaderno serve --workbook)")
        }
        guard let file = lessonFile(forPage: request.page) else {
            return ExerciseRunAnswer(status: 404, error: "no lesson of the workbook has the page \(request.page)")
        }
        let courseFile = session.courseLessons.appendingPathComponent(file.lastPathComponent)
        do {
            let reset = try ExerciseReset.plan(file: file, displayPath: Course.displayPath(of: file), courseFile: courseFile,
                                               courseDisplayPath: Course.displayPath(of: courseFile), exercise: request.exercise)
            if !reset.changes.isEmpty { _ = try reset.write() }
        } catch let problem as ResetProblem {
            return ExerciseRunAnswer(status: 422, error: problem.description)
        } catch {
            return ExerciseRunAnswer(status: 500, error: "\(Course.displayPath(of: file)): error: cannot write the lesson: \(error)")
        }
        await renderIfChanged(file)
        return ExerciseRunAnswer(status: 200)
    }

    /// Writes the index — for an author, each lesson with what its last rendering gave, and the
    /// course's search — from the course as it is now.
    private func writeIndex() throws {
        switch source {
        case .course(let lessons, let pipeline, let writer):
            let course = try loadedCourse?.reloaded(parser: pipeline.runner.parser)
                ?? LoadedCourse(directory: lessons, parser: pipeline.runner.parser)
            loadedCourse = course
            try FileManager.default.createDirectory(at: writer.outputDirectory, withIntermediateDirectories: true)
            let site = CourseSite(course: course, writer: writer)
            try site.writeIndex(rendered: Array(renderedLessons.values))
            // The search reads every lesson's prose and code: written again only when a lesson
            // file changed (or came or went) since, or the page is gone.
            let sources = Dictionary(course.lessons.map { ($0.file, $0.snapshot) }, uniquingKeysWith: { first, _ in first })
            let searchPage = writer.outputDirectory.appendingPathComponent(SearchIndex.pageFile)
            if sources != searchWrittenFrom || !FileManager.default.fileExists(atPath: searchPage.path) {
                try site.writeSearch()
                searchWrittenFrom = sources
            }
        case .workbook(let session):
            try session.writeIndex()
        }
    }

    static func pageName(of file: URL) -> String {
        LessonPage.fileName(slug: file.deletingPathExtension().lastPathComponent)
    }

    /// What should show over the page: the file's mistakes, or the cells that failed — for a
    /// learner, only cells other than checks and unfinished exercises (a failing check or a
    /// `todo()` is work in progress, and the page shows it at its place).
    static func problems(of outcome: LessonOutcome, learner: Bool) -> [PageProblem] {
        switch outcome {
        case .invalid(_, _, let errors):
            return errors.errors.map { PageProblem(line: $0.line, message: $0.message) }
        case .ran(let report):
            var problems = report.unexpectedFailures.compactMap { result -> PageProblem? in
                if learner && (result.cell.kind == .check || LearnerVersion.isNotDone(result.cell)) { return nil }
                guard case .failed(let failure) = result.status else {
                    return PageProblem(line: result.cell.fenceLine, message: "a check of the reference solution fails",
                                       anchor: result.cell.pageAnchor)
                }
                // A compile error points at its own line; anything else at the cell's fence.
                let exactLine = failure.kind == .compileError
                    ? failure.firstLocation(in: report.lesson.displayPath)?.line : nil
                return PageProblem(line: exactLine ?? result.cell.fenceLine,
                                   message: "\(failure.kind.rawValue): \(failure.message)",
                                   anchor: result.cell.pageAnchor)
            }
            if let machinery = report.machineryFailure {
                problems.insert(PageProblem(line: 1, message: machinery), at: 0)
            }
            return problems
        }
    }
}
