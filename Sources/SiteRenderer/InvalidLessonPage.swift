import LessonEngine

/// The page of a lesson file that could not be read: its mistakes, so the index never links to nothing.
public struct InvalidLessonPage {
    public var title: String
    public var errors: LessonErrors

    public init(title: String, errors: LessonErrors) {
        self.title = title
        self.errors = errors
    }

    public func render() -> String {
        let body = """
            <nav><a href="index.html">Course index</a></nav>
            <main>
            <h1>\(HTML.escape(title))</h1>
            <div class="error"><p class="label">This lesson file has mistakes and was not run</p><pre>\(HTML.escape(errors.description))</pre></div>
            </main>

            """
        return PageTemplate.page(title: title, language: "en", body: body)
    }
}
