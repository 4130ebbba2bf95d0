/// A check of a lesson as a learner names it: its exercise and its place among that exercise's
/// checks, counted from 1 — `causal-mask/2` is the second check of `causal-mask`.
///
/// Unlike a line number, it stays the same when the learner's code above the check grows or
/// shrinks. In a learner's copy only the visible checks count (hidden ones are not there).
public struct CheckReference: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id of the exercise the check is for.
    public var exercise: String
    /// The check's place among its exercise's checks, from 1.
    public var number: Int

    public init(exercise: String, number: Int) {
        self.exercise = exercise
        self.number = number
    }

    /// Reads `causal-mask/2`; nil for any other text.
    public init?(_ text: String) {
        guard let slash = text.lastIndex(of: "/"), let number = Int(text[text.index(after: slash)...]), number >= 1,
              slash != text.startIndex else { return nil }
        self.init(exercise: String(text[..<slash]), number: number)
    }

    /// `causal-mask/2`.
    public var description: String { "\(exercise)/\(number)" }

    public static func < (lhs: CheckReference, rhs: CheckReference) -> Bool {
        (lhs.exercise, lhs.number) < (rhs.exercise, rhs.number)
    }

    /// The references of checks given in lesson order: each numbered among its exercise's checks.
    public static func numbering<S: Sequence>(_ exercises: S) -> [CheckReference] where S.Element == String {
        var counts: [String: Int] = [:]
        return exercises.map { exercise in
            counts[exercise, default: 0] += 1
            return CheckReference(exercise: exercise, number: counts[exercise]!)
        }
    }
}

/// In the progress file a check reference is a JSON key, `"causal-mask/2"`.
extension CheckReference: Codable, CodingKeyRepresentable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public var codingKey: any CodingKey { Key(stringValue: description) }

    public init?<T: CodingKey>(codingKey: T) {
        self.init(codingKey.stringValue)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let reference = CheckReference(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "'\(text)' is not a check such as causal-mask/2"))
        }
        self = reference
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Lesson {
    /// The lesson's check cells in order, each with its reference.
    public var referencedChecks: [(reference: CheckReference, cell: Cell, check: Cell.Check)] {
        let checks = cells.compactMap { cell in cell.check.map { (cell, $0) } }
        return zip(CheckReference.numbering(checks.map(\.1.exercise)), checks).map { ($0, $1.0, $1.1) }
    }
}
