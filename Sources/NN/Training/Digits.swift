import Foundation
import TensorCore

/// The hand-written digits data set (`Lessons/data/digits.csv`): 1,797 images of 8 × 8 pixels,
/// each labelled with the digit 0…9 it shows.
///
/// The file has no header; each line is one image: 64 integers from 0 (white) to 16 (black), the
/// pixels row by row, then the label. It is the test set of the UCI "Optical Recognition of
/// Handwritten Digits" data (Alpaydin & Kaynak, 1998), as scikit-learn's `load_digits` ships it.
///
/// ```swift
/// let (images, labels) = try Digits.load(from: "data/digits.csv")   // (1797, 64), (1797,)
/// let (xTrain, xTest, yTrain, yTest) = trainTestSplit(images / 16, labels, testFraction: 0.25, seed: 0)
/// ```
public enum Digits {
    /// The number of pixels of an image (8 × 8), the columns before the label.
    public static let pixelCount = 64
    /// The side of an image in pixels.
    public static let imageSide = 8
    /// The number of classes, the digits 0…9.
    public static let classCount = 10
    /// The largest pixel value (the smallest is 0).
    public static let maximumPixel = 16

    /// Reads the data set from a CSV file.
    ///
    /// - Returns: `images`, float64 `(N, 64)` with pixel values 0…16 (divide by 16 for 0…1),
    ///   and `labels`, int64 `(N,)` with digits 0…9.
    /// - Throws: ``DataFileError`` naming the file, and the line of a malformed row: one that
    ///   does not hold 65 integers, or a pixel or label out of range. Blank lines are skipped.
    public static func load(from path: String) throws -> (images: Tensor, labels: Tensor) {
        let bytes: [UInt8]
        do {
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw DataFileError(
                path: path, line: nil,
                message: "cannot read the file (\(systemErrorText(error))); check the path, which is relative to the folder the program runs in")
        }
        var pixels: [Double] = []
        var labels: [Int] = []
        // Bytes rather than Characters: a String splits a whole data set into graphemes slowly.
        for (index, line) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let row = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            if row.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let values = try parse(row, path: path, lineNumber: index + 1)
            pixels += values.dropLast().map { Double($0) }
            labels.append(values[pixelCount])
        }
        guard !labels.isEmpty else {
            throw DataFileError(path: path, line: nil, message: "the file holds no images")
        }
        return (Tensor(shape: [labels.count, pixelCount], scalars: pixels), Tensor(indices: labels))
    }

    /// The 65 integers of one line, checked.
    private static func parse(_ row: ArraySlice<UInt8>, path: String, lineNumber: Int) throws -> [Int] {
        let fields = row.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard fields.count == pixelCount + 1 else {
            throw DataFileError(
                path: path, line: lineNumber,
                message: "expected \(pixelCount + 1) comma-separated integers (\(pixelCount) pixels, then the label) but found \(fields.count) fields")
        }
        var values: [Int] = []
        values.reserveCapacity(fields.count)
        for (column, field) in fields.enumerated() {
            let range = column == pixelCount ? 0...(classCount - 1) : 0...maximumPixel
            let text = { String(decoding: field, as: UTF8.self).trimmingCharacters(in: .whitespaces) }
            guard let value = digitsValue(field) ?? Int(text()) else {
                throw DataFileError(path: path, line: lineNumber,
                                    message: "\(columnName(column)) is \"\(text())\", not an integer")
            }
            guard range.contains(value) else {
                throw DataFileError(path: path, line: lineNumber,
                                    message: "\(columnName(column)) is \(value), outside \(range.lowerBound)…\(range.upperBound)")
            }
            values.append(value)
        }
        return values
    }

    /// The value of a field of one to four ASCII digits (every valid one), or nil for anything
    /// else, which `Int(String)` then reads (spaces, signs) or rejects.
    private static func digitsValue(_ field: ArraySlice<UInt8>) -> Int? {
        guard (1...4).contains(field.count) else { return nil }
        var value = 0
        for byte in field {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    /// How an error names a column (from 0): `pixel 12`, or `the label (column 65)`.
    private static func columnName(_ column: Int) -> String {
        column == pixelCount ? "the label (column \(column + 1))" : "pixel \(column + 1)"
    }
}

/// A data file that cannot be read or holds a malformed row, with the file and line.
public struct DataFileError: Error, CustomStringConvertible, Equatable {
    /// The file, as it was given.
    public let path: String
    /// The line (from 1) of the malformed row, or nil when the problem is the whole file.
    public let line: Int?
    /// What is wrong.
    public let message: String

    /// An error about `path`, at `line` when the problem is one row.
    public init(path: String, line: Int?, message: String) {
        self.path = path
        self.line = line
        self.message = message
    }

    /// `path:line: error: message`, the form compilers use, so editors can jump to the line.
    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        return "\(location): error: \(message)"
    }
}
