import LessonEngine

/// The page of a lesson file that could not be read: its mistakes, so the index never links to nothing.
public struct InvalidLessonPage {
    public var title: String
    public var errors: LessonErrors
    public var navigation: CourseNavigation

    public init(title: String, errors: LessonErrors, navigation: CourseNavigation = CourseNavigation()) {
        self.title = title
        self.errors = errors
        self.navigation = navigation
    }

    public func render() -> String {
        // The front matter (and with it `lang`) may be what is broken: the words are English.
        let strings = InterfaceStrings.english
        var body = "<header class=\"site\"><a href=\"index.html\">\(HTML.escape(strings.courseIndex))</a></header>\n"
        body += "<main>\n<article>\n<h1>\(HTML.escape(title))</h1>\n"
        body += "<div class=\"error\"><p class=\"label\">\(HTML.escape(strings.lessonFileHasMistakes))</p>"
            + "<pre>\(CellView.messageHTML(errors.errors.map(\.locatedMessage)))</pre></div>\n</article>\n"
        body += LessonPage.pager(navigation, strings: strings) + "</main>\n"
        return PageTemplate.page(title: title, language: strings.language, body: body)
    }
}
