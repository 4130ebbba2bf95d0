import Foundation
import Testing
import NN

/// The fortunes of lesson 10: the real file (`make data`) against a plain-Python reading of it
/// with NumPy's permutation (`Fixtures/fortunes/make_references.py`), and bad files made here.
@Suite struct FortunesTests {
    struct SplitReference: Decodable {
        var count: Int
        var firstTen: [String]
        var characters: Int
    }

    struct Reference: Decodable {
        var count: Int
        var characters: Int
        var splits: [String: SplitReference]
    }

    /// The folder `make data` fills; `make test` runs it first, so its absence is a failure.
    static let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Lessons/data/fortunes").standardizedFileURL.path

    @Test func theRealFileMatchesThePythonReadingAndItsSplit() throws {
        let reference = decodeFixture(Reference.self, "fortunes/splits.json")
        let fortunes = try Fortunes.load(from: Self.dataFolder)
        #expect(fortunes.all.count == reference.count)
        #expect(fortunes.all.reduce(0) { $0 + $1.unicodeScalars.count } == reference.characters)
        for (name, part) in [("train", fortunes.train), ("validation", fortunes.validation)] {
            let expected = try #require(reference.splits[name])
            #expect(part.count == expected.count, "\(name)")
            #expect(Array(part.prefix(10)) == expected.firstTen, "\(name)")
            #expect(part.reduce(0) { $0 + $1.unicodeScalars.count } == expected.characters, "\(name)")
        }
    }

    @Test func theFormatIsFortunesBetweenPercentLines() {
        let fortunes = Fortunes("One.\n%\n\tTwo,\n\t\t-- lines\n%\n\nThree.\n\n%\n")
        #expect(fortunes.all == ["One.", "\tTwo,\n\t\t-- lines", "Three."])
        #expect(fortunes.train.count + fortunes.validation.count == 3)
        #expect(fortunes.validation.count == 1)   // ceil(0.1 · 3)
    }

    @Test func aMissingOrAlteredFileSaysToRunMakeData() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(Fortunes.fileName)
        let missing = try #require(throws: DataFileError.self) { try Fortunes.load(from: folder.path) }
        #expect(missing.description.contains("the fortunes are not on this machine. Run `make data` in the Cuaderno folder"))
        #expect(missing.description.contains("Looked for \(file.path)"))

        try Data("Cut short.\n%\n".utf8).write(to: file)
        let altered = try #require(throws: DataFileError.self) { try Fortunes.load(from: folder.path) }
        #expect(altered.description == "\(file.path): error: the file has 13 bytes, but the fortunes have 2271656: it was cut short or altered. Run `make data` to fetch it again (`python3 Scripts/fetch_data.py --check` says what differs).")
    }
}
