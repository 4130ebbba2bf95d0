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

    @Test func aRepeatedHintGivesTheTiersInOrder() throws {
        let header = try CellHeader.read(info: #"swift check for=mask hint="Look at the diagonal." points=2 hint="Keep what lies above it.""#).get()
        #expect(header.check == Cell.Check(exercise: "mask", points: 2, hints: ["Look at the diagonal.", "Keep what lies above it."]))
    }

    @Test func aSingleHintIsOneTierAndNoHintIsNone() throws {
        #expect(try CellHeader.read(info: #"swift check for=mask hint="Look at the diagonal.""#).get().check?.hints
            == ["Look at the diagonal."])
        #expect(try CellHeader.read(info: "swift check for=mask hidden").get().check?.hints == [])
    }

    @Test func anEmptyHintTierIsAMistakeAtItsLine() {
        let result = parseVersion("""
            ---
            title: T
            ---
            ```swift exercise id=e
            // BEGIN SOLUTION
            let a = 1
            // END SOLUTION
            ```
            ```swift check for=e hint="Look first." hint=""
            expect(true)
            ```
            """)
        guard case .failure(let errors) = result else {
            Issue.record("an empty hint was accepted")
            return
        }
        #expect(errors.errors.map(\.description) == [#"""
            Lessons/01-test.md:9: error: hint 2 in ```swift check for=e hint="Look first." hint="" is empty; write what the learner should look at, or remove hint=""
            """#])
    }

    @Test(arguments: [
        ("swift sertup", "unknown cell tag 'sertup' in ```swift sertup; known tags: setup, norun, fails, exercise, check, hidden"),
        ("swift setup fails", "a cell takes one tag, but ```swift setup fails has 'setup' and 'fails'"),
        ("swift colour=red", "unknown cell attribute 'colour' in ```swift colour=red; known attributes: id, for, points, hint, fig, caption"),
        ("swift id=a id=b", "attribute 'id' appears twice in ```swift id=a id=b"),
        ("swift check for=a points=1 points=2", "attribute 'points' appears twice in ```swift check for=a points=1 points=2"),
        (#"swift setup hint="a" hint="b""#, #"'hint=' in ```swift setup hint="a" hint="b" belongs to check cells only (```swift check for=… hint=…)"#),
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
