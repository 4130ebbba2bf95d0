import Foundation

/// How tensors are printed; the defaults are NumPy's (`np.set_printoptions`).
public struct PrintOptions: Sendable, Equatable {
    /// The most digits after the decimal point (NumPy `precision`).
    public var precision = 8
    /// Tensors with more elements than this are summarised with `...` (NumPy `threshold`).
    public var threshold = 1000
    /// How many items are shown at each end of a summarised axis (NumPy `edgeitems`).
    public var edgeItems = 3
    /// Where lines are wrapped (NumPy `linewidth`).
    public var lineWidth = 75

    public init(precision: Int = 8, threshold: Int = 1000, edgeItems: Int = 3, lineWidth: Int = 75) {
        self.precision = precision
        self.threshold = threshold
        self.edgeItems = edgeItems
        self.lineWidth = lineWidth
    }
}

extension Tensor: CustomStringConvertible {
    /// The options `description` uses; change them like NumPy's `np.set_printoptions`.
    nonisolated(unsafe) public static var printOptions = PrintOptions()

    /// The tensor as NumPy's `str(array)` prints it: `[[1.  0.5]\n [0.2 1. ]]`.
    public var description: String {
        let options = Tensor.printOptions
        switch storage {
        case .float32(let values): return ArrayFormatter(shape: shape, values: values, options: options).render()
        case .float64(let values): return ArrayFormatter(shape: shape, values: values, options: options).render()
        case .int64(let values):
            return ArrayFormatter(shape: shape, values: values, options: options, scalarText: { "\($0)" }) { shown in
                // NumPy right-aligns integers to the widest one shown.
                let width = shown.map { "\($0)".count }.max() ?? 0
                return { String(repeating: " ", count: width - "\($0)".count) + "\($0)" }
            }.render()
        case .bool(let values):
            return ArrayFormatter(shape: shape, values: values, options: options, scalarText: { $0 ? "True" : "False" }) { _ in
                { $0 ? " True" : "False" }
            }.render()
        }
    }
}

/// Lays out an array the way NumPy's `array2string` does (float mode "maxprec").
///
/// Each element gets the fewest digits (at most `precision`) that read back as the same number;
/// columns are aligned by padding integer parts on the left and fractions on the right. When the
/// magnitudes span too much (a non-zero absolute value below 1e-4, one at least 1e8, or a ratio
/// above 1000) every element is written in scientific notation with a common number of digits.
struct ArrayFormatter<Element> {
    let shape: [Int]
    let values: [Element]
    let options: PrintOptions
    /// How a 0-d tensor's one element is written.
    let scalarText: (Element) -> String
    /// The common format of the elements, decided from the elements that will be shown.
    let makeFormat: ([Element]) -> (Element) -> String

    init(shape: [Int], values: [Element], options: PrintOptions, scalarText: @escaping (Element) -> String,
         makeFormat: @escaping ([Element]) -> (Element) -> String) {
        self.shape = shape
        self.values = values
        self.options = options
        self.scalarText = scalarText
        self.makeFormat = makeFormat
    }

    func render() -> String {
        if shape.isEmpty { return values.first.map(scalarText) ?? "" }
        let summarise = values.count > options.threshold
        let format = makeFormat(shownValues(summarise: summarise))
        return recurse(index: [], hangingIndent: " ", width: options.lineWidth, summarise: summarise, format: format)
    }

    /// The values that will be printed (only the edges of each axis when summarising), which
    /// decide the common format exactly as in NumPy.
    private func shownValues(summarise: Bool) -> [Element] {
        guard summarise else { return values }
        var shown: [Element] = []
        func collect(_ index: [Int]) {
            if index.count == shape.count {
                shown.append(values[flatOffset(index)])
                return
            }
            for position in positions(along: index.count, summarise: true).compactMap({ $0 }) {
                collect(index + [position])
            }
        }
        collect([])
        return shown
    }

    private func flatOffset(_ index: [Int]) -> Int {
        var offset = 0
        for (axis, position) in index.enumerated() {
            offset = offset * shape[axis] + position
        }
        return offset
    }

    /// The positions printed along an axis; `nil` stands for the `...` of a summary.
    private func positions(along axis: Int, summarise: Bool) -> [Int?] {
        let length = shape[axis]
        let edge = options.edgeItems
        if summarise && 2 * edge < length {
            return Array(0..<edge) + [nil] + Array((length - edge)..<length)
        }
        return Array(0..<length)
    }

    private func recurse(index: [Int], hangingIndent: String, width: Int, summarise: Bool,
                         format: (Element) -> String) -> String {
        let axis = index.count
        if axis == shape.count {
            return format(values[flatOffset(index)])
        }
        let nextIndent = hangingIndent + " "
        let nextWidth = width - 1
        let axesLeft = shape.count - axis
        var text = ""
        if axesLeft == 1 {
            let elementWidth = width - 1
            var line = hangingIndent
            let items = positions(along: axis, summarise: summarise)
            for (number, position) in items.enumerated() {
                let word = position.map {
                    recurse(index: index + [$0], hangingIndent: nextIndent, width: nextWidth,
                            summarise: summarise, format: format)
                } ?? "..."
                // Wrap when the word would pass the width, unless wrapping cannot help.
                if line.count + word.count > elementWidth && line.count > hangingIndent.count {
                    text += line.trimmingTrailingSpaces() + "\n"
                    line = hangingIndent
                }
                line += word
                if number < items.count - 1 { line += " " }
            }
            text += line
        } else {
            let separator = String(repeating: "\n", count: axesLeft - 1)
            let items = positions(along: axis, summarise: summarise)
            for (number, position) in items.enumerated() {
                let nested = position.map {
                    recurse(index: index + [$0], hangingIndent: nextIndent, width: nextWidth,
                            summarise: summarise, format: format)
                } ?? "..."
                text += hangingIndent + nested
                if number < items.count - 1 { text += separator }
            }
        }
        return "[" + text.dropFirst(hangingIndent.count) + "]"
    }
}

