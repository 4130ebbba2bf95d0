import LessonEngine

/// The mistakes in a lesson's formulas, as lesson errors naming the file and line, so that
/// `cuaderno check` and `cuaderno render` report them like any other mistake in the lesson
/// (the page shows each in place, too, as an `<merror>`).
public enum MathCheck {
    /// Every mistake in the `$…$` and `$$…$$` formulas of the lesson's prose, in order.
    public static func errors(in lesson: Lesson) -> [LessonError] {
        var anchors = AnchorRegistry()
        var errors: [LessonError] = []
        for block in lesson.blocks {
            guard case .prose(let markdown, let startLine) = block else { continue }
            let prose = ProseRenderer(markdown, anchors: &anchors)
            errors += prose.mathProblems.map { lessonError($0, proseStartLine: startLine, file: lesson.displayPath) }
        }
        return errors
    }

    /// A formula's mistake, with its line counted in the whole lesson file.
    static func lessonError(_ problem: MathProblem, proseStartLine: Int, file: String) -> LessonError {
        LessonError(file: file, line: proseStartLine + problem.line - 1,
                    message: "in math at column \(problem.column): \(problem.message)")
    }
}
