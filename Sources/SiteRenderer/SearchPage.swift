import LessonEngine

/// `search.html` and its script: a search box, results found in `search-index.js` as the reader
/// types, and — for a reader without JavaScript — every section of the course as links.
struct SearchPage {
    var courseTitle: String
    var index: SearchIndex
    var strings: InterfaceStrings

    func render() -> String {
        var body = "<header class=\"site\"><a href=\"index.html\">\(HTML.escape(strings.courseIndex))</a></header>\n"
        body += "<main>\n<h1>\(HTML.escape(strings.search)): \(HTML.escape(courseTitle))</h1>\n"
        body += Self.form(strings, autofocus: true)
        body += "<p id=\"search-status\" class=\"summary\" role=\"status\" aria-live=\"polite\""
            + " data-one=\"\(HTML.escape(strings.resultCount(1)))\" data-many=\"\(HTML.escape(strings.resultCount(0)))\"></p>\n"
        body += "<ol id=\"search-results\" class=\"search-results\"></ol>\n"
        body += "<h2 id=\"all-sections\">\(HTML.escape(strings.allSections))</h2>\n<ul class=\"all-sections\">\n"
        var lesson = ""
        for entry in index.entries where entry.kind == .section {
            if entry.lesson != lesson {
                if !lesson.isEmpty { body += "</ul></li>\n" }
                lesson = entry.lesson
                body += "<li><a href=\"\(HTML.escape(entry.page))\">\(HTML.escape(entry.lesson))</a><ul>\n"
            }
            if !entry.anchor.isEmpty {
                body += "<li><a href=\"\(HTML.escape(entry.page))#\(HTML.escape(entry.anchor))\">\(HTML.escape(entry.title))</a></li>\n"
            }
        }
        if !lesson.isEmpty { body += "</ul></li>\n" }
        body += "</ul>\n</main>\n"
        body += "<script src=\"\(SearchIndex.indexFile)\"></script>\n<script src=\"\(SearchIndex.scriptFile)\"></script>\n"
        return PageTemplate.page(title: "\(strings.search): \(courseTitle)", language: strings.language, body: body)
    }

    /// The search box every page carries: a plain form that opens `search.html?q=…`, so it needs
    /// no script on the page it is on.
    static func form(_ strings: InterfaceStrings, autofocus: Bool = false) -> String {
        "<form class=\"search\" action=\"\(SearchIndex.pageFile)\" method=\"get\" role=\"search\">"
            + "<label for=\"search-query\">\(HTML.escape(strings.search))</label> "
            + "<input id=\"search-query\" name=\"q\" type=\"search\" autocomplete=\"off\"\(autofocus ? " autofocus" : "")> "
            + "<button type=\"submit\">\(HTML.escape(strings.search))</button></form>\n"
    }

    /// `search.js`: every word of the query must appear in an entry (its title, lesson or text,
    /// ignoring case and accents); entries whose title holds the words come first. Results show
    /// where each is, and a few words around the first match.
    static let script = #"""
        (function () {
          "use strict";
          var index = window.cuadernoSearchIndex || [];
          var form = document.querySelector("form.search");
          var input = document.getElementById("search-query");
          var status = document.getElementById("search-status");
          var list = document.getElementById("search-results");
          function fold(text) {
            return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
          }
          var folded = index.map(function (entry) {
            return { title: fold(entry.title + " " + entry.lesson), text: fold(entry.text) };
          });
          function snippet(entry, words) {
            var text = entry.text, at = fold(text).indexOf(words[0]);
            if (at < 0) { return text.slice(0, 160); }
            var start = Math.max(0, at - 60);
            var space = text.indexOf(" ", start);
            if (start > 0 && space >= 0 && space < at) { start = space + 1; }
            return (start > 0 ? "… " : "") + text.slice(start, start + 180) + (start + 180 < text.length ? " …" : "");
          }
          function show(query) {
            list.textContent = "";
            var words = fold(query).split(/\s+/).filter(function (word) { return word.length > 0; });
            if (words.length === 0) { status.textContent = ""; return; }
            var found = [];
            folded.forEach(function (entry, position) {
              var inTitle = words.every(function (word) { return entry.title.indexOf(word) >= 0; });
              var anywhere = words.every(function (word) {
                return entry.title.indexOf(word) >= 0 || entry.text.indexOf(word) >= 0;
              });
              if (anywhere) { found.push({ position: position, rank: inTitle ? 0 : 1 }); }
            });
            found.sort(function (a, b) { return a.rank - b.rank || a.position - b.position; });
            status.textContent = found.length === 1 ? status.dataset.one
              : status.dataset.many.replace(/^0/, String(found.length));
            found.slice(0, 100).forEach(function (hit) {
              var entry = index[hit.position];
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = entry.page + (entry.anchor ? "#" + entry.anchor : "");
              link.textContent = entry.title === entry.lesson ? entry.lesson : entry.lesson + " › " + entry.title;
              var text = document.createElement("p");
              text.textContent = snippet(entry, words);
              item.appendChild(link);
              item.appendChild(text);
              list.appendChild(item);
            });
          }
          var query = new URLSearchParams(window.location.search).get("q") || "";
          input.value = query;
          show(query);
          input.addEventListener("input", function () { show(input.value); });
          form.addEventListener("submit", function (event) {
            event.preventDefault();
            show(input.value);
          });
        })();

        """#
}
