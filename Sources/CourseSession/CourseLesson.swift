import Foundation
import LessonEngine
import SiteRenderer

/// One lesson file of a course, read and parsed once: the lesson (or the mistakes that keep it
/// from running) and its link, from which every later stage works without reading the file again.
public struct CourseLesson: Sendable {
    /// The Markdown file.
    public let file: URL
    /// How messages name the file (`Lessons/01-self-attention.md`).
    public let displayPath: String
    /// The lesson, or the mistakes in its file.
    public let parsed: Result<Lesson, LessonErrors>
    /// The lesson as a link: its title, language and summary from its front matter, which is
    /// read even when the rest of the file has mistakes; its file name when the front matter
    /// cannot be read.
    public let link: LessonLink
    /// The file as it was just before it was read: whether it has changed since.
    public let snapshot: FileSnapshot

    /// The lesson's page name without `.html` (`01-self-attention`).
    public var slug: String { link.slug }

    /// The lesson, when its file has no mistakes.
    public var lesson: Lesson? { try? parsed.get() }

    /// Reads and parses `file`.
    public init(file: URL, parser: LessonParser) {
        let displayPath = Course.displayPath(of: file)
        let snapshot = FileSnapshot(file)
        let read = parser.parseKeepingFrontMatter(fileURL: file, displayPath: displayPath)
        self.init(file: file, displayPath: displayPath, parsed: read.lesson, frontMatter: read.frontMatter, snapshot: snapshot)
    }

    /// A lesson file already parsed; `frontMatter` is nil when it could not be read, and
    /// `snapshot` is the file as it was when it was read.
    public init(file: URL, displayPath: String, parsed: Result<Lesson, LessonErrors>, frontMatter: FrontMatter?,
                snapshot: FileSnapshot) {
        self.file = file
        self.displayPath = displayPath
        self.parsed = parsed
        self.snapshot = snapshot
        let slug = file.deletingPathExtension().lastPathComponent
        if let frontMatter {
            link = LessonLink(slug: slug, title: frontMatter.title, language: frontMatter.language, summary: frontMatter.summary)
        } else {
            link = LessonLink(slug: slug, title: slug)
        }
    }
}

/// A course folder loaded and validated once, the first stage of ``CoursePipeline``: every lesson
/// file parsed into a ``CourseLesson``, and what pages and checks need from the whole course — its
/// links, the anchors links may point to, the lessons the search covers — derived from those
/// parsed lessons.
public struct LoadedCourse: Sendable {
    /// The course folder and its lesson files.
    public let course: Course
    /// Every lesson of the course, in course order.
    public let lessons: [CourseLesson]
    /// What a page of the course can be linked to, for checking the links of any lesson.
    public let anchors: LinkCheck.CourseAnchors

    /// Reads the course in `directory`, parsing each lesson file once with `parser`.
    ///
    /// - Throws: ``Course/Problem`` when the folder cannot be read.
    public init(directory: URL, parser: LessonParser = LessonParser()) throws(Course.Problem) {
        self.init(course: try Course(directory: directory)) { file in CourseLesson(file: file, parser: parser) }
    }

    /// The course `course`, each of its lesson files read once by `read` (tests count the reads).
    public init(course: Course, read: (URL) -> CourseLesson) {
        self.course = course
        lessons = course.lessonFiles.map(read)
        anchors = LinkCheck.CourseAnchors(lessons.compactMap(\.lesson))
    }

    /// The course as its folder is now — lessons added, removed or saved since — reading again
    /// only the files that changed since they were read (their ``FileSnapshot`` differs), with
    /// `parser`. What `cuaderno serve` does before it renders a saved lesson, so that its page
    /// links to the course as it is.
    ///
    /// - Throws: ``Course/Problem`` when the folder cannot be read.
    public func reloaded(parser: LessonParser) throws(Course.Problem) -> LoadedCourse {
        try reloaded { file in CourseLesson(file: file, parser: parser) }
    }

    /// The course as its folder is now, each changed or new lesson file read by `read` (tests
    /// count the reads).
    public func reloaded(read: (URL) -> CourseLesson) throws(Course.Problem) -> LoadedCourse {
        let known = Dictionary(lessons.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        return LoadedCourse(course: try Course(directory: course.directory)) { file in
            if let lesson = known[file], lesson.snapshot == FileSnapshot(file) { return lesson }
            return read(file)
        }
    }

    /// The lesson read from `file`, if it is one of the course's.
    public func lesson(in file: URL) -> CourseLesson? {
        lessons.first { $0.file == file }
    }

    /// Every lesson of the course as a link, in order (for pagers and the index).
    public var links: [LessonLink] { lessons.map(\.link) }

    /// The lessons whose files have no mistakes: what the search covers.
    public var readableLessons: [Lesson] { lessons.compactMap(\.lesson) }

    /// The language of the course's interface words: the first lesson's `lang`, else English.
    public var language: String { lessons.first?.link.language ?? "en" }

    /// The lessons a command names — by number (`1`), name (`01-self-attention`) or path — in
    /// the order named; every lesson when none is named.
    ///
    /// - Throws: ``Course/Problem`` naming the lessons there are when one asked for is not.
    public func select(_ requests: [String]) throws(Course.Problem) -> [CourseLesson] {
        let files = try course.select(requests)
        return files.compactMap { file in lessons.first { $0.file == file } }
    }
}
