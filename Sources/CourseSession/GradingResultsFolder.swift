import Foundation
import LessonEngine
import SiteRenderer

/// The results folder of a grading run (`cuaderno grade --output`): made safely, then filled with
/// a ``GradedClass`` — the grade files, the item analysis's page and each learner's feedback
/// pages — or with the joined results of several shards.
public struct GradingResultsFolder: Sendable {
    public let url: URL

    public init(_ url: URL) {
        self.url = url
    }

    /// Makes the folder, or reuses it when it is empty or holds an earlier grading's results
    /// (recognised by its `grades.json`); refuses any other folder, so that no file a person
    /// wrote there is ever replaced.
    ///
    /// - Throws: ``GradingProblem/unmakeableResultsFolder(_:reason:)`` or
    ///   ``GradingProblem/resultsFolderHoldsOtherFiles(_:)``.
    public func prepare() throws(GradingProblem) {
        let files = FileManager.default
        let contents = (try? files.contentsOfDirectory(atPath: url.path)) ?? []
        if contents.isEmpty {
            do {
                try files.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw .unmakeableResultsFolder(url, reason: error.localizedDescription)
            }
            return
        }
        guard contents.contains(GradeFiles.gradesFile) else { throw .resultsFolderHoldsOtherFiles(url) }
    }

    /// Writes the grade files, the item analysis's page, and each learner's feedback pages.
    ///
    /// - Throws: the file system's error when a file cannot be written.
    public func write(_ graded: GradedClass, roster: Roster?) throws {
        try writeResults(graded.grades, roster: roster, absentLearners: graded.absentLearners)
        for learner in graded.learners {
            try writeFeedback(learner, lessons: graded.lessons)
        }
    }

    /// Joins the results folders of several shards into this one: one gradebook over every
    /// learner, and each learner's feedback copied.
    ///
    /// - Returns: every learner's grades, in name order.
    /// - Throws: ``GradingProblem`` when a shard's results cannot be read, a learner was graded
    ///   in two shards, shards were graded against different checks, or the roster lacks a
    ///   learner; the file system's error when a file cannot be written.
    public func merge(_ shards: [URL], roster: Roster?) throws -> [LearnerGrade] {
        var grades: [LearnerGrade] = []
        var origin: [String: URL] = [:]
        for shard in shards {
            let file = shard.appendingPathComponent(GradeFiles.gradesFile)
            let shardGrades: [LearnerGrade]
            do {
                shardGrades = try GradeFiles.readGrades(from: file)
            } catch {
                throw GradingProblem.unreadableShardResults(file: file, reason: error.localizedDescription)
            }
            for grade in shardGrades {
                if let other = origin[grade.learner] {
                    throw GradingProblem.learnerInTwoShards(learner: grade.learner, first: other, second: shard)
                }
                if let first = grades.first, first.checks.map(\.name) != grade.checks.map(\.name) {
                    throw GradingProblem.shardsGradedAgainstOtherChecks(shard: shard, other: origin[first.learner]!)
                }
                origin[grade.learner] = shard
                grades.append(grade)
            }
        }
        grades.sort { $0.learner < $1.learner }
        let absent: [String]
        do throws(RosterError) {
            absent = try roster?.absentLearners(graded: grades.map(\.learner)) ?? []
        } catch {
            throw GradingProblem.roster(error)
        }
        try writeResults(grades, roster: roster, absentLearners: absent)
        let files = FileManager.default
        for grade in grades {
            let source = Self.feedbackFolder(of: grade.learner, in: origin[grade.learner]!)
            let destination = Self.feedbackFolder(of: grade.learner, in: url)
            guard files.fileExists(atPath: source.path), source.standardizedFileURL != destination.standardizedFileURL else { continue }
            try? files.removeItem(at: destination)
            try files.copyItem(at: source, to: destination)
        }
        return grades
    }

    /// Writes the grade files (``GradeFiles/write(_:analysis:roster:to:)``) and the item
    /// analysis's page, `report.html`.
    private func writeResults(_ grades: [LearnerGrade], roster: Roster?, absentLearners: [String]) throws {
        let analysis = ItemAnalysis(grades, absentLearners: absentLearners)
        try GradeFiles.write(grades, analysis: analysis, roster: roster, to: url)
        let sandboxes = Set(grades.map(\.sandbox))
        let page = GradeReportPage(analysis: analysis, sandbox: sandboxes.count == 1 ? sandboxes.first! : nil)
        try AtomicFile.write(page.render(), to: url.appendingPathComponent(GradeFiles.reportHTMLFile))
    }

    /// Writes a learner's feedback pages: each graded lesson with their exercise code, its output
    /// and every check's verdict and hint (hidden checks: verdict only), and an index.
    private func writeFeedback(_ learner: ClassGrader.Graded, lessons: [GradingLesson]) throws {
        let writer = SiteWriter(outputDirectory: Self.feedbackFolder(of: learner.grade.learner, in: url),
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

    /// A learner's feedback pages in the results folder `results`.
    private static func feedbackFolder(of learner: String, in results: URL) -> URL {
        results.appendingPathComponent(GradeFiles.learnersFolder).appendingPathComponent(learner).appendingPathComponent("feedback")
    }
}