extension ArrayFormatter where Element: TensorScalar {
    /// A formatter for floating-point elements, laid out like NumPy's default float format.
    init(shape: [Int], values: [Element], options: PrintOptions) {
        self.init(shape: shape, values: values, options: options, scalarText: { "\($0)" }) { shown in
            ElementFormat(values: shown, precision: options.precision).format
        }
    }
}

/// The common layout of the elements of one printout.
struct ElementFormat<Element: TensorScalar> {
    private let scientific: Bool
    private let precision: Int
    private var padLeft: Int
    private let padRight: Int
    private let exponentDigits: Int

    init(values: [Element], precision: Int) {
        self.init(finiteLayoutOf: values, precision: precision)
        // Like NumPy, widen the integer column so that "nan", "inf" or "-inf" fit in it.
        let nonFinite = values.filter { !$0.isFinite }
        guard !nonFinite.isEmpty else { return }
        let negativeInfinity = nonFinite.contains { $0.isInfinite && $0 < 0 } ? 1 : 0
        let offset = (scientific ? padRight + exponentDigits + 2 : padRight) + 1
        padLeft = Swift.max(padLeft, 3 + negativeInfinity - offset)
    }

    private init(finiteLayoutOf values: [Element], precision: Int) {
        self.precision = precision
        let finite = values.filter { $0.isFinite }
        let magnitudes = finite.map { Swift.abs($0) }.filter { $0 != 0 }
        if let largest = magnitudes.max(), let smallest = magnitudes.min() {
            scientific = largest >= 1e8 || smallest < 1e-4 || largest / smallest > 1000
        } else {
            scientific = false
        }
        if scientific {
            let parts = finite.map { Self.scientificParts($0, precision: precision) }
            let fractionDigits = parts.map { $0.fraction.count }.max() ?? 0
            padLeft = parts.map { $0.integer.count }.max() ?? 0
            exponentDigits = max(2, parts.map { $0.exponent.count }.max() ?? 2)
            padRight = fractionDigits
        } else {
            let parts = finite.map { Self.positionalParts($0, precision: precision) }
            padLeft = parts.map { $0.integer.count }.max() ?? 0
            padRight = parts.map { $0.fraction.count }.max() ?? 0
            exponentDigits = 0
        }
    }

    func format(_ value: Element) -> String {
        guard value.isFinite else {
            let word = value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf")
            let width = scientific ? padLeft + padRight + exponentDigits + 3 : padLeft + padRight + 1
            return String(repeating: " ", count: Swift.max(0, width - word.count)) + word
        }
        if scientific {
            let parts = Self.scientificParts(value, precision: precision)
            // Scientific notation keeps the same number of digits for every element.
            let fraction = parts.fraction + String(repeating: "0", count: padRight - parts.fraction.count)
            let sign = parts.exponentIsNegative ? "-" : "+"
            let exponent = String(repeating: "0", count: exponentDigits - parts.exponent.count) + parts.exponent
            return leftPadded(parts.integer) + "." + fraction + "e" + sign + exponent
        }
        let parts = Self.positionalParts(value, precision: precision)
        return leftPadded(parts.integer) + "." + parts.fraction
            + String(repeating: " ", count: padRight - parts.fraction.count)
    }

    private func leftPadded(_ integer: String) -> String {
        String(repeating: " ", count: Swift.max(0, padLeft - integer.count)) + integer
    }

    /// The shortest positional form with at most `precision` decimals that reads back as `value`
    /// (or the value rounded to `precision` decimals), split at the point, trailing zeros dropped.
    static func positionalParts(_ value: Element, precision: Int) -> (integer: String, fraction: String) {
        let pieces = shortest(value, style: "f", precision: precision)
            .split(separator: ".", omittingEmptySubsequences: false)
        return (String(pieces[0]), pieces.count > 1 ? droppingTrailingZeros(pieces[1]) : "")
    }

    /// The shortest scientific form with at most `precision` decimals that reads back as `value`.
    static func scientificParts(_ value: Element, precision: Int)
        -> (integer: String, fraction: String, exponent: String, exponentIsNegative: Bool)
    {
        let mantissaAndExponent = shortest(value, style: "e", precision: precision).split(separator: "e")
        let mantissa = mantissaAndExponent[0].split(separator: ".", omittingEmptySubsequences: false)
        let exponentText = mantissaAndExponent[1]
        return (String(mantissa[0]), mantissa.count > 1 ? droppingTrailingZeros(mantissa[1]) : "",
                String(exponentText.dropFirst()), exponentText.hasPrefix("-"))
    }

    /// `value` printed with `%.Nf` or `%.Ne` for the smallest N that reads back as the same
    /// number of this element type, or N = `precision` when none does.
    private static func shortest(_ value: Element, style: String, precision: Int) -> String {
        for digits in 0..<precision {
            let candidate = String(format: "%.\(digits)\(style)", value.doubleValue)
            if Element(candidate) == value { return candidate }
        }
        return String(format: "%.\(precision)\(style)", value.doubleValue)
    }

    private static func droppingTrailingZeros(_ digits: Substring) -> String {
        var result = String(digits)
        while result.hasSuffix("0") { result.removeLast() }
        return result
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = self
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
