import Foundation

/// A parsed lesson: its front matter and its blocks in order (prose and Swift cells).
public struct Lesson: Sendable {
    /// The path used in every message and in compiler diagnostics, e.g. `Lessons/01-self-attention.md`.
    public var displayPath: String
    /// Where the file is.
    public var fileURL: URL
    /// The file name without `.md`, e.g. `01-self-attention`; also the page's name.
    public var slug: String
    public var frontMatter: FrontMatter
    /// Prose and cells, in the order they appear.
    public var blocks: [LessonBlock]

    /// The Swift cells, in order.
    public var cells: [Cell] {
        blocks.compactMap { block in
            if case .cell(let cell) = block { return cell }
            return nil
        }
    }

    public init(displayPath: String, fileURL: URL, slug: String, frontMatter: FrontMatter, blocks: [LessonBlock]) {
        self.displayPath = displayPath
        self.fileURL = fileURL
        self.slug = slug
        self.frontMatter = frontMatter
        self.blocks = blocks
    }
}

/// One piece of a lesson.
public enum LessonBlock: Sendable {
    /// Markdown between cells (headings, paragraphs, math, other code blocks), as written.
    case prose(markdown: String, startLine: Int)
    /// A Swift cell.
    case cell(Cell)
}

/// The metadata at the top of a lesson, between `---` lines, in YAML.
public struct FrontMatter: Sendable, Equatable {
    public var title: String
    public var summary: String?
    /// The language of the lesson's interface words: `en` (default) or `es`.
    public var language: String
    /// How long the lesson may run, in seconds, unless a run asks for another limit.
    public var timeout: Double?

    public init(title: String, summary: String? = nil, language: String = "en", timeout: Double? = nil) {
        self.title = title
        self.summary = summary
        self.language = language
        self.timeout = timeout
    }
}

/// A fenced Swift code block of a lesson.
public struct Cell: Sendable, Equatable {
    /// What the runner does with a cell, from the first word after `swift` in its info string.
    public enum Kind: String, Sendable, CaseIterable {
        /// `swift`: run it; show code and output.
        case code
        /// `swift setup`: run it; fold the code away on the page.
        case setup
        /// `swift norun`: show it; never run it.
        case norun
        /// `swift fails`: expected to fail (compile error or trap); succeeding is an error.
        case fails
        /// `swift exercise id=…`: the learner's cell; the reference solution sits between
        /// `// BEGIN SOLUTION` and `// END SOLUTION`.
        case exercise
        /// `swift check for=… points=N [hint="…"]… [hidden]`: expectations about an exercise.
        case check
    }

    /// What a check cell checks and what it is worth.
    public struct Check: Sendable, Equatable {
        /// The id of the exercise it checks.
        public var exercise: String
        /// The points it earns when every expectation in it holds.
        public var points: Int
        /// The hint's tiers, in the order a learner sees them (`hint="…"` repeated in the info
        /// string): first a nudge about where to look, then the method in words — never the code.
        /// A learner asks for them one at a time (`cuaderno hint N`); empty when the check has none.
        public var hints: [String]
        /// Left out of the learner's version and run only when grading.
        public var hidden: Bool

        public init(exercise: String, points: Int = 1, hints: [String] = [], hidden: Bool = false) {
            self.exercise = exercise
            self.points = points
            self.hints = hints
            self.hidden = hidden
        }
    }

    /// The position of this cell among the lesson's Swift cells, from 0.
    public var index: Int
    public var kind: Kind
    /// An optional name (`id=…`), unique within the lesson.
    public var id: String?
    /// The Swift source between the fences.
    public var code: String
    /// The line of the opening fence in the Markdown file (1-based).
    public var fenceLine: Int
    /// The line of the first line of code (1-based).
    public var codeLine: Int
    /// For a check cell: which exercise it checks, its points, hint and visibility.
    public var check: Check?
    /// The name and caption of the figure the cell shows (`fig=… caption="…"`), numbered in
    /// lesson order and referred to from the prose as `@fig:name`.
    public var figure: FigureLabel?

    /// Whether the runner compiles and runs this cell.
    public var runs: Bool { kind != .norun }

    public init(index: Int, kind: Kind, id: String?, code: String, fenceLine: Int, codeLine: Int, check: Check? = nil,
                figure: FigureLabel? = nil) {
        self.index = index
        self.kind = kind
        self.id = id
        self.code = code
        self.fenceLine = fenceLine
        self.codeLine = codeLine
        self.check = check
        self.figure = figure
    }

    /// The number of lines of code.
    public var lineCount: Int {
        code.isEmpty ? 0 : code.split(separator: "\n", omittingEmptySubsequences: false).count
            - (code.hasSuffix("\n") ? 1 : 0)
    }

    /// Whether a line of the Markdown file lies inside this cell's code.
    public func contains(markdownLine line: Int) -> Bool {
        line >= codeLine && line < codeLine + Swift.max(lineCount, 1)
    }
}

/// A mistake in a lesson file that the author must fix, with where it is.
public struct LessonError: Error, Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    /// A mistake at a line of `file` (the lesson's display path).
    public init(file: String, line: Int, message: String) {
        self.init(location: SourceLocation(file: file, line: line), message: message)
    }

    public var file: String { location.file }
    public var line: Int { location.line }

    /// The mistake as an error message at its location.
    public var locatedMessage: LocatedMessage {
        LocatedMessage(location: location, severity: .error, text: message)
    }

    /// `Lessons/x.md:12: error: …`, the form compilers use, so editors can jump to it.
    public var description: String { locatedMessage.formatted }
}

/// A named figure: the first figure its cell shows, numbered in lesson order ("Figure 3: …").
public struct FigureLabel: Sendable, Equatable {
    /// The name prose refers to it by (`@fig:attention-heads`); letters, digits, `-` and `_`.
    public var name: String
    /// The caption under the figure, when the cell gives one.
    public var caption: String?

    public init(name: String, caption: String? = nil) {
        self.name = name
        self.caption = caption
    }

    /// The figure's anchor on the page: `fig-<name>`.
    public var anchor: String { "fig-\(name)" }
}

extension Lesson {
    /// Each named figure's number, from 1, in the order of the cells that show them.
    public var figureNumbers: [String: Int] {
        var numbers: [String: Int] = [:]
        for cell in cells {
            if let name = cell.figure?.name, numbers[name] == nil { numbers[name] = numbers.count + 1 }
        }
        return numbers
    }
}
