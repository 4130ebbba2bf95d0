import LessonEngine

/// The numbers of a lesson's named figures (``Lesson/figureNumbers``) and how the page writes
/// them: "Figure 3" under the figure and in the prose that refers to it, in the lesson's language.
struct FigureNumbering {
    var numbers: [String: Int] = [:]
    /// "Figure" or "Figura".
    var word = InterfaceStrings.english.figure

    init() {}

    init(_ lesson: Lesson, strings: InterfaceStrings) {
        numbers = lesson.figureNumbers
        word = strings.figure
    }

    /// `Figure 3`, linked to the figure's anchor (nil when the name has no number).
    func link(to name: String) -> String {
        guard let number = numbers[name] else { return HTML.escape(FigureReference.marker + name) }
        let anchor = FigureLabel(name: name).anchor
        return "<a class=\"figure-reference\" href=\"#\(HTML.escape(anchor))\">\(HTML.escape(word)) \(number)</a>"
    }

    /// The `<figcaption>` of a named figure: "Figure 3: its caption." or "Figure 3".
    func caption(for label: FigureLabel) -> String {
        guard let number = numbers[label.name] else { return "" }
        let title = "\(word) \(number)"
        guard let caption = label.caption, !caption.isEmpty else {
            return "<figcaption><strong>\(HTML.escape(title))</strong></figcaption>"
        }
        return "<figcaption><strong>\(HTML.escape(title)):</strong> \(HTML.escape(caption))</figcaption>"
    }
}
