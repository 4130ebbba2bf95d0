import Foundation

/// Tick positions and their labels along one axis.
public struct TickSet: Equatable, Sendable {
    /// Where the labelled ticks sit, in data units, increasing.
    public var values: [Double]
    /// The label of each tick in `values`.
    public var labels: [String]
    /// Unlabelled minor ticks (on a log axis, 2×, 3×… 9× each power of ten).
    public var minor: [Double] = []
}

/// Chooses "nice" tick values: round numbers a reader can interpolate between.
public enum Ticks {
    /// Ticks covering `lower...upper` at multiples of 1, 2, 2.5 or 5 × 10ᵏ: the smallest such step
    /// that gives at most `maxCount` ticks inside the range (the steps of Heckbert's "nice numbers",
    /// *Graphics Gems*, 1990, with matplotlib's 2.5 added). Labels share one number of decimals
    /// (`0.00 0.25 0.50`), use a true minus sign, and switch to powers of ten for very large or
    /// very small steps.
    ///
    /// ```
    /// Ticks.linear(from: 0, to: 1, maxCount: 6).labels   // ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    /// ```
    public static func linear(from lower: Double, to upper: Double, maxCount: Int = 7) -> TickSet {
        guard lower.isFinite, upper.isFinite, upper > lower else {
            let value = lower.isFinite ? lower : 0
            return TickSet(values: [value], labels: [TickLabel.decimal(value)])
        }
        let maxCount = max(maxCount, 2)
        let roughStep = (upper - lower) / Double(maxCount)
        var exponent = Int((roughStep.log10).rounded(.down)) - 1
        while true {
            for mantissa in [10, 20, 25, 50] {
                let step = NiceStep(mantissa: mantissa, exponent: exponent - 1)
                let first = (lower / step.value - 1e-9).rounded(.up)
                let last = (upper / step.value + 1e-9).rounded(.down)
                if last - first + 1 <= Double(maxCount) {
                    let multiples = Array(Int(first)...Int(last))
                    return TickSet(values: multiples.map(step.value(times:)),
                                   labels: multiples.map { step.label(times: $0) })
                }
            }
            exponent += 1
        }
    }

    /// Ticks at whole numbers in `0...last` (row and column numbers of a heatmap): like
    /// ``linear(from:to:maxCount:)`` but never a fractional step.
    public static func integers(upTo last: Int, maxCount: Int) -> TickSet {
        var count = max(maxCount, 2)
        while true {
            let ticks = linear(from: 0, to: Double(max(last, 1)), maxCount: count)
            if ticks.values.allSatisfy({ $0 == $0.rounded() }) || count <= 2 { return ticks }
            count -= 1
        }
    }

    /// Ticks for a logarithmic axis over `lower...upper` (both positive): every power of ten inside
    /// the range (every second or third one when there are more than `maxCount`), labelled `10ⁿ`,
    /// with the multiples 2…9 as minor ticks — or, when labels skip powers, the skipped powers. A range holding fewer than three powers of ten gets
    /// labelled ticks at 1, 2 and 5 × 10ᵏ instead.
    public static func logarithmic(from lower: Double, to upper: Double, maxCount: Int = 7) -> TickSet {
        guard lower > 0, upper > lower, lower.isFinite, upper.isFinite else {
            return linear(from: lower, to: upper, maxCount: maxCount)
        }
        let firstPower = Int((lower.log10 - 1e-9).rounded(.up))
        let lastPower = Int((upper.log10 + 1e-9).rounded(.down))
        var minor: [Double] = []
        func inside(_ value: Double) -> Bool { value >= lower * (1 - 1e-9) && value <= upper * (1 + 1e-9) }
        for power in (firstPower - 1)...lastPower {
            for multiple in 2...9 where inside(Double(multiple) * power10(power)) {
                minor.append(Double(multiple) * power10(power))
            }
        }
        guard lastPower - firstPower >= 2 else {
            // Fewer than three powers of ten: label 1, 2 and 5 × 10ᵏ, as decimals.
            var sorted: [Double] = []
            for power in (firstPower - 1)...lastPower {
                for multiple in [1.0, 2, 5] where inside(multiple * power10(power)) {
                    sorted.append(multiple * power10(power))
                }
            }
            return TickSet(values: sorted, labels: sorted.map(TickLabel.decimal), minor: minor.filter { !sorted.contains($0) })
        }
        let stride = max(Int((Double(lastPower - firstPower + 1) / Double(max(maxCount, 2))).rounded(.up)), 1)
        let powers = Array(Swift.stride(from: firstPower, through: lastPower, by: stride))
        // When the labels skip powers of ten, 2…9 × each power would be eight marks a few pixels
        // apart per decade — a solid bar over a range of many decades. The minor ticks are then
        // the powers of ten left unlabelled (as matplotlib's LogLocator does).
        let unlabelledPowers = (firstPower...lastPower).filter { !powers.contains($0) }.map(power10)
        return TickSet(values: powers.map(power10), labels: powers.map(TickLabel.power),
                       minor: stride > 1 ? unlabelledPowers : minor)
    }

    /// 10 to the power `exponent`, exact for the exponents ticks use (|exponent| ≤ 22).
    static func power10(_ exponent: Int) -> Double {
        var power = 1.0
        for _ in 0..<abs(exponent) { power *= 10 }
        return exponent >= 0 ? power : 1 / power
    }
}

