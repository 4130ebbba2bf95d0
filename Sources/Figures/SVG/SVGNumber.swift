/// Writes numbers into SVG with a bounded number of decimals, so that the same figure always
/// gives the same bytes and long floating-point tails never bloat the file.
enum SVGNumber {
    private static let powersOfTen: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]

    /// `value` rounded to at most `decimals` decimals, without trailing zeros or a negative zero:
    /// `12.5`, `3`, `-0.25`. Non-finite values are written as `0` (they never reach a coordinate).
    static func format(_ value: Double, decimals: Int = 2) -> String {
        guard value.isFinite else { return "0" }
        let scale = powersOfTen[min(max(decimals, 0), powersOfTen.count - 1)]
        let scaled = (value * scale).rounded()
        guard scaled != 0 else { return "0" }
        // Coordinates stay far inside Int64; clamp anyway so a wild value cannot trap.
        let magnitude = Int64(min(abs(scaled), 9e15))
        let unit = Int64(scale)
        var text = scaled < 0 ? "-" : ""
        text += String(magnitude / unit)
        let fraction = magnitude % unit
        if fraction != 0 {
            var digits = String(fraction)
            digits = String(repeating: "0", count: String(unit).count - 1 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text
    }
}

extension Double {
    /// This coordinate as SVG text (two decimals at most).
    var svg: String { SVGNumber.format(self) }
}
