import Foundation
import Testing
import NN
import TensorCore

/// `Lessons/data/digits.csv`, found from this file.
private let digitsPath = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Lessons/data/digits.csv").path

@Suite struct DigitsTests {
    @Test func loadsTheWholeDataSet() throws {
        let (images, labels) = try Digits.load(from: digitsPath)
        #expect(images.shape == [1797, 64])
        #expect(images.dtype == .float64)
        #expect(labels.shape == [1797])
        #expect(labels.dtype == .int64)
        // Counts per digit and the pixel total, from NumPy's loadtxt of the same file.
        var counts = [Int](repeating: 0, count: 10)
        for label in labels.indices { counts[label] += 1 }
        #expect(counts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
        #expect(counts.reduce(0, +) == 1797)
        #expect(images.sum() == 561_718)
        #expect(images.min() == 0 && images.max() == 16)
        // The first line of the file: a zero.
        #expect(images[0, 0..<8].scalars == [0, 0, 5, 13, 9, 1, 0, 0])
        #expect(labels.indices[0] == 0)
        #expect(labels.indices[1796] == 8)
    }

    @Test func aMalformedRowNamesItsLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let good = Array(repeating: "0", count: 64).joined(separator: ",") + ",3"
        let cases: [(row: String, message: String)] = [
            (Array(repeating: "1", count: 64).joined(separator: ","),
             "expected 65 comma-separated integers (64 pixels, then the label) but found 64 fields"),
            (good.replacingOccurrences(of: ",3", with: ",x"), "the label (column 65) is \"x\", not an integer"),
            ("17," + good.dropFirst(2), "pixel 1 is 17, outside 0…16"),
            (good.replacingOccurrences(of: ",3", with: ",10"), "the label (column 65) is 10, outside 0…9"),
        ]
        for (number, (row, message)) in cases.enumerated() {
            let path = folder.appendingPathComponent("digits\(number).csv").path
            try [good, "", good, row, good].joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let error = try #require(throws: DataFileError.self) { try Digits.load(from: path) }
            #expect(error.line == 4, "blank line 2 still counts")
            #expect(error.message == message)
            #expect(error.description == "\(path):4: error: \(message)")
        }
    }

    @Test func windowsLineEndsAndATrailingNewlineAreFine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("digits.csv").path
        let row = (0..<64).map { String($0 % 17) }.joined(separator: ",")
        try "\(row),1\r\n\(row),2\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (images, labels) = try Digits.load(from: path)
        #expect(images.shape == [2, 64])
        #expect(images[1, 16].item() == 16)
        #expect(labels.indices == [1, 2])
    }

    @Test func aMissingFileIsAnErrorNamingIt() {
        let error = #expect(throws: DataFileError.self) { try Digits.load(from: "/no/such/digits.csv") }
        #expect(error?.path == "/no/such/digits.csv")
        #expect(error?.line == nil)
        #expect(error?.description.hasPrefix("/no/such/digits.csv: error: cannot read the file") == true)
    }

    @Test func trainTestSplitMatchesScikitLearn() throws {
        let (images, labels) = try Digits.load(from: digitsPath)
        let (xTrain, xTest, yTrain, yTest) = trainTestSplit(images, labels, testFraction: 0.25, seed: 0)
        #expect(xTrain.shape == [1347, 64] && xTest.shape == [450, 64])
        #expect(yTrain.shape == [1347] && yTest.shape == [450])
        // train_test_split(X, y, test_size=0.25, random_state=0) on the same file.
        #expect(Array(yTest.indices.prefix(12)) == [2, 8, 2, 6, 6, 7, 1, 9, 8, 5, 2, 8])
        #expect(Array(yTrain.indices.prefix(12)) == [2, 8, 9, 7, 2, 1, 4, 9, 3, 2, 6, 2])
        var testCounts = [Int](repeating: 0, count: 10)
        for label in yTest.indices { testCounts[label] += 1 }
        #expect(testCounts == [37, 43, 44, 45, 38, 48, 52, 48, 48, 47])
        // Features and labels stay paired, and the parts hold every row once.
        let order = RandomState(seed: 0).permutationForTest(1797)
        #expect(xTest.scalars == images.rows(Array(order[..<450])).scalars)
        #expect(xTrain.scalars == images.rows(Array(order[450...])).scalars)
        #expect(xTrain.sum() + xTest.sum() == images.sum())
    }

    @Test func trainTestSplitIsTheSameForTheSameSeed() {
        let features = Tensor(shape: [10, 2], scalars: (0..<20).map(Double.init))
        let labels = Tensor(indices: Array(0..<10))
        let first = trainTestSplit(features, labels, testFraction: 0.3, seed: 5)
        let again = trainTestSplit(features, labels, testFraction: 0.3, seed: 5)
        let other = trainTestSplit(features, labels, testFraction: 0.3, seed: 6)
        #expect(first.testLabels.indices == again.testLabels.indices)
        #expect(first.testLabels.indices != other.testLabels.indices)
        #expect(first.testLabels.shape == [3])  // ⌈0.3 · 10⌉
        #expect((first.trainLabels.indices + first.testLabels.indices).sorted() == Array(0..<10))
        // Row i of the features is [2i, 2i + 1]: each row stays with its label.
        #expect(first.testFeatures.scalars == first.testLabels.indices.flatMap { [Double(2 * $0), Double(2 * $0 + 1)] })
    }
}

extension RandomState {
    /// `permutation(n)` on a copy, for a test that wants the order a seed gives.
    fileprivate func permutationForTest(_ n: Int) -> [Int] {
        var copy = self
        return copy.permutation(n)
    }
}