/// A tick step `mantissa × 10^exponent` with `mantissa` in tenths (10, 20, 25 or 50), so that
/// every tick is an exact integer multiple and prints without floating-point noise.
private struct NiceStep {
    var mantissa: Int
    var exponent: Int

    var value: Double { Double(mantissa) * Ticks.power10(exponent) }

    /// The `multiple`-th tick, computed as one correctly rounded operation on exact integers.
    func value(times multiple: Int) -> Double {
        let integer = Double(multiple * mantissa)
        return exponent >= 0 ? integer * Ticks.power10(exponent) : integer / Ticks.power10(-exponent)
    }

    /// Decimals every tick of this step needs: `0.25` needs 2, `0.5` needs 1, `20` needs none.
    var decimals: Int {
        var trailingZeros = 0
        var remaining = mantissa
        while remaining % 10 == 0 { remaining /= 10; trailingZeros += 1 }
        return max(0, -exponent - trailingZeros)
    }

    func label(times multiple: Int) -> String {
        let integer = multiple * mantissa
        if exponent + 1 >= 6 || exponent + 1 <= -5 {
            return TickLabel.scientific(digits: integer, exponent: exponent)
        }
        return TickLabel.fixed(digits: integer, exponent: exponent, decimals: decimals)
    }
}

/// Formats tick labels the way plotting libraries print them.
enum TickLabel {
    static let minus = "\u{2212}"

    /// `digits × 10^exponent` written with exactly `decimals` decimals (`decimals` is at least
    /// what the value needs, so nothing is rounded away).
    static func fixed(digits: Int, exponent: Int, decimals: Int) -> String {
        guard digits != 0 else { return decimals == 0 ? "0" : "0." + String(repeating: "0", count: decimals) }
        var magnitude = String(abs(digits))
        var scale = exponent
        if scale > 0 {
            magnitude += String(repeating: "0", count: scale)
            scale = 0
        }
        // Now the value is magnitude × 10^scale with scale ≤ 0: place the decimal point.
        let fractionDigits = -scale
        if magnitude.count <= fractionDigits {
            magnitude = String(repeating: "0", count: fractionDigits - magnitude.count + 1) + magnitude
        }
        var integerPart = String(magnitude.dropLast(fractionDigits))
        var fraction = String(magnitude.suffix(fractionDigits))
        while fraction.count > decimals && fraction.hasSuffix("0") { fraction.removeLast() }
        while fraction.count < decimals { fraction += "0" }
        if integerPart.isEmpty { integerPart = "0" }
        integerPart = groupedDigits(integerPart)
        let sign = digits < 0 ? minus : ""
        return fraction.isEmpty ? sign + integerPart : sign + integerPart + "." + fraction
    }

    /// Digits in groups of three, `2 099 712`, for numbers of five digits or more (with a narrow
    /// no-break space, as SI style writes them; four digits such as years stay together).
    static func groupedDigits(_ digits: String) -> String {
        guard digits.count >= 5 else { return digits }
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "\u{202F}" }
            grouped.append(digit)
        }
        return grouped
    }

    /// `digits × 10^exponent` as `2.5×10⁻⁶`.
    static func scientific(digits: Int, exponent: Int) -> String {
        guard digits != 0 else { return "0" }
        let text = String(abs(digits))
        let power = exponent + text.count - 1
        var mantissa = String(text.prefix(1))
        var rest = String(text.dropFirst())
        while rest.hasSuffix("0") { rest.removeLast() }
        if !rest.isEmpty { mantissa += "." + rest }
        let sign = digits < 0 ? minus : ""
        return mantissa == "1" ? sign + power10Label(power) : sign + mantissa + "×" + power10Label(power)
    }

    /// `10ⁿ` with a superscript exponent.
    static func power(_ exponent: Int) -> String { power10Label(exponent) }

    private static func power10Label(_ exponent: Int) -> String {
        let superscripts: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        let digits = String(abs(exponent)).map { superscripts[Int(String($0))!] }
        return "10" + (exponent < 0 ? "⁻" : "") + String(digits)
    }

    /// A value printed with the fewest decimals that show it exactly up to six significant
    /// digits: `0.02`, `5`, `1500`, `−3.25`.
    static func decimal(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? minus + "∞" : "∞") }
        if value == 0 { return "0" }
        let exponent = Int((abs(value).log10).rounded(.down))
        let decimals = max(0, 5 - exponent)
        let scaled = (abs(value) * Ticks.power10(decimals)).rounded()
        guard scaled < 9e15 else { return (value < 0 ? minus : "") + String(Int64(abs(value).rounded())) }
        let text = fixed(digits: Int(scaled), exponent: -decimals, decimals: 0)
        return value < 0 ? minus + text : text
    }
}

extension Double {
    /// The base-10 logarithm (without importing Foundation into every chart file).
    var log10: Double { Foundation.log10(self) }
}

extension TickLabel {
    /// `value` with exactly `decimals` decimals and a true minus sign (heatmap annotations).
    static func fixedDecimals(_ value: Double, _ decimals: Int) -> String {
        guard value.isFinite else { return decimal(value) }
        let digits = Int((value * Ticks.power10(decimals)).rounded())
        return fixed(digits: digits, exponent: -decimals, decimals: decimals)
    }
}
