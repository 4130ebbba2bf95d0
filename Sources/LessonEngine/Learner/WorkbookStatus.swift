import Foundation

/// Where a learner stands in the course: every lesson of the workbook in course order, what its
/// last run found, and which lesson is next.
public struct WorkbookStatus: Sendable {
    /// One lesson's standing.
    public struct Standing: Sendable {
        public enum State: Sendable, Equatable {
            /// The lesson has no exercises: there is nothing to pass.
            case noExercises
            /// Never run.
            case notStarted
            /// Every check passed in the last run.
            case done
            /// The last run had this many failing checks.
            case failing(Int)
            /// The last run could not run the lesson; the text says why.
            case couldNotRun(String)
            /// The file cannot be read as a lesson now; the text is its first mistake.
            case invalid(String)
        }

        public var file: URL
        /// The lesson's number (`01-…` → 1).
        public var number: Int
        public var title: String
        public var summary: String?
        public var state: State
        /// Points earned in the last run, and the points the lesson's checks are worth.
        public var earned: Int
        public var possible: Int
        /// The file was saved after its last run, so the result may be out of date.
        public var changedSinceRun: Bool
        /// Checks the course keeps out of the learner's copy and runs only when grading (counted
        /// from the course's own lesson; 0 when it cannot be read).
        public var hiddenChecks = 0

        /// Whether the learner still has work to do here.
        public var needsWork: Bool {
            switch state {
            case .noExercises, .done: false
            default: true
            }
        }
    }

    public var lessons: [Standing]
    /// Lessons of the course that the workbook does not have yet (`cuaderno start` adds them).
    public var missingFromWorkbook: [String]

    /// The first lesson in course order that still needs work; nil when all are done.
    public var next: Standing? { lessons.first(where: \.needsWork) }

    /// Reads the workbook's lessons and its progress file.
    ///
    /// - Parameter courseLessons: the course's own lessons folder, to notice lessons the workbook
    ///   lacks and to count each lesson's hidden checks.
    public static func read(workbook: URL, progress: WorkbookProgress, courseLessons: URL? = nil) throws -> WorkbookStatus {
        let course = try Course(directory: workbook)
        let parser = LessonParser(version: .learner)
        var lessons: [Standing] = []
        for file in course.lessonFiles {
            let name = file.lastPathComponent
            let contents = try Data(contentsOf: file)
            let record = progress.lessons[name]
            var standing = Standing(file: file, number: Course.number(of: name) ?? 0,
                                    title: file.deletingPathExtension().lastPathComponent, summary: nil, state: .notStarted,
                                    earned: 0, possible: 0,
                                    changedSinceRun: record.map { $0.fingerprint != Fingerprint.of(contents) } ?? false)
            if let courseLessons {
                standing.hiddenChecks = hiddenCheckCount(of: courseLessons.appendingPathComponent(name))
            }
            switch parser.parse(fileURL: file, displayPath: Course.displayPath(of: file)) {
            case .failure(let errors):
                standing.state = .invalid(errors.errors.first?.description ?? "the lesson file has mistakes")
            case .success(let lesson):
                standing.title = lesson.frontMatter.title
                standing.summary = lesson.frontMatter.summary
                let checks = lesson.cells.compactMap(\.check)
                standing.possible = checks.reduce(0) { $0 + $1.points }
                if checks.isEmpty {
                    standing.state = .noExercises
                } else if let record {
                    standing.earned = record.earned
                    if let problem = record.problem {
                        standing.state = .couldNotRun(problem)
                    } else if record.failingChecks > 0 {
                        standing.state = .failing(record.failingChecks)
                    } else if record.isDone {
                        standing.state = .done
                    }
                }
            }
            lessons.append(standing)
        }
        var missing: [String] = []
        if let courseLessons, let original = try? Course(directory: courseLessons) {
            let present = Set(course.lessonFiles.map(\.lastPathComponent))
            missing = original.lessonFiles.map(\.lastPathComponent).filter { !present.contains($0) }
        }
        return WorkbookStatus(lessons: lessons, missingFromWorkbook: missing)
    }

    /// The number of hidden checks in the course's lesson at `file`; 0 when it is missing or
    /// cannot be read (then nothing can be said about them).
    public static func hiddenCheckCount(of file: URL) -> Int {
        guard FileManager.default.fileExists(atPath: file.path),
              case .success(let lesson) = LessonParser().parse(fileURL: file, displayPath: Course.displayPath(of: file))
        else { return 0 }
        return lesson.cells.filter { $0.check?.hidden == true }.count
    }
}
