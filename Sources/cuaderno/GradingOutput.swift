import Foundation
import LessonEngine
import SiteRenderer

/// The results folder of `cuaderno grade`: making it safely, the learners' feedback pages,
/// joining shards, and the summary on the terminal.
enum GradingOutput {
    /// Makes `folder`, or reuses it when it is empty or holds an earlier grading's results
    /// (recognised by its `grades.json`); refuses any other folder, so that no file a person
    /// wrote there is ever replaced.
    static func prepare(_ folder: URL) throws {
        let files = FileManager.default
        let contents = (try? files.contentsOfDirectory(atPath: folder.path)) ?? []
        if contents.isEmpty {
            do {
                try files.createDirectory(at: folder, withIntermediateDirectories: true)
            } catch {
                throw GraderFailure("cannot make the results folder \(folder.path): \(error.localizedDescription)")
            }
            return
        }
        guard contents.contains(GradeFiles.gradesFile) else {
            throw GraderFailure("the results folder \(folder.path) already holds files that are not grading results; choose another with --output")
        }
    }

    /// Writes a learner's feedback pages: each graded lesson with their exercise code, its output
    /// and every check's verdict and hint (hidden checks: verdict only), and an index.
    static func writeFeedback(_ learner: ClassGrader.Graded, lessons: [GradingLesson], into output: URL) throws {
        let folder = output.appendingPathComponent(GradeFiles.learnersFolder)
            .appendingPathComponent(learner.grade.learner).appendingPathComponent("feedback")
        let writer = SiteWriter(outputDirectory: folder,
                                courseTitle: "Feedback for \(learner.grade.learner): \(learner.grade.score)/\(learner.grade.maxScore) points")
        let links = lessons.map { LessonLink(slug: $0.slug, title: $0.reference.frontMatter.title,
                                              language: $0.reference.frontMatter.language) }
        var entries: [IndexEntry] = []
        for (position, lesson) in lessons.enumerated() {
            let grade = learner.grade.lessons[position]
            if let report = learner.reports[position] {
                try writer.writePage(for: .ran(report), course: links)
                var entry = SiteWriter.indexEntry(for: .ran(report))
                entry.summary = "\(grade.score)/\(grade.maxScore) points"
                entries.append(entry)
            } else {
                let reason = grade.checks.first?.reason ?? "not graded"
                entries.append(IndexEntry(slug: lesson.slug, title: lesson.reference.frontMatter.title,
                                          summary: "0/\(grade.maxScore) points: \(reason)", status: .notStarted))
            }
        }
        try writer.writeIndex(entries, language: lessons.first?.reference.frontMatter.language ?? "en")
    }

    /// Joins the results folders of several shards into `output`: one gradebook over every
    /// learner, and each learner's files copied. A learner graded in two shards, or shards
    /// graded against different checks, stop the merge.
    static func merge(_ shards: [URL], roster: Roster?, into output: URL) throws {
        var grades: [LearnerGrade] = []
        var origin: [String: URL] = [:]
        for shard in shards {
            let file = shard.appendingPathComponent(GradeFiles.gradesFile)
            let shardGrades: [LearnerGrade]
            do {
                shardGrades = try GradeFiles.readGrades(from: file)
            } catch {
                throw GraderFailure("cannot read \(file.path): \(error.localizedDescription); is it a grading run's results folder?")
            }
            for grade in shardGrades {
                if let other = origin[grade.learner] {
                    throw GraderFailure("\(grade.learner) was graded in both \(other.path) and \(shard.path)")
                }
                if let first = grades.first, first.checks.map(\.name) != grade.checks.map(\.name) {
                    throw GraderFailure("\(shard.path) was graded against other checks than \(origin[first.learner]!.path)")
                }
                origin[grade.learner] = shard
                grades.append(grade)
            }
        }
        grades.sort { $0.learner < $1.learner }
        let absent: [String]
        do {
            absent = try roster?.absentLearners(graded: grades.map(\.learner)) ?? []
        } catch {
            throw GraderFailure(error.description)
        }
        try writeResults(grades, roster: roster, absentLearners: absent, to: output)
        let files = FileManager.default
        for grade in grades {
            let source = origin[grade.learner]!.appendingPathComponent(GradeFiles.learnersFolder)
                .appendingPathComponent(grade.learner).appendingPathComponent("feedback")
            let destination = output.appendingPathComponent(GradeFiles.learnersFolder)
                .appendingPathComponent(grade.learner).appendingPathComponent("feedback")
            guard files.fileExists(atPath: source.path), source.standardizedFileURL != destination.standardizedFileURL else { continue }
            try? files.removeItem(at: destination)
            try files.copyItem(at: source, to: destination)
        }
        print("Merged \(shards.count) results folders: \(grades.count) learners → \(output.path)/\(GradeFiles.gradebookFile)")
    }

    /// Writes the grade files (``GradeFiles/write(_:analysis:roster:to:)``) and the item
    /// analysis's page, `report.html`.
    static func writeResults(_ grades: [LearnerGrade], roster: Roster?, absentLearners: [String], to output: URL) throws {
        let analysis = ItemAnalysis(grades, absentLearners: absentLearners)
        try GradeFiles.write(grades, analysis: analysis, roster: roster, to: output)
        let sandboxes = Set(grades.map(\.sandbox))
        let page = GradeReportPage(analysis: analysis, sandbox: sandboxes.count == 1 ? sandboxes.first! : nil)
        try AtomicFile.write(page.render(), to: output.appendingPathComponent(GradeFiles.reportHTMLFile))
    }

    /// Prints what was graded, how fast, and each learner's score.
    static func summarise(_ grades: [LearnerGrade], shard: Shard, seconds: Double, lessonCount: Int,
                          roster: Roster?, output: URL) {
        let runs = grades.count * lessonCount
        let perMinute = seconds > 0 ? Double(runs) / seconds * 60 : 0
        let slice = shard == .whole ? "" : " (shard \(shard))"
        print("Graded \(grades.count) learners × \(lessonCount) lessons\(slice) in "
              + String(format: "%.1f s (%.0f lesson-submissions per minute)", seconds, perMinute))
        for grade in grades {
            let failing = grade.checks.filter { !$0.passed }.count
            print("  \(grade.learner): \(grade.score)/\(grade.maxScore) points"
                  + (failing == 0 ? "" : ", \(failing) \(failing == 1 ? "check" : "checks") failing"))
        }
        print("Results: \(output.path)/\(GradeFiles.gradebookFile), the item analysis \(GradeFiles.reportHTMLFile), "
              + "and per learner \(GradeFiles.learnersFolder)/NAME/")
        if let roster {
            let files = [roster.hasCanvasIdentities ? GradeFiles.canvasFile : nil,
                         roster.moodleKeyColumn != nil ? GradeFiles.moodleFile : nil].compactMap { $0 }
            print("For your LMS: \(files.joined(separator: " and ")) (\(roster.entries.count) learners of \(roster.path))")
        } else if shard == .whole {
            print("For Canvas or Moodle import files, grade with --roster FILE (see the README's \"Grades where instructors put them\")")
        }
    }
}
