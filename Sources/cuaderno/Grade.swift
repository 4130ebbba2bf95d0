import ArgumentParser
import Foundation
import LessonEngine
import SiteRenderer

struct Grade: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade a class's workbooks against the course's checks, hidden ones included.",
        discussion: """
            SUBMISSIONS holds one folder per learner (the files 'cuaderno start' made, as edited). \
            Only the learners' exercise cells are taken; prose, setup cells and checks come from the \
            course. Writes, into --output: gradebook.csv, grades.json, report.html and report.json \
            (the item analysis), canvas.csv and moodle.csv (with --roster), and for each learner \
            learners/NAME/results.json (Gradescope), learners/NAME/junit.xml and \
            learners/NAME/feedback/index.html. The exit status is 0 when grading ran, whatever the \
            learners scored; 2 when the grader itself could not run.
            """)

    @Argument(help: "The class folder: one sub-folder per learner.")
    var submissions: String?

    @Option(name: .customLong("lessons-dir"), help: "The course whose checks grade the class.")
    var lessonsDirectory = "Lessons"

    @Option(name: .customLong("lesson"), help: "Grade only this lesson (number, name or path); repeat for several.")
    var lessons: [String] = []

    @Option(name: .customLong("output"), help: "The folder for the results (made if missing).")
    var outputDirectory = "Grades"

    @Option(help: "Lesson runs at a time (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Grade one slice of the class, i/n (1 ≤ i ≤ n): the same learners every time.")
    var shard: String?

    @Option(parsing: .upToNextOption, help: "Join the results folders of several shards into --output instead of grading.")
    var merge: [String] = []

    @Option(help: "Seconds each learner's lesson may run (default: the lesson's 'timeout:', else 60).")
    var timeout: Double?

    @Option(name: .customLong("memory-limit"), help: "Megabytes of memory each lesson program may map.")
    var memoryLimit = 4096

    @Option(name: .customLong("output-limit"), help: "Megabytes a lesson program may print before it is stopped.")
    var outputLimit = 1

    @Option(help: "A CSV file mapping each learner's folder to their Canvas and Moodle identity (columns folder, name, id, sis_user_id, sis_login_id, section, email…); writes canvas.csv and moodle.csv.")
    var roster: String?

    @Option(help: "Where learners' programs run: bwrap (a bubblewrap sandbox: no network, no view of the course, the class or your files) or none (with your rights; a warning each run, recorded in grades.json).")
    var sandbox: SandboxChoice = .bwrap

    func validate() throws {
        if merge.isEmpty && submissions == nil {
            throw ValidationError("name the class folder to grade (or use --merge to join shards' results)")
        }
        if !merge.isEmpty && (submissions != nil || shard != nil) {
            throw ValidationError("--merge joins finished results; it takes no class folder and no --shard")
        }
        if roster != nil && shard != nil {
            throw ValidationError("--roster lists the whole class; give it to the run that grades everyone, or to --merge that joins the shards")
        }
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard must be i/n with 1 ≤ i ≤ n, e.g. 2/4 (got '\(shard)')")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
        guard memoryLimit >= 256 else { throw ValidationError("--memory-limit must be at least 256 (MB)") }
        guard outputLimit >= 1 else { throw ValidationError("--output-limit must be at least 1 (MB)") }
    }

    func run() throws {
        let output = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        do {
            let roster = try readRoster()
            if merge.isEmpty {
                try grade(into: output, roster: roster)
            } else {
                try GradingOutput.prepare(output)
                try GradingOutput.merge(merge.map { URL(fileURLWithPath: $0, isDirectory: true) }, roster: roster, into: output)
            }
        } catch let error as GraderFailure {
            FileHandle.standardError.write(Data("cuaderno grade: \(error.message)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func readRoster() throws -> Roster? {
        guard let roster else { return nil }
        do {
            return try Roster(contentsOf: URL(fileURLWithPath: roster), displayPath: roster)
        } catch {
            throw GraderFailure(error.description)
        }
    }

    private func grade(into output: URL, roster: Roster?) throws {
        let course = try Course(directory: URL(fileURLWithPath: lessonsDirectory, isDirectory: true))
        let files = try course.select(lessons)
        var gradingLessons: [GradingLesson] = []
        for file in files {
            do {
                let lesson = try GradingLesson(file: file, displayPath: Course.displayPath(of: file))
                if lesson.reference.cells.contains(where: { $0.check != nil }) { gradingLessons.append(lesson) }
            } catch {
                throw GraderFailure("the course's lesson \(Course.displayPath(of: file)) has mistakes:\n\(error)")
            }
        }
        guard !gradingLessons.isEmpty else { throw GraderFailure("the lessons chosen have no checks to grade with") }

        if sandbox == .none {
            FileHandle.standardError.write(Data("cuaderno grade: warning: \(SandboxChoice.noneWarning)\n".utf8))
        }
        var executor: LessonExecutor
        do {
            executor = try CourseRunner.besideExecutable(sandbox: sandbox).executor
        } catch let unavailable as SandboxUnavailable {
            throw GraderFailure(unavailable.description)
        }
        executor.memoryLimit = memoryLimit << 20
        executor.outputLimit = outputLimit << 20
        let submissionsFolder = URL(fileURLWithPath: submissions!, isDirectory: true)
        let shard = shard.flatMap(Shard.init(parsing:)) ?? .whole
        let everyone: [Submission]
        do {
            everyone = try ClassFolder.submissions(in: submissionsFolder)
        } catch {
            throw GraderFailure("cannot read the class folder \(submissionsFolder.path): \(error.localizedDescription)")
        }
        let selected = everyone.filter { shard.contains($0.learner) }
        // Before any grading: a learner missing from the roster stops the run now, not in an hour.
        let absent: [String]
        do {
            absent = try roster?.absentLearners(graded: everyone.map(\.learner)) ?? []
        } catch {
            throw GraderFailure(error.description)
        }
        try GradingOutput.prepare(output)

        Interruption.install()
        try verifyReferences(gradingLessons, executor: executor)
        let grader = ClassGrader(
            grader: SubmissionGrader(executor: executor, timeout: timeout,
                                     dataDirectory: course.directory.appendingPathComponent("data")),
            lessons: gradingLessons)
        let start = Date()
        let bar = ProgressDisplay(total: selected.count * gradingLessons.count, unit: "lesson-submissions",
                                  linesWhenNotTerminal: true)
        let graded = grader.grade(selected, jobs: jobs) { done, total in bar.show(done) }
        bar.finish()
        try Terminal.stopIfInterrupted()

        let grades = graded.map { learner in
            var grade = learner.grade
            grade.sandbox = sandbox
            return grade
        }
        try GradingOutput.writeResults(grades, roster: roster, absentLearners: absent, to: output)
        for learner in graded {
            try GradingOutput.writeFeedback(learner, lessons: gradingLessons, into: output)
        }
        GradingOutput.summarise(grades, shard: shard, seconds: Date().timeIntervalSince(start),
                                lessonCount: gradingLessons.count, roster: roster, output: output)
    }

    /// Runs each reference lesson once: grading against a course whose own solutions fail its
    /// checks would blame the learners for the course's mistake.
    private func verifyReferences(_ lessons: [GradingLesson], executor: LessonExecutor) throws {
        for lesson in lessons {
            let report = executor.execute(lesson.reference, timeout: timeout)
            try Terminal.stopIfInterrupted()
            if let failure = report.machineryFailure {
                throw GraderFailure("cannot run \(lesson.reference.displayPath): \(failure)")
            }
            let failing = report.checks.filter { !$0.passed }
            guard report.unexpectedFailures.isEmpty && failing.isEmpty else {
                throw GraderFailure("the course's own \(lesson.reference.displayPath) does not pass its checks with its reference solutions; run 'cuaderno check \(lesson.slug)' and fix it first")
            }
        }
    }
}

extension SandboxChoice: ExpressibleByArgument {
    /// What `--sandbox none` costs, printed on every run that uses it.
    static let noneWarning = "--sandbox none: lesson programs run with your rights, your environment and your network; they can read the course (hidden checks, reference solutions), other learners' files and your home"
}

/// A reason the grader itself cannot go on (exit status 2).
struct GraderFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
