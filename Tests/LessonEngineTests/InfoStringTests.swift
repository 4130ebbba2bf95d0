import Testing
@testable import LessonEngine

@Suite struct InfoStringTests {
    @Test func languageTagsAndAttributes() throws {
        let info = try InfoString.parse("swift setup id=data")
        #expect(info.language == "swift")
        #expect(info.tags == ["setup"])
        #expect(info.attributes.map(\.key) == ["id"])
        #expect(info.attributes.map(\.value) == ["data"])
    }

    @Test func quotedValuesKeepSpacesAndEscapedQuotes() throws {
        let info = try InfoString.parse(#"swift check hint="look at the \"diagonal\"" points=2"#)
        #expect(info.tags == ["check"])
        #expect(info.attributes.map(\.key) == ["hint", "points"])
        #expect(info.attributes.map(\.value) == [#"look at the "diagonal""#, "2"])
    }

    @Test func unterminatedQuoteIsAnError() {
        #expect(throws: InfoString.ParseError.unterminatedQuote(key: "hint")) {
            try InfoString.parse(#"swift hint="never closed"#)
        }
    }

    @Test func keyWithoutValueIsAnError() {
        #expect(throws: InfoString.ParseError.missingValue(key: "id")) { try InfoString.parse("swift id=") }
        #expect(throws: InfoString.ParseError.emptyKey(word: "=x")) { try InfoString.parse("swift =x") }
    }

    @Test func cellHeaderKnowsTheTags() throws {
        #expect(try CellHeader.read(info: "swift").get() == CellHeader(kind: .code, id: nil))
        #expect(try CellHeader.read(info: "swift fails id=oops").get() == CellHeader(kind: .fails, id: "oops"))
        #expect(try CellHeader.read(info: "swift norun").get().kind == .norun)
    }

    @Test(arguments: [
        ("swift sertup", "unknown cell tag 'sertup' in ```swift sertup; known tags: setup, norun, fails, exercise, check, hidden"),
        ("swift setup fails", "a cell takes one tag, but ```swift setup fails has 'setup' and 'fails'"),
        ("swift colour=red", "unknown cell attribute 'colour' in ```swift colour=red; known attributes: id, for, points, hint, fig, caption"),
        ("swift id=a id=b", "attribute 'id' appears twice in ```swift id=a id=b"),
        ("swift id=has.dot", "'id=has.dot' in ```swift id=has.dot: an id may only use letters, digits, '-' and '_'"),
    ])
    func cellHeaderMistakes(info: String, message: String) {
        guard case .failure(let problem) = CellHeader.read(info: info) else {
            Issue.record("\(info) was accepted")
            return
        }
        #expect(problem.text == message)
    }
}
