import ArgumentParser
import CourseSession
import Foundation
import LessonEngine

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
        let output = GradingResultsFolder(URL(fileURLWithPath: outputDirectory, isDirectory: true))
        do {
            let roster = try readRoster()
            if merge.isEmpty {
                try grade(into: output, roster: roster)
            } else {
                try output.prepare()
                let grades = try output.merge(merge.map { URL(fileURLWithPath: $0, isDirectory: true) }, roster: roster)
                print("Merged \(merge.count) results folders: \(grades.count) learners → \(output.url.path)/\(GradeFiles.gradebookFile)")
            }
        } catch let problem as GradingProblem {
            FileHandle.standardError.write(Data("cuaderno grade: \(problem)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func readRoster() throws(GradingProblem) -> Roster? {
        guard let roster else { return nil }
        do throws(RosterError) {
            return try Roster(contentsOf: URL(fileURLWithPath: roster), displayPath: roster)
        } catch {
            throw .roster(error)
        }
    }

    private func grade(into output: GradingResultsFolder, roster: Roster?) throws {
        let course = try Course(directory: URL(fileURLWithPath: lessonsDirectory, isDirectory: true))
        let gradingCourse = try GradingCourse(course: course, files: course.select(lessons))
        if sandbox == .none {
            FileHandle.standardError.write(Data("cuaderno grade: warning: \(SandboxChoice.noneWarning)\n".utf8))
        }
        let grading = try ClassGrading(course: gradingCourse, sandbox: sandbox, memoryLimit: memoryLimit << 20,
                                       outputLimit: outputLimit << 20, timeout: timeout, jobs: jobs)
        let roll = try ClassRoll(folder: URL(fileURLWithPath: submissions!, isDirectory: true),
                                 shard: shard.flatMap(Shard.init(parsing:)) ?? .whole, roster: roster)
        try output.prepare()

        Interruption.install()
        try grading.verifyReferences()
        try Terminal.stopIfInterrupted()
        let start = Date()
        let bar = ProgressDisplay(total: roll.submissions.count * gradingCourse.lessons.count, unit: "lesson-submissions",
                                  linesWhenNotTerminal: true)
        let graded = grading.grade(roll) { done, _ in bar.show(done) }
        bar.finish()
        try Terminal.stopIfInterrupted()

        try output.write(graded, roster: roster)
        Terminal.summarise(graded, seconds: Date().timeIntervalSince(start), roster: roster, output: output.url)
    }
}

extension SandboxChoice: ExpressibleByArgument {
    /// What `--sandbox none` costs, printed on every run that uses it.
    static let noneWarning = "--sandbox none: lesson programs run with your rights, your environment and your network; they can read the course (hidden checks, reference solutions), other learners' files and your home"
}
