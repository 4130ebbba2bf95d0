import Foundation

/// How data values are spaced along an axis.
public enum AxisScale: Sendable, Equatable {
    /// Equal differences take equal lengths.
    case linear
    /// Equal ratios take equal lengths (base 10); only positive values can be drawn.
    case log
}

/// Maps data values on one axis to pixel positions.
struct AxisMapping {
    var scale: AxisScale
    /// The data range shown, `lower < upper` (both positive on a log axis).
    var lower: Double
    var upper: Double
    /// The pixel positions of `lower` and `upper` (`start > end` on a vertical axis).
    var start: Double
    var end: Double

    /// Where `value` falls, in pixels, or nil when it cannot be drawn (NaN, or not positive on a log axis).
    func position(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        let fraction: Double
        switch scale {
        case .linear:
            fraction = (value - lower) / (upper - lower)
        case .log:
            guard value > 0 else { return nil }
            fraction = (value.log10 - lower.log10) / (upper.log10 - lower.log10)
        }
        return start + fraction * (end - start)
    }

    /// The ticks for this axis, at most `maxCount`.
    func ticks(maxCount: Int) -> TickSet {
        switch scale {
        case .linear: Ticks.linear(from: lower, to: upper, maxCount: maxCount)
        case .log: Ticks.logarithmic(from: lower, to: upper, maxCount: maxCount)
        }
    }
}

/// Chooses the range an axis shows when the author fixed none.
enum AxisLimits {
    /// The range of the finite `values` (positive ones on a log axis) widened by `margin` of its
    /// span on each side, as matplotlib does; a single value gets a unit-wide range around it.
    /// `including` values (such as a bar chart's zero) are always inside and get no margin.
    static func automatic(_ values: [Double], scale: AxisScale, margin: Double = 0.05,
                          including fixed: [Double] = []) -> ClosedRange<Double> {
        let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
        guard var low = usable.min(), var high = usable.max() else {
            return scale == .log ? 1...10 : 0...1
        }
        switch scale {
        case .linear:
            for value in fixed where value.isFinite {
                low = Swift.min(low, value)
                high = Swift.max(high, value)
            }
            if low == high {
                let half = low == 0 ? 1 : abs(low) * 0.1
                return (low - half)...(high + half)
            }
            let pad = (high - low) * margin
            let lower = fixed.contains(low) ? low : low - pad
            let upper = fixed.contains(high) ? high : high + pad
            return lower...upper
        case .log:
            if low == high { low /= 10; high *= 10 }
            let ratio = (high / low).log10 * margin
            return (low / pow10(ratio))...(high * pow10(ratio))
        }
    }

    private static func pow10(_ exponent: Double) -> Double {
        Foundation.pow(10, exponent)
    }
}
