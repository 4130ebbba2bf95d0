import ArgumentParser

/// The `cuaderno` command: a thin shell over the lesson engine and the site renderer.
@main
struct Cuaderno: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Swift lessons written in Markdown and render them as HTML pages.",
        discussion: """
            A course is a folder of Markdown lessons (Lessons/NN-name.md). Each lesson mixes prose \
            with Swift cells; Cuaderno compiles and runs the cells in order and shows their output.
            """,
        subcommands: [Render.self, Check.self, Start.self, Status.self, RunLesson.self, Hint.self, Reset.self, Watch.self,
                      Next.self, Release.self, Grade.self, Export.self, Serve.self])
}
