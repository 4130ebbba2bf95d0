import ArgumentParser
import CourseSession
import Foundation
import LessonEngine
import SiteRenderer

/// `cuaderno export --ipynb`: lessons as Jupyter notebooks, for reading and sharing.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write lessons as Jupyter notebooks (.ipynb), for reading and sharing.",
        discussion: """
            One nbformat 4.5 notebook per lesson, <lesson>.ipynb: prose as Markdown cells, each Swift \
            cell a code cell tagged with its kind, with the outputs of a real run (lessons run as \
            'render' runs them, through the execution cache). With --learner: the learner's version \
            (todo() for each solution, no hidden checks) without outputs. A file in the folder that \
            is not an export of the same version is never replaced: nothing is written then. No \
            Jupyter kernel for Swift is maintained, so the notebooks are for reading, not re-running.
            """)

    @OptionGroup var course: CourseOptions

    @Flag(help: "Write Jupyter notebooks (the only format so far).")
    var ipynb = false

    @Flag(help: "Export the learner's version: todo() in place of solutions, no hidden checks, no outputs.")
    var learner = false

    @Option(name: .customLong("to"), help: "The folder to write into (default: Notebooks, or Notebooks/learner with --learner).")
    var destination: String?

    func validate() throws {
        guard ipynb else { throw ValidationError("say what to export to: --ipynb (Jupyter notebooks) is the only format so far") }
    }

    func run() throws {
        let loaded = try course.load()
        let selected = try loaded.select(course.lessons)
        let version: NotebookVersion = learner ? .learner : .reference
        let folderPath = destination ?? (learner ? "Notebooks/learner" : "Notebooks")
        let folder = NotebookFolder(directory: URL(fileURLWithPath: folderPath, isDirectory: true))
        // Before any lesson runs, so a refusal costs no waiting and leaves the folder as it was.
        do {
            try folder.checkReplaceable(slugs: selected.map(\.slug), version: version)
        } catch {
            print("✗ \(error)")
            print("Nothing was written.")
            throw ExitCode(1)
        }
        let exported = learner ? exportLearner(selected.map(\.file), into: folder) : try exportReference(selected, into: folder)
        let written = exported.filter(\.written).count
        print("Wrote \(written) \(written == 1 ? "notebook" : "notebooks") (\(version.rawValue) version) to \(folderPath)/")
        if !exported.allSatisfy(\.succeeded) { throw ExitCode(1) }
    }

    /// What exporting one lesson gave.
    struct Exported: Sendable {
        /// Whether its notebook was written.
        var written: Bool
        /// Whether the lesson ran as intended (or, for the learner's version, could be read) and was written.
        var succeeded: Bool
    }

    /// Runs the lessons (several at a time, through the cache) and writes their notebooks.
    private func exportReference(_ lessons: [CourseLesson], into folder: NotebookFolder) throws -> [Exported] {
        let pipeline = try course.makePipeline()
        Interruption.install()
        let progress = ProgressDisplay(total: lessons.count, unit: "lessons")
        let results = pipeline.exportNotebooks(lessons, into: folder) { exported in
            progress.printing {
                guard let exported else { return }
                Terminal.report(exported.outcome, proseErrors: .empty)
                if let writeError = exported.writeError { print("✗ \(writeError)") }
            }
        }
        progress.finish()
        try Terminal.stopIfInterrupted()
        return results.compactMap { $0 }.map { Exported(written: $0.written, succeeded: $0.succeeded) }
    }

    /// Writes the learner's version of each lesson; nothing runs.
    private func exportLearner(_ files: [URL], into folder: NotebookFolder) -> [Exported] {
        files.map { file in
            let displayPath = Course.displayPath(of: file)
            do {
                let lessons = try LearnerVersion.lessons(file: file, displayPath: displayPath)
                try folder.write(NotebookExport.learner(lessons.learner))
                return Exported(written: true, succeeded: true)
            } catch let errors as LessonErrors {
                print("✗ \(displayPath): \(errors.errors.count) \(errors.errors.count == 1 ? "mistake" : "mistakes") in the lesson file")
                for error in errors.errors { print("  \(error)") }
            } catch {
                print("✗ \(error)")
            }
            return Exported(written: false, succeeded: false)
        }
    }
}
