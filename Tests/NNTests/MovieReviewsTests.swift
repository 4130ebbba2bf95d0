import Foundation
import Testing
import NN
import TensorCore

/// The movie-review sentences: the real file (`make data`) against a plain-Python reading of it
/// with NumPy's permutation (`Fixtures/movie-reviews/make_references.py`), and bad files made here.
@Suite struct MovieReviewsTests {
    struct SplitReference: Decodable {
        var count: Int
        var firstIds: [Int]
        var idSum: Int
        var positive: Int
    }

    struct Reference: Decodable {
        var lines: Int
        var positive: Int
        var negative: Int
        var unlabelled: Int
        var splits: [String: SplitReference]
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/movie-reviews")
    /// The folder `make data` fills; `make test` runs it first, so its absence is a failure.
    static let dataFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Lessons/data/movie-reviews").standardizedFileURL.path

    @Test func theRealFileMatchesThePythonReadingAndItsSplits() throws {
        let reference = try JSONDecoder().decode(
            Reference.self, from: Data(contentsOf: Self.fixtures.appendingPathComponent("splits.json")))
        let reviews = try MovieReviews.load(from: Self.dataFolder)
        #expect(reviews.all.count + reviews.unlabelled.count == reference.lines)
        #expect(reviews.all.filter { $0.label == 1 }.count == reference.positive)
        #expect(reviews.all.filter { $0.label == 0 }.count == reference.negative)
        #expect(reviews.unlabelled.count == reference.unlabelled)
        for (name, part) in [("train", reviews.train), ("validation", reviews.validation), ("test", reviews.test)] {
            let expected = try #require(reference.splits[name])
            #expect(part.count == expected.count, "\(name)")
            #expect(part.prefix(10).map(\.id) == expected.firstIds, "\(name)")
            #expect(part.reduce(0) { $0 + $1.id } == expected.idSum, "\(name)")
            #expect(part.filter { $0.label == 1 }.count == expected.positive, "\(name)")
        }
        let first = try #require(reviews.all.first)
        #expect(first.id == 1 && first.text.hasPrefix("The Rock is destined to be the 21st Century's new ''Conan''"))
        #expect(abs(first.rating - 2.26666666667) < 1e-12)
        let (texts, labels) = MovieReviews.textsAndLabels(Array(reviews.test.prefix(3)))
        #expect(texts == reviews.test.prefix(3).map(\.text))
        #expect(labels.dtype == .int64 && labels.scalars == reviews.test.prefix(3).map { Double($0.label) })
    }

    @Test func aMissingFolderSaysToRunMakeDataAndWhereItLooked() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let error = try #require(throws: DataFileError.self) { try MovieReviews.load(from: folder.path) }
        #expect(error.path == folder.appendingPathComponent(MovieReviews.fileName).path)
        #expect(error.description.contains("Run `make data` in the Cuaderno folder"))
        #expect(error.description.contains("Looked for \(folder.appendingPathComponent(MovieReviews.fileName).path)"))
    }

    @Test func aFileCutShortIsRefusedWithItsPathAndWhatToRun() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(MovieReviews.fileName)
        let real = try Data(contentsOf: URL(fileURLWithPath: Self.dataFolder).appendingPathComponent(MovieReviews.fileName))
        try real.prefix(real.count / 2).write(to: file)
        let error = try #require(throws: DataFileError.self) { try MovieReviews.load(from: folder.path) }
        #expect(error.description == "\(file.path): error: the file has \(real.count / 2) bytes, but the data set has 1383098: it was cut short or altered. Run `make data` to fetch it again (`python3 Scripts/fetch_data.py --check` says what differs).")
    }

    @Test func anAlteredLineIsRefusedWithItsLineNumber() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(MovieReviews.fileName)
        // The same size as the real file, with line 3's rating replaced by text of the same length.
        var text = try String(contentsOfFile: Self.dataFolder + "/" + MovieReviews.fileName, encoding: .utf8)
        let range = try #require(text.range(of: "3\t-0.6\t"))
        text.replaceSubrange(range, with: "3\tbad!\t")
        try Data(text.utf8).write(to: file)
        let error = try #require(throws: DataFileError.self) { try MovieReviews.load(from: folder.path) }
        #expect(error.line == 3)
        #expect(error.description == "\(file.path):3: error: the mean rating is \"bad!\", not a number from -4 to 4. Run `make data` to fetch it again.")
    }

    @Test func aSliceInTheSameFormatReadsAndSplits() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("slice.txt")
        var lines: [String] = []
        for id in 1...40 {
            let rating = id % 5 == 0 ? 0 : (id.isMultiple(of: 2) ? 1.5 : -2.25)
            lines.append("\(id)\t\(rating)\tSentence number \(id), café ✓.")
        }
        try Data(lines.joined(separator: "\r\n").utf8).write(to: file)
        let reviews = try MovieReviews(file: file.path)
        #expect(reviews.unlabelled.map(\.id) == [5, 10, 15, 20, 25, 30, 35, 40])
        #expect(reviews.all.count == 32)
        #expect(reviews.test.count == 4 && reviews.validation.count == 4 && reviews.train.count == 24)
        #expect(Set((reviews.train + reviews.validation + reviews.test).map(\.id)) == Set(reviews.all.map(\.id)))
        #expect(reviews.all[1].text == "Sentence number 2, café ✓." && reviews.all[1].label == 1)
        #expect(reviews.all[0].label == 0)

        try Data("1\t0.5\tfine\r\n2\t0.5\n".utf8).write(to: file)
        let error = try #require(throws: DataFileError.self) { try MovieReviews(file: file.path) }
        #expect(error.description == "\(file.path):2: error: expected three tab-separated fields (id, mean rating, sentence) but found 2. Fix that line.")
    }
}
