import CourseSession
import Foundation
import LessonEngine
import SiteRenderer
import Testing

/// The author's pipeline run in-process on a small course: two lessons that run — the first with
/// a mistake in a formula and links to the second, the second with a cell that fails — and one
/// whose file has a mistake.
@Suite(.serialized) struct CoursePipelineTests {
    static let first = """
        ---
        title: First steps
        summary: Adding numbers.
        ---
        Adding $1 + \\bogus$ is easy; the [next lesson](02-second.md) uses it
        in [its first cell](02-second.md#cell-1), but not [here](02-second.md#nowhere).

        ```swift
        let total = 1 + 2
        print("total:", total)
        ```
        """

    static let second = """
        ---
        title: Second steps
        ---
        Back to [the first lesson](01-first.md#cell-1). The sum is $a + b$.

        ```swift
        print("before")
        ```

        ```swift
        let values = [1, 2, 3]
        print(values[values.count])
        ```
        """

    static let broken = """
        ---
        title: Broken steps
        summary: A cell tag that does not exist.
        ---
        ```swift bogus
        print("never run")
        ```
        """

    /// Counts how often each lesson file is parsed.
    final class ParseCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]

        func parse(_ file: URL) -> CourseLesson {
            lock.withLock { counts[file.lastPathComponent, default: 0] += 1 }
            return CourseLesson(file: file, parser: LessonParser())
        }

        var parses: [String: Int] { lock.withLock { counts } }
    }

    /// A course folder with the three lessons, and a place for pages and the cache beside it.
    struct Fixture {
        let root: TemporaryDirectory
        var lessons: URL { root.url.appendingPathComponent("Lessons", isDirectory: true) }
        var output: URL { root.url.appendingPathComponent("Output", isDirectory: true) }
        var cache: URL { root.url.appendingPathComponent("cache", isDirectory: true) }

        init() throws {
            root = try TemporaryDirectory(prefix: "course-pipeline")
            try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
            for (name, text) in [("01-first.md", first), ("02-second.md", second), ("03-broken.md", broken)] {
                try text.write(to: lessons.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
        }

        /// A pipeline that compiles against the runtime built beside the tests, through a cache.
        func pipeline(refreshing: Bool = false) throws -> CoursePipeline {
            let runtime = try RuntimeLibrary.besideExecutable()
            var runner = CourseRunner(
                executor: LessonExecutor(compiler: SwiftCompiler(
                    runtime: runtime, moduleCache: runtime.buildDirectory.appendingPathComponent("cuaderno-module-cache"))),
                cache: ExecutionCache(directory: cache))
            runner.refreshesCache = refreshing
            return CoursePipeline(runner: runner, jobs: 2)
        }

        func page(_ name: String) throws -> String {
            try String(contentsOf: output.appendingPathComponent(name), encoding: .utf8)
        }
    }

    @Test func loadingParsesEachFileOnceAndDerivesLinksAndAnchors() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let counter = ParseCounter()
        let course = LoadedCourse(course: try Course(directory: fixture.lessons), read: counter.parse)

        #expect(counter.parses == ["01-first.md": 1, "02-second.md": 1, "03-broken.md": 1])
        #expect(course.lessons.map(\.slug) == ["01-first", "02-second", "03-broken"])
        // The broken lesson keeps its front matter's title and summary in the course's links.
        #expect(course.links == [
            LessonLink(slug: "01-first", title: "First steps", summary: "Adding numbers."),
            LessonLink(slug: "02-second", title: "Second steps"),
            LessonLink(slug: "03-broken", title: "Broken steps", summary: "A cell tag that does not exist."),
        ])
        #expect(course.readableLessons.map(\.slug) == ["01-first", "02-second"])
        guard case .failure(let errors) = course.lessons[2].parsed else {
            Issue.record("the lesson with an unknown cell tag was read without mistakes")
            return
        }
        #expect(errors.errors.map(\.line) == [5])
        #expect(try course.select(["2", "01-first"]).map(\.slug) == ["02-second", "01-first"])
    }

    /// The links taken from the parsed lessons are those read from the front matter alone (even
    /// of a lesson whose cells have mistakes), for this course and for the package's own.
    @Test func linksFromParsedLessonsMatchThoseReadFromFrontMatter() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let package = try RuntimeLibrary.besideExecutable().packageRoot.appendingPathComponent("Lessons", isDirectory: true)
        for directory in [fixture.lessons, package] {
            let course = try LoadedCourse(directory: directory)
            let fromFrontMatter = course.course.lessonFiles.map { file in
                let front = try! #require(LessonParser().frontMatter(fileURL: file, displayPath: Course.displayPath(of: file)))
                return LessonLink(slug: file.deletingPathExtension().lastPathComponent, title: front.title,
                                  language: front.language, summary: front.summary)
            }
            #expect(course.links == fromFrontMatter)
        }
        #expect(try LoadedCourse(directory: fixture.lessons).links.map(\.title) == ["First steps", "Second steps", "Broken steps"])
    }

    /// A course loaded again reads only the files saved since, and sees lessons added and removed.
    @Test func aReloadedCourseReadsOnlyWhatChanged() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let counter = ParseCounter()
        let course = LoadedCourse(course: try Course(directory: fixture.lessons), read: counter.parse)
        #expect(counter.parses == ["01-first.md": 1, "02-second.md": 1, "03-broken.md": 1])
        let second = fixture.lessons.appendingPathComponent("02-second.md")
        try AtomicFile.write(Self.second.replacingOccurrences(of: "Second steps", with: "Second steps, edited"), to: second)
        try FileManager.default.removeItem(at: fixture.lessons.appendingPathComponent("03-broken.md"))
        try AtomicFile.write(Self.first.replacingOccurrences(of: "First steps", with: "Fourth steps"),
                             to: fixture.lessons.appendingPathComponent("04-fourth.md"))

        let reloaded = try course.reloaded(read: counter.parse)
        #expect(reloaded.links.map(\.title) == ["First steps", "Second steps, edited", "Fourth steps"])
        // The unchanged lesson is the one read before, not read again.
        #expect(counter.parses == ["01-first.md": 1, "02-second.md": 2, "03-broken.md": 1, "04-fourth.md": 1])
        #expect(reloaded.lesson(in: fixture.lessons.appendingPathComponent("01-first.md")) != nil)
        #expect(reloaded.lesson(in: fixture.lessons.appendingPathComponent("03-broken.md")) == nil)
    }

    @Test func checkRunsEachLessonOnceAndReportsItsProse() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let counter = ParseCounter()
        let course = LoadedCourse(course: try Course(directory: fixture.lessons), read: counter.parse)
        // Nothing after loading reads the lesson files again: without them, the lessons still run.
        for lesson in course.lessons { try FileManager.default.removeItem(at: lesson.file) }

        let delivered = DeliveryLog()
        let checked = try fixture.pipeline().check(course.lessons, of: course) { checked in
            delivered.append(checked.map { Self.slug(of: $0.outcome) } ?? "nil")
        }
        let results = try checked.map { try #require($0) }

        #expect(counter.parses.values.allSatisfy { $0 == 1 })
        #expect(delivered.entries == ["01-first", "02-second", "03-broken"])
        #expect(results.map(\.succeeded) == [false, false, false])

        guard case .ran(let first) = results[0].outcome, case .ran(let second) = results[1].outcome else {
            Issue.record("the two readable lessons did not run")
            return
        }
        #expect(first.succeeded)
        #expect(first.cells.map(\.status) == [.succeeded])
        #expect(results[0].proseErrors.math.map(\.line) == [5])
        #expect(results[0].proseErrors.math.first?.message.contains("unknown TeX command '\\bogus'") == true)
        #expect(results[0].proseErrors.links.map(\.line) == [6])
        #expect(results[0].proseErrors.links.first?.message.contains("#nowhere") == true)

        #expect(!second.succeeded)
        #expect(second.unexpectedFailures.map(\.cell.fenceLine) == [10])
        #expect(results[1].proseErrors == .empty)

        guard case .invalid(_, _, let errors) = results[2].outcome else {
            Issue.record("the broken lesson ran")
            return
        }
        #expect(errors.errors.count == 1)
        #expect(results[2].proseErrors == .empty)

        // Run again: both readable lessons come from the cache.
        let again = try fixture.pipeline().check(course.lessons, of: course).map { try #require($0) }
        #expect(again.compactMap { result -> Bool? in
            guard case .ran(let report) = result.outcome else { return nil }
            return report.isFromCache
        } == [true, true])
    }

    @Test func renderWritesPagesIndexAndSearch() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let course = try LoadedCourse(directory: fixture.lessons)
        let site = CourseSite(course: course, writer: SiteWriter(outputDirectory: fixture.output, courseTitle: "A test course",
                                                                 search: true))
        // Only the first two lessons: the third is in the index as not rendered.
        let pages = site.writePages(try course.select(["1", "2"]), pipeline: try fixture.pipeline())
        let rendered = try pages.map { try #require($0) }
        #expect(rendered.map(\.writeError) == [nil, nil])
        try site.writeIndexAndSearch(rendered: rendered)

        guard case .ran(let first) = rendered[0].outcome else {
            Issue.record("the first lesson did not run")
            return
        }
        // The prose's mistakes are found while the page is made, as the check finds them.
        #expect(rendered[0].proseErrors.math == MathCheck.errors(in: first.lesson))
        #expect(rendered[0].proseErrors.links == LinkCheck.errors(in: first.lesson, course: course.anchors))
        #expect(rendered[0].proseErrors.math.count == 1 && rendered[0].proseErrors.links.count == 1)

        let firstPage = try fixture.page("01-first.html")
        #expect(firstPage.contains("<merror><mtext>\\bogus</mtext></merror>"))
        #expect(firstPage.contains("total: 3"))
        #expect(firstPage.contains("href=\"02-second.html\""))  // the pager's next lesson
        let secondPage = try fixture.page("02-second.html")
        #expect(secondPage.contains("Second steps"))
        #expect(!FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent("03-broken.html").path))

        let index = try fixture.page("index.html")
        for title in ["First steps", "Second steps", "Broken steps"] { #expect(index.contains(title)) }
        let search = try fixture.page(SearchIndex.indexFile)
        #expect(search.contains("First steps") && search.contains("Second steps"))
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent(SearchIndex.pageFile).path))
    }

    @Test func exportWritesANotebookForEachLessonThatRan() throws {
        let fixture = try Fixture()
        defer { fixture.root.remove() }
        let course = try LoadedCourse(directory: fixture.lessons)
        let folder = NotebookFolder(directory: fixture.root.url.appendingPathComponent("Notebooks", isDirectory: true))
        let exported = try fixture.pipeline().exportNotebooks(course.lessons, into: folder).map { try #require($0) }

        #expect(exported.map(\.written) == [true, true, false])
        #expect(exported.map(\.succeeded) == [true, false, false])  // lesson 2's cell fails; lesson 3 has mistakes
        for (slug, written) in zip(course.lessons.map(\.slug), [true, true, false]) {
            #expect(FileManager.default.fileExists(atPath: folder.file(slug: slug).path) == written)
        }
        let notebook = try String(contentsOf: folder.file(slug: "01-first"), encoding: .utf8)
        #expect(notebook.contains("total: 3"))
    }

    static func slug(of outcome: LessonOutcome) -> String {
        switch outcome {
        case .ran(let report): report.lesson.slug
        case .invalid(let file, _, _): file.deletingPathExtension().lastPathComponent
        }
    }
}

/// What a pipeline delivered, in the order it did.
final class DeliveryLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    func append(_ entry: String) { lock.withLock { stored.append(entry) } }
    var entries: [String] { lock.withLock { stored } }
}
