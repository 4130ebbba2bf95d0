import CourseSession
import Foundation
import LessonEngine
import SiteRenderer
import Testing
@testable import CourseServer

/// An author's preview in-process, on the library pipeline: when a saved lesson runs again, and
/// what its page says of the lesson's mistakes.
@Suite struct CoursePreviewTests {
    /// A one-lesson course in a temporary folder and its preview.
    struct Fixture {
        let root: TemporaryDirectory
        let lessonFile: URL
        let preview: CoursePreview
        /// Where the preview writes its pages.
        var output: URL { root.url.appendingPathComponent("Output") }

        init(lesson: String) throws {
            root = try TemporaryDirectory(prefix: "preview")
            let lessons = root.url.appendingPathComponent("Lessons", isDirectory: true)
            try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
            lessonFile = lessons.appendingPathComponent("01-one.md")
            try Data(lesson.utf8).write(to: lessonFile)
            let cache = root.url.appendingPathComponent("cache", isDirectory: true)
            let runner = try CourseRunner.besideExecutable(cache: ExecutionCache(directory: cache))
            preview = CoursePreview(
                source: .course(lessons: lessons, pipeline: CoursePipeline(runner: runner, jobs: 1),
                                writer: SiteWriter(outputDirectory: root.url.appendingPathComponent("Output"),
                                                   courseTitle: "A course", cacheDirectory: cache, search: true)),
                updates: LiveUpdates())
        }
    }

    /// The one-lesson course the server tests serve.
    static let lesson = CourseServerTests.lesson

    /// What the served page gives its live client.
    static func pageData(in page: String) throws -> PageData {
        let start = try #require(page.range(of: #"id="cuaderno-page">"#))
        let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
        return try JSONDecoder().decode(PageData.self, from: Data(page[start.upperBound..<end.lowerBound].utf8))
    }

    @Test func aSaveRunsAtOnceAndAnyOtherChangeOnceTwoLooksAgree() async throws {
        let fixture = try Fixture(lesson: Self.lesson)
        defer { fixture.root.remove() }
        #expect(try await fixture.preview.page(named: "01-one.html")?.contains("Some prose.") == true)

        // A change nobody reported as a save (a program still writing, say): run once it settles.
        try Data(Self.lesson.replacingOccurrences(of: "Some prose.", with: "Prose, changed.").utf8).write(to: fixture.lessonFile)
        #expect(await fixture.preview.refreshChangedLessons() == [])
        #expect(await fixture.preview.refreshChangedLessons() == [fixture.lessonFile])
        #expect(await fixture.preview.refreshChangedLessons() == [])

        // A save the watcher saw: run at the first look.
        try Data(Self.lesson.replacingOccurrences(of: "Some prose.", with: "Prose, saved.").utf8).write(to: fixture.lessonFile)
        #expect(await fixture.preview.refreshChangedLessons(saved: ["01-one.md"]) == [fixture.lessonFile])
        let page = try await fixture.preview.page(named: "01-one.html")
        #expect(page?.contains("Prose, saved.") == true)
        // Another file's save runs nothing.
        #expect(await fixture.preview.refreshChangedLessons(saved: ["02-two.md"]) == [])
    }

    @Test func anAuthorsPageShowsTheMistakesInItsFormulasAndLinksAtTheirLines() async throws {
        let fixture = try Fixture(lesson: """
            ---
            title: One
            ---

            A formula that does not close: $\\frac{1}{$.

            A link to [no lesson](02-missing.md).

            ```swift
            print("hello from the cell")
            ```

            """)
        defer { fixture.root.remove() }
        let page = try #require(try await fixture.preview.page(named: "01-one.html"))
        let problems = try Self.pageData(in: page).problems
        #expect(problems.map(\.line) == [5, 7], "\(problems)")
        #expect(problems.last?.message.contains("02-missing.md") == true)
    }

    @Test func theIndexAndTheSearchAreServedForAnAuthor() async throws {
        let fixture = try Fixture(lesson: Self.lesson)
        defer { fixture.root.remove() }
        _ = try await fixture.preview.page(named: "01-one.html")
        let index = try #require(try await fixture.preview.page(named: "index.html"))
        #expect(index.contains(">One</a>"))
        let search = try #require(try await fixture.preview.page(named: "search.html"))
        #expect(search.contains("search"))
        #expect(FileManager.default.fileExists(atPath: fixture.root.url.appendingPathComponent("Output/search-index.js").path))
    }

    /// The pages `serve` writes are `render`'s, byte for byte: the client is added only to what
    /// is served.
    @Test func theSearchIsWrittenAgainOnlyWhenALessonFileChanged() async throws {
        let fixture = try Fixture(lesson: Self.lesson)
        defer { fixture.root.remove() }
        let searchIndex = fixture.output.appendingPathComponent(SearchIndex.indexFile)
        _ = try await fixture.preview.page(named: IndexPage.fileName)
        let first = FileSnapshot(searchIndex)
        #expect(first.exists)
        // Asking again rewrites the index, not the search (an atomic write is a new file).
        _ = try await fixture.preview.page(named: IndexPage.fileName)
        #expect(FileSnapshot(searchIndex) == first)

        try Data(Self.lesson.replacingOccurrences(of: "Some prose.", with: "Prose about quokkas.").utf8).write(to: fixture.lessonFile)
        _ = try await fixture.preview.page(named: IndexPage.fileName)
        #expect(FileSnapshot(searchIndex) != first)
        #expect(try String(contentsOf: searchIndex, encoding: .utf8).contains("quokkas"))

        // A search removed from under the server is written again.
        try FileManager.default.removeItem(at: fixture.output.appendingPathComponent(SearchIndex.pageFile))
        _ = try await fixture.preview.page(named: SearchIndex.pageFile)
        #expect(FileManager.default.fileExists(atPath: fixture.output.appendingPathComponent(SearchIndex.pageFile).path))
    }

    @Test func thePagesOnDiskAreThoseRenderWrites() async throws {
        let fixture = try Fixture(lesson: Self.lesson)
        defer { fixture.root.remove() }
        let served = try #require(try await fixture.preview.page(named: "01-one.html"))
        #expect(served.contains(LiveClient.scriptPath))
        _ = try await fixture.preview.page(named: "index.html")

        let rendered = fixture.root.url.appendingPathComponent("Rendered", isDirectory: true)
        let course = try LoadedCourse(directory: fixture.lessonFile.deletingLastPathComponent())
        let site = CourseSite(course: course, writer: SiteWriter(
            outputDirectory: rendered, courseTitle: "A course",
            cacheDirectory: fixture.root.url.appendingPathComponent("cache", isDirectory: true), search: true))
        let runner = try CourseRunner.besideExecutable(cache: ExecutionCache(directory: fixture.root.url.appendingPathComponent("cache")))
        let pages = site.writePages(course.lessons, pipeline: CoursePipeline(runner: runner, jobs: 1)).compactMap { $0 }
        try site.writeIndexAndSearch(rendered: pages)

        let names = try FileManager.default.contentsOfDirectory(atPath: rendered.path).sorted()
        #expect(names == ["01-one.html", "index.html", "search-index.js", "search.html", "search.js"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.output.path).sorted() == names)
        for name in names {
            let written = try Data(contentsOf: fixture.output.appendingPathComponent(name))
            #expect(written == (try Data(contentsOf: rendered.appendingPathComponent(name))), "\(name) differs")
            #expect(!String(decoding: written, as: UTF8.self).contains(LiveClient.scriptPath))
        }
    }
}
